/**
 * `pnpm bench:relevance`: MRR@10 and nDCG@10 of the solution catalog search on two relevance sets,
 * side by side with a BM25 baseline (MiniSearch over the same records, relevance-baseline.ts):
 *
 *   set 1: short keyword queries over the demo seed plus the records relevance-set.ts adds;
 *   set 2: symptom sentences (and a few keywords) over the postmortem corpus, imported from a CSV
 *          export with a mapping into a database without the demo seed (relevance-set-2.ts).
 *
 * Each set has its own fresh database: embedded PostgreSQL in memory, or a new database on the
 * server named by DATABASE_URL (dropped at the end). With `--reuse NAME` (needs DATABASE_URL) the
 * databases NAME (set 1) and NAME_2 (set 2) are kept between runs and only loaded when empty, which
 * is quicker while tuning the ranking.
 *
 * Targets (relevance-targets.ts), on each set: MRR@10 >= --min-mrr (0.95), ours >= MiniSearch's, and
 * no query's first relevant rank worse than its rank in relevance-before.json by more than one.
 * Exits 1 when one is missed.
 *
 * Options: --set 1|2|all (all), --verbose (every hit of both with its grade), --reuse NAME,
 * --min-mrr X (0.95), --min-ndcg X (also a target when given), --record-before (write this run's
 * ranks to relevance-before.json, with the date and commit: done once, on the ranking the sets were
 * made on).
 */
import 'reflect-metadata';
import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { benchToken, createDatabase, databaseExists, databaseUrl, dropDatabase, httpGql, scratchName } from './bench-db';
import { loadPostmortemCorpus, postmortemCorpusLoaded, postmortemNumbers } from './postmortems/load';
import { miniSearchBaseline } from './relevance-baseline';
import {
  buildRelevanceCorpus,
  evaluate,
  evaluateWith,
  RELEVANCE_QUERIES,
  T,
  type RelevanceCorpus,
  type RelevanceReport,
} from './relevance-set';
import { POSTMORTEM_QUERIES } from './relevance-set-2';
import {
  BEFORE_FILE,
  checkTargets,
  formatSideBySide,
  ranksOf,
  readBefore,
  writeBefore,
  type BeforeRanks,
  type SetId,
  type TargetCheck,
} from './relevance-targets';

interface SetRun {
  set: SetId;
  ours: RelevanceReport;
  baseline: RelevanceReport;
  checks: TargetCheck[];
}

const SETS: Record<SetId, { name: string; seedDemo: boolean }> = {
  '1': { name: 'keyword queries over the demo seed + added records', seedDemo: true },
  '2': { name: 'symptom sentences over the postmortem corpus (CSV import, no demo seed)', seedDemo: false },
};

async function runSet(
  set: SetId,
  opts: { server?: string; reuse?: string; verbose: boolean; minMrr: number; minNdcg?: number; before?: BeforeRanks },
): Promise<SetRun> {
  const { server } = opts;
  let dbName: string | undefined;
  let drop = false;
  if (server) {
    dbName = opts.reuse ? (set === '1' ? opts.reuse : `${opts.reuse}_2`) : scratchName(`ikb_relevance${set}`);
    if (!(await databaseExists(server, dbName))) await createDatabase(server, dbName);
    drop = !opts.reuse;
  }
  const { startApp } = await import('../src/app');
  const t0 = Date.now();
  const app = await startApp({
    databaseUrl: server && dbName ? databaseUrl(server, dbName) : undefined,
    port: 0,
    seedDemo: SETS[set].seedDemo,
    rateLimitPerMinute: 0,
  });
  try {
    const gql = httpGql(app.graphqlUrl, await benchToken(app.orm));
    const conn = app.orm.em.getConnection();
    const sql = (text: string, params?: unknown[]) => conn.execute(text, params ?? []);
    let corpus: RelevanceCorpus;
    if (set === '1') {
      const existing = await sql(
        `select (select number from reviews where title = ?) as review, (select 'INC-' || lpad(number::text, 6, '0') from incidents
          where title = ?) as ora`,
        [T.rBlackFriday, T.oraIncident],
      );
      if (existing[0]?.review && existing[0]?.ora)
        corpus = { numbers: { review: `PIR-${String(existing[0].review).padStart(4, '0')}`, ora: existing[0].ora } };
      else corpus = await buildRelevanceCorpus(gql);
    } else {
      corpus = (await postmortemCorpusLoaded(sql))
        ? await postmortemNumbers(sql)
        : await loadPostmortemCorpus(gql, sql, (fn) => fn(app.orm.em.fork()));
    }
    const queries = set === '1' ? RELEVANCE_QUERIES : POSTMORTEM_QUERIES;
    const ours = await evaluate(gql, sql, corpus, queries);
    const mini = await miniSearchBaseline(sql);
    const baseline = await evaluateWith(mini.search, sql, corpus, queries);
    console.log(
      `\n=== set ${set}: ${SETS[set].name}\ncorpus: ${mini.documents} catalog records ` +
        `(${server ? `database ${dbName}` : 'embedded PostgreSQL'}; ready in ${((Date.now() - t0) / 1000).toFixed(1)} s)\n`,
    );
    const before = opts.before?.ranks[set];
    console.log(formatSideBySide(ours, baseline, before, opts.verbose));
    const checks = checkTargets(ours, baseline, before, opts.minMrr);
    if (opts.minNdcg !== undefined)
      checks.push({ name: `nDCG@10 >= ${opts.minNdcg}`, met: ours.ndcg >= opts.minNdcg, detail: ours.ndcg.toFixed(3) });
    if (!before) checks.push({ name: 'before ranks', met: true, detail: `none recorded for set ${set} (${BEFORE_FILE})` });
    return { set, ours, baseline, checks };
  } finally {
    await app.close();
    if (drop && server && dbName) await dropDatabase(server, dbName);
  }
}

function record(runs: SetRun[], previous: BeforeRanks | undefined): void {
  const commit = execSync('git rev-parse HEAD', { encoding: 'utf8' }).trim();
  const rankingCommit = execSync('git log -1 --format=%H -- src/features/search src/migrations', { encoding: 'utf8' }).trim();
  const dirtySearch = execSync('git status --porcelain -- src/features/search src/migrations', { encoding: 'utf8' }).trim() !== '';
  const before: BeforeRanks = previous ?? {
    date: '',
    commit: '',
    note: '',
    figures: {} as BeforeRanks['figures'],
    ranks: {} as BeforeRanks['ranks'],
  };
  before.date = new Date().toISOString().slice(0, 10);
  before.commit = commit;
  before.note =
    `First relevant rank (1-10, 11 = none in the first 10) of each query with the ranking of apps/api/src/features/search and ` +
    `its migrations at this commit${dirtySearch ? ' (with uncommitted changes!)' : ''} (last changed in ${rankingCommit.slice(0, 12)}); ` +
    'written by pnpm bench:relevance --record-before.';
  for (const r of runs) {
    before.ranks[r.set] = ranksOf(r.ours);
    const r3 = (x: number) => Math.round(x * 1000) / 1000;
    before.figures[r.set] = {
      mrr: r3(r.ours.mrr),
      ndcg: r3(r.ours.ndcg),
      baselineMrr: r3(r.baseline.mrr),
      baselineNdcg: r3(r.baseline.ndcg),
    };
  }
  writeBefore(before);
  console.log(`\nrecorded the ranks of set(s) ${runs.map((r) => r.set).join(', ')} in ${BEFORE_FILE} (commit ${commit.slice(0, 12)})`);
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      verbose: { type: 'boolean' },
      reuse: { type: 'string' },
      'min-mrr': { type: 'string' },
      'min-ndcg': { type: 'string' },
      set: { type: 'string' },
      'record-before': { type: 'boolean' },
    },
  });
  const which = values.set ?? 'all';
  if (!['1', '2', 'all'].includes(which)) throw new Error(`--set is 1, 2 or all (got "${which}")`);
  const sets: SetId[] = which === 'all' ? ['1', '2'] : [which as SetId];
  const minMrr = Number(values['min-mrr'] ?? 0.95);
  const minNdcg = values['min-ndcg'] === undefined ? undefined : Number(values['min-ndcg']);
  const server = process.env.DATABASE_URL;
  if (values.reuse && !server) throw new Error('--reuse needs DATABASE_URL');
  // Requests are not logged unless LOG_LEVEL says so (the logger reads it when the API's modules load).
  process.env.LOG_LEVEL ??= 'warn';
  const before = existsSync(BEFORE_FILE) ? readBefore() : undefined;

  const runs: SetRun[] = [];
  for (const set of sets) runs.push(await runSet(set, { server, reuse: values.reuse, verbose: !!values.verbose, minMrr, minNdcg, before }));

  console.log('\n=== targets');
  let pass = true;
  for (const r of runs) {
    for (const c of r.checks) {
      pass &&= c.met;
      console.log(`set ${r.set}: ${c.name}: ${c.met ? 'met' : 'MISSED'} (${c.detail})`);
    }
  }
  console.log(pass ? 'all targets met' : 'targets MISSED');
  if (values['record-before']) record(runs, before);
  return pass ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err);
    process.exit(2);
  },
);
