import type { SynonymGroup } from './synonyms';

/** A group shipped with the product: its id is stable across releases (the API keeps it as the row's builtin key). */
export interface BuiltinSynonymGroup extends SynonymGroup {
  /** Why the group is what it is, shown to admins; only where it is not obvious. */
  note?: string;
}

/**
 * The built-in vocabulary: words an ops engineer uses for the same thing in incident text. A group
 * is only terms that can replace each other in a search without changing what is looked for
 * (an abbreviation and its expansion, two spellings, an error's name and its code); related but
 * different things stay apart (a certificate is not TLS, a 502 is not a 504, a release is not a
 * rollback). A term may sit in two groups when it belongs to both (http 500 is a 5xx and a 500).
 *
 * Left out on purpose: words with a common other meaning in incident text, which would widen every
 * query they appear in: 'edge' (edge case), 'volume' (incident volume), 'release' (release a lock),
 * 'down', 'lag', 'stage', 'ad', 'ns', bare numbers ('500' ms, GB).
 */
export const DEFAULT_SYNONYM_GROUPS: readonly BuiltinSynonymGroup[] = [
  // Data stores
  { id: 'database', terms: ['db', 'database'] },
  { id: 'postgres', terms: ['postgres', 'postgresql', 'pg', 'psql'] },
  { id: 'replication', terms: ['repl', 'replication'] },
  { id: 'replication-lag', terms: ['replication lag', 'replica lag', 'replication delay'] },
  { id: 'transaction-id', terms: ['txid', 'xid', 'transaction id'] },
  { id: 'wraparound', terms: ['wraparound', 'wrap around'] },
  { id: 'slow-query', terms: ['slow query', 'long running query', 'slow sql'] },
  { id: 'key-value', terms: ['kv', 'key value', 'kv store', 'key value store'] },
  { id: 'message-queue', terms: ['mq', 'message queue'] },

  // Platforms and machines
  { id: 'kubernetes', terms: ['k8s', 'kubernetes', 'kube'] },
  { id: 'crash-loop', terms: ['crashloopbackoff', 'crash loop', 'crashloop'] },
  { id: 'persistent-volume-claim', terms: ['pvc', 'persistent volume claim'] },
  { id: 'persistent-volume', terms: ['pv', 'persistent volume'] },
  { id: 'autoscaling', terms: ['autoscaling', 'auto scaling', 'autoscaler', 'hpa'] },
  { id: 'virtual-machine', terms: ['vm', 'virtual machine'] },
  { id: 'availability-zone', terms: ['az', 'availability zone'] },
  { id: 'high-availability', terms: ['ha', 'high availability'] },
  { id: 'disaster-recovery', terms: ['dr', 'disaster recovery'] },
  { id: 'operating-system', terms: ['os', 'operating system'] },
  { id: 'cron', terms: ['cron', 'cronjob', 'cron job', 'scheduled job', 'scheduled task'] },

  // Resources
  { id: 'cpu', terms: ['cpu', 'processor'] },
  { id: 'memory', terms: ['mem', 'memory', 'ram'] },
  {
    id: 'out-of-memory',
    terms: ['oom', 'out of memory', 'oomkilled', 'oom killed', 'oom killer', 'exit code 137'],
    note: 'Exit code 137 is how Kubernetes reports a container the OOM killer ended.',
  },
  { id: 'memory-leak', terms: ['memory leak', 'mem leak', 'leaking memory'] },
  { id: 'disk', terms: ['disk', 'storage'] },
  // "No space left on device": the first three words are the term (four words at most).
  { id: 'disk-full', terms: ['disk full', 'no space left', 'out of disk space', 'enospc'] },
  { id: 'garbage-collection', terms: ['gc', 'garbage collection', 'garbage collector'] },

  // Network
  { id: 'dns', terms: ['dns', 'name resolution', 'domain name system'] },
  { id: 'load-balancer', terms: ['lb', 'load balancer', 'loadbalancer'] },
  { id: 'cdn', terms: ['cdn', 'content delivery network'] },
  { id: 'connection', terms: ['conn', 'connection'] },
  { id: 'connection-refused', terms: ['connection refused', 'econnrefused', 'conn refused'] },
  { id: 'connection-reset', terms: ['connection reset', 'econnreset', 'conn reset'] },
  { id: 'timeout', terms: ['timeout', 'timed out', 'time out', 'etimedout', 'deadline exceeded'] },
  { id: 'latency', terms: ['latency', 'slowness', 'slow', 'response time', 'sluggish'] },
  { id: 'packet-loss', terms: ['packet loss', 'dropped packets', 'packet drops'] },
  { id: 'firewall', terms: ['fw', 'firewall'] },
  { id: 'vpn', terms: ['vpn', 'virtual private network'] },
  { id: 'clock-skew', terms: ['clock skew', 'clock drift', 'time drift', 'time skew'] },

  // Security
  {
    id: 'certificate',
    terms: ['cert', 'certificate', 'x509'],
    note: 'TLS and SSL are their own group: a certificate is not the protocol.',
  },
  { id: 'tls', terms: ['tls', 'ssl'] },
  { id: 'authentication', terms: ['auth', 'authentication', 'authn'] },
  { id: 'authorization', terms: ['authz', 'authorization', 'authorisation'] },
  { id: 'login', terms: ['login', 'log in', 'sign in', 'signin', 'logon'] },
  { id: 'sso', terms: ['sso', 'single sign on'] },
  { id: 'mfa', terms: ['mfa', '2fa', 'two factor', 'multi factor', 'second factor'] },
  { id: 'password', terms: ['password', 'passwd'] },

  // HTTP. The 5xx and 4xx families, and the codes engineers name; a specific code is not widened to its siblings.
  { id: 'http-5xx', terms: ['5xx', 'http 5xx', 'server error', 'http 500'], note: 'A 500 is the archetypal 5xx, so it is in both groups.' },
  { id: 'http-500', terms: ['http 500', 'error 500', '500 error', 'internal server error'] },
  { id: 'http-502', terms: ['http 502', 'error 502', '502 error', 'bad gateway'] },
  { id: 'http-503', terms: ['http 503', 'error 503', '503 error', 'service unavailable'] },
  { id: 'http-504', terms: ['http 504', 'error 504', '504 error', 'gateway timeout'] },
  { id: 'http-4xx', terms: ['4xx', 'http 4xx', 'client error'] },
  { id: 'http-401', terms: ['http 401', 'error 401', '401 error', 'unauthorized', 'unauthorised'] },
  { id: 'http-403', terms: ['http 403', 'error 403', '403 error', 'forbidden'] },
  { id: 'http-429', terms: ['http 429', 'too many requests', 'rate limit', 'rate limiting', 'throttling'] },

  // Change and operations
  { id: 'configuration', terms: ['config', 'configuration', 'cfg'] },
  { id: 'misconfiguration', terms: ['misconfig', 'misconfiguration', 'misconfigured'] },
  { id: 'deployment', terms: ['deploy', 'deployment', 'rollout', 'roll out'] },
  { id: 'rollback', terms: ['rollback', 'roll back', 'revert'] },
  { id: 'production', terms: ['prod', 'production', 'prd'] },
  { id: 'staging', terms: ['staging', 'stg'] },
  { id: 'environment', terms: ['env', 'environment'] },
  { id: 'health-check', terms: ['health check', 'healthcheck'] },
  { id: 'outage', terms: ['outage', 'downtime'] },
  { id: 'root-cause-analysis', terms: ['rca', 'root cause analysis'] },
  { id: 'postmortem', terms: ['postmortem', 'post mortem', 'post incident review'] },
  { id: 'maintenance-window', terms: ['maintenance window', 'maint window', 'change window'] },
  { id: 'segfault', terms: ['segfault', 'segmentation fault', 'sigsegv'] },
];
