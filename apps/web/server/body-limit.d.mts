export const DEFAULT_MAX_BODY_BYTES: number;
export function parseMaxBodyBytes(value: string | undefined | null): number;
export function payloadTooLarge(limit: number): { errors: { message: string; extensions: { code: 'PAYLOAD_TOO_LARGE' } }[] };
