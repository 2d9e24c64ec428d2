/** Raw rows (em.execute, pg on a pooled connection) hand timestamps back as text: the DateTime scalar wants a Date. */
export const rawDate = (v: Date | string | null | undefined): Date | null => (v == null ? null : v instanceof Date ? v : new Date(v));
