import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drain } from '@ikb/api/src/features/analytics/analytics.rollups';
import { seedScale } from '@ikb/api/src/seed/scale-seed';
import { analytics, checkDashboard, loadRaw, localDate, type Filter, type Raw } from './support/analytics-factories';
import { createService, logIncident } from './support/factories';
import { startTestApp, ok, type TestApp } from './support/test-app';

/**
 * The analytics API against a brute force over raw rows. The data: the demo organisation
 * (200 incidents replayed through the services, two SLA policies, one on Berlin office hours),
 * 1,500 generated incidents over two years (problems, open ones, clocks), and hand-made rows for
 * what neither makes: published and draft reviews with action items, incident models applied,
 * imported verdicts, time entries, clocks that ran out after they were last written, unknown
 * detection times, and incidents on both sides of DST week boundaries.
 */

let t: TestApp;
let raw: Raw;
let dstService: { id: string };
const DAY = 86_400_000;

beforeAll(async () => {
  t = await startTestApp();
  await seedScale(t.app.orm.em, { incidents: 1500, seed: 7 });

  // Incidents on both sides of the Monday-midnight boundaries of DST weeks (Berlin and New York).
  dstService = await createService(t, { name: 'DST boundary service' });
  const at = [
    '2026-03-22T22:59:59.000Z', // Sun 23:59:59 CET: week of 16 March
    '2026-03-22T23:00:00.000Z', // Mon 00:00 CET: week of 23 March (the spring change is on its Sunday)
    '2026-03-29T01:30:00.000Z', // Sun 03:30 CEST, just after the change
    '2026-03-29T21:59:59.999Z', // Sun 23:59:59.999 CEST: still the week of 23 March
    '2026-03-29T22:00:00.000Z', // Mon 00:00 CEST: week of 30 March
    '2026-10-25T00:30:00.000Z', // Sun 02:30 CEST, before the autumn change
    '2026-10-25T01:30:00.000Z', // Sun 02:30 CET, the repeated hour
    '2026-10-25T22:59:59.000Z', // Sun 23:59:59 CET: week of 19 October
    '2026-10-25T23:00:00.000Z', // Mon 00:00 CET: week of 26 October
    '2026-03-08T04:59:59.000Z', // New York Sat 23:59:59 EST
    '2026-03-09T03:59:59.000Z', // New York Sun 23:59:59 EDT: week of 2 March
    '2026-03-09T04:00:00.000Z', // New York Mon 00:00 EDT: week of 9 March
    '2026-11-02T04:59:59.000Z', // New York Sun 23:59:59 EST: week of 26 October
    '2026-11-02T05:00:00.000Z', // New York Mon 00:00 EST: week of 2 November
  ];
  for (const [k, openedAt] of at.entries()) {
    await logIncident(t, {
      serviceId: dstService.id,
      openedAt,
      impact: 1 + (k % 3),
      urgency: 1 + ((k + 1) % 3),
      detectedAt: new Date(Date.parse(openedAt) - 60_000).toISOString(),
    });
  }

  // Reviews (published and draft) over major / P1-2 incidents and others, with action items.
  // Every row this set-up reads back is an id.
  const q = (sql: string, params?: unknown[]) => t.sql<{ id: string }>(sql, params);
  const [owner] = await q(`select id from users order by email limit 1`);
  const majors = await q(
    `select id, problem_id from incidents where (major or priority <= 2) and resolved_at is not null order by number limit 12`,
  );
  const others = await q(`select id from incidents where not major and priority > 2 order by number limit 3`);
  const problems = await q(`select id from problems order by number`);
  const review = async (status: string, incidentIds: string[], problemId: string | null) => {
    const [r] = await q(
      `insert into reviews (id, number, title, status, problem_id, published_at) values (gen_random_uuid(),
        nextval('review_number_seq'), 'Review', $1::varchar, $2::uuid, case when $1::varchar = 'PUBLISHED' then now() end) returning id`,
      [status, problemId],
    );
    for (const id of incidentIds) await q(`insert into review_incidents (review_id, incident_id) values ($1, $2)`, [r.id, id]);
    return r.id as string;
  };
  const r1 = await review('PUBLISHED', [majors[0].id, majors[1].id, others[0].id], problems[0]?.id ?? null);
  const r2 = await review('DRAFT', [majors[2].id, majors[3].id], null);
  const r3 = await review('PUBLISHED', [majors[4].id], problems[1]?.id ?? null);
  await review('IN_REVIEW', [majors[5].id, others[1].id], null);
  const item = (reviewId: string, status: string, due: string, doneAt: string | null, problemId: string | null = null) =>
    q(
      `insert into action_items (id, review_id, title, owner_id, due_date, kind, priority, status, wont_do_reason, done_at, problem_id)
       values (gen_random_uuid(), $1::uuid, 'Do it', $2::uuid, $3::date, 'PREVENT', 3, $4::varchar, case when $4::varchar = 'WONT_DO'
         then 'not worth it' end, $5::timestamptz, $6::uuid)`,
      [reviewId, owner.id, due, status, doneAt, problemId],
    );
  // Done on its due date late in the evening (the next day in Kolkata), one done a day late, one overdue.
  await item(r1, 'DONE', '2026-06-10', '2026-06-10T21:30:00Z', problems[0]?.id);
  await item(r1, 'DONE', '2026-06-10', '2026-06-11T08:00:00Z', problems[0]?.id);
  await item(r1, 'OPEN', '2020-01-01', null);
  await item(r2, 'IN_PROGRESS', '2099-01-01', null);
  await item(r2, 'WONT_DO', '2026-01-01', null);
  await item(r3, 'DONE', '2026-02-01', '2026-01-31T23:30:00Z', problems[1]?.id);

  // Incident models applied to some resolved incidents.
  const [model] = await q(
    `insert into incident_models (id, name, status) values (gen_random_uuid(), 'Restart the pool', 'ACTIVE') returning id`,
  );
  const [version] = await q(`insert into incident_model_versions (id, model_id, version) values (gen_random_uuid(), $1, 1) returning id`, [
    model.id,
  ]);
  await q(
    `update incidents set model_version_id = $1 where id in (select id from incidents where resolved_at is not null and category_id
      is not null order by number desc limit 40)`,
    [version.id],
  );
  // Imported verdicts, unknown detection, time entries.
  await q(
    `update incidents set recorded_resolution_sla_verdict = case when number % 2 = 0 then 'MET' else 'BREACHED' end where id in (select
      id from incidents order by number desc offset 100 limit 30)`,
  );
  await q(`update incidents set detected_at = null where id in (select id from incidents order by number desc offset 200 limit 50)`);
  await q(`insert into time_entries (id, incident_id, activity, minutes, billable, rate_cents, performed_at)
           select gen_random_uuid(), id, 'diagnosis', 15 + (number % 97), number % 3 = 0, 6000 + (number % 5) * 1000, opened_at from
             incidents where number % 4 = 0`);
  // Clocks that ran out after they were last written: still PENDING in the table.
  await q(`update sla_clocks set verdict = 'PENDING', state = 'RUNNING', breached_at = null, due_at = now() - interval '1 hour'
           where incident_id in (select id from incidents where status in ('NEW','TRIAGED','INVESTIGATING') order by number limit 5)`);
  await q(`update sla_clocks set verdict = 'PENDING', state = 'RUNNING', breached_at = null, due_at = now() + interval '5 hours'
           where target = 'RESOLUTION' and incident_id in (select id from incidents where status in ('NEW','TRIAGED','INVESTIGATING')
             order by number offset 5 limit 5)`);

  await drain(t.app.orm.em);
  raw = await loadRaw(t);
}, 300_000);

afterAll(async () => {
  await t?.close();
});

const iso = (ms: number) => new Date(ms).toISOString();

describe('every figure equals a brute force over the raw rows', () => {
  it('has the data the checks need', () => {
    expect(raw.incidents.length).toBeGreaterThan(1700);
    expect(raw.coverage.length).toBeGreaterThan(0);
    expect(raw.incidents.some((i) => i.model_id)).toBe(true);
    expect(raw.incidents.some((i) => i.resolution_workaround_id)).toBe(true);
    expect(raw.incidents.some((i) => i.recorded)).toBe(true);
    expect(raw.versions.length).toBeGreaterThan(1);
  });

  const now = Date.now();
  const cases: [string, () => Filter][] = [
    ['a year of whole UTC months, no filter', () => ({ from: '2025-12-01T00:00:00Z', to: '2026-12-01T00:00:00Z', timeZone: 'UTC' })],
    [
      'whole Berlin months (DST both ways), no filter',
      () => ({ from: '2025-11-30T23:00:00Z', to: '2026-11-30T23:00:00Z', timeZone: 'Europe/Berlin' }),
    ],
    [
      'cut days at both ends in New York, priorities 1-2',
      () => ({ from: '2025-12-15T13:45:10Z', to: iso(now - 2 * 3_600_000), timeZone: 'America/New_York', priorities: [1, 2] }),
    ],
    [
      'Kolkata (+05:30), one service, two years',
      () => ({ from: iso(now - 740 * DAY), to: iso(now + DAY), timeZone: 'Asia/Kolkata', serviceIds: [serviceIds()[0]!] }),
    ],
    [
      'a top-level category (its subcategories included), Berlin',
      () => ({ from: '2026-01-10T10:00:00Z', to: '2026-09-20T05:00:00Z', timeZone: 'Europe/Berlin', categoryIds: [topCategory()] }),
    ],
    ['one subcategory, UTC', () => ({ from: '2025-06-01T00:00:00Z', to: iso(now), categoryIds: [subCategory()] })],
    [
      'two teams, Los Angeles',
      () => ({ from: '2026-02-01T08:00:00Z', to: '2026-11-01T07:00:00Z', timeZone: 'America/Los_Angeles', teamIds: teamIds().slice(0, 2) }),
    ],
    [
      'a service and priorities (still rollups)',
      () => ({ from: '2025-12-01T00:00:00Z', to: iso(now), serviceIds: serviceIds().slice(1, 3), priorities: [3, 4] }),
    ],
    [
      'a service AND a team: exact scan',
      () => ({
        from: '2025-12-01T00:00:00Z',
        to: iso(now),
        timeZone: 'Europe/Berlin',
        serviceIds: serviceIds().slice(0, 4),
        teamIds: teamIds().slice(0, 3),
      }),
    ],
    [
      'a category and a subcategory of another one',
      () => ({
        from: iso(now - 400 * DAY),
        to: iso(now),
        timeZone: 'Australia/Lord_Howe',
        categoryIds: [topCategory(), subCategory(topCategory())],
      }),
    ],
    ['inside one local day', () => ({ from: iso(now - 20 * 3_600_000), to: iso(now - 3_600_000), timeZone: 'Asia/Kathmandu' })],
  ];
  for (const [name, filter] of cases) {
    it(name, async () => {
      const f = filter();
      const a = await checkDashboard(t, f, raw);
      expect(a.incidentCount, 'the case selects incidents').toBeGreaterThan(0);
    });
  }

  it('uses rollups for at most one dimension filter and an exact scan for combined ones', async () => {
    const base = { from: '2025-12-01T00:00:00Z', to: '2026-12-01T00:00:00Z' };
    const q = `query($f: AnalyticsFilter!) { analytics(filter: $f) { source sourceReason percentileRelativeError
      timeToResolve { relativeError } } }`;
    const one = await analytics(t, { ...base, serviceIds: serviceIds().slice(0, 1), priorities: [1, 2, 3] }, q);
    expect(one).toMatchObject({ source: 'ROLLUP', timeToResolve: { relativeError: one.percentileRelativeError } });
    expect(one.percentileRelativeError).toBeCloseTo(0.00995, 4);
    const two = await analytics(t, { ...base, serviceIds: serviceIds().slice(0, 1), teamIds: teamIds().slice(0, 1) }, q);
    expect(two).toMatchObject({ source: 'SCAN', percentileRelativeError: 0, timeToResolve: { relativeError: 0 } });
    expect(two.sourceReason).toMatch(/two or more/);
  });
});

function serviceIds(): string[] {
  return [...new Set(raw.incidents.map((i) => i.service_id).filter((x): x is string => !!x && x !== dstService.id))].sort();
}
function teamIds(): string[] {
  return [...new Set(raw.incidents.map((i) => i.team_id).filter((x): x is string => !!x))].sort();
}
function topCategory(): string {
  return raw.categories.filter((c) => c.parent_id === null).sort((a, b) => (a.id < b.id ? -1 : 1))[0]!.id;
}
function subCategory(notUnder?: string): string {
  return raw.categories.filter((c) => c.parent_id !== null && c.parent_id !== notUnder).sort((a, b) => (a.id < b.id ? -1 : 1))[0]!.id;
}

describe('weeks start on Monday in the local zone, across daylight-saving changes', () => {
  const WEEKS = `query($f: AnalyticsFilter!) { analytics(filter: $f) { incidentCount volume(bucket: WEEK) { start end count } } }`;

  it('Berlin spring: the week of 23 March 2026 runs 167 hours, from Mon 00:00 CET to Mon 00:00 CEST', async () => {
    const a = await analytics(
      t,
      { from: '2026-03-15T23:00:00Z', to: '2026-04-05T22:00:00Z', timeZone: 'Europe/Berlin', serviceIds: [dstService.id] },
      WEEKS,
    );
    const w = a.volume.find((b) => b.start === '2026-03-22T23:00:00.000Z')!;
    expect(w).toEqual({ start: '2026-03-22T23:00:00.000Z', end: '2026-03-29T22:00:00.000Z', count: 3 });
    expect((Date.parse(w.end) - Date.parse(w.start)) / 3_600_000).toBe(167);
    expect(a.volume.map((b) => b.count)).toEqual([1, 3, 1]);
    expect(a.volume[0].start).toBe('2026-03-15T23:00:00.000Z');
  });

  it('Berlin autumn: the week of 19 October 2026 runs 169 hours and holds the repeated hour', async () => {
    const a = await analytics(
      t,
      { from: '2026-10-19T00:00:00Z', to: '2026-11-02T00:00:00Z', timeZone: 'Europe/Berlin', serviceIds: [dstService.id] },
      WEEKS,
    );
    const w = a.volume.find((b) => b.start === '2026-10-18T22:00:00.000Z')!;
    expect(w).toEqual({ start: '2026-10-18T22:00:00.000Z', end: '2026-10-25T23:00:00.000Z', count: 3 });
    expect((Date.parse(w.end) - Date.parse(w.start)) / 3_600_000).toBe(169);
  });

  it('New York: the same instants fall in the weeks of the New York calendar', async () => {
    const a = await analytics(
      t,
      { from: '2026-03-02T05:00:00Z', to: '2026-03-16T04:00:00Z', timeZone: 'America/New_York', serviceIds: [dstService.id] },
      WEEKS,
    );
    expect(a.volume).toEqual([
      { start: '2026-03-02T05:00:00.000Z', end: '2026-03-09T04:00:00.000Z', count: 2 },
      { start: '2026-03-09T04:00:00.000Z', end: '2026-03-16T04:00:00.000Z', count: 1 },
    ]);
    const b = await analytics(
      t,
      { from: '2026-10-26T04:00:00Z', to: '2026-11-09T05:00:00Z', timeZone: 'America/New_York', serviceIds: [dstService.id] },
      WEEKS,
    );
    expect(b.volume.map((x) => [x.start, x.count])).toEqual([
      ['2026-10-26T04:00:00.000Z', 1],
      ['2026-11-02T05:00:00.000Z', 1],
    ]);
  });

  it('and the whole dashboard by week, day and month matches the brute force in both zones', async () => {
    for (const timeZone of ['Europe/Berlin', 'America/New_York']) {
      await checkDashboard(t, { from: '2026-03-01T00:00:00Z', to: '2026-11-15T00:00:00Z', timeZone }, raw);
      expect(localDate(Date.parse('2026-03-29T21:59:59.999Z'), 'Europe/Berlin')).toBe('2026-03-29');
    }
  });
});

describe('definitions and input', () => {
  it('every figure names a metric whose definition metricDefinitions returns, with the text of the design brief', async () => {
    const d = ok(
      await t.gql<{ metricDefinitions: { id: string; name: string; definition: string; details: string }[] }>(
        `{ metricDefinitions { id name definition details } }`,
      ),
    ).metricDefinitions;
    const ids = new Set(d.map((x) => x.id));
    expect(d.find((x) => x.id === 'time-to-resolve')!.definition).toBe(
      'Time to resolve (MTTR): resolvedAt - openedAt over resolved incidents, reported as count, mean, ' +
        'median and p90, in wall-clock hours; a business-hours variant uses the SLA calendar.',
    );
    expect(d.find((x) => x.id === 'sla-compliance')!.definition).toMatch(/imported incidents keep the verdict their source recorded/);
    const a = await analytics(t, { from: '2026-01-01T00:00:00Z', to: '2026-02-01T00:00:00Z' });
    for (const m of a.metrics) expect(ids.has(m.metricId), m.field).toBe(true);
    const walk = (x: unknown, path: string) => {
      if (Array.isArray(x)) x.forEach((y, i) => walk(y, `${path}[${i}]`));
      else if (x && typeof x === 'object') {
        if ('metricId' in x) expect(ids.has((x as { metricId: string }).metricId), path).toBe(true);
        for (const [k, v] of Object.entries(x)) walk(v, `${path}.${k}`);
      }
    };
    walk(a, 'analytics');
    // Each top-level object figure carries its id.
    for (const f of [
      'backlog',
      'mtta',
      'mttd',
      'timeToResolve',
      'businessTimeToResolve',
      'responseSla',
      'resolutionSla',
      'recurrence',
      'reopenRate',
      'knowledgeReuse',
      'reviewCoverage',
      'actionItems',
      'cost',
    ]) {
      expect((a[f] as { metricId: string }).metricId, f).toBe(a.metrics.find((m) => m.field === f)!.metricId);
    }
  });

  it('refuses a bad range, an unknown zone or category, and a too fine bucket', async () => {
    const q = `query($f: AnalyticsFilter!) { analytics(filter: $f) { incidentCount } }`;
    const bad = async (f: Record<string, unknown>, field: string) => {
      const r = await t.gql(q, { f: { from: '2026-01-01T00:00:00Z', to: '2026-02-01T00:00:00Z', ...f } });
      expect(r.errors?.[0]?.extensions?.field, JSON.stringify(r.errors)).toBe(field);
    };
    await bad({ to: '2025-12-01T00:00:00Z' }, 'filter.to');
    await bad({ timeZone: 'Mars/Olympus' }, 'filter.timeZone');
    await bad({ categoryIds: ['00000000-0000-4000-8000-000000000000'] }, 'filter.categoryIds');
    await bad({ serviceIds: ['nope'] }, 'filter.serviceIds');
    const r = await t.gql(`query($f: AnalyticsFilter!) { analytics(filter: $f) { volume(bucket: DAY) { count } } }`, {
      f: { from: '2010-01-01T00:00:00Z', to: '2020-01-01T00:00:00Z' },
    });
    expect(r.errors?.[0]?.extensions?.field).toBe('bucket');
  });
});
