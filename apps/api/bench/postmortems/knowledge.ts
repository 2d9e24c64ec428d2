import { text, type KnownError } from './types';

/**
 * Known errors written by the problem managers after some of the postmortems, each with the
 * workaround that restored service (load.ts creates them through GraphQL, links the postmortems and
 * resolves the Monitoring ones with the workaround).
 */
export const KNOWN_ERRORS: KnownError[] = [
  {
    refs: ['PM-101'],
    problem: {
      title: 'Stale replication slots block autovacuum from freezing old transactions',
      description: text`
        PostgreSQL clusters where a replication slot (physical or logical) or a long-open transaction holds back the xmin
        horizon. Autovacuum runs but cannot freeze tuples, so the age of datfrozenxid grows until the server stops assigning
        transaction IDs.`,
      rootCause: text`
        A replication slot whose consumer is gone keeps the oldest xmin pinned. Anti-wraparound vacuum cannot advance
        relfrozenxid past it; at 2^31 minus a safety margin the server refuses commands that need a new XID.`,
      rootCauseCategory: 'CONFIGURATION',
      keywords: ['datfrozenxid', 'wraparound', 'replication slot'],
    },
    workaround: {
      title: 'Drop stale replication slots and run a manual VACUUM FREEZE',
      steps: text`
        1. List slots: select slot_name, active, xmin, catalog_xmin from pg_replication_slots; drop the inactive ones nobody
        owns with pg_drop_replication_slot().

        2. Find the oldest tables: select relname, age(relfrozenxid) from pg_class order by 2 desc limit 20.

        3. Run VACUUM (FREEZE, VERBOSE) on them, largest age first; if the server already refuses writes, stop the
        application and vacuum the whole database.

        4. Check that age(datfrozenxid) in pg_database drops below 200 million before re-enabling writes.`,
    },
  },
  {
    refs: ['PM-201'],
    problem: {
      title: 'Edge rule engine regular expressions can backtrack without bound',
      description: text`
        The web application firewall evaluates managed rules with a backtracking regex engine on every request. A rule with
        nested quantifiers can consume all CPU on every edge machine when it is deployed.`,
      rootCause: text`
        The regex engine has no linear-time guarantee and the per-rule CPU limit was removed; managed rules are deployed to
        the whole fleet at once.`,
      rootCauseCategory: 'SOFTWARE_DEFECT',
      keywords: ['waf', 'regex', 'backtracking'],
    },
    workaround: {
      title: 'Use the global kill switch for the managed WAF rule set',
      steps: text`
        1. In the edge control panel, open Firewall > Managed rules > Global kill switch and disable the managed rule set
        for all zones.

        2. Confirm CPU on the edge machines drops within a minute and the 502 rate returns to baseline.

        3. Revert the last rule change, then re-enable the rule set zone by zone.`,
    },
  },
  {
    refs: ['PM-204'],
    problem: {
      title: 'Node conntrack table overflows under DNS load',
      description: text`
        On busy Kubernetes nodes each DNS lookup creates UDP conntrack entries (multiplied by the ndots search path and
        parallel A/AAAA queries). When the table is full the kernel drops packets and lookups wait for the 5 s resolver
        timeout.`,
      rootCause: text`
        nf_conntrack_max left at the default of a smaller instance type; a kernel race between parallel UDP queries on the
        same socket adds losses.`,
      rootCauseCategory: 'CAPACITY',
      keywords: ['nf_conntrack', 'coredns', 'ndots'],
    },
    workaround: {
      title: 'Raise nf_conntrack_max and enable NodeLocal DNSCache',
      steps: text`
        1. sysctl -w net.netfilter.nf_conntrack_max=1048576 on every node (and in the node image).

        2. Deploy the node-local-dns DaemonSet so pods query a cache on their own node.

        3. Set dnsConfig ndots: 2 for services that call external names.`,
    },
  },
  {
    refs: ['PM-301'],
    problem: {
      title: 'Certificate auto-renewal fails silently when DNS challenge credentials change',
      description: text`
        Our ACME renewal job proves domain ownership with DNS-01 challenges through the DNS provider's API. When its API
        token is rotated or revoked, renewals fail every day without alerting until the certificate expires.`,
      rootCause: text`
        The renewal job reads a DNS API token that is not managed with the other secrets, and its failures are only
        logged.`,
      rootCauseCategory: 'CONFIGURATION',
      keywords: ['acme', 'certbot', 'dns-01'],
    },
    workaround: {
      title: 'Renew the certificate by hand with certbot and reload the load balancers',
      steps: text`
        1. Create a new DNS API token with zone edit rights and store it in the vault.

        2. Run certbot certonly --dns-provider --domains auth.example.net using the new token.

        3. Upload the new certificate and chain to the load balancers and reload; check with openssl s_client that the new
        expiry date is served.`,
    },
  },
  {
    refs: ['PM-305'],
    problem: {
      title: 'Hosts built from the 2024.05 base image do not synchronise their clocks',
      description: text`
        The chrony service is installed but disabled in the 2024.05 VM base image, so hosts drift by minutes per day. Token
        validation, TLS, and log correlation on those hosts go wrong.`,
      rootCause: text`
        The image build switched from ntpd to chrony and forgot to enable the unit; the image tests do not check time
        synchronisation.`,
      rootCauseCategory: 'CHANGE',
      keywords: ['chrony', 'ntp', 'clock drift'],
    },
    workaround: {
      title: 'Start chrony and step the clock on drifted hosts',
      steps: text`
        1. Find drifted hosts: chronyc tracking (or compare date +%s with a reference) across the fleet.

        2. systemctl enable --now chronyd, then chronyc makestep to correct the offset immediately.

        3. Verify the offset is below 100 ms and that token validation errors stop.`,
    },
  },
  {
    refs: ['PM-401'],
    problem: {
      title: 'JVM sizes its heap from host memory instead of the container limit',
      description: text`
        JVM services on the 2024.07 base image pick a default maximum heap from the node's memory, far above the pod's
        memory limit, and are killed by the kernel as the heap grows.`,
      rootCause: text`
        The JDK build in the image does not read cgroup v2 memory limits, so container-aware heap sizing is off.`,
      rootCauseCategory: 'SOFTWARE_DEFECT',
      keywords: ['oomkilled', 'jvm', 'cgroup'],
    },
    workaround: {
      title: 'Set -XX:MaxRAMPercentage=70 explicitly for JVM services',
      steps: text`
        1. Add JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=70" to the deployment's environment.

        2. Roll out and check with jcmd PID VM.flags that MaxHeapSize is about 70 % of the pod limit.

        3. Watch container restarts for an hour.`,
    },
  },
  {
    refs: ['PM-402'],
    problem: {
      title: 'etcd reaches its space quota when a controller writes in a loop',
      description: text`
        A controller that updates objects continuously makes etcd keep thousands of revisions; when the backend exceeds its
        quota etcd raises the NOSPACE alarm and the API server rejects every write.`,
      rootCause: text`
        Auto-compaction interval too long for the write rate, default 2 GB quota, and no limit on controller write rates.`,
      rootCauseCategory: 'CAPACITY',
      keywords: ['etcd', 'nospace', 'mvcc'],
    },
    workaround: {
      title: 'Compact and defragment etcd, then disarm the NOSPACE alarm',
      steps: text`
        1. Stop the controller responsible (scale its deployment to zero).

        2. Get the current revision with etcdctl endpoint status, then etcdctl compact REVISION.

        3. etcdctl defrag on each member, one at a time.

        4. etcdctl alarm disarm and check that kubectl apply works again.`,
    },
  },
  {
    refs: ['PM-501'],
    problem: {
      title: 'Notification consumers exceed max.poll.interval.ms under load and trigger rebalances',
      description: text`
        When a batch of records takes longer to process than the poll interval, the consumer is removed from the group and
        every member stops while partitions are reassigned; under load this repeats and throughput drops to near zero.`,
      rootCause: text`
        Large max.poll.records combined with a slow downstream call without timeout; eager rebalancing protocol.`,
      rootCauseCategory: 'CONFIGURATION',
      keywords: ['kafka', 'rebalance', 'consumer lag'],
    },
    workaround: {
      title: 'Lower max.poll.records and raise max.poll.interval.ms for the notification consumers',
      steps: text`
        1. Set max.poll.records=50 and max.poll.interval.ms=900000 in the consumer configuration.

        2. Do not add consumers while the group is rebalancing; restart the group with a rolling deploy.

        3. Watch the lag per partition drain.`,
    },
  },
  {
    refs: ['PM-504'],
    problem: {
      title: 'Multiplied client retries keep the profile service overloaded after a transient failure',
      description: text`
        Several layers (SDK, service mesh, callers) each retry failed calls immediately, so a short failure multiplies load
        and the service cannot recover by itself: a metastable failure.`,
      rootCause: text`
        Retries without back-off, jitter or a budget at more than one layer; no circuit breakers or admission control.`,
      rootCauseCategory: 'SOFTWARE_DEFECT',
      keywords: ['retry storm', 'metastable'],
    },
    workaround: {
      title: 'Shed load at the edge and disable mesh retries, then re-admit traffic gradually',
      steps: text`
        1. At the edge, return 503 for a share of profile requests (start at 70 %) with the load-shedding flag.

        2. Turn off retries in the service mesh route for the profile service.

        3. Lower the shedding in steps of 10 % while latency stays under the timeout.`,
    },
  },
  {
    refs: ['PM-604'],
    problem: {
      title: 'Tenant shard volumes run out of burst credits under bulk workloads',
      description: text`
        Shard databases on general-purpose SSD volumes depend on burst credits for I/O above their baseline. A heavy import
        drains the balance, and the volume is throttled to baseline IOPS for everyone on the shard.`,
      rootCause: text`
        Volumes sized by capacity, not I/O; no alert on burst balance; bulk imports not rate limited.`,
      rootCauseCategory: 'CAPACITY',
      keywords: ['burst balance', 'iops', 'gp2'],
    },
    workaround: {
      title: 'Move the shard volume to gp3 with provisioned IOPS',
      steps: text`
        1. Modify the volume online to type gp3 with 6,000 IOPS and 250 MB/s throughput.

        2. Wait for the modification to reach the optimizing state; disk wait drops at once.

        3. Pause or rate-limit the tenant's bulk import until the change is complete.`,
    },
  },
];
