export interface TrustedProxies {
  readonly size: number;
  has(address: string | undefined | null): boolean;
}
export function normaliseAddress(value: unknown): string | null;
export function parseTrustedProxies(list: string | undefined | null): TrustedProxies;
export function clientAddress(
  socketAddress: string | undefined | null,
  forwardedFor: string | string[] | undefined | null,
  trusted: TrustedProxies,
): string;
