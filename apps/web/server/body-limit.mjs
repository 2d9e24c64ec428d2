// The largest request body the web server accepts: MAX_BODY_BYTES, the same variable (and the
// same default and bounds) as the API's, so the web app never forwards what the API would refuse.
export const DEFAULT_MAX_BODY_BYTES = 1_000_000;
const MIN = 1024;
const MAX = 100_000_000;

/** MAX_BODY_BYTES as a number of bytes; throws naming the variable when it is not one in range. */
export function parseMaxBodyBytes(value) {
  if (value === undefined || value === null || value === '') return DEFAULT_MAX_BODY_BYTES;
  const n = Number(value);
  if (!Number.isInteger(n) || n < MIN || n > MAX)
    throw new Error(`MAX_BODY_BYTES must be an integer between ${MIN} and ${MAX}; got "${value}"`);
  return n;
}

/** The GraphQL-shaped error the API answers with for a body over the limit. */
export function payloadTooLarge(limit) {
  return { errors: [{ message: `Request body larger than ${limit} bytes`, extensions: { code: 'PAYLOAD_TOO_LARGE' } }] };
}
