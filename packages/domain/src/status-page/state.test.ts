import { describe, expect, it } from 'vitest';
import { impactOfPriority, publicIncidents, serviceState } from './state';

describe('status page state', () => {
  it('is the worst open published incident: P1 major, P2 partial, P3 degraded, else operational', () => {
    expect([1, 2, 3, 4, 5].map(impactOfPriority)).toEqual(['MAJOR_OUTAGE', 'PARTIAL_OUTAGE', 'DEGRADED_PERFORMANCE', 'NONE', 'NONE']);
    expect(serviceState([])).toBe('OPERATIONAL');
    expect(serviceState(['NONE'])).toBe('OPERATIONAL');
    expect(serviceState(['DEGRADED_PERFORMANCE', 'PARTIAL_OUTAGE', 'NONE'])).toBe('PARTIAL_OUTAGE');
    expect(serviceState(['DEGRADED_PERFORMANCE', 'MAJOR_OUTAGE'])).toBe('MAJOR_OUTAGE');
  });

  it('groups updates per incident: the latest decides, RESOLVED ends it', () => {
    const row = (incidentId: string, state: 'INVESTIGATING' | 'RESOLVED', postedAt: number) => ({
      incidentId,
      serviceIds: ['s'],
      title: `t${postedAt}`,
      state,
      impact: 'MAJOR_OUTAGE' as const,
      body: `b${postedAt}`,
      startedAt: 5,
      postedAt,
    });
    const [b, a] = publicIncidents([row('a', 'INVESTIGATING', 10), row('a', 'RESOLVED', 30), row('b', 'INVESTIGATING', 20)]).sort((x, y) =>
      y.incidentId.localeCompare(x.incidentId),
    );
    expect(a).toMatchObject({ incidentId: 'a', state: 'RESOLVED', title: 't30', startedAt: 5, endedAt: 30 });
    expect(a!.updates.map((u) => u.body)).toEqual(['b30', 'b10']);
    expect(b).toMatchObject({ incidentId: 'b', state: 'INVESTIGATING', endedAt: null });
  });
});
