/**
 * Relevance test set 2: symptom sentences over a corpus of postmortems (apps/api/bench/postmortems/),
 * shared by `pnpm bench:relevance` and tests/search-relevance.test.ts.
 *
 * Corpus: 64 incidents written in the style of public postmortems (several paragraphs each: summary,
 * impact, timeline, root cause in other words than the title, contributing factors; resolution
 * notes), imported from a CSV export with a mapping into a database without the demo seed, plus
 * 10 known errors (problem with root cause and an active workaround) linked to their postmortems.
 *
 * Queries: as an engineer types them during an incident: a sentence of 6 to 14 words describing
 * the symptom or the suspected cause in their own words (tag 'sentence'; 'paraphrase' when the
 * words that matter are mostly not the record's; 'abbreviation' when it uses db, k8s, OOM, ssl, 5xx
 * and the like; 'symptom' when it tells only what is seen, which several past incidents fit), and a few
 * short keyword queries (tag 'keyword').
 *
 * Grades as in relevance-set.ts: 3 = the postmortem looked for, with its known error and workaround
 * when there are some (the fix); 2 = clearly relevant (another incident of the same kind); 1 =
 * related. A postmortem is named by its reference (`PM-101`), which the corpus maps to its incident
 * number; knowledge records by kind and title.
 */
import { KNOWN_ERRORS } from './postmortems';
import type { Judgment, Kind, RelevanceQuery, Tag } from './relevance-set';

const INC: Kind[] = ['INCIDENT'];
const KE: Kind[] = ['KNOWN_ERROR', 'PROBLEM'];
const WA: Kind[] = ['WORKAROUND'];

/** A postmortem by its reference. */
const pm = (grade: 1 | 2 | 3, ref: string): Judgment => ({ grade, kinds: INC, number: ref });

/** The postmortem and, at the same grade, the known error made for it and its workaround (when there is one). */
function fix(grade: 1 | 2 | 3, ref: string): Judgment[] {
  const ke = KNOWN_ERRORS.find((k) => k.refs.includes(ref));
  return [
    pm(grade, ref),
    ...(ke
      ? [
          { grade, kinds: KE, title: ke.problem.title },
          { grade, kinds: WA, title: ke.workaround.title },
        ]
      : []),
  ];
}

const q = (id: string, query: string, tags: Tag[], relevant: Judgment[], note?: string): RelevanceQuery => ({
  id,
  query,
  tags,
  relevant,
  ...(note ? { note } : {}),
});
const S: Tag = 'sentence';
const P: Tag = 'paraphrase';
const A: Tag = 'abbreviation';
const Y: Tag = 'symptom';

export const POSTMORTEM_QUERIES: RelevanceQuery[] = [
  // databases
  q('xid-writes', 'postgres ran out of transaction ids and stopped accepting writes', [S], [...fix(3, 'PM-101'), pm(1, 'PM-109')]),
  q('xid-vacuum', 'autovacuum keeps running but the database still says it must be vacuumed', [S], fix(3, 'PM-101')),
  q('wal-disk', 'pg_wal keeps growing until the db volume is full', [S, A], [...fix(1, 'PM-101'), pm(3, 'PM-105')]),
  q('too-many-clients', 'postgres too many clients errors once the checkout pods scaled out', [S], [pm(3, 'PM-104'), pm(1, 'PM-405')]),
  q(
    'missing-index',
    'report queries doing sequential scans after a table was rebuilt in a migration',
    [S],
    [pm(3, 'PM-103'), pm(1, 'PM-405')],
  ),
  q(
    'migration-lock',
    'adding a column locked the users table and requests piled up',
    [S],
    [pm(3, 'PM-405'), pm(1, 'PM-103'), pm(1, 'PM-109')],
  ),
  q('int-max', 'inserts failing because the id column hit the int max', [S, A], [pm(3, 'PM-109'), ...fix(1, 'PM-101')]),
  q('split-brain', 'after failover both mysql nodes took writes and balances diverged', [S], [pm(3, 'PM-102')]),
  q('wrong-host', 'engineer wiped the prod db by mistake and the backups turned out empty', [S, A], [pm(3, 'PM-108'), pm(1, 'PM-601')]),
  q('redis-evict', 'redis evicting session keys when memory filled up', [S], [pm(3, 'PM-106')]),
  q(
    'kicked-out',
    'customers complaining they get kicked out of their session every few minutes',
    [S, P],
    [pm(3, 'PM-106'), pm(2, 'PM-305'), ...fix(1, 'PM-305').slice(1)],
  ),
  q('es-readonly', 'elasticsearch indexes went read only and product updates stopped showing', [S], [pm(3, 'PM-107')]),
  q('tombstones', 'cassandra reads time out on partitions with lots of deleted rows', [S, P], [pm(3, 'PM-110')]),
  // network, edge, dns
  q('edge-config', 'configuration pushed globally took down every edge server', [S, P], [...fix(3, 'PM-201'), pm(2, 'PM-404')]),
  q('waf-cpu', 'new firewall rule maxed out cpu on all the proxies, 502 everywhere', [S, A], fix(3, 'PM-201')),
  q('k8s-dns', 'dns lookups inside the k8s cluster randomly take five seconds', [S, A], fix(3, 'PM-204')),
  q('conntrack', 'nodes dropping udp packets because connection tracking is full', [S, P], fix(3, 'PM-204')),
  q(
    'bgp-dns',
    'after a backbone change our name servers withdrew their routes and everything vanished',
    [S],
    [pm(3, 'PM-202'), pm(1, 'PM-203')],
  ),
  q('route-leak', 'another isp leaked more specific routes for our prefixes', [S, A], [pm(3, 'PM-203'), pm(1, 'PM-202')]),
  q('dnssec', 'domain returns servfail on validating resolvers after switching dns provider', [S, A], [pm(3, 'PM-205'), pm(1, 'PM-607')]),
  q('mtu', 'small requests work but big uploads hang across the new tunnel', [S, P], [pm(3, 'PM-206')]),
  q('cdn-private', "cdn served one customer's account page to other logged in users", [S, A], [pm(3, 'PM-207'), pm(1, 'PM-210')]),
  q('ws-drain', 'websocket connections cut every time the autoscaling group scales in', [S], [pm(3, 'PM-208'), pm(1, 'PM-509')]),
  q('purge', 'purging the entire cdn cache overloaded the origin', [S, A], [pm(3, 'PM-210'), pm(2, 'PM-503'), pm(1, 'PM-207')]),
  q(
    'network-storm',
    'internal network devices overwhelmed by a flood of connection attempts from clients',
    [S],
    [pm(3, 'PM-209'), ...fix(2, 'PM-504'), pm(1, 'PM-509')],
  ),
  // certificates, credentials, time
  q(
    'ssl-expired',
    'app logins failing because the ssl cert on the auth domain expired',
    [S, A],
    [...fix(3, 'PM-301'), pm(2, 'PM-302'), pm(1, 'PM-309')],
  ),
  q('renewal-silent', 'automatic certificate renewal had been silently failing for a month', [S], [...fix(3, 'PM-301'), pm(1, 'PM-302')]),
  q('old-android', "older android phones can't connect anymore after the root ca expired", [S, A], [pm(3, 'PM-302'), ...fix(1, 'PM-301')]),
  q('jwt-skew', 'jwt rejected as issued in the future on a few servers', [S, A], fix(3, 'PM-305')),
  q('ntp', 'hosts from the new image have clocks several minutes off', [S, P], fix(3, 'PM-305')),
  q('leap-cpu', 'cpu at 100% on every java and mysql box right after the leap second', [S, A], [pm(3, 'PM-304'), pm(2, 'PM-306')]),
  q('clock-backwards', 'service panicked because time went backwards at new year', [S], [pm(3, 'PM-306'), pm(2, 'PM-304')]),
  q('leap-day', 'virtual machines fail to boot on feb 29', [S, A], [pm(3, 'PM-308'), pm(1, 'PM-606')]),
  q('expkeysig', 'apt in ci failing because the repo signing key expired', [S, A], [pm(3, 'PM-307'), pm(1, 'PM-303')]),
  q('partner-401', 'bank api answering 401 since our client secret expired', [S, A], [pm(3, 'PM-303'), pm(1, 'PM-307'), pm(1, 'PM-614')]),
  q('saml', "sso logins rejected after the customer's idp rotated its signing cert", [S, A], [pm(3, 'PM-309'), ...fix(1, 'PM-301')]),
  q('domain-expired', 'domain registration lapsed because the card on file had expired', [S], [pm(3, 'PM-614'), pm(1, 'PM-303')]),
  // kubernetes, memory, disks, deploys
  q(
    'oom-137',
    'java pods OOMKilled with exit code 137 since the base image change',
    [S, A],
    [...fix(3, 'PM-401'), pm(1, 'PM-407'), pm(1, 'PM-608')],
  ),
  q('heap-limit', 'jvm picks a heap size larger than the pod memory limit', [S, A], fix(3, 'PM-401')),
  q('etcd', 'kubectl apply fails with etcd database space exceeded', [S, A], fix(3, 'PM-402')),
  q(
    'cluster-frozen',
    'cannot deploy or scale anything, the kubernetes api refuses every change',
    [S, P],
    [...fix(3, 'PM-402'), pm(1, 'PM-410'), pm(1, 'PM-403')],
  ),
  q(
    'inodes',
    'no space left on device but df shows plenty of free space',
    [S],
    [pm(3, 'PM-403'), pm(1, 'PM-611'), pm(1, 'PM-411'), pm(1, 'PM-105')],
  ),
  q(
    'du-mismatch',
    'disk shows 100% used but du only adds up to a third',
    [S, P],
    [pm(3, 'PM-611'), pm(1, 'PM-403'), pm(1, 'PM-411'), pm(1, 'PM-105')],
  ),
  q('debug-logs', 'somebody left debug logging on and the disks filled up', [S], [pm(3, 'PM-411'), pm(1, 'PM-611'), pm(1, 'PM-105')]),
  q(
    'log-shipper',
    'log shipper buffering in memory made the oom killer kill random processes',
    [S, A],
    [pm(3, 'PM-407'), ...fix(1, 'PM-401'), pm(1, 'PM-608')],
  ),
  q('pull-limit', 'pods stuck in ImagePullBackOff because docker hub rate limited our pulls', [S], [pm(3, 'PM-410'), pm(1, 'PM-403')]),
  q(
    'global-config',
    'bad settings file shipped to all regions at once and services failed',
    [S, P],
    [pm(3, 'PM-404'), ...fix(2, 'PM-201')],
  ),
  q('canary', 'broken build sailed through the canary and crashed every api server', [S, A], [pm(3, 'PM-406'), pm(1, 'PM-409')]),
  q('missed-server', 'deploy skipped one of the servers and it ran old code', [S, P], [pm(3, 'PM-409'), pm(1, 'PM-406')]),
  q('terraform', 'terraform refactor destroyed and recreated the production load balancer', [S], [pm(3, 'PM-408')]),
  q(
    'leak-502',
    'gateway memory climbs until the container restarts, 502 bursts every six hours',
    [S, A],
    [pm(3, 'PM-608'), ...fix(1, 'PM-401'), pm(1, 'PM-407')],
  ),
  q('fd-limit', 'nginx accept failing with too many open files during peak traffic', [S], [pm(3, 'PM-612')]),
  // queues, caches, retries, rate limits
  q('kafka-lag', 'kafka consumer group keeps rebalancing and lag never goes down', [S], fix(3, 'PM-501')),
  q('rabbit', 'rabbitmq memory alarm blocking every publisher, orders hanging', [S], [pm(3, 'PM-502'), pm(1, 'PM-506')]),
  q('cache-restart', 'restarted all memcached nodes at once and the database fell over', [S], [pm(3, 'PM-503'), pm(2, 'PM-210')]),
  q(
    'retry-storm',
    'short db blip turned into hours of outage because of client retries',
    [S, A, P],
    [...fix(3, 'PM-504'), pm(2, 'PM-209'), pm(2, 'PM-509')],
  ),
  q('429', 'customers getting 429s even though they are under their limits', [S, A], [pm(3, 'PM-505'), pm(1, 'PM-410'), pm(1, 'PM-610')]),
  q(
    'poison',
    'one malformed message keeps crashing all the workers and the queue is stuck',
    [S],
    [pm(3, 'PM-506'), pm(1, 'PM-502'), pm(1, 'PM-507')],
  ),
  q('dup-email', 'users receiving the same email several times from the sqs workers', [S, A], [pm(3, 'PM-507'), pm(1, 'PM-605')]),
  q('stale-prices', 'product page shows old prices but checkout charges the new ones', [S, P], [pm(3, 'PM-508'), pm(1, 'PM-107')]),
  q(
    'reconnect',
    'all websocket clients reconnected at the same moment after the deploy',
    [S],
    [pm(3, 'PM-509'), ...fix(2, 'PM-504'), pm(1, 'PM-208')],
  ),
  q('cron', "every customer's daily export kicks off at midnight utc and everything slows down", [S, A], [pm(3, 'PM-510')]),
  // cloud, third parties, money, mail, security
  q('s3-typo', 'a typo in a playbook command removed too much storage capacity', [S], [pm(3, 'PM-601'), pm(1, 'PM-108')]),
  q('provider-slow', 'card processor slow, all checkout threads stuck waiting on it', [S], [pm(3, 'PM-602'), pm(1, 'PM-605')]),
  q('public-bucket', 's3 bucket with customer csv exports was publicly readable', [S, A], [pm(3, 'PM-603'), pm(1, 'PM-613')]),
  q('burst', 'ebs volume throttled after burst credits ran out, high iowait on the db', [S, A], fix(3, 'PM-604')),
  q('double-charge', 'subscription renewals charged twice after payment timeouts were retried', [S], [pm(3, 'PM-605'), pm(1, 'PM-507')]),
  q('dst', 'weekly report never sent on the night the clocks went forward', [S, P], [pm(3, 'PM-606'), pm(1, 'PM-308')]),
  q('spf', 'password reset emails going to spam after we moved dns', [S, A], [pm(3, 'PM-607'), pm(1, 'PM-205')]),
  q('campaign', "marketing push to every user caused a traffic spike autoscaling couldn't absorb", [S], [pm(3, 'PM-609'), pm(1, 'PM-501')]),
  q(
    'api-throttle',
    'autoscaling could not launch instances, cloud api calls throttled',
    [S, A],
    [pm(3, 'PM-610'), pm(1, 'PM-505'), pm(1, 'PM-410'), pm(1, 'PM-609')],
  ),
  q('leaked-key', 'aws access key pushed to a public github repo, crypto mining instances', [S, A], [pm(3, 'PM-613'), pm(1, 'PM-603')]),
  // the symptom only, as first seen: several past incidents fit, the closest ones graded 3
  q(
    'orders-hang',
    'customers cannot place orders, the checkout spinner never finishes',
    [S, Y, P],
    [pm(3, 'PM-502'), pm(3, 'PM-602'), pm(2, 'PM-104'), pm(2, 'PM-109'), pm(2, 'PM-101')],
  ),
  q(
    'isp-dependent',
    'site works for some people but not others depending on their isp',
    [S, Y, P],
    [pm(3, 'PM-203'), pm(3, 'PM-205'), pm(1, 'PM-202')],
  ),
  q(
    'everything-down',
    'nobody can reach anything, even our internal tools are down',
    [S, Y, P],
    [pm(3, 'PM-202'), pm(2, 'PM-209'), pm(2, 'PM-201'), pm(1, 'PM-601')],
  ),
  q(
    'some-tenants-slow',
    'api latency spiked for only some tenants while cpu looked idle',
    [S, Y, A],
    [...fix(3, 'PM-604'), pm(1, 'PM-110')],
  ),
  q(
    'emails-delayed',
    'emails to customers delayed for hours overnight',
    [S, Y],
    [pm(3, 'PM-411'), pm(2, 'PM-607'), pm(1, 'PM-507'), pm(1, 'PM-506')],
  ),
  q(
    'deploy-100',
    'error rate jumped to 100% right after the deploy finished',
    [S, Y],
    [pm(3, 'PM-406'), pm(2, 'PM-405'), pm(2, 'PM-404'), ...fix(1, 'PM-401')],
  ),
  q(
    'all-regions',
    'every region failing at the same time after a small change',
    [S, Y, P],
    [pm(3, 'PM-404'), ...fix(3, 'PM-201'), pm(1, 'PM-202')],
  ),
  q('mobile-only-login', 'login works in the browser but the mobile app cannot sign in', [S, Y], [...fix(3, 'PM-301'), pm(2, 'PM-302')]),
  q('surprise-bill', 'costs went up suddenly and there are servers nobody launched', [S, Y, P], [pm(3, 'PM-613')]),
  q('wrong-account', 'some users see data belonging to another account', [S, Y, P], [pm(3, 'PM-207')]),
  // short keyword queries
  q('kw-xid', 'xid wraparound', ['keyword'], [...fix(3, 'PM-101'), pm(1, 'PM-109')]),
  q('kw-conntrack', 'conntrack', ['keyword'], fix(3, 'PM-204')),
  q('kw-leap-second', 'leap second', ['keyword'], [pm(3, 'PM-304'), pm(3, 'PM-306'), pm(1, 'PM-308')]),
  q('kw-oomkilled', 'OOMKilled', ['keyword'], [...fix(3, 'PM-401'), pm(1, 'PM-407'), pm(1, 'PM-608')]),
  q('kw-tombstones', 'tombstones', ['keyword'], [pm(3, 'PM-110')]),
  q('kw-split-brain', 'split brain', ['keyword'], [pm(3, 'PM-102')]),
  q('kw-herd', 'thundering herd', ['keyword'], [pm(3, 'PM-509'), pm(2, 'PM-503'), pm(2, 'PM-210'), ...fix(2, 'PM-504')]),
  q('kw-burst', 'burst balance', ['keyword'], fix(3, 'PM-604')),
  q('kw-idempotency', 'idempotency key', ['keyword'], [pm(3, 'PM-605'), pm(2, 'PM-507')]),
];
