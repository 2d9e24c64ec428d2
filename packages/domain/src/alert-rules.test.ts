import { describe, expect, it } from 'vitest';
import { decideFiring, DEFAULT_REOPEN_WINDOW_MINUTES } from './alert-rules';

const now = new Date('2026-12-06T12:00:00Z');
const minutesAgo = (m: number) => new Date(now.getTime() - m * 60_000);

describe('decideFiring', () => {
  it('creates when the identity has no incident yet', () => {
    expect(decideFiring(null, now)).toEqual({ kind: 'create', follows: false, why: null });
  });

  it('attaches to every open status', () => {
    for (const status of ['NEW', 'TRIAGED', 'INVESTIGATING', 'ON_HOLD'] as const)
      expect(decideFiring({ status, resolvedAt: null }, now).kind).toBe('attach');
  });

  it('reopens a resolved incident inside the window, up to its last minute', () => {
    expect(decideFiring({ status: 'RESOLVED', resolvedAt: minutesAgo(5) }, now).kind).toBe('reopen');
    expect(decideFiring({ status: 'RESOLVED', resolvedAt: minutesAgo(DEFAULT_REOPEN_WINDOW_MINUTES) }, now).kind).toBe('reopen');
    // Resolved "in the future" by a skewed clock: just now.
    expect(decideFiring({ status: 'RESOLVED', resolvedAt: minutesAgo(-3) }, now).kind).toBe('reopen');
  });

  it('creates a follow-up after the window, and for closed or reviewed incidents whatever their age', () => {
    expect(decideFiring({ status: 'RESOLVED', resolvedAt: minutesAgo(61) }, now)).toEqual({
      kind: 'create',
      follows: true,
      why: 'resolved more than 60 min ago',
    });
    expect(decideFiring({ status: 'RESOLVED', resolvedAt: minutesAgo(61) }, now, 120).kind).toBe('reopen');
    expect(decideFiring({ status: 'RESOLVED', resolvedAt: minutesAgo(1) }, now, 0).kind).toBe('create');
    for (const status of ['CLOSED', 'REVIEWED'] as const)
      expect(decideFiring({ status, resolvedAt: minutesAgo(1) }, now)).toMatchObject({ kind: 'create', follows: true });
  });
});
