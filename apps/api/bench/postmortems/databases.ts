import { text, type Postmortem } from './types';

/** Databases: PostgreSQL, MySQL, Redis, Elasticsearch, Cassandra. */
export const DATABASE_POSTMORTEMS: Postmortem[] = [
  {
    ref: 'PM-101',
    title: 'Orders database refused all writes for 3 hours 40 minutes',
    severity: 'SEV1',
    status: 'Monitoring',
    service: 'Orders',
    category: 'Database',
    team: 'Data Platform',
    startedAt: '2023-08-14T06:52:00Z',
    resolvedAt: '2023-08-14T10:31:00Z',
    postmortem: text`
      Summary: on Monday 14 August our main PostgreSQL cluster (orders-pg) stopped accepting INSERT, UPDATE and DELETE
      statements. Reads kept working, so the storefront loaded, but no order could be placed, paid or cancelled for 3 hours
      and 40 minutes.

      Impact: roughly 41,000 checkout attempts failed with a generic error page. Order confirmation e-mails, refunds and
      warehouse pick lists were delayed until the afternoon. No committed data was lost.

      Timeline: at 06:20 UTC the database started logging warnings that it must be vacuumed within 10 million transactions.
      Nobody was paged for warnings. At 06:52 the server began rejecting every write with "database is not accepting commands
      to avoid wraparound data loss in database orders". The on-call engineer first suspected the morning deploy and rolled it
      back (07:05) without effect. The DBA joined at 07:25, identified the message, and the team decided to stop the
      application and run a database-wide VACUUM FREEZE. Because the largest table (order_events, 1.9 TB) had never been
      fully frozen, the vacuum took until 10:20. Writes were re-enabled at 10:31.

      Root cause: PostgreSQL numbers transactions with a 32-bit counter and must periodically mark old rows as frozen so that
      the counter can wrap around safely. Autovacuum had been unable to freeze anything for six weeks because a logical
      replication slot created for a data-warehouse trial was abandoned in June. The slot pinned the oldest visible
      transaction, so each vacuum pass finished without advancing the frozen horizon, and the age of the oldest unfrozen
      transaction climbed to the 2-billion safety limit, at which point the server protects itself by refusing new
      transaction IDs.

      Contributing factors: our monitoring tracked table bloat and replication lag but not the age of datfrozenxid or
      inactive replication slots; the warning messages went to a log nobody reads; autovacuum was throttled with the defaults
      of a much smaller database.`,
    resolution: text`
      Applied the known-error workaround: dropped the abandoned replication slot, ran VACUUM (FREEZE, VERBOSE) on order_events
      and the other large tables with the application stopped, and re-enabled writes. Added alerts on transaction ID age above
      1 billion and on replication slots inactive for more than one hour.`,
    resolutionCode: 'WORKAROUND',
  },
  {
    ref: 'PM-102',
    title: 'Inconsistent account balances after database failover',
    severity: 'SEV1',
    status: 'Closed',
    service: 'Accounts',
    category: 'Database',
    team: 'Data Platform',
    startedAt: '2022-03-02T21:14:00Z',
    resolvedAt: '2022-03-03T04:02:00Z',
    postmortem: text`
      Summary: during a planned network maintenance our MySQL failover tooling promoted a replica in the secondary data centre
      while the original primary was still accepting writes for 43 seconds. For about seven hours afterwards a small number of
      customers saw balances that did not match their transaction history.

      Impact: 1,180 accounts had one or more transactions recorded on the old primary that never reached the new one. Support
      received 96 tickets. Card authorisations were not affected because they use a separate ledger.

      Timeline: 21:14 the network team began replacing a core switch. Heartbeats between the data centres dropped for
      40 seconds, and the orchestrator decided the primary was dead and promoted db-accounts-07 in the other site. The old
      primary, still reachable from the application servers in its own site, kept taking writes until the proxy layer picked
      up the new topology at 21:15. At 21:40 reconciliation jobs reported mismatches. The team froze writes at 22:10, exported
      the rows written on the old primary after the promotion point, and replayed them by hand after review. Service was fully
      consistent at 04:02.

      Root cause: two nodes believed they were the writer at the same time. The failover policy allowed promotion across sites
      on a heartbeat timeout alone, without fencing the old node, and semi-synchronous replication had silently fallen back to
      asynchronous mode months earlier, so the promoted replica was 43 seconds behind.

      Contributing factors: the maintenance was not flagged to the database team; there was no alert on semi-sync falling back
      to async; the runbook for split-brain recovery had never been rehearsed.`,
    resolution: text`
      Replayed the 2,314 orphaned writes after manual review, then changed the orchestrator to require fencing (the old
      primary is set read-only through its own agent) before any cross-site promotion, and alert when semi-sync degrades.`,
    resolutionCode: 'FIXED',
  },
  {
    ref: 'PM-103',
    title: 'Dashboard pages slow after Tuesday release',
    severity: 'SEV3',
    status: 'Resolved',
    service: 'Analytics Dashboard',
    category: 'Performance',
    team: 'Insights',
    startedAt: '2024-02-20T13:05:00Z',
    resolvedAt: '2024-02-20T17:48:00Z',
    postmortem: text`
      Summary: after the 2024-02-20 release the reports section of the dashboard took 20 to 40 seconds to render for larger
      customers. Smaller accounts were barely affected. The release contained a schema migration that rebuilt the
      report_rows table.

      Impact: p95 latency of the reports API went from 400 ms to 31 s for 4 hours 43 minutes; 12 enterprise customers
      raised tickets; some scheduled PDF exports timed out and were retried overnight.

      Timeline: 13:05 the release finished. 13:30 latency alerts fired for the reports API. Engineers looked at the
      application servers first (CPU normal, no errors), then at the database, where the top query by total time was the
      report listing query doing a sequential scan of 300 million rows. 16:55 the missing index was identified. The index was
      rebuilt concurrently and latency returned to normal at 17:48.

      Root cause: the migration recreated report_rows with a new partitioning scheme, and the composite index on
      (account_id, created_at) was defined in the old table's DDL but not in the new one. Without it the planner fell back to
      full scans. The staging dataset was too small for the difference to show.

      Contributing factors: the migration review focused on the data copy, not on index parity; there is no automated check
      comparing indexes before and after a table rebuild; staging does not have production-sized tables.`,
    resolution: text`
      Created the composite index with CREATE INDEX CONCURRENTLY on every partition. Added a CI check that diffs the index
      definitions of tables rebuilt by a migration.`,
    resolutionCode: 'FIXED',
  },
  {
    ref: 'PM-104',
    title: 'Checkout errors during the spring sale',
    severity: 'SEV2',
    status: 'Resolved',
    service: 'Checkout',
    category: 'Database',
    team: 'Commerce',
    startedAt: '2024-04-05T09:00:00Z',
    resolvedAt: '2024-04-05T10:12:00Z',
    postmortem: text`
      Summary: at the start of the spring sale the checkout service returned HTTP 500 to a third of customers for 72 minutes.
      The errors were "sorry, too many clients already" from PostgreSQL, surfaced by the application as a generic failure.

      Impact: about 18 % of checkout attempts failed between 09:00 and 10:12. Most customers retried successfully; the
      estimated lost revenue is 2 % of the day.

      Timeline: 09:00 the sale opened and traffic tripled as expected. The checkout deployment autoscaled from 40 to 120 pods.
      09:03 errors began. 09:20 the team saw that the db had reached max_connections. 09:40 the autoscaler maximum was
      lowered to 60 pods, which reduced errors but raised latency. 10:05 a PgBouncer pool in transaction mode, prepared for a
      later project, was put in front of the database, and errors stopped at 10:12.

      Root cause: every checkout pod opens its own pool of 20 connections directly to the database. Scaling out to 120 pods
      asked for 2,400 connections against a server limit of 1,000. The capacity plan for the sale only modelled CPU and
      request rate, not the number of database sessions that horizontal scaling creates.

      Contributing factors: the connection limit was not part of the load test; the pod autoscaler had no awareness of
      downstream limits; connection errors were logged at debug level.`,
    resolution: text`
      Put PgBouncer (transaction pooling) between all checkout pods and the database permanently and reduced each pod's pool
      to 5 connections; the load test now scales pods to the autoscaler maximum.`,
    resolutionCode: 'FIXED',
  },
  {
    ref: 'PM-105',
    title: 'Primary database unavailable for 47 minutes',
    severity: 'SEV1',
    status: 'Resolved',
    service: 'Billing',
    category: 'Database',
    team: 'Data Platform',
    startedAt: '2021-11-09T02:13:00Z',
    resolvedAt: '2021-11-09T03:00:00Z',
    postmortem: text`
      Summary: the billing Postgres primary crashed and could not restart because the volume holding its data directory had
      no free space left. The billing API was down for 47 minutes in the middle of the night (European time).

      Impact: invoices and payment retries scheduled in that window were delayed; the public API returned 503 for billing
      endpoints. No data loss.

      Timeline: over the previous 9 days the disk usage of the primary grew from 55 % to 100 %. The disk alert was set at
      95 % and fired at 01:40 on the 9th, paging the secondary on-call, who was travelling. 02:13 the server could not write a
      new WAL segment and shut down with PANIC: could not write to file pg_wal: No space left on device. 02:30 the primary
      on-call joined, found pg_wal at 610 GB, and identified a replication slot belonging to a decommissioned reporting
      replica. 02:48 after extending the volume online by 200 GB, the server was started, the stale slot dropped, and old
      segments were recycled. 03:00 service restored.

      Root cause: the reporting replica was shut down as part of a cost review, but its physical replication slot on the
      primary was left behind. A slot keeps every write-ahead log segment that its consumer has not confirmed, forever, so the
      log directory grew without bound until the disk filled.

      Contributing factors: the decommissioning checklist did not mention replication slots; the disk alert had a single
      threshold and a single recipient; the volume had no automatic growth.`,
    resolution: text`
      Extended the volume, dropped the orphaned replication slot, and set max_slot_wal_keep_size to 100 GB so that a lost
      consumer can no longer fill the disk. Disk alerts now fire at 80 % and 90 % to the whole rotation.`,
    resolutionCode: 'FIXED',
  },
  {
    ref: 'PM-106',
    title: 'Large numbers of users unexpectedly signed out',
    severity: 'SEV2',
    status: 'Resolved',
    service: 'Sessions',
    category: 'Cache',
    team: 'Identity',
    startedAt: '2023-01-17T15:22:00Z',
    resolvedAt: '2023-01-17T16:40:00Z',
    postmortem: text`
      Summary: for about 80 minutes web and mobile users were logged out at random and asked to sign in again, sometimes
      several times in a row. Sign-in itself worked.

      Impact: an estimated 230,000 sessions were dropped; the sign-in endpoint saw 6x its usual traffic; customer support
      received a spike of contacts asking whether accounts had been hacked.

      Timeline: 15:00 a marketing job began writing per-user recommendation blobs into the same Redis cluster that stores
      sessions. 15:22 the cluster reached its memory ceiling and started evicting keys. 15:35 the identity team was paged for
      elevated sign-in rates. 16:05 the engineers noticed the evicted_keys counter climbing and the new key prefix.
      16:20 the marketing job was stopped and its keys deleted. 16:40 session drops returned to zero.

      Root cause: the Redis cluster was configured with maxmemory-policy allkeys-lru, which is right for a cache but wrong for
      data that must not disappear. When the recommendation job filled memory, Redis freed space by discarding the least
      recently used keys, which were mostly the sessions of users who had been idle for a few minutes.

      Contributing factors: sessions and cache data shared one cluster for historical reasons; there was no alert on
      evictions; the recommendation job was launched without a capacity review.`,
    resolution: text`
      Moved sessions to a dedicated Redis cluster with noeviction and a memory alert at 70 %; the recommendation cache got
      its own cluster with allkeys-lru.`,
    resolutionCode: 'FIXED',
  },
  {
    ref: 'PM-107',
    title: 'Product search returned errors and stale results',
    severity: 'SEV2',
    status: 'Resolved',
    service: 'Product Search',
    category: 'Search',
    team: 'Discovery',
    startedAt: '2024-06-11T11:02:00Z',
    resolvedAt: '2024-06-11T14:30:00Z',
    postmortem: text`
      Summary: for three and a half hours new products, price changes and stock levels did not appear in search, and about
      5 % of search requests failed. The Elasticsearch cluster behind product search had set its indices to read-only.

      Impact: customers saw items as in stock that had sold out, leading to 1,400 cancelled orders; merchants could not see
      new listings. Search availability stayed above 95 %.

      Timeline: 11:02 the indexing pipeline started failing with cluster_block_exception [FORBIDDEN/12/index read-only /
      allow delete (api)]. The failures were retried silently. 12:30 a merchant reported missing listings. 13:10 the team found
      that three data nodes had crossed the flood-stage disk watermark (95 %) and that Elasticsearch had applied the read-only
      block to every index with a shard on them. 13:40 old snapshot indices were deleted to free space, 14:05 the block was
      removed, and the backlog of updates was replayed by 14:30.

      Root cause: a reindex of the catalogue into a new mapping had been started the day before without deleting the old
      index afterwards, doubling the data on the hot nodes. Once disks passed the flood-stage threshold the cluster protected
      itself by blocking writes, which is the designed behaviour.

      Contributing factors: no alert on the high and flood-stage watermarks; the indexing pipeline retried forever without
      raising an error; the reindex runbook lacks a clean-up step.`,
    resolution: text`
      Deleted the superseded index and old snapshots, removed index.blocks.read_only_allow_delete, replayed the update queue.
      Added disk watermark alerts and a failure alert on the indexing pipeline.`,
    resolutionCode: 'FIXED',
  },
  {
    ref: 'PM-108',
    title: 'Loss of six hours of customer project data',
    severity: 'SEV1',
    status: 'Closed',
    service: 'Projects',
    category: 'Database',
    team: 'Data Platform',
    startedAt: '2019-10-31T23:27:00Z',
    resolvedAt: '2019-11-01T17:20:00Z',
    postmortem: text`
      Summary: while trying to fix replication to a standby, an engineer removed the data directory on the production
      primary instead of the standby. Restoring took 18 hours and the changes of the previous six hours could not be
      recovered.

      Impact: the product was offline for 18 hours; all project edits, comments and uploads made between 17:20 and 23:27 UTC
      were lost for every customer.

      Timeline: that evening replication lag alerts fired because the standby had fallen behind under a spam-driven write
      load. To re-seed the standby, the engineer wiped its data directory. At 23:27, tired and working in two terminals, they
      ran the same rm -rf in the session connected to the primary. They stopped it after a second, but 300 GB of 310 GB were
      gone. The team then discovered that the nightly pg_dump backups had been failing silently for months (a version
      mismatch produced empty files), that disk snapshots were not enabled on this host, and that the only usable copy was a
      six-hour-old staging refresh. Restoring it over the network was slow and completed at 17:20 the next day.

      Root cause: a destructive manual command was run against the wrong host, and none of the backup methods we believed we
      had actually worked.

      Contributing factors: terminal prompts on primary and standby looked identical; backup jobs did not verify their output
      and their failure e-mails were rejected by DMARC; no restore had ever been tested.`,
    resolution: text`
      Restored from the staging copy, then introduced continuous WAL archiving with point-in-time recovery, daily automated
      restore tests, coloured prompts for production hosts, and a two-person rule for destructive commands on database hosts.`,
    resolutionCode: 'RESTORED',
  },
  {
    ref: 'PM-109',
    title: 'New orders could not be saved for 2 hours',
    severity: 'SEV1',
    status: 'Resolved',
    service: 'Orders',
    category: 'Database',
    team: 'Commerce',
    startedAt: '2022-09-28T18:41:00Z',
    resolvedAt: '2022-09-28T20:55:00Z',
    postmortem: text`
      Summary: order placement failed for everyone for 2 hours 14 minutes. Every insert into the line_items table failed with
      ERROR: nextval: reached maximum value of sequence "line_items_id_seq" (2147483647).

      Impact: no orders could be created in any market; existing orders, tracking and returns were unaffected.

      Timeline: 18:41 the error rate on order creation went to 100 %. 18:50 the on-call found the sequence error in the logs.
      19:05 a first attempt to change the column type with ALTER TABLE ... TYPE bigint was cancelled after it became clear
      that rewriting a 900 GB table would take many hours while holding an exclusive lock. 19:40 the team decided to restart
      the sequence at negative values as a stopgap, which needed changes in two services that assumed positive IDs. 20:55
      orders flowed again.

      Root cause: the primary key of line_items was created in 2014 as a 32-bit integer. Eight years of growth, plus a bulk
      import in 2021 that burned 300 million IDs, exhausted the range of the type. The risk was known in a ticket from 2019
      but never prioritised.

      Contributing factors: no monitoring of sequence headroom; the ORM default at the time of creation was int; the table
      was too large for an online type change without preparation.`,
    resolution: text`
      Temporary: sequence restarted at -2147483648. Permanent: added a bigint shadow column filled in the background, swapped
      it in with a short lock three weeks later; alert at 70 % of any integer sequence's range.`,
    resolutionCode: 'FIXED',
  },
  {
    ref: 'PM-110',
    title: 'Timeouts reading the activity feed',
    severity: 'SEV2',
    status: 'Resolved',
    service: 'Activity Feed',
    category: 'Database',
    team: 'Social',
    startedAt: '2023-05-22T08:10:00Z',
    resolvedAt: '2023-05-23T12:00:00Z',
    postmortem: text`
      Summary: reads of the activity feed timed out for the most active accounts over a day and a half. The Cassandra
      cluster holding the feed scanned huge numbers of deleted cells on every read.

      Impact: about 2 % of users, mostly heavy users and brand accounts, saw an empty feed or an error. Read p99 went from
      80 ms to over 5 s on affected partitions.

      Timeline: 08:10 on 22 May alerts fired for coordinator read timeouts. The logs showed warnings that single queries had
      read over 100,000 tombstones. Investigation showed that a feature launched a week earlier trimmed each feed to its
      latest 500 items by deleting older ones after every insert. Through the day the team raised timeouts, which helped
      little. On the 23rd the trimming was disabled, gc_grace_seconds lowered for the table after confirming repairs were
      current, and a major compaction run node by node. Reads recovered by 12:00.

      Root cause: using a wide partition as a queue: constant deletes at the head of each partition produced tombstones that
      every read had to skip over until compaction could purge them, which by default is only after ten days.

      Contributing factors: the data model review did not include a Cassandra specialist; tombstone warnings were not
      alerted on; load tests used fresh data with no deletes.`,
    resolution: text`
      Replaced trimming by deletes with time-bucketed partitions and a TTL, lowered gc_grace_seconds to 2 days, compacted.`,
    resolutionCode: 'FIXED',
  },
];
