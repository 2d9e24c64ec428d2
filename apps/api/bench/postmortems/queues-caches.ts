import { text, type Postmortem } from './types';

/** Message queues, caches, retries, herds and rate limits. */
export const QUEUE_CACHE_POSTMORTEMS: Postmortem[] = [
  {
    ref: 'PM-501',
    title: 'Push notifications delayed by up to two hours',
    severity: 'SEV2',
    status: 'Monitoring',
    service: 'Notifications',
    category: 'Messaging',
    team: 'Messaging',
    startedAt: '2024-10-07T17:20:00Z',
    resolvedAt: '2024-10-07T19:25:00Z',
    postmortem: text`
      Summary: push notifications and in-app alerts arrived up to two hours late. The Kafka consumers that deliver them kept
      leaving and rejoining their consumer group, so partitions were constantly reassigned and almost nothing was processed.

      Impact: 11 million notifications delayed; time-sensitive messages (delivery updates, sign-in codes sent as push) were
      useless when they arrived.

      Timeline: 17:20 lag on the notifications topic started growing after the evening campaign doubled traffic. 17:45
      consumer lag alerts fired. The on-call scaled the consumers from 12 to 24 instances, which made things worse. 18:30 the
      logs showed repeated "member has left the group" and rebalance messages. Each consumer fetched 500 records per poll,
      and a slow call to the device token service made a batch take longer than five minutes, so the broker considered the
      consumer dead and rebalanced; every rebalance paused the whole group. 19:05 max.poll.records was lowered and the poll
      interval raised; 19:25 lag drained.

      Root cause: processing time per batch exceeded the consumer's max.poll.interval.ms under load, triggering a rebalance
      storm in which consumers spent their time joining the group instead of consuming.

      Contributing factors: more instances meant more rebalances; the device token service had no timeout; lag alerts fired
      late.`,
    resolution: text`
      Applied the known-error workaround: max.poll.records 500 to 50 and max.poll.interval.ms 5 to 15 minutes for the
      notification consumers, with a 2 s timeout on token lookups. Moving to cooperative rebalancing is planned.`,
    resolutionCode: 'WORKAROUND',
  },
  {
    ref: 'PM-502',
    title: 'Order placement hanging for all customers',
    severity: 'SEV1',
    status: 'Resolved',
    service: 'Orders',
    category: 'Messaging',
    team: 'Commerce',
    startedAt: '2023-12-04T12:12:00Z',
    resolvedAt: '2023-12-04T13:30:00Z',
    postmortem: text`
      Summary: clicking "Place order" spun until it timed out for everyone for 78 minutes. The order service publishes an
      event to RabbitMQ for each order, and the broker had stopped accepting messages from all publishers.

      Impact: no orders were accepted between 12:12 and 13:30, at lunchtime peak.

      Timeline: a deploy of the invoicing consumer that morning had a bug that made it crash at start, so nothing consumed
      the invoicing queue. Messages piled up for three hours until the broker's memory use crossed its high watermark at
      12:12. The broker then blocked every publishing connection, across all queues, to protect itself. The order service
      waited on blocked publishes without a timeout, so requests hung. 12:50 the team saw the memory alarm in the management
      UI. 13:05 the consumer was fixed and started; the backlog drained and the alarm cleared at 13:30.

      Root cause: an unconsumed queue grew until the broker hit its memory limit and applied flow control to all
      publishers. A failure in a non-critical consumer thereby stopped the critical path.

      Contributing factors: no queue length alerts; the order service published synchronously without a timeout; invoicing
      and orders shared a broker.`,
    resolution: text`
      Restarted the invoicing consumer with a fix; added queue depth alerts and a max-length policy with overflow to a
      dead-letter queue; order events are now published asynchronously through an outbox table.`,
    resolutionCode: 'FIXED',
  },
  {
    ref: 'PM-503',
    title: 'Homepage errors after routine maintenance',
    severity: 'SEV2',
    status: 'Resolved',
    service: 'Web Storefront',
    category: 'Cache',
    team: 'Storefront',
    startedAt: '2024-05-14T06:00:00Z',
    resolvedAt: '2024-05-14T06:40:00Z',
    postmortem: text`
      Summary: a planned restart of the memcached tier for a security patch made the homepage fail for 40 minutes. With the
      cache empty, thousands of requests for the same keys went to the database at the same moment.

      Impact: the homepage and category pages returned errors for 30 % of visitors between 06:00 and 06:40.

      Timeline: 06:00 all cache nodes were restarted together, as the maintenance plan allowed during low traffic. Every
      request then missed on the homepage's hottest key, whose value comes from a 2-second aggregation query, and each one
      ran the query. The product db reached 100 % CPU within seconds, the queries slowed to 30 seconds, and the
      application servers ran out of workers waiting for them. 06:25 the team put the homepage into a static fallback mode,
      letting the cache fill from a single warm-up job; 06:40 normal service.

      Root cause: a cache stampede: many concurrent misses for the same expensive key recomputed it simultaneously instead of
      one request computing it while the others waited or used a stale copy.

      Contributing factors: restarting all nodes at once; no request coalescing in the caching library; the expensive
      aggregation ran on the primary database.`,
    resolution: text`
      Cache nodes are restarted one at a time; cache fills use a lock so only one request recomputes a key while others get
      the stale value; the aggregation moved to a replica with a precomputed table.`,
    resolutionCode: 'FIXED',
  },
  {
    ref: 'PM-504',
    title: 'Prolonged outage of the profile service',
    severity: 'SEV1',
    status: 'Monitoring',
    service: 'Profile Service',
    category: 'Reliability',
    team: 'Accounts',
    startedAt: '2024-02-08T14:31:00Z',
    resolvedAt: '2024-02-08T16:49:00Z',
    postmortem: text`
      Summary: a 90-second network blip between the profile service and its database turned into a 2 hour 18 minute outage.
      Once the network recovered, the service could not serve normal traffic because it was flooded by repeated attempts
      from its own clients.

      Impact: every page that shows user information failed or rendered without it; mobile apps showed "something went
      wrong" for most screens.

      Timeline: 14:31 a switch failover caused timeouts to the database for 90 seconds. Calls to the profile service failed,
      and each of the 30 calling services retried: up to 5 times each, immediately, and at several layers (the SDK, the
      service mesh and the callers' own code), so each user request could become 125 calls. 14:33 the network was fine but
      incoming traffic was 14 times normal and latency stayed above timeouts, so every call failed and was retried again.
      Scaling out did not catch up. 15:40 engineers began shedding load at the edge; 16:20 the retry flags in the mesh were
      turned off; 16:49 recovered.

      Root cause: retries without back-off, jitter or a budget, multiplied across layers, kept the service in a metastable
      overload state after the original trigger had gone.

      Contributing factors: no circuit breakers; no admission control on the profile service; retry settings owned by many
      teams.`,
    resolution: text`
      Used the known-error workaround (shed load at the edge, disable mesh retries, then re-admit traffic gradually). Retries
      now use exponential back-off with jitter, a 10 % retry budget, and only one layer retries.`,
    resolutionCode: 'WORKAROUND',
  },
  {
    ref: 'PM-505',
    title: 'API clients receiving 429 Too Many Requests',
    severity: 'SEV2',
    status: 'Resolved',
    service: 'Public API',
    category: 'Change',
    team: 'API',
    startedAt: '2024-06-25T08:00:00Z',
    resolvedAt: '2024-06-25T09:22:00Z',
    postmortem: text`
      Summary: after a change to the quota configuration, most API customers were throttled within seconds of starting work,
      although they were well under their contracted limits.

      Impact: 80 % of API integrations received HTTP 429 responses for 82 minutes; several customers' nightly syncs in Asia
      failed.

      Timeline: the throttling settings were converted to a new format on 25 June. The old format expressed limits per
      minute and the new one per second, and the conversion script divided by 60 twice for the default tier. 08:00 the change
      went live and the share of throttled requests rose from 0.1 % to 60 %. 08:30 support escalated. 09:05 the unit mistake
      was found in the diff; 09:22 corrected values were deployed.

      Root cause: a unit conversion error made the default allowance 60 times lower than intended, so the token bucket of
      nearly every client emptied almost at once.

      Contributing factors: the config change had no canary and no test comparing effective limits before and after; the
      dashboard for throttled requests was not alerted on.`,
    resolution: text`
      Deployed corrected limits. Added a test that computes effective limits per tier from old and new configs, and an alert
      when throttled requests exceed 2 %.`,
    resolutionCode: 'FIXED',
  },
  {
    ref: 'PM-506',
    title: 'Invoice generation stalled overnight',
    severity: 'SEV3',
    status: 'Resolved',
    service: 'Billing',
    category: 'Messaging',
    team: 'Billing',
    startedAt: '2024-09-01T01:00:00Z',
    resolvedAt: '2024-09-01T09:15:00Z',
    postmortem: text`
      Summary: on the night of the monthly billing run no invoices were produced for eight hours. One malformed message at
      the head of the invoicing queue made every worker crash as soon as it picked it up.

      Impact: 120,000 invoices were issued eight hours late; dunning e-mails were shifted by a day.

      Timeline: 01:00 the billing run enqueued one message per customer. One customer record had a currency code that the
      tax library could not handle, and the worker threw an unhandled exception. The message went back to the queue, was
      picked up by the next worker, which crashed too, and so on; the workers' restarts were backed off exponentially by the
      orchestrator, so throughput fell to zero. 08:30 the day team found the same message ID in every crash log. 08:45 the
      message was removed by hand; 09:15 the run finished.

      Root cause: a poison message: the queue had no limit on redeliveries and no dead-letter queue, and the worker did not
      catch per-message errors.

      Contributing factors: no alert on a billing run making no progress; the data validation at customer creation allowed
      the bad currency code.`,
    resolution: text`
      Removed the message; configured a dead-letter queue after 3 delivery attempts, made the worker catch and report
      per-message failures, and added an alert when the run makes no progress for 15 minutes.`,
    resolutionCode: 'FIXED',
  },
  {
    ref: 'PM-507',
    title: 'Customers received the same email many times',
    severity: 'SEV3',
    status: 'Resolved',
    service: 'Notifications',
    category: 'Messaging',
    team: 'Messaging',
    startedAt: '2023-09-12T10:00:00Z',
    resolvedAt: '2023-09-12T13:40:00Z',
    postmortem: text`
      Summary: about 48,000 customers received the same weekly digest between 2 and 11 times. The mail workers pull jobs
      from an SQS queue, and the jobs became visible again to other workers before the first worker had finished them.

      Impact: complaints, unsubscribes and spam reports rose sharply; our sending reputation dropped for a few days.

      Timeline: 10:00 the digest job started. A new template with personalised recommendations made rendering take around
      50 seconds per batch instead of 10. The queue's visibility timeout was 30 seconds, so while a worker was still sending
      a batch, the message reappeared and another worker took it. 11:20 the first complaints arrived. 12:30 the team linked
      the duplicates to message receive counts; 13:00 the job was paused, and 13:40 the timeout raised and sending resumed.

      Root cause: processing time exceeded the message visibility timeout, and the sender was not idempotent, so each
      redelivery sent the e-mails again.

      Contributing factors: no deduplication key per recipient and digest; no alert on messages received more than once.`,
    resolution: text`
      Raised the visibility timeout to 10 minutes with heartbeat extension, added an idempotency record per recipient and
      digest week, and alert on ApproximateReceiveCount above 1.`,
    resolutionCode: 'FIXED',
  },
  {
    ref: 'PM-508',
    title: 'Incorrect prices displayed on product pages',
    severity: 'SEV2',
    status: 'Resolved',
    service: 'Pricing',
    category: 'Cache',
    team: 'Storefront',
    startedAt: '2024-08-20T07:00:00Z',
    resolvedAt: '2024-08-20T15:30:00Z',
    postmortem: text`
      Summary: after the morning price update, product pages kept showing yesterday's prices for eight hours, while the
      basket charged the new ones. Customers saw one price on the page and another at checkout.

      Impact: 3,300 complaints; we honoured the lower displayed price on 7,900 orders.

      Timeline: prices are cached in each application instance for 24 hours and are invalidated by messages on a Redis
      pub/sub channel when they change. 07:00 the price update published 18,000 invalidation messages. Since a Redis failover
      two days earlier, the application instances' subscriptions were silently disconnected: the client library did not
      resubscribe after reconnecting. 14:00 merchandising noticed the mismatch. 15:30 a rolling restart refreshed all caches.

      Root cause: lost cache invalidations: pub/sub delivers only to connected subscribers, and after the failover no
      instance was subscribed any more, so the local caches kept stale entries until their TTL.

      Contributing factors: no check that subscriptions were alive; a 24-hour TTL on prices; the basket read prices from the
      database, hiding the issue from tests.`,
    resolution: text`
      Rolling restart; the library now resubscribes on reconnect and a heartbeat message checks each instance's subscription;
      price TTL lowered to 5 minutes.`,
    resolutionCode: 'FIXED',
  },
  {
    ref: 'PM-509',
    title: 'Chat unavailable after gateway release',
    severity: 'SEV2',
    status: 'Resolved',
    service: 'Realtime Gateway',
    category: 'Reliability',
    team: 'Messaging',
    startedAt: '2024-01-23T16:00:00Z',
    resolvedAt: '2024-01-23T16:52:00Z',
    postmortem: text`
      Summary: restarting the WebSocket gateways for a release disconnected 1.2 million clients, which all reconnected within
      the same few seconds. Each reconnect has to validate the user's session, and the burst overwhelmed the session service,
      so nobody could reconnect for 50 minutes.

      Impact: chat, typing indicators and live updates were down for all users; messages sent in that window were queued
      and delivered late.

      Timeline: 16:00 the deploy replaced gateways in three large batches. Disconnected clients reconnected immediately, and
      those that failed retried on a fixed 1-second interval. The session service went from 2,000 to 90,000 requests per
      second and its database connection pool saturated; failed reconnects retried again. 16:25 the team rate-limited new
      connections at the load balancer; 16:40 clients were admitted gradually and the service recovered at 16:52.

      Root cause: a thundering herd of reconnects: every client reacting to the same event at the same moment, with no
      random delay, concentrated hours of normal load into seconds.

      Contributing factors: the deploy batches were too large; the client used a fixed retry interval; the session service had
      no admission control.`,
    resolution: text`
      Clients reconnect after a random delay of up to 30 s with exponential back-off; gateways drain connections gradually
      during deploys; the session check is cached for reconnects.`,
    resolutionCode: 'FIXED',
  },
  {
    ref: 'PM-510',
    title: 'Nightly slowdown of reporting and exports',
    severity: 'SEV3',
    status: 'Resolved',
    service: 'Analytics Dashboard',
    category: 'Performance',
    team: 'Insights',
    startedAt: '2024-03-01T00:00:00Z',
    resolvedAt: '2024-03-15T12:00:00Z',
    postmortem: text`
      Summary: for two weeks, scheduled exports and report e-mails that customers configure "daily at midnight" arrived late
      or failed, and the dashboard was very slow for about 30 minutes after 00:00 UTC.

      Impact: 15 % of scheduled exports failed at least once; customers in Asia-Pacific, for whom midnight UTC is working
      hours, saw a slow dashboard every day.

      Timeline: on 1 March the scheduler was migrated from per-customer random offsets to plain cron expressions. Every
      customer's "daily" job became 0 0 * * *, so 22,000 jobs started in the same second. The reporting database saturated
      its IOPS and the worker pool queued for 40 minutes. The pattern was noticed on 12 March from support tickets; on the
      15th offsets were restored.

      Root cause: the migration removed the spreading of scheduled jobs, so all tenants' jobs fired at the same instant and
      competed for the same database.

      Contributing factors: the scheduler migration was tested with a handful of jobs; no alert on the scheduler's queue
      delay.`,
    resolution: text`
      Restored a stable random offset per customer within the hour, capped concurrent report jobs at 200, added queue delay
      alerts.`,
    resolutionCode: 'FIXED',
  },
];
