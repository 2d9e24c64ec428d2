let n = 0;

/** A name no other test (file or run) uses: the prefix, a per-process counter and a random tail. */
export const uniq = (prefix: string) => `${prefix} ${++n}-${Math.random().toString(36).slice(2, 7)}`;

/** The same without spaces, for slugs, e-mail local parts and identifiers. */
export const uniqSlug = (prefix: string) => `${prefix}${++n}${Math.random().toString(36).slice(2, 7)}`;
