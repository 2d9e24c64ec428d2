import { AggregatorRegistry, Counter, Gauge, collectDefaultMetrics, type Metric } from 'prom-client';
import { isObjectType, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import { ERROR_CODES } from '../errors';
import type { Limits } from './limits';
import type { Limiter } from './rate-limit';
import { WEB_OPERATIONS } from './metrics-operations';

/**
 * The process's Prometheus metrics (prom-client). One registry per process: in a node:cluster
 * worker it answers the primary's AggregatorRegistry, which sums the workers (metrics-http.ts).
 * Names and labels are listed in docs/operations.md ("Metrics").
 *
 * Every label value comes from a fixed set: routes, operation names the schema or the web app
 * knows, error codes, limiter names. What a client writes (a path, an operationName, a code it
 * made up) is never a label, so no request can add a series.
 */
export const registry = new AggregatorRegistry();
// In a worker: the registry the primary's scrape reads (the default would be prom-client's global one).
AggregatorRegistry.setRegistries([registry]);

export const OK = 'ok';
export const OTHER = 'other';

// ---- label values ----

/** Routes by template; any other path is "other". */
const ROUTES = new Set(['/graphql', '/ingest/alerts', '/healthz', '/readyz', '/metrics']);
export const routeLabel = (path: string): string => (ROUTES.has(path) ? path : OTHER);

/** The codes an answer can carry: the API's own and the HTTP edge's (errors.ts), and Apollo's. */
const CODES = new Set<string>([
  ...Object.values(ERROR_CODES),
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'OPERATION_RESOLUTION_FAILURE',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
]);
export const codeLabel = (code: unknown): string => (typeof code === 'string' && CODES.has(code) ? code : OTHER);

/** The code of an answer that carries none (non-GraphQL routes, answers made before Apollo). */
export function outcomeOfStatus(status: number): string {
  if (status < 400) return OK;
  switch (status) {
    case 400:
      return 'BAD_REQUEST';
    case 401:
      return 'UNAUTHENTICATED';
    case 403:
      return 'FORBIDDEN';
    case 404:
      return 'NOT_FOUND';
    case 405:
      return 'METHOD_NOT_ALLOWED';
    case 413:
      return 'PAYLOAD_TOO_LARGE';
    case 429:
      return 'RATE_LIMITED';
    case 503:
      return 'SERVICE_UNAVAILABLE';
    default:
      return status >= 500 ? 'INTERNAL_SERVER_ERROR' : OTHER;
  }
}

/** Operation names that may be a label: the web app's operations and the schema's root fields. */
const operations = new Set<string>(WEB_OPERATIONS);

/** Adds the schema's root fields (as named, and capitalised: `query incidents`, `mutation LogIncident`). */
export function knowOperationsOf(schema: GraphQLSchema): void {
  for (const type of [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()]) {
    if (!isObjectType(type)) continue;
    for (const name of Object.keys(type.getFields())) {
      operations.add(name);
      operations.add(name[0]!.toUpperCase() + name.slice(1));
    }
  }
}

/**
 * The operation label: the operation's name (the operationName the client sent, else the name in
 * the document), when it is a known one; else (an anonymous operation, or a name nobody knows)
 * the operation's first root field, when the document was resolved; else "other".
 */
export function operationLabel(name: unknown, operation?: OperationDefinitionNode | null): string {
  if (typeof name === 'string' && operations.has(name)) return name;
  const own = operation?.name?.value;
  if (own !== undefined && operations.has(own)) return own;
  const first = operation?.selectionSet.selections[0];
  if (first?.kind === 'Field' && operations.has(first.name.value)) return first.name.value;
  return OTHER;
}

// ---- histograms on the hot path ----

/** One label combination of a SeriesHistogram: counts per bucket (not cumulative), sum, count. */
class Series {
  readonly counts: Float64Array;
  sum = 0;
  count = 0;

  constructor(
    readonly labels: Readonly<Record<string, string>>,
    private readonly bounds: readonly number[],
  ) {
    this.counts = new Float64Array(bounds.length);
  }

  observe(value: number): void {
    const b = this.bounds;
    let i = 0;
    while (i < b.length && value > b[i]!) i++;
    if (i < b.length) this.counts[i]! += 1;
    this.sum += value;
    this.count += 1;
  }
}

/**
 * A Prometheus histogram of up to three labels whose series are found by nested map lookups and
 * kept once made: observing allocates nothing and hashes nothing (prom-client's Histogram builds
 * a label hash string and an object per observation: 1-2 µs on the 2-core machine, against
 * 10-50 ns here). It is registered in the prom-client registry like any metric, and reports in
 * prom-client's JSON form, so the text format and the cluster's sum over workers are prom-client's.
 */
export class SeriesHistogram {
  readonly type = 'histogram';
  readonly aggregator = 'sum';
  private root = new Map<string, Map<string, Map<string, Series>>>();
  private all: Series[] = [];

  constructor(
    readonly name: string,
    readonly help: string,
    private readonly labelNames: readonly string[],
    private readonly bounds: readonly number[],
  ) {
    registry.registerMetric(this as unknown as Metric);
  }

  /** The series of these label values (in labelNames order); made on first use. */
  series(a: string, b = '', c = ''): Series {
    let one = this.root.get(a);
    if (!one) this.root.set(a, (one = new Map()));
    let two = one.get(b);
    if (!two) one.set(b, (two = new Map()));
    let s = two.get(c);
    if (!s) {
      const values = [a, b, c];
      s = new Series(Object.fromEntries(this.labelNames.map((n, i) => [n, values[i]!])), this.bounds);
      two.set(c, s);
      this.all.push(s);
    }
    return s;
  }

  /** Series made so far (for tests of label cardinality). */
  get size(): number {
    return this.all.length;
  }

  async get() {
    const values: { labels: Record<string, string | number>; value: number; metricName: string }[] = [];
    for (const s of this.all) {
      let acc = 0;
      for (let i = 0; i < this.bounds.length; i++) {
        acc += s.counts[i]!;
        values.push({ labels: { ...s.labels, le: this.bounds[i]! }, value: acc, metricName: `${this.name}_bucket` });
      }
      values.push({ labels: { ...s.labels, le: '+Inf' }, value: s.count, metricName: `${this.name}_bucket` });
      values.push({ labels: s.labels, value: s.sum, metricName: `${this.name}_sum` });
      values.push({ labels: s.labels, value: s.count, metricName: `${this.name}_count` });
    }
    return { name: this.name, help: this.help, type: this.type, values, aggregator: this.aggregator };
  }

  reset(): void {
    this.root = new Map();
    this.all = [];
  }
}

export const requestDuration = new SeriesHistogram(
  'ikb_http_request_duration_seconds',
  'Time from a request arriving to its answer being written, by route, GraphQL operation (known names only, else "other"; empty off ' +
    '/graphql) and outcome ("ok" or the error code)',
  ['route', 'operation', 'outcome'],
  [0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
);

export const sqlStatements = new SeriesHistogram(
  'ikb_graphql_sql_statements',
  'SQL statements run for one GraphQL request, by operation',
  ['operation'],
  [0, 1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 144],
);

// ---- counters and gauges ----

export const errorsTotal = new Counter({
  name: 'ikb_errors_total',
  help:
    'Errors answered, by code: each error of a GraphQL answer (extensions.code), and each refused request of the other routes (code ' +
    'from its HTTP status)',
  labelNames: ['code'] as const,
  registers: [registry],
});
for (const code of Object.values(ERROR_CODES)) errorsTotal.inc({ code }, 0);

export const LIMITERS = ['requests', 'authFailures', 'signInByAddress', 'signInByAccount'] as const satisfies readonly (keyof Limits)[];

export const rateLimitRejections = new Counter({
  name: 'ikb_rate_limit_rejections_total',
  help: 'Requests refused (429) by this process for a rate limit, by limiter (see http/limits.ts)',
  labelNames: ['limiter'] as const,
  registers: [registry],
});
for (const limiter of LIMITERS) rateLimitRejections.inc({ limiter }, 0);

/**
 * Counts each refusal of these limiters: `take` refusing for the per-caller and sign-in limits,
 * `peek` refusing for failed authentications (an address refused before its credentials are
 * looked up; its `take` only records a failure already answered 401). Returns the same limits.
 */
export function countRejections(limits: Limits): Limits {
  const wrap = (limiter: Limiter, method: 'take' | 'peek', name: (typeof LIMITERS)[number]) => {
    const original = limiter[method].bind(limiter);
    const counter = rateLimitRejections.labels(name);
    const count = (wait: number) => {
      if (wait > 0) counter.inc();
      return wait;
    };
    limiter[method] = (key: string) => {
      const wait = original(key);
      return typeof wait === 'number' ? count(wait) : wait.then(count);
    };
  };
  wrap(limits.requests, 'take', 'requests');
  wrap(limits.authFailures, 'peek', 'authFailures');
  wrap(limits.signInByAddress, 'take', 'signInByAddress');
  wrap(limits.signInByAccount, 'take', 'signInByAccount');
  return limits;
}

const analyticsRefreshes = new Counter({
  name: 'ikb_analytics_refreshes_total',
  help: "This process's refresh attempts when changes were queued: refreshed, or busy (another instance held the refresh lock)",
  labelNames: ['outcome'] as const,
  registers: [registry],
});
for (const outcome of ['refreshed', 'busy']) analyticsRefreshes.inc({ outcome }, 0);
export const countRefresh = (outcome: 'refreshed' | 'busy') => analyticsRefreshes.inc({ outcome });

const ingestReceived = new Counter({
  name: 'ikb_ingest_alerts_received_total',
  help: 'Alerts in payloads POST /ingest/alerts accepted (payloads that passed every check)',
  registers: [registry],
});
const ingestAlerts = new Counter({
  name: 'ikb_ingest_alerts_total',
  help:
    'Alerts recorded, by what they did: created (a new incident), attached (to the open incident of its identity), ' +
    'reopened (its resolved incident), resolved, acknowledged, ignored',
  labelNames: ['action'] as const,
  registers: [registry],
});
const INGEST_ACTIONS = ['created', 'attached', 'reopened', 'resolved', 'acknowledged', 'ignored'];
for (const action of INGEST_ACTIONS) ingestAlerts.inc({ action }, 0);
const ingestRefused = new Counter({
  name: 'ikb_ingest_refused_total',
  help: 'Payloads POST /ingest/alerts refused with 400 (bad JSON or a bad alert; nothing was recorded)',
  registers: [registry],
});

/** An answer of POST /ingest/alerts went out. */
export function countIngestAnswer(status: number): void {
  if (status === 400) ingestRefused.inc();
}

/** A payload passed its checks: its alerts are received. */
export function countIngestReceived(alerts: number): void {
  ingestReceived.inc(alerts);
}

/** Alerts recorded (all of a payload, or those before a failure). */
export function countIngestRecorded(results: readonly { action: string }[]): void {
  for (const r of results) ingestAlerts.inc({ action: INGEST_ACTIONS.includes(r.action) ? r.action : 'ignored' });
}

const importRuns = new Counter({
  name: 'ikb_import_runs_total',
  help: 'File imports completed in this process (write, or dry_run); the CLI runs them in its own process: see ikb_import_runs_recorded',
  labelNames: ['mode'] as const,
  registers: [registry],
});
const importRows = new Counter({
  name: 'ikb_import_rows_total',
  help: 'Rows of the file imports completed (written) in this process, imported or rejected (--skip-invalid)',
  labelNames: ['result'] as const,
  registers: [registry],
});
importRuns.inc({ mode: 'write' }, 0);
importRuns.inc({ mode: 'dry_run' }, 0);
importRows.inc({ result: 'imported' }, 0);
importRows.inc({ result: 'rejected' }, 0);

/** A file import completed (import-file.ts). */
export function countImportRun(dryRun: boolean, rows: number, rejected: number): void {
  importRuns.inc({ mode: dryRun ? 'dry_run' : 'write' });
  if (dryRun) return;
  importRows.inc({ result: 'imported' }, Math.max(0, rows - rejected));
  importRows.inc({ result: 'rejected' }, rejected);
}

/** A gauge whose value is read at scrape time. `aggregator`: how the cluster's primary combines the workers' values. */
export function scrapeGauge(
  name: string,
  help: string,
  aggregator: 'sum' | 'max',
  collect: (g: Gauge) => void | Promise<void>,
  labelNames: string[] = [],
): Gauge {
  return new Gauge({
    name,
    help,
    labelNames,
    aggregator,
    registers: [registry],
    collect() {
      return collect(this);
    },
  });
}

// ---- per request ----

/**
 * What one request's metrics need, filled in as it goes; also the request's SQL statement counter
 * (db/sql-counter.ts) and the store its log lines read the request id from.
 */
export interface RequestTrack {
  requestId: string;
  statements: number;
  /** Read replicas (db/replicas.ts): where the reads go now, and the statements run on a replica. */
  readTarget?: 'primary' | 'replica';
  replicaStatements?: number;
  route: string;
  operation: string;
  /** Set by the GraphQL plugin (which counted the answer's errors); else from the HTTP status. */
  outcome: string | undefined;
  /** It reached Apollo: its SQL statements are observed. */
  graphql: boolean;
  /** The parsed JSON body of a POST /graphql, to name the operation of an answer made before Apollo (401, 429). */
  body: unknown;
}

export const newTrack = (requestId: string): RequestTrack => ({
  requestId,
  statements: 0,
  route: OTHER,
  operation: '',
  outcome: undefined,
  graphql: false,
  body: undefined,
});

const OPERATION_NAME = /^\s*(?:query|mutation|subscription)\s+([_A-Za-z]\w*)/;

/** The operation of a request answered before Apollo parsed it: by operationName, else by the name the document starts with. */
function operationBeforeApollo(body: unknown): string {
  if (typeof body !== 'object' || body === null) return OTHER;
  const { operationName, query } = body as { operationName?: unknown; query?: unknown };
  if (typeof operationName === 'string') return operationLabel(operationName);
  const m = typeof query === 'string' ? OPERATION_NAME.exec(query.slice(0, 300)) : null;
  return m ? operationLabel(m[1]) : OTHER;
}

/** The request's answer is out (its `finish`). */
export function observeRequest(track: RequestTrack, seconds: number, status: number): void {
  let outcome = track.outcome;
  if (outcome === undefined) {
    outcome = outcomeOfStatus(status);
    if (outcome !== OK) errorsTotal.inc({ code: outcome });
    if (track.route === '/graphql' && track.body !== undefined) track.operation = operationBeforeApollo(track.body);
  }
  requestDuration.series(track.route, track.operation, outcome).observe(seconds);
  if (track.graphql) sqlStatements.series(track.operation).observe(track.statements);
}

/** A GraphQL answer: its outcome (the first error's code) and each error counted. */
export function observeGraphqlAnswer(track: RequestTrack, errors: readonly { extensions?: { code?: unknown } }[] | undefined): void {
  if (!errors?.length) {
    track.outcome = OK;
    return;
  }
  track.outcome = codeLabel(errors[0]!.extensions?.code);
  for (const e of errors) errorsTotal.inc({ code: codeLabel(e.extensions?.code) });
}

let processMetrics = false;

/** prom-client's default process metrics (CPU, memory, event loop, GC, handles), once per process. */
export function enableProcessMetrics(): void {
  if (processMetrics) return;
  processMetrics = true;
  collectDefaultMetrics({ register: registry });
}
