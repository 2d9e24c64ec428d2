/** Vocabulary of the demo organisation: services, teams, people, categories and recurring incident stories. */

export const TEAMS = [
  { name: 'Service Desk', description: 'First line: takes user reports, triages, restores simple faults.' },
  { name: 'Platform SRE', description: 'Kubernetes platform, networking, observability.' },
  { name: 'Payments Engineering', description: 'Payments API, checkout and card processing.' },
  { name: 'Identity & Access', description: 'SSO, directory, MFA.' },
  { name: 'Data Engineering', description: 'Warehouse, ETL pipelines, reporting.' },
  { name: 'Workplace IT', description: 'Laptops, VPN, email and collaboration tools.' },
];

export const PEOPLE: [string, string, string, 'ADMIN' | 'PROBLEM_MANAGER' | 'ENGINEER' | 'VIEWER'][] = [
  ['Amara Okafor', 'amara.okafor@example.com', 'Service Desk', 'ENGINEER'],
  ['Jonas Weber', 'jonas.weber@example.com', 'Service Desk', 'ENGINEER'],
  ['Priya Raman', 'priya.raman@example.com', 'Platform SRE', 'PROBLEM_MANAGER'],
  ['Lucas Moreau', 'lucas.moreau@example.com', 'Platform SRE', 'ENGINEER'],
  ['Hannah Schmidt', 'hannah.schmidt@example.com', 'Platform SRE', 'ENGINEER'],
  ['Diego Alvarez', 'diego.alvarez@example.com', 'Payments Engineering', 'ENGINEER'],
  ['Mei Chen', 'mei.chen@example.com', 'Payments Engineering', 'ENGINEER'],
  ['Tomasz Nowak', 'tomasz.nowak@example.com', 'Identity & Access', 'ENGINEER'],
  ['Sara Lindqvist', 'sara.lindqvist@example.com', 'Identity & Access', 'ENGINEER'],
  ['Kwame Mensah', 'kwame.mensah@example.com', 'Data Engineering', 'ENGINEER'],
  ['Elena Rossi', 'elena.rossi@example.com', 'Data Engineering', 'PROBLEM_MANAGER'],
  ['Noah Williams', 'noah.williams@example.com', 'Workplace IT', 'ENGINEER'],
  ['Aiko Tanaka', 'aiko.tanaka@example.com', 'Workplace IT', 'ENGINEER'],
  ['Grace Mitchell', 'grace.mitchell@example.com', 'Service Desk', 'VIEWER'],
  ['Oliver Brandt', 'oliver.brandt@example.com', 'Platform SRE', 'ADMIN'],
];

export const SERVICES = [
  { name: 'Payments API', team: 'Payments Engineering', description: 'Card and wallet payment processing for all storefronts.' },
  { name: 'Checkout Web', team: 'Payments Engineering', description: 'Customer-facing checkout pages.' },
  { name: 'Single Sign-On', team: 'Identity & Access', description: 'SAML/OIDC identity provider for staff and partners.' },
  { name: 'Kubernetes Platform', team: 'Platform SRE', description: 'Production clusters hosting most services.' },
  { name: 'Data Warehouse', team: 'Data Engineering', description: 'Nightly ETL and reporting warehouse.' },
  { name: 'Corporate Email', team: 'Workplace IT', description: 'Mail delivery and calendars.' },
  { name: 'VPN', team: 'Workplace IT', description: 'Remote access for staff.' },
  { name: 'Search API', team: 'Platform SRE', description: 'Product search used by web and mobile apps.' },
];

export const CATEGORIES: Record<string, string[]> = {
  Software: ['Application error', 'Performance degradation', 'Failed deployment'],
  Infrastructure: ['Network', 'Storage', 'Compute', 'Certificates'],
  Access: ['Login failure', 'Permissions'],
  Data: ['Pipeline failure', 'Data quality'],
  Security: ['Phishing', 'Malware'],
};

export interface Story {
  title: string;
  description: string;
  service: string;
  category: [string, string];
  impact: 1 | 2 | 3;
  urgency: 1 | 2 | 3;
  resolution: string;
  code: string;
  kind: 'WORKAROUND' | 'PERMANENT_FIX' | 'NO_FIX_NEEDED' | 'ESCALATED_TO_PROVIDER';
  change?: [string, string];
  weight: number;
}

export const STORIES: Story[] = [
  {
    title: 'Checkout returns HTTP 502 for card payments',
    description:
      'Customers see "Something went wrong" at the payment step. Load balancer logs show 502 from payments-api pods; error rate 35%.',
    service: 'Payments API',
    category: ['Software', 'Application error'],
    impact: 1,
    urgency: 1,
    resolution: 'Rolled back payments-api to the previous release; connection pool exhaustion introduced by the new HTTP client.',
    code: 'ROLLBACK',
    kind: 'WORKAROUND',
    change: ['payments-api deployment', 'Rolled back to v4.18.2'],
    weight: 5,
  },
  {
    title: 'Payment authorisations timing out at the card processor',
    description: 'Authorisation calls to the acquiring bank exceed 30 s; orders stuck in PENDING_AUTH.',
    service: 'Payments API',
    category: ['Software', 'Performance degradation'],
    impact: 1,
    urgency: 2,
    resolution: 'Processor confirmed degraded capacity in their EU region; traffic failed over to the secondary acquirer.',
    code: 'VENDOR',
    kind: 'ESCALATED_TO_PROVIDER',
    weight: 3,
  },
  {
    title: 'Duplicate charges after payment retry',
    description: 'Some customers charged twice when the client retried after a timeout; idempotency key not forwarded.',
    service: 'Payments API',
    category: ['Software', 'Application error'],
    impact: 2,
    urgency: 1,
    resolution: 'Fixed idempotency key propagation in the retry middleware; refunds issued for affected orders.',
    code: 'CODE_FIX',
    kind: 'PERMANENT_FIX',
    weight: 2,
  },
  {
    title: 'Checkout page slow to load (LCP above 6 s)',
    description: 'Real-user monitoring shows checkout LCP at 6-8 s since morning; CDN cache hit ratio dropped.',
    service: 'Checkout Web',
    category: ['Software', 'Performance degradation'],
    impact: 2,
    urgency: 2,
    resolution: 'Purged and re-warmed the CDN after a misconfigured cache-control header; header fixed.',
    code: 'CONFIG',
    kind: 'PERMANENT_FIX',
    change: ['CDN configuration', 'Restored cache-control max-age=300 for static assets'],
    weight: 3,
  },
  {
    title: 'Promo code field rejects valid codes',
    description: 'Users report "invalid code" for BLACKFRIDAY codes; validation regex too strict after release.',
    service: 'Checkout Web',
    category: ['Software', 'Failed deployment'],
    impact: 3,
    urgency: 2,
    resolution: 'Hotfix deployed relaxing the promo code validation.',
    code: 'CODE_FIX',
    kind: 'PERMANENT_FIX',
    weight: 2,
  },
  {
    title: 'SSO login loop after password reset',
    description:
      'Users who reset their password are redirected back to the login page endlessly; SAML assertion rejected with clock skew error.',
    service: 'Single Sign-On',
    category: ['Access', 'Login failure'],
    impact: 2,
    urgency: 1,
    resolution:
      'Resynchronised NTP on idp-2; clock drift of 4 minutes caused assertions to be rejected. Workaround: clear cookies and ' +
      'sign in via idp-1.',
    code: 'NTP_RESYNC',
    kind: 'WORKAROUND',
    change: ['idp-2 host', 'Restarted chronyd and resynchronised the clock'],
    weight: 4,
  },
  {
    title: 'MFA push notifications not delivered',
    description: 'Staff not receiving MFA push prompts; SMS fallback works.',
    service: 'Single Sign-On',
    category: ['Access', 'Login failure'],
    impact: 2,
    urgency: 2,
    resolution: 'Push provider outage; users advised to use SMS or TOTP until the provider recovered.',
    code: 'VENDOR',
    kind: 'ESCALATED_TO_PROVIDER',
    weight: 2,
  },
  {
    title: 'New starters missing group permissions',
    description: 'Accounts created by the HR sync lack the default groups; new joiners cannot open Jira or Confluence.',
    service: 'Single Sign-On',
    category: ['Access', 'Permissions'],
    impact: 3,
    urgency: 2,
    resolution: 'Re-ran the group provisioning job; mapping for the new department code added.',
    code: 'DATA_FIX',
    kind: 'PERMANENT_FIX',
    weight: 2,
  },
  {
    title: 'Pods in CrashLoopBackOff after node pool upgrade',
    description: 'Several workloads crash-looping on the new node pool; OOMKilled with the new container runtime memory accounting.',
    service: 'Kubernetes Platform',
    category: ['Infrastructure', 'Compute'],
    impact: 1,
    urgency: 2,
    resolution: 'Raised memory limits for affected deployments and cordoned the new pool; runtime config corrected.',
    code: 'CONFIG',
    kind: 'WORKAROUND',
    change: ['node pool np-2026-b', 'Cordoned and drained; memory limits +25%'],
    weight: 3,
  },
  {
    title: 'Disk full on db-replica-03',
    description: 'Replica stopped applying WAL: no space left on device. Replication lag 45 minutes.',
    service: 'Kubernetes Platform',
    category: ['Infrastructure', 'Storage'],
    impact: 2,
    urgency: 1,
    resolution: 'Removed stale WAL archives and grew the volume by 200 GB; retention alert added.',
    code: 'CAPACITY',
    kind: 'PERMANENT_FIX',
    change: ['db-replica-03 volume', 'Resized from 500 GB to 700 GB'],
    weight: 3,
  },
  {
    title: 'TLS certificate expired on api.example.com',
    description: 'Clients fail with certificate has expired; automated renewal failed silently due to DNS challenge permissions.',
    service: 'Kubernetes Platform',
    category: ['Infrastructure', 'Certificates'],
    impact: 1,
    urgency: 1,
    resolution: 'Renewed the certificate manually and fixed the DNS API credentials used by cert-manager.',
    code: 'CERT_RENEW',
    kind: 'PERMANENT_FIX',
    change: ['cert-manager', 'Rotated DNS API token'],
    weight: 2,
  },
  {
    title: 'Intermittent DNS resolution failures inside the cluster',
    description: 'Services log EAI_AGAIN for internal names; CoreDNS pods throttled.',
    service: 'Kubernetes Platform',
    category: ['Infrastructure', 'Network'],
    impact: 2,
    urgency: 2,
    resolution: 'Scaled CoreDNS and enabled node-local DNS cache.',
    code: 'CAPACITY',
    kind: 'PERMANENT_FIX',
    weight: 2,
  },
  {
    title: 'Nightly ETL job orders_daily failed',
    description: 'Airflow task orders_daily failed with "snapshot too old"; morning sales dashboard empty.',
    service: 'Data Warehouse',
    category: ['Data', 'Pipeline failure'],
    impact: 2,
    urgency: 2,
    resolution: 'Re-ran the job with a smaller batch size; long-running source query split.',
    code: 'RERUN',
    kind: 'WORKAROUND',
    weight: 4,
  },
  {
    title: 'Revenue report shows duplicated rows',
    description: 'Finance reports revenue doubled for yesterday; late-arriving events were loaded twice.',
    service: 'Data Warehouse',
    category: ['Data', 'Data quality'],
    impact: 2,
    urgency: 3,
    resolution: 'Deduplicated the partition and made the loader idempotent on event id.',
    code: 'DATA_FIX',
    kind: 'PERMANENT_FIX',
    weight: 2,
  },
  {
    title: 'Outlook users cannot send mail: 550 5.7.1 relay denied',
    description: 'Outbound mail from some staff rejected by the relay after the connector change.',
    service: 'Corporate Email',
    category: ['Infrastructure', 'Network'],
    impact: 2,
    urgency: 2,
    resolution: 'Restored the outbound connector IP allow list.',
    code: 'CONFIG',
    kind: 'PERMANENT_FIX',
    change: ['mail relay connector', 'Re-added office egress IPs'],
    weight: 2,
  },
  {
    title: 'Phishing email reported by several staff',
    description: 'Credential-harvesting email impersonating the CEO; three users clicked the link.',
    service: 'Corporate Email',
    category: ['Security', 'Phishing'],
    impact: 2,
    urgency: 1,
    resolution: "Purged the message from all mailboxes, reset the three users' passwords, blocked the sender domain.",
    code: 'CONTAINED',
    kind: 'PERMANENT_FIX',
    weight: 2,
  },
  {
    title: 'VPN drops every 10 minutes for remote staff',
    description: 'Remote users disconnected periodically; gateway logs show DPD timeouts.',
    service: 'VPN',
    category: ['Infrastructure', 'Network'],
    impact: 2,
    urgency: 2,
    resolution: 'Workaround: switch client to TCP mode. Gateway firmware upgrade scheduled.',
    code: 'CLIENT_SETTING',
    kind: 'WORKAROUND',
    weight: 3,
  },
  {
    title: 'VPN client fails to install on macOS update',
    description: 'After the OS update the VPN client cannot load its system extension.',
    service: 'VPN',
    category: ['Software', 'Application error'],
    impact: 3,
    urgency: 3,
    resolution: 'Vendor released a compatible client; pushed through device management.',
    code: 'VENDOR',
    kind: 'ESCALATED_TO_PROVIDER',
    weight: 1,
  },
  {
    title: 'Search results empty for some queries',
    description: 'Product search returns no results for queries containing accented characters; analyzer misconfigured after reindex.',
    service: 'Search API',
    category: ['Software', 'Application error'],
    impact: 2,
    urgency: 2,
    resolution: 'Reindexed with the ascii-folding analyzer restored.',
    code: 'REINDEX',
    kind: 'PERMANENT_FIX',
    weight: 2,
  },
  {
    title: 'Search API p99 latency above 2 s',
    description: 'Latency alert: p99 2.4 s; heavy aggregation queries from a new mobile release.',
    service: 'Search API',
    category: ['Software', 'Performance degradation'],
    impact: 2,
    urgency: 2,
    resolution: 'Rate-limited the aggregation endpoint for the mobile client; query rewritten in the next release.',
    code: 'RATE_LIMIT',
    kind: 'WORKAROUND',
    weight: 3,
  },
  {
    title: 'User reports laptop cannot reach intranet',
    description: 'Single user; other staff unaffected.',
    service: 'VPN',
    category: ['Infrastructure', 'Network'],
    impact: 3,
    urgency: 3,
    resolution: 'Local DNS cache flushed; works again.',
    code: 'USER_FIX',
    kind: 'NO_FIX_NEEDED',
    weight: 3,
  },
];

/** Nationwide public holidays in Germany, 2025-2027. */
export const GERMAN_HOLIDAYS = [
  ['2025-01-01', 'Neujahr'],
  ['2025-04-18', 'Karfreitag'],
  ['2025-04-21', 'Ostermontag'],
  ['2025-05-01', 'Tag der Arbeit'],
  ['2025-05-29', 'Christi Himmelfahrt'],
  ['2025-06-09', 'Pfingstmontag'],
  ['2025-10-03', 'Tag der Deutschen Einheit'],
  ['2025-12-25', '1. Weihnachtstag'],
  ['2025-12-26', '2. Weihnachtstag'],
  ['2026-01-01', 'Neujahr'],
  ['2026-04-03', 'Karfreitag'],
  ['2026-04-06', 'Ostermontag'],
  ['2026-05-01', 'Tag der Arbeit'],
  ['2026-05-14', 'Christi Himmelfahrt'],
  ['2026-05-25', 'Pfingstmontag'],
  ['2026-10-03', 'Tag der Deutschen Einheit'],
  ['2026-12-25', '1. Weihnachtstag'],
  ['2026-12-26', '2. Weihnachtstag'],
  ['2027-01-01', 'Neujahr'],
  ['2027-03-26', 'Karfreitag'],
  ['2027-03-29', 'Ostermontag'],
  ['2027-05-01', 'Tag der Arbeit'],
  ['2027-05-06', 'Christi Himmelfahrt'],
  ['2027-05-17', 'Pfingstmontag'],
  ['2027-10-03', 'Tag der Deutschen Einheit'],
  ['2027-12-25', '1. Weihnachtstag'],
  ['2027-12-26', '2. Weihnachtstag'],
].map(([date, name]) => ({ date: date!, name: name! }));

export interface ProblemStory {
  story: string;
  title: string;
  description: string;
  rootCauseCategory: 'CHANGE' | 'CAPACITY' | 'SOFTWARE_DEFECT' | 'CONFIGURATION' | 'THIRD_PARTY' | 'HUMAN_ERROR' | 'HARDWARE' | 'UNKNOWN';
  rootCause: string | null;
  keywords: string[];
  /** Final status, reached `statusAfterDays` into the year. */
  status: 'OPEN' | 'KNOWN_ERROR' | 'FIX_IN_PROGRESS' | 'RESOLVED';
  statusAfterDays: number;
  fixChangeRef?: string;
  fixDescription?: string;
  workaround?: { title: string; steps: string; status: 'DRAFT' | 'ACTIVE' | 'RETIRED' };
}

/** Recurring stories become problems; most of them known errors with a workaround that gets applied. */
export const PROBLEM_STORIES: ProblemStory[] = [
  {
    story: 'Checkout returns HTTP 502 for card payments',
    title: 'payments-api exhausts its connection pool under peak load',
    description: 'Recurring 502s at checkout during traffic peaks since the HTTP client upgrade.',
    rootCauseCategory: 'SOFTWARE_DEFECT',
    rootCause:
      'The HTTP client upgrade (v4.19) halved the default connection pool size and disabled keep-alive reuse, so peaks exhaust the pool ' +
      'and requests time out at the load balancer.',
    keywords: ['502', 'connection pool', 'payments-api'],
    status: 'KNOWN_ERROR',
    statusAfterDays: 20,
    workaround: {
      title: 'Roll back payments-api and recycle pods',
      steps:
        '1. `kubectl -n payments rollout undo deploy/payments-api`\n2. Wait for all pods Ready.\n3. Check the 5xx rate on the checkout ' +
        'dashboard drops below 0.5 %.\n4. Post a stakeholder update.',
      status: 'ACTIVE',
    },
  },
  {
    story: 'SSO login loop after password reset',
    title: 'Clock drift on identity provider nodes rejects SAML assertions',
    description: 'Users loop back to the login page; assertions rejected for clock skew.',
    rootCauseCategory: 'CONFIGURATION',
    rootCause:
      'chronyd on idp-2 pointed at a decommissioned NTP server; the clock drifted by minutes and assertions fell outside the allowed skew.',
    keywords: ['login loop', 'clock skew', 'saml'],
    status: 'RESOLVED',
    statusAfterDays: 200,
    fixChangeRef: 'CHG30412',
    fixDescription: 'NTP sources standardised on all IdP nodes; drift alert added.',
    workaround: {
      title: 'Clear cookies and sign in through idp-1',
      steps:
        '1. Ask the user to clear cookies for sso.example.com.\n2. Send them the direct link to idp-1.\n3. Resync the clock on idp-2 ' +
        '(`chronyc makestep`).',
      status: 'RETIRED',
    },
  },
  {
    story: 'Nightly ETL job orders_daily failed',
    title: 'orders_daily source query outlives undo retention',
    description: 'The nightly load fails with "snapshot too old" when order volume is high.',
    rootCauseCategory: 'CAPACITY',
    rootCause:
      'The full-table source query runs longer than the source database undo retention on high-volume days, so the snapshot is gone ' +
      'before it finishes.',
    keywords: ['snapshot too old', 'orders_daily', 'etl'],
    status: 'FIX_IN_PROGRESS',
    statusAfterDays: 150,
    workaround: {
      title: 'Re-run orders_daily in batches of 5,000',
      steps:
        '1. In Airflow, clear the failed `orders_daily` task.\n2. Set the variable `orders_daily.batch_size=5000`.\n3. Trigger the DAG ' +
        'run and watch the row counts.',
      status: 'ACTIVE',
    },
  },
  {
    story: 'VPN drops every 10 minutes for remote staff',
    title: 'VPN gateway firmware drops idle UDP tunnels',
    description: 'Dead-peer detection bug in the gateway firmware disconnects UDP tunnels.',
    rootCauseCategory: 'THIRD_PARTY',
    rootCause:
      'Gateway firmware 9.2 has a dead-peer-detection bug that tears down UDP tunnels after 10 minutes; the vendor fix ships in 9.4.',
    keywords: ['vpn', 'disconnect', 'dpd'],
    status: 'KNOWN_ERROR',
    statusAfterDays: 60,
    workaround: {
      title: 'Switch the VPN client to TCP mode',
      steps: '1. Open the VPN client settings.\n2. Transport: **TCP 443**.\n3. Reconnect; the drops stop until the gateway upgrade.',
      status: 'ACTIVE',
    },
  },
  {
    story: 'Search API p99 latency above 2 s',
    title: 'Expensive aggregation queries from the mobile app',
    description: 'Latency spikes follow mobile releases; analysis ongoing.',
    rootCauseCategory: 'UNKNOWN',
    rootCause: null,
    keywords: ['latency', 'aggregation', 'p99'],
    status: 'OPEN',
    statusAfterDays: 0,
    workaround: {
      title: 'Rate-limit the aggregation endpoint for mobile clients',
      steps: '1. Apply the `search-agg-mobile` rate limit (50 rps) at the gateway.\n2. Confirm p99 back under 800 ms.',
      status: 'DRAFT',
    },
  },
  {
    story: 'Disk full on db-replica-03',
    title: 'WAL archive retention not enforced on replicas',
    description: 'Replicas fill their disks with WAL archives.',
    rootCauseCategory: 'CAPACITY',
    rootCause: 'The archive cleanup job was never deployed to the replica hosts, so WAL archives accumulate until the volume is full.',
    keywords: ['disk full', 'wal', 'no space left'],
    status: 'KNOWN_ERROR',
    statusAfterDays: 40,
    workaround: {
      title: 'Purge WAL archives older than 7 days',
      steps: '1. `find /var/lib/postgresql/wal-archive -mtime +7 -delete`\n2. Check replication lag returns to under 1 minute.',
      status: 'ACTIVE',
    },
  },
];

/** Incident models the service desk applies to the stories that keep coming back. */
export const MODEL_STORIES = [
  {
    story: 'Checkout returns HTTP 502 for card payments',
    name: 'Checkout 5xx during peak',
    description: 'Card payments fail at checkout with 502/503 from payments-api.',
    keywords: ['502', '503', 'checkout', 'payments-api'],
    checklist: [
      'Check the 5xx rate on the checkout dashboard',
      'Check payments-api pod restarts and connection pool metrics',
      'Decide on rollback with the payments on-call',
      'Post a stakeholder update every 30 minutes',
    ],
  },
  {
    story: 'Nightly ETL job orders_daily failed',
    name: 'Failed nightly load',
    description: 'A nightly Airflow load failed and the morning reports are empty.',
    keywords: ['etl', 'airflow', 'orders_daily', 'snapshot too old'],
    checklist: [
      'Find the failed task and its error in Airflow',
      'Re-run with the documented batch size',
      'Confirm row counts with finance before 09:00',
    ],
  },
  {
    story: 'VPN drops every 10 minutes for remote staff',
    name: 'VPN disconnects',
    description: 'Remote staff lose their VPN connection repeatedly.',
    keywords: ['vpn', 'disconnect', 'drops'],
    checklist: [
      'Ask for the client version and transport mode',
      'Switch the client to TCP if on UDP',
      'Collect gateway logs for the vendor case',
    ],
  },
];
