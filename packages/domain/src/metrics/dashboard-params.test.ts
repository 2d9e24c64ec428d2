import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dashboardQuery, parseDashboardView } from './dashboard-params';

const src = (qs: string) => {
  const u = new URLSearchParams(qs);
  return { all: (k: string) => u.getAll(k).flatMap((v) => v.split(',')) };
};
const NOW = new Date('2026-12-06T12:00:00Z');

describe('the dashboard view from its URL', () => {
  it('defaults to the last 12 months by month, in UTC, with nothing to complain about', () => {
    const { view, problems } = parseDashboardView(src(''), NOW);
    expect(problems).toEqual([]);
    expect(view).toMatchObject({ range: '12m', from: '2025-12-07', to: '2026-12-06', timeZone: 'UTC', bucket: 'MONTH', stack: 'priority' });
  });

  it('reads custom dates in order, and names each unreadable parameter', () => {
    expect(parseDashboardView(src('range=custom&from=2026-03-01&to=2026-01-01'), NOW).view).toMatchObject({
      from: '2026-01-01',
      to: '2026-03-01',
      bucket: 'WEEK',
    });
    const { problems } = parseDashboardView(src('from=2026-02-30&tz=Mars/Base&bucket=year&stack=team&service=x&priority=0&range=5y'), NOW);
    expect(problems.map((p) => p.param).sort()).toEqual(['bucket', 'from', 'priority', 'range', 'service', 'stack', 'tz']);
  });

  it('refuses ranges beyond ten years', () => {
    expect(parseDashboardView(src('range=custom&from=1990-01-01&to=2026-01-01'), NOW).problems[0]?.param).toBe('from');
  });

  it('the query string of a view reads back as the same view (any view)', () => {
    const id = fc.uuid();
    fc.assert(
      fc.property(
        fc.record({
          range: fc.constantFrom('30d', '90d', '12m', 'ytd', 'custom' as const),
          from: fc.integer({ min: 0, max: 3000 }),
          len: fc.integer({ min: 0, max: 3000 }),
          timeZone: fc.constantFrom('UTC', 'Europe/Berlin', 'Asia/Kolkata', 'America/New_York'),
          bucket: fc.option(fc.constantFrom('DAY', 'WEEK', 'MONTH' as const), { nil: undefined }),
          stack: fc.constantFrom('priority', 'category' as const),
          serviceIds: fc.array(id, { maxLength: 3 }),
          teamIds: fc.array(id, { maxLength: 3 }),
          categoryIds: fc.array(id, { maxLength: 3 }),
          priorities: fc.uniqueArray(fc.integer({ min: 1, max: 5 }), { maxLength: 5 }),
        }),
        (r) => {
          const day = (n: number) => new Date(Date.UTC(2018, 0, 1) + n * 86_400_000).toISOString().slice(0, 10);
          const qs = new URLSearchParams({ range: r.range, from: day(r.from), to: day(r.from + r.len), tz: r.timeZone, stack: r.stack });
          if (r.bucket) qs.set('bucket', r.bucket);
          for (const [k, v] of [
            ['service', r.serviceIds],
            ['team', r.teamIds],
            ['category', r.categoryIds],
            ['priority', r.priorities],
          ] as const)
            if (v.length) qs.set(k, v.join(','));
          const first = parseDashboardView(src(qs.toString()), NOW);
          expect(first.problems).toEqual([]);
          const again = parseDashboardView(src(dashboardQuery(first.view)), NOW);
          expect(again.problems).toEqual([]);
          expect(again.view).toEqual(first.view);
        },
      ),
    );
  });
});
