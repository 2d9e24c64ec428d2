import { text, type Postmortem } from './types';

/** Edge, CDN, DNS, BGP and the network between our hosts. */
export const NETWORK_POSTMORTEMS: Postmortem[] = [
  {
    ref: 'PM-201',
    title: 'Global 502 errors across the edge network for 27 minutes',
    severity: 'SEV1',
    status: 'Monitoring',
    service: 'Edge Proxy',
    category: 'Network',
    team: 'Edge',
    startedAt: '2019-07-02T13:42:00Z',
    resolvedAt: '2019-07-02T14:09:00Z',
    postmortem: text`
      Summary: for 27 minutes visitors to websites behind our edge received 502 Bad Gateway errors, in every location at
      once. The proxies on every machine that handles HTTP traffic ran at 100 % CPU and could not serve requests.

      Impact: a drop of about 82 % in traffic served worldwide; customers' sites, APIs and our own dashboard were unreachable
      or extremely slow.

      Timeline: 13:42 an engineer on the firewall team merged a small change to one of the managed web application firewall
      rules, meant to improve detection of a cross-site scripting pattern. Rule changes are deployed through our quick-release
      system, which reaches every server in seconds and is not staged like software releases. 13:45 the first alerts fired;
      the edge network team suspected an attack. 14:02 the firewall rules were identified as the cause and a global kill
      switch for the managed rule set was used. 14:09 traffic returned to normal. The offending rule was removed and the
      rules were re-enabled at 14:52.

      Root cause: the new rule contained a regular expression with nested quantifiers, of the kind .*(?:.*=.*). On certain
      inputs our regex engine, which does not guarantee linear run time, backtracked exponentially. Because the rule ran on
      every request and the change was pushed to the whole fleet at the same moment, every edge server exhausted its CPU
      evaluating it.

      Contributing factors: a protection that would have limited CPU use per rule had been removed weeks earlier during a
      refactor; rule updates skipped the progressive rollout used for code; the kill switch was hard to reach because our
      internal tools were themselves behind the edge.`,
    resolution: text`
      Disabled the managed rule set with the global kill switch (the known-error workaround), removed the rule, then re-enabled.
      Rule changes now go through staged rollout; the regex engine is being replaced by one with linear-time guarantees.`,
    resolutionCode: 'WORKAROUND',
  },
  {
    ref: 'PM-202',
    title: 'All of our apps and services unreachable for six hours',
    severity: 'SEV1',
    status: 'Closed',
    service: 'Backbone Network',
    category: 'Network',
    team: 'Network Engineering',
    startedAt: '2021-10-04T15:39:00Z',
    resolvedAt: '2021-10-04T21:40:00Z',
    postmortem: text`
      Summary: a routine maintenance command meant to assess the capacity of our global backbone accidentally took down every
      backbone connection between our data centres. Our authoritative name servers, unable to reach the data centres, then
      stopped advertising their own addresses to the internet, so nothing under our domains could be resolved.

      Impact: every consumer app, the developer platform and internal tools were offline worldwide for about six hours.
      Employees could not badge into some buildings because the access system depends on the same network.

      Timeline: 15:39 UTC the command ran; an audit tool that should have blocked it had a bug. Within a minute our prefixes
      disappeared from the global routing table as the edge routers withdrew their BGP announcements. Resolvers everywhere
      began returning SERVFAIL for our names. Remote access for engineers was gone too, so teams were sent to the data
      centres, where physical security measures slowed access to the routers. The backbone was restored in stages from
      21:00 to limit the power and traffic surge, and services were back at 21:40.

      Root cause: the DNS servers are designed to withdraw their anycast routes when they lose contact with the data centres,
      because an unhealthy location should stop receiving queries. With every location unhealthy at once, every DNS server
      withdrew, making a backbone outage look to the world like our domains had vanished.

      Contributing factors: out-of-band management relied on the same backbone; the command audit tool had not been tested
      against this command; recovery procedures assumed remote access.`,
    resolution: text`
      Restored backbone links on site and brought traffic back gradually. Since then: independent out-of-band network,
      audit tool fixed and covered by tests, storm exercises that simulate losing the whole backbone.`,
    resolutionCode: 'FIXED',
  },
  {
    ref: 'PM-203',
    title: 'Customers in North America and Europe unable to reach the API',
    severity: 'SEV1',
    status: 'Resolved',
    service: 'Public API',
    category: 'Network',
    team: 'Network Engineering',
    startedAt: '2019-06-24T10:34:00Z',
    resolvedAt: '2019-06-24T12:28:00Z',
    postmortem: text`
      Summary: for almost two hours a large part of the internet sent traffic for our IP ranges to a small regional network
      in Pennsylvania, which could not carry it. Requests timed out or were dropped.

      Impact: about 15 % of global requests failed, concentrated on users whose ISP accepted the bad routes.

      Timeline: 10:34 a small ISP, a customer of a large transit provider, began announcing more-specific routes for many
      networks, including ours. The routes came from a route optimiser that splits prefixes into smaller ones for internal
      traffic engineering; they leaked to the transit provider, which accepted and propagated them because it applied no
      filtering to its customer. Because more-specific routes always win, many networks preferred the leaked path. 10:52 our
      monitoring showed rising timeouts from several countries. We contacted the transit provider, whose network operations
      centre was slow to respond, and announced our own more-specific prefixes where possible. 12:28 the leak was withdrawn.

      Root cause: a route leak in another network, accepted without filtering by a major transit provider. Our own
      configuration was not at fault, but we had no RPKI route origin validation in place to make leaked routes invalid for
      networks that check them.

      Contributing factors: the lack of prefix limits and filters at the transit provider; slow contact with its NOC; our
      runbook for traffic hijacks and leaks was incomplete.`,
    resolution: text`
      The leak stopped after the transit provider and the ISP intervened. We published RPKI ROAs for all our prefixes and
      prepared pre-built more-specific announcements.`,
    resolutionCode: 'THIRD_PARTY',
  },
  {
    ref: 'PM-204',
    title: 'Intermittent 5-second delays and lookup failures between services',
    severity: 'SEV2',
    status: 'Monitoring',
    service: 'Kubernetes Platform',
    category: 'Network',
    team: 'Platform',
    startedAt: '2024-03-12T14:00:00Z',
    resolvedAt: '2024-03-13T11:30:00Z',
    postmortem: text`
      Summary: for about a day, calls between microservices in the production k8s cluster intermittently took exactly five
      seconds longer than usual, and some failed with "no such host" or "temporary failure in name resolution". The
      problem was worst on busy nodes at peak hours.

      Impact: p99 latency of the public API rose from 300 ms to 5.4 s; about 0.5 % of requests failed; background jobs
      retried and caught up later.

      Timeline: 14:00 on 12 March the first latency alerts fired after traffic increased for a campaign. The team suspected
      CoreDNS and scaled it from 4 to 12 replicas, which did not help. Packet captures on a node showed DNS queries leaving
      the pod but never reaching CoreDNS, and the kernel log repeated "nf_conntrack: table full, dropping packet". Each
      lookup also expanded into up to ten queries because of the ndots:5 search-path default, multiplying the number of UDP
      flows. The five-second delay is the resolver's retry timeout after a lost UDP packet.

      Root cause: the nodes' connection tracking table, sized by an old kernel default, filled up under peak load with short
      UDP flows from DNS lookups, and the kernel dropped new packets. A known race in conntrack for parallel A and AAAA queries
      over the same socket made losses more frequent.

      Contributing factors: node images had not been retuned after moving to larger instances; there was no metric for the
      conntrack table fill level; the application images used the musl resolver, which sends both queries in parallel.`,
    resolution: text`
      Applied the known-error workaround: raised nf_conntrack_max on all nodes and rolled out NodeLocal DNSCache, so lookups
      no longer cross conntrack for every query; lowered ndots to 2 for our services.`,
    resolutionCode: 'WORKAROUND',
  },
  {
    ref: 'PM-205',
    title: 'Website and API unreachable for some users after provider switch',
    severity: 'SEV2',
    status: 'Resolved',
    service: 'DNS',
    category: 'Network',
    team: 'Infrastructure',
    startedAt: '2022-06-07T08:15:00Z',
    resolvedAt: '2022-06-07T13:45:00Z',
    postmortem: text`
      Summary: we moved our public zones to a new DNS provider. For five and a half hours, users whose resolvers validate
      DNSSEC (including major public resolvers and many mobile carriers) could not resolve our domain at all, while others
      were unaffected.

      Impact: roughly 30 % of users could not open the website or use the app. Monitoring from our own offices showed
      everything green, which delayed the response.

      Timeline: 08:15 the registrar was updated with the new provider's name servers. 08:40 support saw tickets from users
      on one mobile carrier. 10:30 an engineer reproduced it with a validating resolver, which answered SERVFAIL. 11:50 the
      cause was found: the registrar still published the DS record of the old provider's signing key, so the new signatures
      could not be validated and the whole domain was considered bogus. 12:05 the DS record was replaced. Recovery was gated
      by the DS record's TTL of one hour plus resolver caching, and was complete around 13:45.

      Root cause: the migration plan moved the delegation before re-establishing the DNSSEC chain of trust with the new
      provider's keys.

      Contributing factors: our synthetic checks did not use a validating resolver; the plan was copied from a domain
      without DNSSEC; the change happened without a rollback plan for the registrar step.`,
    resolution: text`
      Published the new provider's DS record at the registrar. Future moves: disable DNSSEC or pre-publish the new keys first,
      and probe with validating resolvers.`,
    resolutionCode: 'FIXED',
  },
  {
    ref: 'PM-206',
    title: 'Uploads and large responses hang between regions',
    severity: 'SEV3',
    status: 'Resolved',
    service: 'File Storage',
    category: 'Network',
    team: 'Infrastructure',
    startedAt: '2023-10-03T07:30:00Z',
    resolvedAt: '2023-10-04T16:00:00Z',
    postmortem: text`
      Summary: after a network change, small requests between our two regions worked but anything larger than about 1.4 KB
      stalled until it timed out: file uploads replicated to the second region, large API responses, database replication of
      big rows.

      Impact: cross-region replication of uploaded files was delayed by up to 32 hours; a few API calls that fetch large
      objects from the other region failed. Health checks, which send small payloads, stayed green.

      Timeline: 7:30 on 3 October the network team enabled a new encrypted tunnel between the regions. During the day
      replication queues grew slowly. The next morning an engineer noticed that curl between the regions hung after the TLS
      handshake for large pages only. Ping with the do-not-fragment flag showed that packets above 1,380 bytes vanished.
      The tunnel's overhead reduced the usable packet size, and ICMP "fragmentation needed" messages were blocked by a
      security group, so endpoints never learned to send smaller packets. 16:00 MSS clamping was configured on the tunnel and
      traffic flowed.

      Root cause: an MTU mismatch combined with a path MTU discovery black hole: the tunnel lowered the maximum packet size
      and the ICMP messages that tell senders about it were filtered.

      Contributing factors: the change was tested with ping and small HTTP requests only; health checks do not exercise large
      payloads.`,
    resolution: text`
      Clamped TCP MSS to 1340 on the tunnel interfaces and allowed ICMP type 3 code 4 in the security groups.`,
    resolutionCode: 'FIXED',
  },
  {
    ref: 'PM-207',
    title: 'Some signed-in users saw other customers’ account pages',
    severity: 'SEV1',
    status: 'Closed',
    service: 'Web Storefront',
    category: 'Security',
    team: 'Edge',
    startedAt: '2020-12-25T19:50:00Z',
    resolvedAt: '2020-12-25T21:25:00Z',
    postmortem: text`
      Summary: on Christmas Day, while traffic was under a denial-of-service attack, we changed caching rules on our content
      delivery network to absorb the load. One of the new rules cached pages that contain personal data. For 95 minutes a
      signed-in visitor could be served a copy of another person's account page.

      Impact: about 34,000 users may have seen pages of other users, showing name, partial address, order history and the
      last four digits of a card. No passwords or full card numbers were exposed. We notified affected users and regulators.

      Timeline: 19:30 a traffic flood started against the storefront. 19:50 an engineer deployed a second caching
      configuration to offload the origin; it treated the account path like static content and ignored the session cookie
      in the cache key. 20:40 first reports on social media. 21:05 the configuration was rolled back and the entire cache
      purged; 21:25 confirmed clean.

      Root cause: personalised responses were cached by the CDN and served to other visitors because the emergency rule
      keyed the cache on the URL alone. The origin did not mark account pages with Cache-Control: private, so nothing stopped
      the edge from storing them.

      Contributing factors: the change was made under pressure without review; there was no automated test asserting that
      personalised paths are never cacheable; holiday staffing.`,
    resolution: text`
      Rolled back the CDN rule and purged everything. All personalised responses now send Cache-Control: private, no-store,
      and a synthetic test signs in as two users and checks they never see each other's pages.`,
    resolutionCode: 'FIXED',
  },
  {
    ref: 'PM-208',
    title: 'Dropped real-time connections during every scale-in',
    severity: 'SEV3',
    status: 'Resolved',
    service: 'Realtime Gateway',
    category: 'Network',
    team: 'Platform',
    startedAt: '2024-09-16T00:00:00Z',
    resolvedAt: '2024-09-30T15:00:00Z',
    postmortem: text`
      Summary: for two weeks, users of the collaborative editor lost their live connection several times a day, always when
      the gateway fleet scaled in after a peak. Unsaved cursors and presence indicators disappeared and clients reconnected.

      Impact: about 4 % of editing sessions saw a "reconnecting" banner at least once a day; a small number of users lost the
      last few seconds of edits.

      Timeline: the problem began after the gateways moved to a new autoscaling group on 16 September. Reports were first
      treated as client bugs. On 27 September correlation with scale-in events was noticed. Investigation showed that the
      load balancer target group had a deregistration delay of 0 seconds, copied from a template for stateless HTTP services,
      so instances were removed from rotation and terminated while thousands of WebSocket connections were still open.

      Root cause: connections were cut abruptly instead of being drained: no deregistration delay, and no lifecycle hook
      to let the gateway tell clients to move before the instance shut down.

      Contributing factors: the template was designed for short HTTP requests; the client retried instantly, so the problem
      looked like a flake; no dashboard joined connection resets and autoscaling activity.`,
    resolution: text`
      Set a 300-second deregistration delay, added a termination lifecycle hook that sends clients a graceful reconnect
      message and waits for connections to drain, and added jitter to client reconnects.`,
    resolutionCode: 'FIXED',
  },
  {
    ref: 'PM-209',
    title: 'Service event in the eastern region',
    severity: 'SEV1',
    status: 'Closed',
    service: 'Cloud Control Plane',
    category: 'Network',
    team: 'Network Engineering',
    startedAt: '2021-12-07T15:30:00Z',
    resolvedAt: '2021-12-07T22:48:00Z',
    postmortem: text`
      Summary: an automated activity to scale capacity of one of the services hosted in our main network triggered an
      unexpected behaviour from a large number of clients inside the internal network. The result was a surge of connection
      attempts that overwhelmed the devices between the internal network and the main network, causing delays for
      communication between them.

      Impact: customers could keep running existing workloads, but APIs used to launch, describe or manage resources were
      impaired for about seven hours; the console, our own monitoring and our support contact systems were degraded, so
      status updates were slow.

      Timeline: 15:30 the scaling activity began and latency between the networks rose sharply. Because internal DNS and
      monitoring also crossed the congested devices, operators lacked visibility. Engineers first moved internal DNS traffic
      away, which helped partly at 17:34. They then identified the source of the surge and disabled the scaling activity and
      the retry behaviour of the clients; congestion eased from 20:00 and APIs recovered at 22:48.

      Root cause: a latent defect in the client's network library: under the new scaling event, clients did not back off
      as designed but retried aggressively, creating a storm of connections that the aggregation devices could not handle.

      Contributing factors: the behaviour had never been seen in years of operation; operational tools depended on the
      congested path; the status page itself depended on impaired services.`,
    resolution: text`
      Disabled the scaling activity and the aggressive retries; deployed a fix to the network client's back-off; moved
      monitoring and status communication onto independent paths.`,
    resolutionCode: 'FIXED',
  },
  {
    ref: 'PM-210',
    title: 'Site-wide slowness following a content update',
    severity: 'SEV2',
    status: 'Resolved',
    service: 'Web Storefront',
    category: 'Performance',
    team: 'Edge',
    startedAt: '2024-11-28T10:00:00Z',
    resolvedAt: '2024-11-28T10:55:00Z',
    postmortem: text`
      Summary: after the merchandising team published the winter campaign, pages took 10 to 30 seconds to load and many
      returned 503 for almost an hour. The publishing tool had invalidated every cached object on the CDN at once.

      Impact: conversion dropped by 60 % for 55 minutes during a high-traffic morning.

      Timeline: 10:00 the campaign was published with the "refresh everything" option, which purges the whole CDN cache.
      Within seconds all edge locations forwarded their requests to the origin, which normally serves about 3 % of traffic.
      Origin CPU went to 100 %, response times rose, and edges retried timeouts, adding load. 10:20 the team enabled the
      origin shield and "serve stale on error" on the CDN. 10:35 origin autoscaling caught up and the cache refilled;
      10:55 normal.

      Root cause: a full purge emptied the cache during peak hours and every edge requested the same popular pages from
      the origin simultaneously. The origin had never been sized for a cold cache.

      Contributing factors: the publishing tool offered a full purge as a default button; the shield layer that collapses
      identical requests was disabled months earlier to save cost; no alert on the cache hit ratio.`,
    resolution: text`
      Re-enabled the origin shield with request collapsing and stale-while-revalidate; the publishing tool now purges only
      the changed paths, and a full purge needs a second approval.`,
    resolutionCode: 'FIXED',
  },
];
