/**
 * The postmortem corpus of relevance set 2 (apps/api/bench/relevance-set-2.ts): incidents written
 * in the style of public postmortems, exported as a CSV file (export-file.ts) and imported with
 * postmortems.mapping.json, plus the known errors and workarounds that load.ts creates through
 * GraphQL for some of them.
 */

/** One incident as the company's postmortem archive exports it (one CSV row). */
export interface Postmortem {
  /** The archive's reference, PM-nnn: the incident's external reference once imported. */
  ref: string;
  /** The title as the company published it. */
  title: string;
  severity: 'SEV1' | 'SEV2' | 'SEV3';
  /**
   * Resolved / Closed; Monitoring: still open when exported (the fix was a workaround that load.ts
   * applies, then resolves the incident with it, through GraphQL).
   */
  status: 'Resolved' | 'Closed' | 'Monitoring';
  service: string;
  category: string;
  team: string;
  /** ISO 8601 UTC. */
  startedAt: string;
  resolvedAt: string;
  /** Several paragraphs: summary, impact, timeline, root cause, contributing factors. */
  postmortem: string;
  /** What fixed it (for Monitoring incidents: the notes written when resolving with the workaround). */
  resolution: string;
  resolutionCode: string;
}

/** A problem with its documented root cause and an active workaround, made for one or more postmortems. */
export interface KnownError {
  /** The postmortems linked to it; the first Monitoring one is resolved with the workaround. */
  refs: string[];
  problem: {
    title: string;
    description: string;
    rootCause: string;
    rootCauseCategory: 'CAPACITY' | 'CHANGE' | 'CONFIGURATION' | 'HARDWARE' | 'HUMAN_ERROR' | 'SOFTWARE_DEFECT' | 'THIRD_PARTY';
    keywords?: string[];
  };
  workaround: { title: string; steps: string };
}

/** Paragraphs of a template literal: the indentation and single line breaks of the source are removed. */
export function text(strings: TemplateStringsArray, ...values: unknown[]): string {
  const raw = strings.reduce((s, part, i) => s + part + (i < values.length ? String(values[i]) : ''), '');
  return raw
    .split(/\n\s*\n/)
    .map((p) => p.replace(/\s+/g, ' ').trim())
    .filter(Boolean)
    .join('\n\n');
}
