/**
 * `pnpm bench:relevance`: MRR and nDCG@10 of the solution catalog search over the relevance test
 * set (apps/api/bench/relevance-set.ts).
 *
 * Corpus: the demo seed plus the records the set adds, on a fresh database: embedded PostgreSQL in
 * memory, or a new database on the server named by DATABASE_URL (dropped at the end). With
 * `--reuse NAME` (needs DATABASE_URL) the database NAME is kept between runs and only seeded when
 * empty, which is quicker while tuning the ranking.
 *
 * Options: --verbose (every hit with its grade), --reuse NAME, --min-mrr X, --min-ndcg X (0.8 each).
 * Exits 1 when a figure is below its minimum.
 */
import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { benchToken, createDatabase, databaseExists, databaseUrl, dropDatabase, httpGql, scratchName } from './bench-db';
import { buildRelevanceCorpus, evaluate, formatReport, RELEVANCE_QUERIES, T, type RelevanceCorpus } from './relevance-set';

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { verbose: { type: 'boolean' }, reuse: { type: 'string' }, 'min-mrr': { type: 'string' }, 'min-ndcg': { type: 'string' } },
  });
  const minMrr = Number(values['min-mrr'] ?? 0.8);
  const minNdcg = Number(values['min-ndcg'] ?? 0.8);
  const server = process.env.DATABASE_URL;
  if (values.reuse && !server) throw new Error('--reuse needs DATABASE_URL');

  let dbName: string | undefined;
  let drop = false;
  if (server) {
    dbName = values.reuse ?? scratchName('ikb_relevance');
    if (!(await databaseExists(server, dbName))) await createDatabase(server, dbName);
    drop = !values.reuse;
  }
  // Requests are not logged unless LOG_LEVEL says so (the logger reads it when the API's modules load).
  process.env.LOG_LEVEL ??= 'warn';
  const { startApp } = await import('../src/app');
  const t0 = Date.now();
  const app = await startApp({
    databaseUrl: server && dbName ? databaseUrl(server, dbName) : undefined,
    port: 0,
    seedDemo: true,
    rateLimitPerMinute: 0,
  });
  try {
    const gql = httpGql(app.graphqlUrl, await benchToken(app.orm));
    const conn = app.orm.em.getConnection();
    const sql = (text: string, params?: unknown[]) => conn.execute(text, params ?? []);
    let corpus: RelevanceCorpus;
    const existing = await sql(
      `select (select number from reviews where title = ?) as review, (select 'INC-' || lpad(number::text, 6, '0') from incidents where
        title = ?) as ora`,
      [T.rBlackFriday, T.oraIncident],
    );
    if (existing[0]?.review && existing[0]?.ora)
      corpus = { numbers: { review: `PIR-${String(existing[0].review).padStart(4, '0')}`, ora: existing[0].ora } };
    else corpus = await buildRelevanceCorpus(gql);
    const [{ n }] = await sql(`select count(*)::int as n from search_documents`);
    console.log(
      `corpus: demo seed + added records, ${n} catalog records ` +
        `(${server ? `database ${dbName}` : 'embedded PostgreSQL'}; ready in ${((Date.now() - t0) / 1000).toFixed(1)} s)`,
    );
    console.log(`RR    nDCG  grades@10   query`);
    const report = await evaluate(gql, sql, corpus, RELEVANCE_QUERIES);
    console.log(formatReport(report, values.verbose));
    const pass = report.mrr >= minMrr && report.ndcg >= minNdcg;
    console.log(`targets: MRR >= ${minMrr}, nDCG@10 >= ${minNdcg}: ${pass ? 'met' : 'MISSED'}`);
    return pass ? 0 : 1;
  } finally {
    await app.close();
    if (drop && server && dbName) await dropDatabase(server, dbName);
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err);
    process.exit(2);
  },
);
