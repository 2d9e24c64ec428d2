// Record ids are UUIDs (gen_random_uuid). Input that is to be compared with one, or cast to one in
// SQL, is checked here first: a malformed id is the caller's error, not a failed cast.

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether `value` is a UUID in its usual text form (any case). */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}
