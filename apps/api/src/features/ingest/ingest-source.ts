import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { textProblem } from '@ikb/domain';
import type { EntityManager } from '@mikro-orm/postgresql';
import { validateRules, type SourceRules } from './ingest-rules';

/**
 * Alert sources: one per sender (an Alertmanager, a monitoring tool, a script), each with its own
 * token and classification rules. Tokens are shown once when made; only their SHA-256 is stored,
 * with a short prefix to tell them apart in lists.
 */
export interface IngestSource {
  id: string;
  name: string;
  tokenPrefix: string;
  rules: SourceRules;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

export class IngestSourceError extends Error {}

const TOKEN_PREFIX = 'ikb_ing_';

export const hashToken = (token: string) => createHash('sha256').update(token, 'utf8').digest('hex');

function newToken(): string {
  return `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
}

function toSource(r: Record<string, any>): IngestSource {
  return {
    id: r.id,
    name: r.name,
    tokenPrefix: r.token_prefix,
    rules: typeof r.rules === 'string' ? JSON.parse(r.rules) : (r.rules ?? {}),
    createdAt: new Date(r.created_at),
    lastUsedAt: r.last_used_at ? new Date(r.last_used_at) : null,
    revokedAt: r.revoked_at ? new Date(r.revoked_at) : null,
  };
}

export function readRulesFile(path: string): SourceRules {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new IngestSourceError(`Cannot read the rules file ${path}: ${(err as Error).message}`);
  }
  const checked = validateRules(raw);
  if (!checked.ok) throw new IngestSourceError(`${path} is not valid alert source rules:\n  ${checked.issues.join('\n  ')}`);
  return checked.rules;
}

/** Makes a source and returns it with its token (the only time the token is available). */
export async function createIngestSource(
  em: EntityManager,
  name: string,
  rules: SourceRules = {},
): Promise<{ source: IngestSource; token: string }> {
  const clean = name.trim();
  if (!clean || clean.length > 120) throw new IngestSourceError('--name must be 1 to 120 characters');
  const why = textProblem(clean, { singleLine: true });
  if (why) throw new IngestSourceError(`--name ${why}`);
  const checked = validateRules(rules);
  if (!checked.ok) throw new IngestSourceError(`rules are not valid:\n  ${checked.issues.join('\n  ')}`);
  const exists = await em.execute<{ id: string }[]>(`select id from ingest_sources where lower(name) = lower(?)`, [clean]);
  if (exists.length)
    throw new IngestSourceError(`An alert source named "${clean}" already exists (use ingest-source rotate to get a new token)`);
  const token = newToken();
  const rows = await em.execute<Record<string, unknown>[]>(
    `insert into ingest_sources (id, name, token_hash, token_prefix, rules) values (?, ?, ?, ?, ?::jsonb) returning *`,
    [randomUUID(), clean, hashToken(token), token.slice(0, TOKEN_PREFIX.length + 4), JSON.stringify(checked.rules)],
  );
  return { source: toSource(rows[0]), token };
}

export async function listIngestSources(em: EntityManager): Promise<IngestSource[]> {
  const rows = await em.execute<Record<string, unknown>[]>(`select * from ingest_sources order by lower(name)`);
  return rows.map(toSource);
}

async function byId(em: EntityManager, id: string): Promise<IngestSource> {
  const rows = await em.execute<Record<string, unknown>[]>(`select * from ingest_sources where id = ?`, [id]);
  if (!rows.length) throw new IngestSourceError(`No alert source with id "${id}"`);
  return toSource(rows[0]);
}

/** A source named by its name (the CLI) or, as `{ id }`, by its id (the API). */
type SourceRef = string | { id: string };
const find = (em: EntityManager, ref: SourceRef) => (typeof ref === 'string' ? byName(em, ref) : byId(em, ref.id));

async function byName(em: EntityManager, name: string): Promise<IngestSource> {
  const rows = await em.execute<Record<string, unknown>[]>(`select * from ingest_sources where lower(name) = lower(?)`, [name.trim()]);
  if (!rows.length) throw new IngestSourceError(`No alert source named "${name}" (ingest-source list shows them)`);
  return toSource(rows[0]);
}

/** A new token; the old one stops working at once. Also lifts a revocation. */
export async function rotateIngestToken(em: EntityManager, ref: SourceRef): Promise<{ source: IngestSource; token: string }> {
  const source = await find(em, ref);
  const token = newToken();
  const rows = await em.execute<Record<string, unknown>[]>(
    `update ingest_sources set token_hash = ?, token_prefix = ?, revoked_at = null where id = ? returning *`,
    [hashToken(token), token.slice(0, TOKEN_PREFIX.length + 4), source.id],
  );
  return { source: toSource(rows[0]), token };
}

export async function revokeIngestSource(em: EntityManager, ref: SourceRef): Promise<IngestSource> {
  const source = await find(em, ref);
  const rows = await em.execute<Record<string, unknown>[]>(
    `update ingest_sources set revoked_at = coalesce(revoked_at, now()) where id = ? returning *`,
    [source.id],
  );
  return toSource(rows[0]);
}

export async function setIngestRules(em: EntityManager, ref: SourceRef, rules: SourceRules): Promise<IngestSource> {
  const source = await find(em, ref);
  const checked = validateRules(rules);
  if (!checked.ok) throw new IngestSourceError(`rules are not valid:\n  ${checked.issues.join('\n  ')}`);
  const rows = await em.execute<Record<string, unknown>[]>(`update ingest_sources set rules = ?::jsonb where id = ? returning *`, [
    JSON.stringify(checked.rules),
    source.id,
  ]);
  return toSource(rows[0]);
}

/** The source a token belongs to, if the token is valid and not revoked. */
export async function sourceForToken(em: EntityManager, token: string): Promise<IngestSource | null> {
  if (!token.startsWith(TOKEN_PREFIX) || token.length > 200) return null;
  const rows = await em.execute<Record<string, unknown>[]>(
    `update ingest_sources set last_used_at = now() where token_hash = ? and revoked_at is null returning *`,
    [hashToken(token)],
  );
  return rows.length ? toSource(rows[0]) : null;
}
