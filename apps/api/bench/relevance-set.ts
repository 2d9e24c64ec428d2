/**
 * Relevance test set for the solution catalog search, shared by `pnpm bench:relevance`
 * (apps/api/bench/relevance.ts) and tests/search-relevance.test.ts.
 *
 * Corpus: the demo seed (startApp with seedDemo: 360 incidents replayed from 21 recurring stories,
 * 6 problems with their workarounds, 3 incident models, published reviews "Review: <story title>"
 * of reviewed incidents; content is deterministic, dates are relative to now) plus the records
 * `buildRelevanceCorpus` adds through the GraphQL API: incidents carrying error codes (one still
 * open), incident models (one retired), a published review and a draft one.
 *
 * Judgments are graded as a person diagnosing an incident would grade them:
 *   3 = what they were looking for (the known error / problem with the root cause, its workaround,
 *       the model or review asked for, the record named by its number);
 *   2 = clearly relevant (a past incident of the same kind, or a review of one, showing what fixed it);
 *   1 = related, acceptable lower down.
 * Anything not judged counts as 0. A judgment names records by kind and exact title (all demo
 * incidents of a story share its title, so one judgment covers all of them; `story()` adds the
 * reviews of that story's incidents) or by number.
 *
 * Metrics (over the first 10 hits of each query, then averaged over the queries):
 *   MRR      = 1 / rank of the first hit with grade >= 1 (0 when none in the first 10);
 *   nDCG@10  = DCG / ideal DCG, DCG = sum over ranks r of (2^grade - 1) / log2(r + 1); the ideal
 *              ranking sorts every judged record of the corpus (counted in search_documents) by grade.
 */

export type Kind = 'INCIDENT' | 'PROBLEM' | 'KNOWN_ERROR' | 'WORKAROUND' | 'MODEL' | 'REVIEW';
export type Tag =
  | 'plain'
  | 'typo'
  | 'partial'
  | 'stemming'
  | 'phrase'
  | 'code'
  | 'number'
  | 'or'
  | 'minus'
  | 'model'
  | 'review'
  // set 2 (relevance-set-2.ts)
  | 'sentence'
  | 'paraphrase'
  | 'abbreviation'
  | 'symptom'
  | 'keyword';

export interface Judgment {
  grade: 1 | 2 | 3;
  kinds?: Kind[];
  /** Exact title. */
  title?: string;
  /** INC-000123 / PRB-00001 / PIR-0001 (normalised), or a key of RelevanceCorpus.numbers. */
  number?: string;
}

export interface RelevanceQuery {
  id: string;
  /** The query as typed; `{name}` is replaced from RelevanceCorpus.numbers. */
  query: string;
  tags: Tag[];
  relevant: Judgment[];
  /** Why these are the results a person wants (and what must not be there). */
  note?: string;
}

export type Gql = (
  query: string,
  variables?: Record<string, unknown>,
) => Promise<{ data?: any; errors?: { message: string; extensions?: Record<string, unknown> }[] }>;
/** Plain SQL with `?` placeholders (MikroORM's `em.getConnection().execute`). */
export type Sql = (text: string, params?: unknown[]) => Promise<any[]>;

// ---- the demo stories' titles (apps/api/src/seed/demo-data.ts) -----------------------------------

export const T = {
  s502: 'Checkout returns HTTP 502 for card payments',
  authTimeout: 'Payment authorisations timing out at the card processor',
  duplicateCharges: 'Duplicate charges after payment retry',
  checkoutSlow: 'Checkout page slow to load (LCP above 6 s)',
  promo: 'Promo code field rejects valid codes',
  ssoLoop: 'SSO login loop after password reset',
  mfa: 'MFA push notifications not delivered',
  newStarters: 'New starters missing group permissions',
  crashLoop: 'Pods in CrashLoopBackOff after node pool upgrade',
  diskFull: 'Disk full on db-replica-03',
  tls: 'TLS certificate expired on api.example.com',
  dns: 'Intermittent DNS resolution failures inside the cluster',
  etl: 'Nightly ETL job orders_daily failed',
  revenueDupes: 'Revenue report shows duplicated rows',
  relay: 'Outlook users cannot send mail: 550 5.7.1 relay denied',
  phishing: 'Phishing email reported by several staff',
  vpnDrops: 'VPN drops every 10 minutes for remote staff',
  vpnMac: 'VPN client fails to install on macOS update',
  searchEmpty: 'Search results empty for some queries',
  searchLatency: 'Search API p99 latency above 2 s',
  intranet: 'User reports laptop cannot reach intranet',
  // problems
  pPool: 'payments-api exhausts its connection pool under peak load',
  pClock: 'Clock drift on identity provider nodes rejects SAML assertions',
  pEtl: 'orders_daily source query outlives undo retention',
  pVpn: 'VPN gateway firmware drops idle UDP tunnels',
  pAgg: 'Expensive aggregation queries from the mobile app',
  pWal: 'WAL archive retention not enforced on replicas',
  // workarounds
  wRollback: 'Roll back payments-api and recycle pods',
  wCookies: 'Clear cookies and sign in through idp-1',
  wRerun: 'Re-run orders_daily in batches of 5,000',
  wTcp: 'Switch the VPN client to TCP mode',
  wRateLimit: 'Rate-limit the aggregation endpoint for mobile clients',
  wPurge: 'Purge WAL archives older than 7 days',
  // incident models of the demo seed
  mCheckout5xx: 'Checkout 5xx during peak',
  mNightlyLoad: 'Failed nightly load',
  mVpn: 'VPN disconnects',
  // added by buildRelevanceCorpus
  oraIncident: 'Nightly orders load fails with ORA-01555 on the source database',
  oraOpen: 'Billing batch aborts with ORA-00600 internal error',
  kafkaIncident: 'Order events delayed: consumer group behind with KAFKA_LAG alerts',
  tlsMobile: 'Mobile app cannot connect: ERR_TLS_CERT after certificate rotation',
  blackFriday: 'Checkout unavailable during the Black Friday peak',
  mCert: 'TLS certificate expiry on a public endpoint',
  mPayments: 'Card payment outage at checkout',
  mRetired: 'Mainframe batch restart',
  rBlackFriday: 'Black Friday checkout outage review',
  rDraft: 'Draft review of the ledger reconciliation delay',
} as const;

const KE: Kind[] = ['KNOWN_ERROR', 'PROBLEM'];
const INC: Kind[] = ['INCIDENT'];
const WA: Kind[] = ['WORKAROUND'];
const j = (grade: 1 | 2 | 3, kinds: Kind[], title: string): Judgment => ({ grade, kinds, title });
/** Past incidents of a demo story and the published reviews of them ("Review: <title>"): both show what fixed it. */
const story = (grade: 1 | 2 | 3, title: string): Judgment[] => [j(grade, INC, title), j(grade, ['REVIEW'], `Review: ${title}`)];
const MODEL: Kind[] = ['MODEL'];

// ---- the queries ---------------------------------------------------------------------------------

export const RELEVANCE_QUERIES: RelevanceQuery[] = [
  // plain words
  {
    id: 'pool',
    query: 'connection pool exhausted',
    tags: ['plain', 'stemming'],
    relevant: [
      j(3, KE, T.pPool),
      j(3, WA, T.wRollback),
      ...story(2, T.s502),
      j(2, INC, T.blackFriday),
      j(2, ['REVIEW'], T.rBlackFriday),
      j(1, MODEL, T.mPayments),
      j(2, MODEL, T.mCheckout5xx),
    ],
  },
  {
    id: 'vpn-disconnect',
    query: 'vpn disconnects',
    tags: ['plain', 'stemming'],
    relevant: [j(3, KE, T.pVpn), j(3, WA, T.wTcp), ...story(2, T.vpnDrops), j(3, MODEL, T.mVpn)],
    note: '"disconnects" and "disconnected" share the stem disconnect.',
  },
  {
    id: 'dashboard',
    query: 'sales dashboard empty',
    tags: ['plain'],
    relevant: [...story(2, T.etl), j(3, KE, T.pEtl), j(2, WA, T.wRerun), j(2, MODEL, T.mNightlyLoad)],
  },
  {
    id: 'idempotency',
    query: 'idempotency key',
    tags: ['plain'],
    relevant: [...story(3, T.duplicateCharges), ...story(1, T.revenueDupes)],
    note: 'The revenue dedup fix made the loader "idempotent": related.',
  },
  {
    id: 'dns',
    query: 'dns',
    tags: ['plain'],
    relevant: [...story(3, T.dns), ...story(1, T.intranet), ...story(1, T.tls), j(1, MODEL, T.mCert)],
  },
  { id: 'clock-skew', query: 'clock skew', tags: ['plain'], relevant: [j(3, KE, T.pClock), ...story(2, T.ssoLoop), j(2, WA, T.wCookies)] },
  { id: 'cdn', query: 'cdn cache', tags: ['plain'], relevant: [...story(3, T.checkoutSlow)] },
  {
    id: 'rollback',
    query: 'roll back payments',
    tags: ['plain', 'stemming'],
    relevant: [j(3, WA, T.wRollback), ...story(2, T.s502), j(2, KE, T.pPool), j(1, MODEL, T.mPayments), j(1, MODEL, T.mCheckout5xx)],
    note: '"Rolled back payments-api" in the incidents\' resolution.',
  },
  {
    id: 'tcp',
    query: 'tcp mode',
    tags: ['plain'],
    relevant: [j(3, WA, T.wTcp), ...story(2, T.vpnDrops), j(2, KE, T.pVpn), j(2, MODEL, T.mVpn)],
  },
  { id: 'memory', query: 'raise memory limits', tags: ['plain', 'stemming'], relevant: [...story(3, T.crashLoop)] },
  { id: 'accents', query: 'accented characters', tags: ['plain', 'stemming'], relevant: [...story(3, T.searchEmpty)] },
  { id: 'send-mail', query: 'users cannot send mail', tags: ['plain'], relevant: [...story(3, T.relay)] },
  {
    id: 'no-space',
    query: 'no space left on device',
    tags: ['plain'],
    relevant: [j(3, KE, T.pWal), j(3, WA, T.wPurge), ...story(2, T.diskFull)],
  },
  // stemming
  {
    id: 'timeouts',
    query: 'timeouts',
    tags: ['stemming'],
    relevant: [
      ...story(2, T.vpnDrops),
      ...story(2, T.duplicateCharges),
      ...story(1, T.s502),
      j(1, KE, T.pPool),
      ...story(1, T.authTimeout),
    ],
    note: 'English stemming maps "timeouts" to timeout: it finds "DPD timeouts" and "after a timeout", not "timing out" (stem time).',
  },
  {
    id: 'timed-out',
    query: 'payment authorisation timed out',
    tags: ['stemming'],
    relevant: [...story(3, T.authTimeout), ...story(1, T.duplicateCharges)],
    note: '"timed" and "timing" both stem to time; authorisation/authorisations share a stem.',
  },
  {
    id: 'expiring',
    query: 'expiring certificates',
    tags: ['stemming'],
    relevant: [...story(3, T.tls), j(3, MODEL, T.mCert), j(2, INC, T.tlsMobile)],
  },
  {
    id: 'duplicated',
    query: 'duplicated charges',
    tags: ['stemming'],
    relevant: [...story(3, T.duplicateCharges), ...story(1, T.revenueDupes)],
  },
  {
    id: 'failing-etl',
    query: 'failing etl jobs',
    tags: ['stemming'],
    relevant: [...story(3, T.etl), j(3, KE, T.pEtl), j(2, WA, T.wRerun), j(2, INC, T.oraIncident), j(3, MODEL, T.mNightlyLoad)],
  },
  {
    id: 'rejected-assertions',
    query: 'rejected saml assertion',
    tags: ['stemming'],
    relevant: [j(3, KE, T.pClock), ...story(2, T.ssoLoop), j(1, WA, T.wCookies)],
  },
  {
    id: 'crashing',
    query: 'pods crashing',
    tags: ['stemming'],
    relevant: [...story(3, T.crashLoop)],
    note: '"crash-looping" is indexed as crash-loop, crash and loop.',
  },
  // typos and partial words
  {
    id: 'typo-cert',
    query: 'certficate expird',
    tags: ['typo'],
    relevant: [...story(3, T.tls), j(3, MODEL, T.mCert), j(1, INC, T.tlsMobile)],
  },
  { id: 'typo-password', query: 'pasword reset', tags: ['typo'], relevant: [...story(3, T.ssoLoop), j(1, KE, T.pClock)] },
  { id: 'typo-phishing', query: 'phising email', tags: ['typo'], relevant: [...story(3, T.phishing)] },
  { id: 'typo-duplicate', query: 'duplicte charges', tags: ['typo'], relevant: [...story(3, T.duplicateCharges)] },
  {
    id: 'typo-replication',
    query: 'replcation lag',
    tags: ['typo'],
    relevant: [...story(3, T.diskFull), j(2, KE, T.pWal), j(2, WA, T.wPurge)],
    note: '"Replication lag 45 minutes" in the disk-full incidents; the workaround checks replication lag.',
  },
  {
    id: 'typo-authorisation',
    query: 'authorization timeout',
    tags: ['typo'],
    relevant: [...story(3, T.authTimeout)],
    note: 'American spelling of the British title.',
  },
  { id: 'partial-crashloop', query: 'crashloop', tags: ['partial'], relevant: [...story(3, T.crashLoop)] },
  { id: 'partial-notif', query: 'push notif', tags: ['partial'], relevant: [...story(3, T.mfa)] },
  // phrases
  {
    id: 'phrase-login-loop',
    query: '"login loop"',
    tags: ['phrase'],
    relevant: [...story(3, T.ssoLoop), j(3, KE, T.pClock), j(1, WA, T.wCookies)],
  },
  {
    id: 'phrase-snapshot',
    query: '"snapshot too old"',
    tags: ['phrase'],
    relevant: [j(3, KE, T.pEtl), ...story(2, T.etl), j(2, INC, T.oraIncident), j(2, WA, T.wRerun), j(2, MODEL, T.mNightlyLoad)],
  },
  { id: 'phrase-relay', query: '"relay denied"', tags: ['phrase'], relevant: [...story(3, T.relay)] },
  { id: 'phrase-node-pool', query: '"node pool" upgrade', tags: ['phrase'], relevant: [...story(3, T.crashLoop)] },
  // error codes and identifiers
  { id: 'code-eai', query: 'EAI_AGAIN', tags: ['code'], relevant: [...story(3, T.dns)] },
  { id: 'code-ora', query: 'ORA-01555', tags: ['code'], relevant: [j(3, INC, T.oraIncident), j(1, KE, T.pEtl)] },
  { id: 'code-smtp', query: '5.7.1', tags: ['code'], relevant: [...story(3, T.relay)] },
  {
    id: 'code-502',
    query: 'HTTP 502',
    tags: ['code'],
    relevant: [
      ...story(3, T.s502),
      j(3, KE, T.pPool),
      j(2, MODEL, T.mPayments),
      j(1, WA, T.wRollback),
      j(1, INC, T.blackFriday),
      j(3, MODEL, T.mCheckout5xx),
    ],
  },
  { id: 'code-oom', query: 'OOMKilled', tags: ['code'], relevant: [...story(3, T.crashLoop)] },
  {
    id: 'code-chg',
    query: 'CHG30412',
    tags: ['code'],
    relevant: [j(3, KE, T.pClock)],
    note: 'The change that fixed the clock drift problem.',
  },
  { id: 'code-kafka', query: 'KAFKA_LAG', tags: ['code'], relevant: [j(3, INC, T.kafkaIncident)] },
  { id: 'code-tls', query: 'ERR_TLS_CERT', tags: ['code'], relevant: [j(3, INC, T.tlsMobile), ...story(1, T.tls)] },
  {
    id: 'code-ora-open',
    query: 'ORA-00600 OR ORA-01555',
    tags: ['code', 'or'],
    relevant: [j(3, INC, T.oraIncident)],
    note: 'ORA-00600 is only in an incident still open: not in the catalog.',
  },
  // incident, problem and review numbers
  { id: 'num-inc-full', query: 'INC-000123', tags: ['number'], relevant: [{ grade: 3, kinds: INC, number: 'INC-000123' }] },
  { id: 'num-inc-short', query: 'inc-45', tags: ['number'], relevant: [{ grade: 3, kinds: INC, number: 'INC-000045' }] },
  { id: 'num-inc-created', query: '{ora}', tags: ['number'], relevant: [{ grade: 3, kinds: INC, number: 'ora' }] },
  { id: 'num-prb', query: 'PRB-00001', tags: ['number'], relevant: [{ grade: 3, kinds: KE, number: 'PRB-00001' }, j(1, WA, T.wRollback)] },
  { id: 'num-prb-short', query: 'prb-4', tags: ['number'], relevant: [{ grade: 3, kinds: KE, number: 'PRB-00004' }, j(1, WA, T.wTcp)] },
  { id: 'num-pir', query: '{review}', tags: ['number', 'review'], relevant: [{ grade: 3, kinds: ['REVIEW'], number: 'review' }] },
  // OR
  { id: 'or-mfa-phishing', query: 'mfa OR phishing', tags: ['or'], relevant: [...story(3, T.mfa), ...story(3, T.phishing)] },
  {
    id: 'or-replica-wal',
    query: 'replica or wal',
    tags: ['or'],
    relevant: [j(3, KE, T.pWal), j(3, WA, T.wPurge), ...story(2, T.diskFull)],
    note: 'Lower-case "or" is an operator too in web-search syntax.',
  },
  { id: 'or-promo-coupon', query: 'promo OR coupon', tags: ['or'], relevant: [...story(3, T.promo)] },
  // minus
  {
    id: 'minus-vpn',
    query: 'vpn -macos',
    tags: ['minus'],
    relevant: [j(3, KE, T.pVpn), j(3, WA, T.wTcp), ...story(2, T.vpnDrops), j(2, MODEL, T.mVpn)],
    note: 'Never the macOS install incidents.',
  },
  { id: 'minus-search', query: 'search -latency', tags: ['minus'], relevant: [...story(3, T.searchEmpty)] },
  { id: 'minus-checkout', query: 'checkout slow -502', tags: ['minus'], relevant: [...story(3, T.checkoutSlow)] },
  {
    id: 'minus-payment',
    query: 'payment -duplicate -charges',
    tags: ['minus'],
    relevant: [
      ...story(2, T.s502),
      ...story(2, T.authTimeout),
      j(2, KE, T.pPool),
      j(2, MODEL, T.mPayments),
      j(1, WA, T.wRollback),
      j(2, MODEL, T.mCheckout5xx),
    ],
  },
  // models and reviews
  { id: 'model-cert', query: 'certificate renewal checklist', tags: ['model'], relevant: [j(3, MODEL, T.mCert), ...story(2, T.tls)] },
  {
    id: 'model-card',
    query: 'card payment outage',
    tags: ['model'],
    relevant: [
      j(3, MODEL, T.mPayments),
      ...story(2, T.s502),
      j(2, ['REVIEW'], T.rBlackFriday),
      j(2, INC, T.blackFriday),
      ...story(1, T.authTimeout),
      j(2, MODEL, T.mCheckout5xx),
    ],
  },
  {
    id: 'review-bf',
    query: 'black friday outage',
    tags: ['review'],
    relevant: [j(3, ['REVIEW'], T.rBlackFriday), j(2, INC, T.blackFriday)],
    note: 'The draft review is not in the catalog.',
  },
  {
    id: 'review-lessons',
    query: 'alert on pool saturation',
    tags: ['review'],
    relevant: [j(3, ['REVIEW'], T.rBlackFriday), j(1, KE, T.pPool), j(1, ['REVIEW'], `Review: ${T.s502}`)],
  },
  {
    id: 'mainframe',
    query: 'mainframe batch restart',
    tags: ['model'],
    relevant: [j(2, MODEL, T.mRetired)],
    note: 'Retired, but the only match: still found.',
  },
];

// ---- the added corpus ----------------------------------------------------------------------------

export interface RelevanceCorpus {
  /** Numbers of added records, for `{name}` placeholders and number judgments. */
  numbers: Record<string, string>;
}

async function call(gql: Gql, query: string, variables: Record<string, unknown> = {}): Promise<any> {
  const r = await gql(query, variables);
  if (r.errors?.length || !r.data) throw new Error(`GraphQL errors: ${JSON.stringify(r.errors)}`);
  return Object.values(r.data)[0];
}

const LOG = `mutation($input: LogIncidentInput!) { logIncident(input: $input) { id number } }`;
const MOVE = `mutation($id: ID!, $input: TransitionIncidentInput!) { transitionIncident(id: $id, input: $input) { id status } }`;

/** Adds the records the demo seed lacks, through the API; needs the demo seed loaded. */
export async function buildRelevanceCorpus(gql: Gql): Promise<RelevanceCorpus> {
  const services: { id: string; name: string }[] = await call(gql, `{ services { id name } }`);
  const roots: { id: string; name: string; children: { id: string; name: string }[] }[] = await call(
    gql,
    `{ categories { id name children { id name } } }`,
  );
  const users: { id: string; name: string }[] = await call(gql, `{ users { id name } }`);
  const problems: { id: string; number: string; title: string }[] = (
    await call(gql, `{ problems(first: 100) { nodes { id number title } } }`)
  ).nodes;
  const svc = (name: string) => services.find((s) => s.name === name)!.id;
  const cat = (parent: string, name: string) => roots.find((c) => c.name === parent)!.children.find((c) => c.name === name)!.id;
  const problem = (title: string) => problems.find((p) => p.title === title)!;

  const resolved = async (input: Record<string, unknown>, resolution: Record<string, unknown>, close = false) => {
    const inc = await call(gql, LOG, { input: { source: 'USER_REPORT', ...input } });
    await call(gql, MOVE, { id: inc.id, input: { to: 'RESOLVED', resolutionKind: 'PERMANENT_FIX', ...resolution } });
    if (close) await call(gql, MOVE, { id: inc.id, input: { to: 'CLOSED', userConfirmed: true } });
    return inc as { id: string; number: string };
  };

  const ora = await resolved(
    {
      title: T.oraIncident,
      description: 'The orders_daily extract stopped with ORA-01555 (rollback segment too small) after 3 hours on the Oracle source.',
      serviceId: svc('Data Warehouse'),
      categoryId: cat('Data', 'Pipeline failure'),
      impact: 2,
      urgency: 2,
    },
    { resolutionCode: 'RERUN', resolutionNotes: 'DBA extended the undo retention; orders_daily re-run in smaller batches.' },
  );
  await call(gql, `mutation($i: ID!, $p: ID!) { linkIncidentToProblem(incidentId: $i, problemId: $p) { id } }`, {
    i: ora.id,
    p: problem(T.pEtl).id,
  });
  // Still open: must never be in the catalog.
  await call(gql, LOG, {
    input: {
      title: T.oraOpen,
      description: 'Nightly billing batch aborts with ORA-00600 [kcbzib] on the ledger database.',
      source: 'MONITORING',
      serviceId: svc('Data Warehouse'),
      impact: 2,
      urgency: 1,
    },
  });
  await resolved(
    {
      title: T.kafkaIncident,
      description:
        'Order confirmation events arrive 20 minutes late; the orders-consumer group is behind and KAFKA_LAG fires for partition 7.',
      serviceId: svc('Payments API'),
      categoryId: cat('Software', 'Performance degradation'),
      impact: 2,
      urgency: 2,
    },
    { resolutionCode: 'SCALE', resolutionNotes: 'Added two consumers to the group and rebalanced partitions.' },
  );
  await resolved(
    {
      title: T.tlsMobile,
      description:
        'After the certificate rotation the mobile app rejects the new chain with ERR_TLS_CERT; the intermediate certificate was missing.',
      serviceId: svc('Kubernetes Platform'),
      categoryId: cat('Infrastructure', 'Certificates'),
      impact: 2,
      urgency: 1,
    },
    { resolutionCode: 'CERT_CHAIN', resolutionNotes: 'Served the full chain including the intermediate certificate.' },
  );
  const bf = await resolved(
    {
      title: T.blackFriday,
      description: 'Checkout showed an error page for most customers at the Black Friday peak; payments-api pods saturated.',
      serviceId: svc('Checkout Web'),
      categoryId: cat('Software', 'Application error'),
      impact: 1,
      urgency: 1,
    },
    { resolutionCode: 'SCALE', resolutionNotes: 'Scaled payments-api and raised the pool; traffic recovered after 40 minutes.' },
    true,
  );

  // Incident models: two active, one retired.
  await call(gql, `mutation($input: CreateIncidentModelInput!) { createIncidentModel(input: $input) { id } }`, {
    input: {
      name: T.mCert,
      description: 'A public TLS endpoint serves an expired or soon-to-expire certificate; clients fail the handshake.',
      matchKeywords: ['certificate', 'tls', 'x509', 'expired'],
      checklist: [
        'Confirm the expiry date with openssl s_client',
        'Renew the certificate through cert-manager',
        'Check the DNS challenge credentials',
        'Add an expiry alert 21 days ahead',
      ],
      matchCategoryId: cat('Infrastructure', 'Certificates'),
    },
  });
  await call(gql, `mutation($input: CreateIncidentModelInput!) { createIncidentModel(input: $input) { id } }`, {
    input: {
      name: T.mPayments,
      description: 'Card payments fail at checkout with HTTP 502 or time out; customers cannot pay.',
      matchKeywords: ['502', 'card', 'payments-api'],
      checklist: [
        'Check the payments-api 5xx rate and pod restarts',
        'Apply the roll back workaround if a release went out today',
        'Post a customer update every 30 minutes',
      ],
      matchServiceId: svc('Payments API'),
    },
  });
  const retired = await call(gql, `mutation($input: CreateIncidentModelInput!) { createIncidentModel(input: $input) { id } }`, {
    input: {
      name: T.mRetired,
      description: 'Restart the nightly mainframe batch from the last checkpoint.',
      checklist: ['Find the last checkpoint', 'Restart the batch from it'],
    },
  });
  await call(gql, `mutation($id: ID!) { retireIncidentModel(id: $id) { id } }`, { id: retired.id });

  // A published review of the Black Friday outage, and a draft one (not searchable).
  const owner = users[0]!.id;
  const review = await call(gql, `mutation($input: CreateReviewInput!) { createReview(input: $input) { id number } }`, {
    input: { title: T.rBlackFriday, incidentIds: [bf.id] },
  });
  await call(gql, `mutation($id: ID!, $input: UpdateReviewInput!) { updateReview(id: $id, input: $input) { id } }`, {
    id: review.id,
    input: {
      summary: 'Card payments failed for 40 minutes at the Black Friday peak: payments-api exhausted its connection pool.',
      customerImpact: 'Most customers could not complete checkout.',
      wentWell: 'The roll back workaround was known and applied within minutes.',
      wentBadly: 'Capacity tests had not covered the new HTTP client.',
      lessons: 'Load-test every release that changes connection handling.',
    },
  });
  await call(gql, `mutation($id: ID!, $input: ContributingFactorInput!) { addContributingFactor(reviewId: $id, input: $input) { id } }`, {
    id: review.id,
    input: { categoryKey: 'CAPACITY', description: 'The pool was sized for half the peak traffic.', evidence: [] },
  });
  await call(gql, `mutation($id: ID!, $input: FiveWhysInput!) { setFiveWhys(id: $id, input: $input) { id } }`, {
    id: review.id,
    input: {
      whys: [{ why: 'Why did checkout fail?', answer: 'payments-api ran out of pooled connections.' }],
      problemId: problem(T.pPool).id,
    },
  });
  await call(gql, `mutation($id: ID!, $input: ActionItemInput!) { addActionItem(reviewId: $id, input: $input) { id } }`, {
    id: review.id,
    input: { title: 'Alert on pool saturation', ownerId: owner, dueDate: '2099-01-31', kind: 'DETECT', priority: 2 },
  });
  await call(gql, `mutation($id: ID!) { transitionReview(id: $id, to: IN_REVIEW) { id } }`, { id: review.id });
  await call(gql, `mutation($id: ID!) { transitionReview(id: $id, to: PUBLISHED) { id } }`, { id: review.id });
  const ledger = await resolved(
    { title: 'Ledger reconciliation delayed by a day', description: 'Reconciliation of the ledger ran a day late.', impact: 3, urgency: 3 },
    { resolutionCode: 'RERUN', resolutionNotes: 'Re-ran the reconciliation.' },
  );
  await call(gql, `mutation($input: CreateReviewInput!) { createReview(input: $input) { id } }`, {
    input: { title: T.rDraft, incidentIds: [ledger.id] },
  });

  return { numbers: { ora: ora.number, review: review.number } };
}

// ---- evaluation ----------------------------------------------------------------------------------

export interface Hit {
  kind: Kind;
  id: string;
  title: string;
  number: string | null;
}

export interface QueryResult {
  id: string;
  query: string;
  tags: Tag[];
  hits: (Hit & { grade: number })[];
  rr: number;
  ndcg: number;
  firstRelevantRank: number | null;
  error?: string;
}

export interface RelevanceReport {
  mrr: number;
  ndcg: number;
  results: QueryResult[];
  byTag: Record<string, { queries: number; mrr: number; ndcg: number }>;
}

const SEARCH = `query($input: SearchInput!, $first: Int!) { search(input: $input, first: $first) {
  nodes { kind id title incident { number } problem { number } review { number } repeats { latest { id number title } } } } }`;

/** A search under evaluation: the first 10 hits for the query as typed, or an error. */
export type Searcher = (text: string) => Promise<{ hits: Hit[]; error?: undefined } | { hits?: undefined; error: string }>;

/** This project's search, through GraphQL as a client calls it. */
export function graphqlSearcher(gql: Gql): Searcher {
  return async (text) => {
    const r = await gql(SEARCH, { input: { query: text }, first: 10 });
    if (r.errors?.length || !r.data) return { error: JSON.stringify(r.errors) };
    // A group of recurring incidents is one hit that lists its latest incidents under it, as the
    // page shows them: they count as the ranks that follow it.
    const hits: Hit[] = r.data.search.nodes.flatMap((n: any) => [
      { kind: n.kind, id: n.id, title: n.title, number: n.incident?.number ?? n.problem?.number ?? n.review?.number ?? null },
      ...(n.repeats?.latest ?? [])
        .filter((i: any) => i.id !== n.id)
        .map((i: any) => ({ kind: 'INCIDENT', id: i.id, title: i.title, number: i.number })),
    ]);
    return { hits: hits.slice(0, 10) };
  };
}

export function resolveQuery(q: RelevanceQuery, corpus: RelevanceCorpus): string {
  return q.query.replace(/\{(\w+)\}/g, (_, k: string) => corpus.numbers[k] ?? `{${k}}`);
}

function judgmentNumber(jd: Judgment, corpus: RelevanceCorpus): string | undefined {
  return jd.number === undefined ? undefined : (corpus.numbers[jd.number] ?? jd.number);
}

export function gradeOf(hit: Hit, q: RelevanceQuery, corpus: RelevanceCorpus): number {
  let best = 0;
  for (const jd of q.relevant) {
    if (jd.kinds && !jd.kinds.includes(hit.kind)) continue;
    if (jd.title !== undefined && jd.title !== hit.title) continue;
    const num = judgmentNumber(jd, corpus);
    if (num !== undefined && num !== hit.number) continue;
    best = Math.max(best, jd.grade);
  }
  return best;
}

/** How many catalog records each judgment covers: the ideal ranking for nDCG. */
async function idealGrades(q: RelevanceQuery, corpus: RelevanceCorpus, sql: Sql): Promise<number[]> {
  const grades = new Map<string, number>();
  for (const jd of q.relevant) {
    const num = judgmentNumber(jd, corpus)?.toLowerCase();
    // `?` placeholders, each used once (MikroORM's connection.execute); arrays as text[] literals.
    const rows: { entity_id: string }[] = await sql(
      `with p as (select ?::text[] as kinds, ?::text as title, ?::text as num)
       select d.entity_id from search_documents d, p
        where (p.kinds is null or d.kind = any(p.kinds)) and (p.title is null or d.title = p.title) and (p.num is null
          or p.num = any(d.identifiers))`,
      [jd.kinds ? `{${jd.kinds.join(',')}}` : null, jd.title ?? null, num ?? null],
    );
    for (const r of rows) grades.set(r.entity_id, Math.max(grades.get(r.entity_id) ?? 0, jd.grade));
  }
  return [...grades.values()].sort((a, b) => b - a);
}

const dcg = (grades: number[]) => grades.slice(0, 10).reduce((s, g, i) => s + (2 ** g - 1) / Math.log2(i + 2), 0);

export async function evaluate(
  gql: Gql,
  sql: Sql,
  corpus: RelevanceCorpus,
  queries: RelevanceQuery[] = RELEVANCE_QUERIES,
): Promise<RelevanceReport> {
  return evaluateWith(graphqlSearcher(gql), sql, corpus, queries);
}

/** The figures of any search (this project's, or the baseline of relevance-baseline.ts) on a query set. */
export async function evaluateWith(
  search: Searcher,
  sql: Sql,
  corpus: RelevanceCorpus,
  queries: RelevanceQuery[] = RELEVANCE_QUERIES,
): Promise<RelevanceReport> {
  const results: QueryResult[] = [];
  for (const q of queries) {
    const text = resolveQuery(q, corpus);
    const r = await search(text);
    if (r.error !== undefined) {
      results.push({ id: q.id, query: text, tags: q.tags, hits: [], rr: 0, ndcg: 0, firstRelevantRank: null, error: r.error });
      continue;
    }
    const hits: (Hit & { grade: number })[] = r.hits.slice(0, 10).map((hit) => ({ ...hit, grade: gradeOf(hit, q, corpus) }));
    const first = hits.findIndex((h) => h.grade >= 1);
    const ideal = dcg(await idealGrades(q, corpus, sql));
    results.push({
      id: q.id,
      query: text,
      tags: q.tags,
      hits,
      rr: first < 0 ? 0 : 1 / (first + 1),
      ndcg: ideal > 0 ? dcg(hits.map((h) => h.grade)) / ideal : 0,
      firstRelevantRank: first < 0 ? null : first + 1,
    });
  }
  const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
  const byTag: RelevanceReport['byTag'] = {};
  for (const tag of [...new Set(results.flatMap((r) => r.tags))].sort()) {
    const rs = results.filter((r) => r.tags.includes(tag));
    byTag[tag] = { queries: rs.length, mrr: mean(rs.map((r) => r.rr)), ndcg: mean(rs.map((r) => r.ndcg)) };
  }
  return { mrr: mean(results.map((r) => r.rr)), ndcg: mean(results.map((r) => r.ndcg)), results, byTag };
}

/** A readable report: one line per query, then the figures. */
export function formatReport(report: RelevanceReport, verbose = false): string {
  const lines: string[] = [];
  for (const r of report.results) {
    const marks = r.hits.map((h) => (h.grade ? String(h.grade) : '.')).join('');
    lines.push(
      `${r.rr.toFixed(2)}  ${r.ndcg.toFixed(2)}  ${marks.padEnd(10)}  ${r.id.padEnd(22)} ` +
        `${JSON.stringify(r.query)}${r.error ? `  ERROR ${r.error}` : ''}`,
    );
    if (verbose) for (const [i, h] of r.hits.entries()) lines.push(`        ${i + 1}. [${h.grade}] ${h.kind} ${h.number ?? ''} ${h.title}`);
  }
  lines.push('');
  lines.push('by tag:');
  for (const [tag, v] of Object.entries(report.byTag))
    lines.push(`  ${tag.padEnd(9)} ${String(v.queries).padStart(2)} queries  MRR ${v.mrr.toFixed(3)}  nDCG@10 ${v.ndcg.toFixed(3)}`);
  lines.push('');
  lines.push(`queries: ${report.results.length}`);
  lines.push(`MRR:     ${report.mrr.toFixed(3)}`);
  lines.push(`nDCG@10: ${report.ndcg.toFixed(3)}`);
  return lines.join('\n');
}
