/**
 * The targets of issue 21 for the solution catalog search, on each relevance set (relevance-set.ts,
 * relevance-set-2.ts), shared by `pnpm bench:relevance` and tests/search-relevance.test.ts:
 *   - MRR@10 >= 0.95;
 *   - MRR@10 >= the baseline's (MiniSearch, relevance-baseline.ts) on the same records;
 *   - no query's first relevant rank worse than its "before" rank by more than one, ranks being
 *     counted 1..10 and 11 for "nothing relevant in the first 10"; the before ranks are those of the
 *     ranking as it was when the sets were made (relevance-before.json).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RelevanceReport } from './relevance-set';

export type SetId = '1' | '2';

export const TARGET_MRR = 0.95;

/** relevance-before.json: first relevant rank (1..11) of each query of each set, with where they came from. */
export interface BeforeRanks {
  date: string;
  commit: string;
  note: string;
  /** Figures of that run, for reference. */
  figures: Record<SetId, { mrr: number; ndcg: number; baselineMrr: number; baselineNdcg: number }>;
  ranks: Record<SetId, Record<string, number>>;
}

export const BEFORE_FILE = join(__dirname, 'relevance-before.json');

export function readBefore(): BeforeRanks {
  return JSON.parse(readFileSync(BEFORE_FILE, 'utf8')) as BeforeRanks;
}

export function writeBefore(before: BeforeRanks): void {
  writeFileSync(BEFORE_FILE, `${JSON.stringify(before, null, 2)}\n`, 'utf8');
}

/** 1..10, or 11 when nothing relevant is in the first 10. */
export const rank11 = (rank: number | null): number => rank ?? 11;

export function ranksOf(report: RelevanceReport): Record<string, number> {
  return Object.fromEntries(report.results.map((r) => [r.id, rank11(r.firstRelevantRank)]));
}

export interface Regression {
  id: string;
  before: number;
  now: number;
}

/** Queries whose first relevant rank is now worse than before by more than one; queries without a before rank are not judged. */
export function regressions(report: RelevanceReport, before: Record<string, number>): Regression[] {
  const out: Regression[] = [];
  for (const r of report.results) {
    const was = before[r.id];
    const now = rank11(r.firstRelevantRank);
    if (was !== undefined && now > was + 1) out.push({ id: r.id, before: was, now });
  }
  return out;
}

export interface TargetCheck {
  name: string;
  met: boolean;
  detail: string;
}

export function checkTargets(
  ours: RelevanceReport,
  baseline: RelevanceReport,
  before: Record<string, number> | undefined,
  minMrr = TARGET_MRR,
): TargetCheck[] {
  const checks: TargetCheck[] = [
    { name: `MRR@10 >= ${minMrr}`, met: ours.mrr >= minMrr, detail: ours.mrr.toFixed(3) },
    {
      name: 'MRR@10 >= baseline',
      met: ours.mrr >= baseline.mrr,
      detail: `${ours.mrr.toFixed(3)} vs MiniSearch ${baseline.mrr.toFixed(3)}`,
    },
  ];
  if (before) {
    const worse = regressions(ours, before);
    const unjudged = ours.results.filter((r) => before[r.id] === undefined).map((r) => r.id);
    checks.push({
      name: 'no query worse than before by more than one rank',
      met: worse.length === 0,
      detail:
        (worse.length ? worse.map((w) => `${w.id} ${w.before} -> ${w.now}`).join(', ') : 'none worse') +
        (unjudged.length ? `; no before rank: ${unjudged.join(', ')}` : ''),
    });
  }
  return checks;
}

const marks = (r: RelevanceReport['results'][number]) => r.hits.map((h) => (h.grade ? String(h.grade) : '.')).join('');
const rankText = (rank: number) => (rank > 10 ? '-' : String(rank));

/**
 * Side by side, one line per query: reciprocal rank of ours and of the baseline, first relevant
 * rank before / ours / baseline ('-' = none in the first 10), the grades of each one's first 10;
 * then the figures by tag and overall.
 */
export function formatSideBySide(
  ours: RelevanceReport,
  baseline: RelevanceReport,
  before: Record<string, number> | undefined,
  verbose = false,
): string {
  const lines = [`RR ours  RR base  rank before/ours/base  grades ours  grades base  query`];
  for (const [i, r] of ours.results.entries()) {
    const b = baseline.results[i]!;
    const was = before?.[r.id];
    const now = rank11(r.firstRelevantRank);
    const flag = was !== undefined && now > was + 1 ? '  WORSE' : '';
    const ranks = `${was === undefined ? '?' : rankText(was)}/${rankText(now)}/${rankText(rank11(b.firstRelevantRank))}`;
    lines.push(
      `${r.rr.toFixed(2).padStart(7)}  ${b.rr.toFixed(2).padStart(7)}  ${ranks.padEnd(20)}  ${marks(r).padEnd(11)}  ` +
        `${marks(b).padEnd(11)}  ${r.id} ${JSON.stringify(r.query)}${r.error ? `  ERROR ${r.error}` : ''}${flag}`,
    );
    if (verbose) {
      for (const [k, h] of r.hits.entries()) lines.push(`           ours ${k + 1}. [${h.grade}] ${h.kind} ${h.number ?? ''} ${h.title}`);
      for (const [k, h] of b.hits.entries()) lines.push(`           base ${k + 1}. [${h.grade}] ${h.kind} ${h.number ?? ''} ${h.title}`);
    }
  }
  lines.push('', 'by tag:             ours: MRR  nDCG@10   MiniSearch: MRR  nDCG@10');
  for (const [tag, v] of Object.entries(ours.byTag)) {
    const w = baseline.byTag[tag]!;
    lines.push(
      `  ${tag.padEnd(12)} ${String(v.queries).padStart(3)}  ${v.mrr.toFixed(3).padStart(9)}  ${v.ndcg.toFixed(3)}  ` +
        `${w.mrr.toFixed(3).padStart(15)}  ${w.ndcg.toFixed(3)}`,
    );
  }
  lines.push('');
  lines.push(`queries: ${ours.results.length}`);
  lines.push(`MRR@10:  ours ${ours.mrr.toFixed(3)}   MiniSearch ${baseline.mrr.toFixed(3)}`);
  lines.push(`nDCG@10: ours ${ours.ndcg.toFixed(3)}   MiniSearch ${baseline.ndcg.toFixed(3)}`);
  return lines.join('\n');
}
