import { text, type Postmortem } from './types';

/** Kubernetes, containers, memory, disks, deploys and configuration changes. */
export const PLATFORM_POSTMORTEMS: Postmortem[] = [
  {
    ref: 'PM-401',
    title: 'Search API pods restarting every few minutes after base image update',
    severity: 'SEV2',
    status: 'Monitoring',
    service: 'Search API',
    category: 'Kubernetes',
    team: 'Discovery',
    startedAt: '2024-07-09T10:15:00Z',
    resolvedAt: '2024-07-09T13:50:00Z',
    postmortem: text`
      Summary: after the search API moved to the new company base image, its pods were killed and restarted every 5 to 15
      minutes under normal traffic. Kubernetes reported the containers as OOMKilled with exit code 137.

      Impact: 3 hours 35 minutes of degraded search: 2 to 8 % of requests failed during restarts and warm-up, and p99 latency
      doubled.

      Timeline: 10:15 the deploy with the new image completed. 10:30 restart alerts fired. The team rolled back application
      changes from the same release (11:00) with no effect, since the image stayed. 12:10 an engineer compared JVM flags and
      found that the old image set the maximum heap explicitly while the new one let the JVM choose. 13:20 the heap limit was
      set in the deployment; 13:50 restarts stopped.

      Root cause: the new image shipped a JVM build that did not detect the container's cgroup v2 memory limit, so it sized
      the heap as a quarter of the node's 64 GB instead of the pod's 4 GiB limit. As the heap grew past the limit, the kernel
      killed the process.

      Contributing factors: the base image change was treated as routine and not load-tested; memory alerts looked at node
      memory, not at container limits; restarts were initially blamed on the application.`,
    resolution: text`
      Workaround of the known error applied: -XX:MaxRAMPercentage=70 set explicitly in the deployment for all JVM services.
      The base image now pins a JDK build with cgroup v2 support.`,
    resolutionCode: 'WORKAROUND',
  },
  {
    ref: 'PM-402',
    title: 'Deployments and scaling frozen in the production cluster',
    severity: 'SEV1',
    status: 'Monitoring',
    service: 'Kubernetes Platform',
    category: 'Kubernetes',
    team: 'Platform',
    startedAt: '2023-11-20T16:45:00Z',
    resolvedAt: '2023-11-20T19:05:00Z',
    postmortem: text`
      Summary: for over two hours, no change could be made in the main Kubernetes cluster: deploys hung, the horizontal
      autoscaler could not add pods, and crashed pods were not replaced. Running workloads kept serving traffic.

      Impact: a planned release was delayed; a traffic peak at 18:00 could not be absorbed by autoscaling, adding latency for
      about 40 minutes; two failed pods stayed down.

      Timeline: 16:45 the API server began answering writes with "etcdserver: mvcc: database space exceeded". 17:10 the
      platform on-call saw that the etcd members had raised the NOSPACE alarm after the key-value store reached its 2 GB
      quota. A misbehaving operator installed the week before had been updating a custom resource status thousands of times
      per minute, and each revision was kept. 17:40 the operator was scaled to zero. 18:30 the store was compacted to the
      current revision and each member defragmented in turn. 19:05 the alarm was disarmed and writes resumed.

      Root cause: the cluster state store filled its storage quota with old revisions produced by a controller in a hot
      update loop, and periodic compaction was configured too rarely to keep up.

      Contributing factors: no alert on etcd database size; the operator was installed without review of its write rate;
      the quota was the default.`,
    resolution: text`
      Workaround: compacted and defragmented etcd, disarmed the NOSPACE alarm. The operator was fixed upstream; compaction now
      runs every 5 minutes and the quota was raised to 8 GB with an alert at 60 %.`,
    resolutionCode: 'WORKAROUND',
  },
  {
    ref: 'PM-403',
    title: 'New pods stuck in ContainerCreating on many nodes',
    severity: 'SEV2',
    status: 'Resolved',
    service: 'Kubernetes Platform',
    category: 'Kubernetes',
    team: 'Platform',
    startedAt: '2024-08-02T03:20:00Z',
    resolvedAt: '2024-08-02T07:45:00Z',
    postmortem: text`
      Summary: pods scheduled onto about a third of the worker nodes never started. The kubelet reported errors creating
      container directories, although disk usage graphs showed the nodes' root volumes only 40 % full.

      Impact: the nightly batch platform lost half its capacity and several reports were late; deploys of two services
      stalled.

      Timeline: 03:20 the first batch jobs failed to start. 04:00 on-call saw "mkdir ... no space left on device" in the
      kubelet logs and was puzzled by the free space. 05:30 df -i showed the filesystem had used all of its inodes. A CI job
      had been running builds on these nodes that unpacked node_modules trees with millions of tiny files into emptyDir
      volumes, and the garbage collection of exited containers lagged behind. 07:00 the build pods were evicted and the
      leftover directories deleted; 07:45 pods started normally.

      Root cause: the node filesystem ran out of inodes, not bytes. Every new file or directory failed even though gigabytes
      were free.

      Contributing factors: node monitoring only alerted on disk bytes; CI workloads were allowed on the general node pool;
      the XFS volumes were created with a small inode ratio.`,
    resolution: text`
      Cleaned up the exited containers and their volumes, moved CI to a dedicated node pool, added inode usage alerts at 80 %.`,
    resolutionCode: 'FIXED',
  },
  {
    ref: 'PM-404',
    title: 'Errors in all regions for 38 minutes',
    severity: 'SEV1',
    status: 'Closed',
    service: 'Config Service',
    category: 'Change',
    team: 'Platform',
    startedAt: '2024-02-27T11:10:00Z',
    resolvedAt: '2024-02-27T11:48:00Z',
    postmortem: text`
      Summary: a change to the shared quota settings file was distributed to every region at the same time and caused the
      config agent running beside each service to crash. Services that could not read their settings refused requests.

      Impact: between 11:10 and 11:48 UTC about 70 % of API requests failed in every region, including the status page's
      own backend.

      Timeline: 11:05 an engineer merged a change adding a new quota policy. The file was valid YAML but a field the agent
      expects had been left empty. 11:10 the global distribution system delivered it to all fleets within 90 seconds. The
      agents hit a null value and crash-looped; without fresh settings, services fell back to rejecting traffic. 11:22 the
      change was identified; reverting required a new distribution, and some agents needed restarts. 11:48 recovered.

      Root cause: configuration was treated as data and shipped globally in one step, while code goes through canaries.
      The agent also did not handle a missing field gracefully, and services failed closed when their settings were stale.

      Contributing factors: the schema validation in CI was lenient; no region-by-region rollout for the settings file;
      fail-closed default chosen years ago for an unrelated reason.`,
    resolution: text`
      Reverted the settings; settings now roll out region by region with automatic halt on error rates; the agent keeps the
      last known good settings when a new file is invalid.`,
    resolutionCode: 'FIXED',
  },
  {
    ref: 'PM-405',
    title: 'Elevated 5xx during release 2024.11.3',
    severity: 'SEV2',
    status: 'Resolved',
    service: 'Accounts',
    category: 'Change',
    team: 'Accounts',
    startedAt: '2024-11-14T14:02:00Z',
    resolvedAt: '2024-11-14T14:39:00Z',
    postmortem: text`
      Summary: during the deploy of release 2024.11.3 the accounts service returned server errors to about 40 % of requests
      for 37 minutes. The release ran a schema migration that blocked all queries on the users table.

      Impact: sign-ups, profile edits and sign-ins failed intermittently; 5xx rate peaked at 62 %.

      Timeline: 14:02 the migration job started: ALTER TABLE users ADD COLUMN with a volatile default, which on our
      database version rewrites the whole table under an ACCESS EXCLUSIVE lock. Queries on users queued behind the lock,
      connection pools filled, and health checks failed. 14:15 on-call found the migration in pg_stat_activity. Cancelling it
      would have rolled back 20 minutes of work and the team estimated it was nearly done; it completed at 14:33 and traffic
      recovered at 14:39.

      Root cause: an unsafe migration on a large, hot table, run during business hours, taking a lock that blocked reads and
      writes for the whole rewrite.

      Contributing factors: no lock_timeout for migrations; the migration linter did not flag volatile defaults; staging's
      users table has 5,000 rows instead of 40 million.`,
    resolution: text`
      Migrations now run with lock_timeout = 5s and statement_timeout, and the linter rejects table-rewriting changes, which
      must be done as add column, backfill in batches, then set default.`,
    resolutionCode: 'FIXED',
  },
  {
    ref: 'PM-406',
    title: 'API servers crash-looping after routine deploy',
    severity: 'SEV1',
    status: 'Resolved',
    service: 'Public API',
    category: 'Change',
    team: 'API',
    startedAt: '2023-06-29T09:30:00Z',
    resolvedAt: '2023-06-29T10:16:00Z',
    postmortem: text`
      Summary: a release containing a nil pointer dereference in request parsing reached every API server at once, although
      our pipeline is supposed to stop bad builds at the canary stage. The API was down for 46 minutes.

      Impact: the public API returned 503 or timed out for all customers from 09:30 to 10:16 UTC.

      Timeline: 09:12 the build passed tests and went to the canary. The canary's automated analysis reported healthy, and at
      09:28 the pipeline promoted the build to the fleet. 09:30 error rates went to 100 % as servers crashed on the first
      request with an optional header missing. 09:40 rollback started, but the previous build had to be re-fetched to every
      host, which took 30 minutes.

      Root cause: the canary's health analysis queried the metrics of the wrong port, the admin endpoint, which kept
      answering while the serving process crashed. The canary therefore always looked healthy, which had been true for weeks.

      Contributing factors: no test covered the missing header; rollbacks were slow because old artifacts were not cached on
      hosts; the canary analysis was never tested by deploying a known-bad build.`,
    resolution: text`
      Rolled back. Canary analysis now reads serving-path error rates, the pipeline deploys a deliberately broken build every
      week to prove the canary stops it, and the last two artifacts stay cached on hosts.`,
    resolutionCode: 'FIXED',
  },
  {
    ref: 'PM-407',
    title: 'Random process terminations on worker nodes',
    severity: 'SEV2',
    status: 'Resolved',
    service: 'Kubernetes Platform',
    category: 'Infrastructure',
    team: 'Observability',
    startedAt: '2024-04-18T20:00:00Z',
    resolvedAt: '2024-04-19T09:40:00Z',
    postmortem: text`
      Summary: over one night, processes on about 60 worker nodes were killed seemingly at random: application containers,
      the kubelet, and in two cases containerd itself, leaving nodes NotReady.

      Impact: elevated error rates in several services through the night as pods restarted; two nodes had to be replaced.

      Timeline: 20:00 the log storage backend started a slow re-indexing, throttling ingestion. The log shipping daemon on
      each node, configured with an in-memory buffer and no limit, kept accepting logs it could not forward. Over several
      hours it grew to 6 to 10 GB per node. The kernel's out-of-memory killer chose processes by its own scoring, which did
      not always pick the shipper. 07:30 the day team saw the OOM killer messages in dmesg and the shipper's memory graph;
      09:40 the shipper was reconfigured with a file buffer and a memory limit.

      Root cause: a node daemon with unbounded memory use, outside any cgroup limit, exhausted node memory when its
      destination slowed down.

      Contributing factors: the shipper ran as a system service, not a pod with limits; kubelet eviction thresholds were left
      at defaults; node memory alerts paged only during business hours.`,
    resolution: text`
      Switched the log shipper to a file-backed buffer capped at 2 GB, ran it as a DaemonSet with a memory limit, and set
      kubelet system-reserved memory.`,
    resolutionCode: 'FIXED',
  },
  {
    ref: 'PM-408',
    title: 'Public API offline after infrastructure change',
    severity: 'SEV1',
    status: 'Resolved',
    service: 'Public API',
    category: 'Change',
    team: 'Infrastructure',
    startedAt: '2024-03-19T15:05:00Z',
    resolvedAt: '2024-03-19T15:58:00Z',
    postmortem: text`
      Summary: a Terraform change that was meant to be a pure refactor destroyed and recreated the load balancer in front of
      the public API. The new one had a new DNS name and no certificates attached, so the API was unreachable for 53 minutes.

      Impact: all API clients failed between 15:05 and 15:58 UTC.

      Timeline: the change moved resources into a new module. The plan showed "1 to destroy, 1 to add" for the load
      balancer among 140 lines of output; the reviewer approved the refactor as a whole. 15:05 apply ran in CI. 15:08
      alerts fired. 15:20 the team understood the cause; recreating the listeners, certificates and DNS records took until
      15:58.

      Root cause: renaming a resource address in Terraform without a moved block makes Terraform treat it as a deletion and a
      creation. Nothing prevented the destruction of a critical resource.

      Contributing factors: no lifecycle prevent_destroy on critical resources; plan output not summarised for reviewers;
      apply ran automatically after merge.`,
    resolution: text`
      Recreated the load balancer configuration and DNS. Critical resources have prevent_destroy, CI fails any plan that
      destroys resources tagged critical, and refactors use moved blocks.`,
    resolutionCode: 'FIXED',
  },
  {
    ref: 'PM-409',
    title: 'Erroneous orders sent to the exchange during market open',
    severity: 'SEV1',
    status: 'Closed',
    service: 'Order Router',
    category: 'Change',
    team: 'Trading Systems',
    startedAt: '2012-08-01T13:30:00Z',
    resolvedAt: '2012-08-01T14:15:00Z',
    postmortem: text`
      Summary: in the first 45 minutes of trading, our routing system sent millions of unintended orders to the market,
      building large positions that had to be unwound at a heavy loss.

      Impact: a loss of several hundred million dollars and lasting damage to the firm.

      Timeline: new code for a retail liquidity program was deployed manually to eight servers in the days before. A
      technician missed one server. The new code reused a flag that, years earlier, activated an old function called
      Power Peg, dead code still present on the eighth server. 13:30 on launch day the flag was switched on; the eighth server
      ran Power Peg, which sent child orders without recognising that parent orders had been filled. Staff saw alerts
      e-mailed before the open but did not act. Engineers first rolled back the new code on the seven good servers, which
      made every server run the old path; the system was stopped at 14:15.

      Root cause: an incomplete manual deployment combined with the reuse of a flag that still controlled obsolete code.

      Contributing factors: no automated deployment or verification that all servers ran the same version; dead code left in
      production; no kill switch or limits on order volume.`,
    resolution: text`
      Stopped the system and unwound positions. Deployments became automated with version verification; dead code removed;
      per-strategy order limits and a kill switch added.`,
    resolutionCode: 'FIXED',
  },
  {
    ref: 'PM-410',
    title: 'New pods could not start for three hours',
    severity: 'SEV2',
    status: 'Resolved',
    service: 'Kubernetes Platform',
    category: 'Kubernetes',
    team: 'Platform',
    startedAt: '2024-12-02T09:00:00Z',
    resolvedAt: '2024-12-02T12:10:00Z',
    postmortem: text`
      Summary: from 09:00 new pods across our clusters stayed in ImagePullBackOff. Image pulls from the public container
      registry failed with "toomanyrequests: You have reached your pull rate limit".

      Impact: deploys, autoscaling and node replacement were blocked for three hours; one service ran at reduced capacity
      during a traffic spike.

      Timeline: 09:00 a cluster upgrade replaced all nodes, each pulling base images from the public registry anonymously.
      All nodes leave through the same NAT gateway, so the registry counted every pull against one IP address and its
      anonymous quota was exhausted within minutes. 09:40 the platform team found the message in pod events. 10:30 they
      configured registry credentials for a paid account on the nodes, which raised the limit, and 12:10 all pending pods had
      started.

      Root cause: dependence on anonymous pulls from a third-party registry that limits requests per source IP, behind a
      single shared egress address.

      Contributing factors: no pull-through cache; the upgrade was done in one wave; registry errors were not alerted on.`,
    resolution: text`
      Authenticated pulls with a paid account, then introduced a pull-through cache registry inside our network and mirrored
      the base images.`,
    resolutionCode: 'FIXED',
  },
  {
    ref: 'PM-411',
    title: 'Order confirmation emails stopped for 9 hours',
    severity: 'SEV3',
    status: 'Resolved',
    service: 'Notifications',
    category: 'Infrastructure',
    team: 'Messaging',
    startedAt: '2023-03-11T22:00:00Z',
    resolvedAt: '2023-03-12T07:10:00Z',
    postmortem: text`
      Summary: no order confirmation or shipping e-mails were sent overnight. The mail worker hosts had crashed because their
      root filesystem was completely full.

      Impact: about 95,000 e-mails were delayed by up to nine hours; some customers contacted support thinking their order
      had not gone through.

      Timeline: on the afternoon of 11 March an engineer raised the log level of the mail workers to DEBUG to investigate a
      template bug and did not revert it. Each worker wrote around 4 GB of logs an hour to /var/log, and log rotation ran
      only daily. 22:00 the first host's disk reached 100 % and the worker crashed when it could not write its spool file.
      The other hosts followed within an hour. The disk alert paged the infrastructure team, which deleted logs on one host at
      02:00 without finding why, and it filled again. 07:00 the messaging team reverted the log level and cleared the disks.

      Root cause: verbose debug logging left enabled in production filled the local disks.

      Contributing factors: no size-based log rotation; log level changes are not temporary by default; the worker fails
      hard when it cannot write its spool instead of pausing.`,
    resolution: text`
      Reverted the log level, cleared the disks and sent the backlog; logs now rotate at 500 MB and debug level expires after
      one hour automatically.`,
    resolutionCode: 'FIXED',
  },
];
