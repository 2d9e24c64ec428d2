// What one incident contributes to the analytics, and sums of such contributions.
//
// Every figure the analytics report is a sum (or a histogram) over incidents, so it can be
// pre-aggregated per cell (local day or month x dimension value x priority), subtracted and
// re-added when an incident changes, and merged across cells. The same functions aggregate
// per-incident rows for exact answers, so pre-aggregated and exact paths cannot drift apart.

import { addToHistogram, exactQuantile, Histogram, histogramQuantile, mergeHistogram } from './histogram';

export type Verdict = 'MET' | 'BREACHED';

/** The per-incident values the metrics need (durations in seconds). */
export interface IncidentFact {
  incidentId: string;
  openedAt: number; // epoch ms
  priority: number;
  serviceId: string | null;
  teamId: string | null;
  /** The incident's own category (top-level or subcategory). */
  categoryId: string | null;
  /** Its top-level category: the parent of a subcategory, or the category itself. */
  topCategoryId: string | null;
  problemId: string | null;
  /** The workaround that restored service, when reuse counted through one. */
  workaroundId: string | null;
  /** The incident model applied to it. */
  modelId: string | null;
  /** resolvedAt - openedAt, null while unresolved. */
  resolveSeconds: number | null;
  /** Business seconds between openedAt and resolvedAt by the calendar of its SLA policy version. */
  businessResolveSeconds: number | null;
  /** acknowledgedAt - openedAt. */
  acknowledgeSeconds: number | null;
  /** openedAt - detectedAt, when detectedAt is known. */
  detectSeconds: number | null;
  responseVerdict: Verdict | null;
  resolutionVerdict: Verdict | null;
  /** Reopened at least once. */
  reopened: boolean;
  /** Resolved, and the resolution applied a workaround or an incident model. */
  reused: boolean;
  /** Its problem already had an earlier incident. */
  recurring: boolean;
  /** Major, or priority 1-2: should have a published review. */
  reviewEligible: boolean;
  /** Covered by a published review. */
  reviewed: boolean;
  /** Sum over its time entries of minutes x rate in cents per hour (divide by 60 for cents). */
  costMinuteCents: number;
  minutes: number;
  /** Gap between the resolution of the previous incident on its service and its own detection. */
  gapSeconds: number | null;
}

/**
 * Column order of the measure vector (also the rollup table's columns, snake_cased). Duration
 * sums are whole milliseconds (each incident's duration rounded to the millisecond), so sums stay
 * exact integers however often contributions are added and removed.
 */
export const MEASURES = [
  'n',
  'resolved',
  'ttrMs',
  'bizN',
  'bizMs',
  'ackN',
  'ackMs',
  'detN',
  'detMs',
  'respMet',
  'respBreached',
  'resMet',
  'resBreached',
  'reopened',
  'reused',
  'reusedTtrMs',
  'recurring',
  'eligible',
  'reviewed',
  'costMc',
  'minutes',
  'gapN',
  'gapMs',
] as const;
export type Measure = (typeof MEASURES)[number];
export const M = Object.fromEntries(MEASURES.map((m, i) => [m, i])) as { [K in Measure]: number };

/** A duration in seconds as whole milliseconds. */
export function toMs(seconds: number): number {
  return Math.round(seconds * 1000);
}

/** A sum of contributions: measure vector plus duration histograms (and exact values when asked). */
export class Acc {
  readonly m = new Float64Array(MEASURES.length);
  readonly ttr = new Histogram();
  readonly biz = new Histogram();
  /** Exact durations, kept only by exact (per-incident) aggregation. */
  ttrValues: number[] | null = null;
  bizValues: number[] | null = null;

  constructor(exact = false) {
    if (exact) {
      this.ttrValues = [];
      this.bizValues = [];
    }
  }

  get(measure: Measure): number {
    return this.m[M[measure]];
  }

  isEmpty(): boolean {
    for (let i = 0; i < this.m.length; i++) if (this.m[i] !== 0) return false;
    return this.ttr.size === 0 && this.biz.size === 0;
  }

  /** this += sign * other (exact values are concatenated when both hold them; sign must be 1 then). */
  add(other: Acc, sign = 1): this {
    for (let i = 0; i < this.m.length; i++) this.m[i] += sign * other.m[i];
    mergeHistogram(this.ttr, other.ttr, sign);
    mergeHistogram(this.biz, other.biz, sign);
    if (this.ttrValues && other.ttrValues) for (const v of other.ttrValues) this.ttrValues.push(v);
    else this.ttrValues = null;
    if (this.bizValues && other.bizValues) for (const v of other.bizValues) this.bizValues.push(v);
    else this.bizValues = null;
    return this;
  }

  /** this += sign * (the contribution of one incident). */
  addFact(f: IncidentFact, sign = 1, histograms = true): this {
    const m = this.m;
    m[M.n] += sign;
    if (f.resolveSeconds !== null) {
      m[M.resolved] += sign;
      m[M.ttrMs] += sign * toMs(f.resolveSeconds);
      if (histograms) addToHistogram(this.ttr, f.resolveSeconds, sign);
      this.ttrValues?.push(f.resolveSeconds);
      if (f.reused) {
        m[M.reused] += sign;
        m[M.reusedTtrMs] += sign * toMs(f.resolveSeconds);
      }
    }
    if (f.businessResolveSeconds !== null) {
      m[M.bizN] += sign;
      m[M.bizMs] += sign * toMs(f.businessResolveSeconds);
      if (histograms) addToHistogram(this.biz, f.businessResolveSeconds, sign);
      this.bizValues?.push(f.businessResolveSeconds);
    }
    if (f.acknowledgeSeconds !== null) {
      m[M.ackN] += sign;
      m[M.ackMs] += sign * toMs(f.acknowledgeSeconds);
    }
    if (f.detectSeconds !== null) {
      m[M.detN] += sign;
      m[M.detMs] += sign * toMs(f.detectSeconds);
    }
    if (f.responseVerdict === 'MET') m[M.respMet] += sign;
    else if (f.responseVerdict === 'BREACHED') m[M.respBreached] += sign;
    if (f.resolutionVerdict === 'MET') m[M.resMet] += sign;
    else if (f.resolutionVerdict === 'BREACHED') m[M.resBreached] += sign;
    if (f.reopened) m[M.reopened] += sign;
    if (f.recurring) m[M.recurring] += sign;
    if (f.reviewEligible) {
      m[M.eligible] += sign;
      if (f.reviewed) m[M.reviewed] += sign;
    }
    m[M.costMc] += sign * f.costMinuteCents;
    m[M.minutes] += sign * f.minutes;
    if (f.gapSeconds !== null) {
      m[M.gapN] += sign;
      m[M.gapMs] += sign * toMs(f.gapSeconds);
    }
    return this;
  }
}

/** a / b, or null when b is 0. */
export function ratio(a: number, b: number): number | null {
  return b === 0 ? null : a / b;
}

export const HOUR_SECONDS = 3600;

export interface DurationSummary {
  count: number;
  meanHours: number | null;
  medianHours: number | null;
  p90Hours: number | null;
}

/** Count, mean, median and p90 (nearest rank) of wall-clock or business time to resolve, in hours. */
export function durationSummary(acc: Acc, business: boolean): DurationSummary {
  const count = acc.get(business ? 'bizN' : 'resolved');
  const sumMs = acc.get(business ? 'bizMs' : 'ttrMs');
  const values = business ? acc.bizValues : acc.ttrValues;
  const hist = business ? acc.biz : acc.ttr;
  const q = (p: number) => {
    const v = values ? exactQuantile(values, p) : histogramQuantile(hist, p);
    return v === null ? null : v / HOUR_SECONDS;
  };
  return {
    count: Math.round(count),
    meanHours: meanHours(sumMs, count),
    medianHours: count ? q(0.5) : null,
    p90Hours: count ? q(0.9) : null,
  };
}

/** Mean of a sum of milliseconds over a count, in hours. */
export function meanHours(sumMs: number, count: number): number | null {
  return count ? sumMs / count / (HOUR_SECONDS * 1000) : null;
}
