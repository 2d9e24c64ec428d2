import { hash, verify } from '@node-rs/argon2';
import { COMMON_PASSWORDS } from './common-passwords';

/** argon2id with the OWASP-recommended minimum (19 MiB, 2 passes). */
const OPTIONS = { algorithm: 2 as const, memoryCost: 19_456, timeCost: 2, parallelism: 1 };

/** Why a password is refused, or null when it is acceptable. */
export function passwordProblem(password: string, email?: string): string | null {
  if (password.length < 8) return 'must be at least 8 characters';
  if (password.length > 200) return 'must be at most 200 characters';
  const lower = password.toLowerCase();
  if (COMMON_PASSWORDS.has(lower)) return 'is one of the most common passwords; choose another';
  if (email && lower === email.toLowerCase().split('@')[0]) return 'must not be your user name';
  if (/^(.)\1+$/.test(password)) return 'must not repeat one character';
  return null;
}

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

export async function verifyPassword(stored: string | null, password: string): Promise<boolean> {
  // Unknown users still pay for one verification, so timing does not reveal which emails exist.
  const target = stored ?? DUMMY_HASH;
  const ok = await verify(target, password).catch(() => false);
  return ok && stored !== null;
}

const DUMMY_HASH = '$argon2id$v=19$m=19456,t=2,p=1$/8GEkECFOHeM0nxtRD272w$VZKi06tNrMme7L9dltf3eAeNWHW5C3X7RmHcd2hsSQM';
