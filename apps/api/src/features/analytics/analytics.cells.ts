import {
  Acc,
  decodeHistogramInto,
  encodeHistogram,
  localDay,
  bucketStartDay,
  dayToIso,
  MEASURES,
  type IncidentFact,
  type Verdict,
} from '@ikb/domain';
import { ms, NONE } from './analytics.db';

/**
 * Rollup cells: the key of each pre-aggregated row and what one incident contributes to which.
 *
 * An incident opened on local day d (in zone z) contributes to the day cell (grain D, period d)
 * and the month cell (grain M, period first of d's month) of every dimension it has a value in:
 * ALL (value none), SERVICE, TEAM, CATEGORY (top-level), SUBCATEGORY (its own category), PROBLEM,
 * WORKAROUND and MODEL (value2: its category, for the same-category comparison), each under its
 * priority. Missing values are the zero uuid, so "no service" is a cell like any other.
 */
export const DIM = { ALL: 0, SERVICE: 1, TEAM: 2, CATEGORY: 3, SUBCATEGORY: 4, PROBLEM: 5, WORKAROUND: 6, MODEL: 7 } as const;
export type Dim = (typeof DIM)[keyof typeof DIM];
/** Dimensions whose cells keep duration histograms (the ones a filter or percentiles can use). */
export const HIST_DIMS: ReadonlySet<number> = new Set([DIM.ALL, DIM.SERVICE, DIM.TEAM, DIM.CATEGORY, DIM.SUBCATEGORY]);

export type Grain = 'D' | 'M';

export interface CellKey {
  grain: Grain;
  dim: number;
  /** Day number of the local date (D) or of the first of the month (M). */
  period: number;
  value: string;
  value2: string;
  priority: number;
}

export const keyString = (k: CellKey) => `${k.grain}|${k.dim}|${k.period}|${k.value}|${k.value2}|${k.priority}`;

export function parseKey(s: string): CellKey {
  const [grain, dim, period, value, value2, priority] = s.split('|');
  return { grain: grain as Grain, dim: Number(dim), period: Number(period), value: value!, value2: value2!, priority: Number(priority) };
}

/** [dim, value, value2] of every dimension an incident has a cell in. */
export function factDims(f: IncidentFact): [number, string, string][] {
  const out: [number, string, string][] = [
    [DIM.ALL, NONE, NONE],
    [DIM.SERVICE, f.serviceId ?? NONE, NONE],
    [DIM.TEAM, f.teamId ?? NONE, NONE],
    [DIM.CATEGORY, f.topCategoryId ?? NONE, NONE],
    [DIM.SUBCATEGORY, f.categoryId ?? NONE, NONE],
  ];
  if (f.problemId) out.push([DIM.PROBLEM, f.problemId, NONE]);
  if (f.workaroundId) out.push([DIM.WORKAROUND, f.workaroundId, f.categoryId ?? NONE]);
  if (f.modelId) out.push([DIM.MODEL, f.modelId, f.categoryId ?? NONE]);
  return out;
}

/** Adds sign x the incident's contribution to every cell of it in the zone. */
export function addFactToCells(cells: Map<string, Acc>, f: IncidentFact, zone: string, sign: 1 | -1): void {
  const day = localDay(f.openedAt, zone);
  const month = bucketStartDay(day, 'MONTH');
  for (const [dim, value, value2] of factDims(f)) {
    for (const [grain, period] of [
      ['D', day],
      ['M', month],
    ] as const) {
      const key = keyString({ grain, dim, period, value, value2, priority: f.priority });
      let acc = cells.get(key);
      if (!acc) cells.set(key, (acc = new Acc()));
      acc.addFact(f, sign, HIST_DIMS.has(dim));
    }
  }
}

/** Rollup table columns of the measures, in MEASURES order. */
export const MEASURE_COLUMNS = MEASURES.map((m) => m.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`));
const INT8 = new Set(['ttr_ms', 'biz_ms', 'ack_ms', 'det_ms', 'reused_ttr_ms', 'cost_mc', 'minutes', 'gap_ms']);
export const MEASURE_TYPES = MEASURE_COLUMNS.map((c) => (INT8.has(c) ? 'int8' : 'int4'));

/** Measure columns summed, as doubles (exact: every sum is an integer below 2^53). */
export const SUM_MEASURES = MEASURE_COLUMNS.map((c) => `sum(${c})::float8 as ${c}`).join(', ');
export const rawMeasures = (alias: string) => MEASURE_COLUMNS.map((c) => `${alias}.${c}::float8 as ${c}`).join(', ');

/** An Acc from a row holding the measure columns (and optionally the histograms). */
export function accFromRow(row: Record<string, unknown>, into = new Acc()): Acc {
  MEASURE_COLUMNS.forEach((c, i) => {
    into.m[i] += Number(row[c] ?? 0);
  });
  if (row.ttr_hist) decodeHistogramInto(into.ttr, row.ttr_hist as Uint8Array);
  if (row.biz_hist) decodeHistogramInto(into.biz, row.biz_hist as Uint8Array);
  return into;
}

export function histBytes(acc: Acc, which: 'ttr' | 'biz'): Buffer | null {
  const h = acc[which];
  return h.size ? Buffer.from(encodeHistogram(h)) : null;
}

export const periodIso = dayToIso;

// ---- facts ----

/** Columns of analytics.facts read back as an IncidentFact (alias f). */
export const FACT_COLUMNS = `f.incident_id, ${ms('f.opened_at')} as opened_ms, f.priority, f.service_id, f.team_id, f.category_id,
  f.top_category_id, f.problem_id, f.workaround_id, f.model_id, f.policy_version_id, ${ms('f.resolved_at')} as resolved_ms, f.ttr_s,
  f.biz_s, f.ack_s, f.det_s, f.resp_verdict, f.res_verdict, f.reopened, f.reused, f.recurring, f.eligible, f.reviewed,
  f.cost_mc::float8 as cost_mc, f.minutes::float8 as minutes, f.gap_s`;

export interface FactRow {
  incident_id: string;
  opened_ms: number;
  priority: number;
  service_id: string | null;
  team_id: string | null;
  category_id: string | null;
  top_category_id: string | null;
  problem_id: string | null;
  workaround_id: string | null;
  model_id: string | null;
  policy_version_id: string | null;
  resolved_ms: number | null;
  ttr_s: number | null;
  biz_s: number | null;
  ack_s: number | null;
  det_s: number | null;
  resp_verdict: 'M' | 'B' | null;
  res_verdict: 'M' | 'B' | null;
  reopened: boolean;
  reused: boolean;
  recurring: boolean;
  eligible: boolean;
  reviewed: boolean;
  cost_mc: number;
  minutes: number;
  gap_s: number | null;
}

const verdict = (v: 'M' | 'B' | null): Verdict | null => (v === 'M' ? 'MET' : v === 'B' ? 'BREACHED' : null);

export function toFact(r: FactRow): IncidentFact {
  return {
    incidentId: r.incident_id,
    openedAt: r.opened_ms,
    priority: r.priority,
    serviceId: r.service_id,
    teamId: r.team_id,
    categoryId: r.category_id,
    topCategoryId: r.top_category_id,
    problemId: r.problem_id,
    workaroundId: r.workaround_id,
    modelId: r.model_id,
    resolveSeconds: r.ttr_s,
    businessResolveSeconds: r.biz_s,
    acknowledgeSeconds: r.ack_s,
    detectSeconds: r.det_s,
    responseVerdict: verdict(r.resp_verdict),
    resolutionVerdict: verdict(r.res_verdict),
    reopened: r.reopened,
    reused: r.reused,
    recurring: r.recurring,
    reviewEligible: r.eligible,
    reviewed: r.reviewed,
    costMinuteCents: r.cost_mc,
    minutes: r.minutes,
    gapSeconds: r.gap_s,
  };
}

/** Same contribution? (Then nothing to fold in.) */
export function sameFact(a: IncidentFact | undefined, b: IncidentFact | undefined): boolean {
  if (!a || !b) return a === b;
  for (const k of Object.keys(a) as (keyof IncidentFact)[]) if (a[k] !== b[k]) return false;
  return true;
}
