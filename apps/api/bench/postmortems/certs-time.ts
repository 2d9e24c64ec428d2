import { text, type Postmortem } from './types';

/** Certificates, keys and credentials that expire, and time itself: clocks, leap seconds, leap days. */
export const CERTS_TIME_POSTMORTEMS: Postmortem[] = [
  {
    ref: 'PM-301',
    title: 'Mobile and desktop apps unable to sign in',
    severity: 'SEV1',
    status: 'Monitoring',
    service: 'Identity API',
    category: 'Security',
    team: 'Identity',
    startedAt: '2024-01-08T00:00:00Z',
    resolvedAt: '2024-01-08T02:41:00Z',
    postmortem: text`
      Summary: from midnight UTC on 8 January the native apps could not sign users in or refresh sessions. The browser
      version kept working for existing sessions. Every call to auth.example.net failed the TLS handshake.

      Impact: for 2 hours 41 minutes no one could sign in on iOS, Android or desktop; around 60 % of active users were
      affected at some point.

      Timeline: 00:00 the x509 cert of auth.example.net reached its notAfter date. 00:07 synthetic checks failed but were
      muted because of a maintenance window on another service. 00:35 on-call was paged by the error rate of the apps. 01:10
      the team saw "certificate has expired" in the client logs. The automated renewal had been failing for 30 days: the
      ACME client used a DNS-01 challenge, and the API key it used to create the challenge TXT record had been rotated in
      November as part of a credential clean-up, without updating the renewal job. 02:20 an engineer issued a certificate by
      hand, and 02:41 the load balancers served it.

      Root cause: the renewal job's credentials for the DNS provider were revoked, so renewals failed silently every day
      for a month until the existing certificate lapsed.

      Contributing factors: renewal failures were logged but not alerted on; the expiry monitor only covered certificates
      in the inventory spreadsheet, which did not list this endpoint; the apps pin the leaf certificate's issuer, so a
      temporary certificate from another CA was not an option.`,
    resolution: text`
      Workaround: renewed the certificate manually with certbot using a new DNS API token and reloaded the load balancers.
      Then fixed the renewal job's credential, added alerts on renewal failures and on any certificate expiring within 21 days.`,
    resolutionCode: 'WORKAROUND',
  },
  {
    ref: 'PM-302',
    title: 'Older Android phones and embedded devices lost connectivity',
    severity: 'SEV2',
    status: 'Resolved',
    service: 'Device API',
    category: 'Security',
    team: 'Devices',
    startedAt: '2021-09-30T14:01:00Z',
    resolvedAt: '2021-10-01T18:00:00Z',
    postmortem: text`
      Summary: on 30 September a widely used root authority expired. Our servers presented a chain that could still be built
      up to that expired root, and older clients that do not know the newer root rejected our HTTPS connections.

      Impact: about 9 % of devices, mostly Android 7 and older and a family of smart-home hubs running an old OpenSSL,
      could not sync for up to 28 hours.

      Timeline: 14:01 UTC the old root's validity ended as announced months before. Modern clients were fine because they
      trust the newer root. During the afternoon support received reports from owners of older phones and hubs. 17:00 the
      devices team reproduced the SSL handshake failure: the old OpenSSL stopped at the expired cross-signed path instead of
      trying the alternative chain. The next day we served a chain without the expired cross-sign for the device API
      hostname and pushed an updated trust store to the hubs.

      Root cause: a root CA expiry interacting with chain building in old TLS libraries. The change was public knowledge;
      we had assessed browsers but not our embedded clients.

      Contributing factors: no inventory of client TLS stacks; the hub firmware's trust store was never updated.`,
    resolution: text`
      Served an alternative chain for device hostnames and shipped firmware with an updated CA bundle.`,
    resolutionCode: 'FIXED',
  },
  {
    ref: 'PM-303',
    title: 'Payouts to merchants failed for two days',
    severity: 'SEV2',
    status: 'Resolved',
    service: 'Payouts',
    category: 'Integration',
    team: 'Payments',
    startedAt: '2023-04-01T06:00:00Z',
    resolvedAt: '2023-04-03T10:30:00Z',
    postmortem: text`
      Summary: the nightly payout batch to merchants was rejected by our banking partner on 1 and 2 April. The partner's API
      answered 401 Unauthorized to every request because the secret we authenticated with had reached its end of validity.

      Impact: 6,200 merchants were paid up to two days late; finance handled escalations and paid some fees.

      Timeline: the service account secret for the banking API was created on 1 April 2022 with a fixed lifetime of one
      year. A reminder e-mail from the partner went to a former employee's mailbox. The batch failed on the night of the 1st;
      the failure alert was routed to a channel the payments team had muted during a migration. On the 3rd finance noticed
      missing settlement files. A new secret was generated in the partner's portal and stored in our vault, and both batches
      were rerun by 10:30.

      Root cause: an API credential with a hard expiry was not tracked anywhere, and nobody owned its renewal.

      Contributing factors: expiry notices went to a personal address; no alert specific to authentication errors from the
      partner; muted alert channel.`,
    resolution: text`
      Rotated the partner API secret and reran both payout batches. All third-party credentials are now in an inventory with
      expiry dates and alerts 30 days ahead; partner notices go to a team alias.`,
    resolutionCode: 'FIXED',
  },
  {
    ref: 'PM-304',
    title: 'Widespread CPU saturation on application servers overnight',
    severity: 'SEV2',
    status: 'Closed',
    service: 'Application Fleet',
    category: 'Infrastructure',
    team: 'Platform',
    startedAt: '2012-07-01T00:00:00Z',
    resolvedAt: '2012-07-01T03:10:00Z',
    postmortem: text`
      Summary: shortly after midnight UTC on 1 July, CPU usage on most Linux servers running Java services and MySQL jumped to
      100 % and stayed there although traffic was low. Services became very slow until the servers were fixed.

      Impact: API latency rose ten-fold for about three hours overnight; several batch jobs missed their windows.

      Timeline: 23:59:60 UTC on 30 June a leap second was inserted into UTC, and NTP told the kernels about it. Within
      minutes, monitoring showed every JVM and mysqld spinning in futex calls. Restarting processes did not help. At 01:30 an
      engineer found reports from other companies describing the same symptom and the remedy: setting the system clock, which
      clears the kernel's stuck timer state. A script ran date -s "$(date)" on all hosts, and CPU dropped at once. Remaining
      hosts were done by 03:10.

      Root cause: a Linux kernel bug in the handling of the inserted second left the high-resolution timer subsystem in a
      state where timed waits returned immediately, so applications that sleep on futexes with timeouts busy-looped.

      Contributing factors: we had no plan for the event although it was announced six months ahead; the kernel versions in
      use were all affected.`,
    resolution: text`
      Reset the system clock on every host. Leap seconds are now smeared by our time servers over 24 hours, and kernels were
      upgraded.`,
    resolutionCode: 'FIXED',
  },
  {
    ref: 'PM-305',
    title: 'Users intermittently signed out and API calls rejected as unauthorised',
    severity: 'SEV2',
    status: 'Monitoring',
    service: 'Identity API',
    category: 'Security',
    team: 'Identity',
    startedAt: '2024-05-06T09:00:00Z',
    resolvedAt: '2024-05-07T15:20:00Z',
    postmortem: text`
      Summary: for a day and a half, around one in six requests that carried a freshly issued access token was refused with
      401, and some users were signed out right after signing in. Retrying usually worked.

      Impact: 4 % of sign-ins failed; public API customers saw sporadic 401 errors; two partners paused their integrations.

      Timeline: on 6 May the platform team rolled out a new base image for virtual machines. 09:00 the first reports came in.
      The identity team checked the signing keys, the token service and the gateway without finding an error. On the 7th an
      engineer noticed that every rejected token was validated on one of five gateway hosts, and that the validation error
      said the token was "used before its issued-at time". The clocks of those hosts were 3 to 5 minutes behind. 15:20 time
      was stepped on the hosts and errors stopped.

      Root cause: the new base image did not enable the time synchronisation daemon, so hosts built from it drifted from real
      time. Tokens are signed with the issuer's clock and checked with the verifier's clock, with only 30 seconds of leeway,
      so a host running slow considered new tokens not yet valid.

      Contributing factors: no monitoring of clock offset; the image test suite did not check that chrony is running; the
      error message was logged without the time difference.`,
    resolution: text`
      Workaround from the known error: started chrony and forced an immediate clock step (chronyc makestep) on the drifted
      hosts. The base image now enables chrony, and an alert fires when any host's offset exceeds 100 ms.`,
    resolutionCode: 'WORKAROUND',
  },
  {
    ref: 'PM-306',
    title: 'DNS resolution errors at the turn of the year',
    severity: 'SEV2',
    status: 'Closed',
    service: 'DNS',
    category: 'Software',
    team: 'Edge',
    startedAt: '2017-01-01T00:00:00Z',
    resolvedAt: '2017-01-01T06:45:00Z',
    postmortem: text`
      Summary: at midnight UTC on 1 January a small fraction of DNS queries to our authoritative service failed. The DNS
      program on some servers crashed repeatedly in the code that picks the fastest upstream resolver.

      Impact: about 0.2 % of queries returned errors over roughly six hours, visible to customers whose domains use our
      resolution for CNAME targets.

      Timeline: a leap second was added at 23:59:60 on 31 December. Some of our servers then observed the wall clock moving
      backwards by one second. The upstream selection code measured elapsed time by subtracting two wall-clock readings,
      got a negative duration, and passed it to a random-number function that panics on non-positive input. 00:20 the team
      saw panics in the logs; 02:00 the cause was understood; a patch clamping the duration was deployed worldwide by 06:45.

      Root cause: the code assumed time never goes backwards and used the wall clock rather than a monotonic clock to measure
      durations.

      Contributing factors: the language's standard library had no monotonic clock at the time; the leap second was not
      simulated in testing.`,
    resolution: text`
      Deployed a fix that treats negative durations as zero; all duration measurements now use a monotonic clock source.`,
    resolutionCode: 'FIXED',
  },
  {
    ref: 'PM-307',
    title: 'Builds and server provisioning failing with signature errors',
    severity: 'SEV3',
    status: 'Resolved',
    service: 'Build System',
    category: 'Tooling',
    team: 'Developer Productivity',
    startedAt: '2023-07-15T08:00:00Z',
    resolvedAt: '2023-07-17T11:30:00Z',
    postmortem: text`
      Summary: from Saturday morning every CI build and every new server failed while installing packages from our internal
      apt repository, with "The following signatures were invalid: EXPKEYSIG". The repository's signing key had reached its
      expiry date.

      Impact: no deploys could be built over the weekend; autoscaling could not add new hosts because provisioning failed,
      which caused mild latency on Monday morning until the fix.

      Timeline: the GPG key used to sign repository metadata was created in 2020 with a three-year expiry. Saturday 08:00
      builds began failing. The weekend on-call assumed a problem with the public mirrors and pinned older images. Monday
      09:00 the build team recognised the message, extended the key's expiry date, re-signed the repository, and pushed the
      updated public key to the base images. 11:30 builds and provisioning were green.

      Root cause: an expired package signing key; apt refuses metadata signed by an expired key.

      Contributing factors: key expiry was not recorded in any calendar or monitor; the error surfaced in build logs only;
      base images embed the key, so fixing it required rebuilding images.`,
    resolution: text`
      Extended the key's validity, re-signed the repository metadata, rebuilt base images; key expiry is now monitored.`,
    resolutionCode: 'FIXED',
  },
  {
    ref: 'PM-308',
    title: 'Virtual machines failing to start on February 29',
    severity: 'SEV1',
    status: 'Closed',
    service: 'Compute',
    category: 'Software',
    team: 'Compute',
    startedAt: '2012-02-29T00:00:00Z',
    resolvedAt: '2012-03-01T08:00:00Z',
    postmortem: text`
      Summary: starting at midnight UTC on 29 February, new virtual machines and any VM that was restarted failed to
      initialise. The host agents then marked the physical servers as faulty, and automated repair moved more VMs,
      spreading the failure.

      Impact: customers in several regions could not deploy or scale services for about a day; some running services were
      disrupted when their VMs were moved.

      Timeline: the guest agent in each VM creates a transfer certificate when it starts, valid for one year. On 29 February
      it computed the end date by adding one to the year, giving 29 February of the next year, a date that does not exist,
      so certificate creation failed. After three failed starts the host declared itself broken. At 01:15 engineers halted
      service management operations to stop the spread; a fix to the date calculation was written, tested, and rolled out
      in stages over the day, with a second problem caused by a wrong package version in one cluster.

      Root cause: a date calculation that did not handle leap years, in code that runs on every VM start.

      Contributing factors: the host's repair logic amplified a software bug into hardware quarantine; the rollout of the
      fix skipped parts of the usual validation.`,
    resolution: text`
      Fixed the validity-date calculation in the guest agent and host plugin; added a date-range test suite for leap years.`,
    resolutionCode: 'FIXED',
  },
  {
    ref: 'PM-309',
    title: 'Enterprise SSO logins rejected for three customers',
    severity: 'SEV3',
    status: 'Resolved',
    service: 'Identity API',
    category: 'Security',
    team: 'Identity',
    startedAt: '2024-10-21T07:10:00Z',
    resolvedAt: '2024-10-21T12:05:00Z',
    postmortem: text`
      Summary: employees of three enterprise customers could not log in through their company identity provider for five
      hours. Our service provider rejected every SAML response with "signature validation failed".

      Impact: about 3,900 users could not sign in; other customers and password logins were not affected.

      Timeline: the three customers use the same hosted identity provider, which replaced its signing certificate on
      21 October as announced to its administrators, not to us. 07:10 rejections started. 08:30 the first customer contacted
      support. 10:40 engineers compared the certificate in the SAML response with the one stored in the customers'
      configuration and found they differed. The customers' administrators sent the new metadata, which we uploaded by 12:05.

      Root cause: we pin each customer's IdP signing certificate from uploaded metadata, and do not refresh it automatically.
      The IdP's certificate rotation therefore broke validation.

      Contributing factors: customers were not told to warn us before rotating; we do not support publishing two
      certificates at once or fetching metadata from a URL.`,
    resolution: text`
      Uploaded the new IdP metadata for the three customers. Added periodic metadata refresh from the IdP's URL and support
      for a secondary certificate during rotation.`,
    resolutionCode: 'FIXED',
  },
];
