export const STATIC_SECURITY_HEADERS: Readonly<Record<string, string>>;
export function newNonce(): string;
export function contentSecurityPolicy(nonce: string, opts?: { dev?: boolean }): string;
