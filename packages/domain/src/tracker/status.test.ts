import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ACTION_ITEM_STATUSES } from '../review-rules';
import { githubStatusOf, jiraStatusOf, reconcileStatus, trackerSideOf, type TrackerStatus } from './status';

const tracker = fc.constantFrom<TrackerStatus>('OPEN', 'DONE', 'WONT_DO');

describe('tracker status mapping', () => {
  it('reads GitHub state and state_reason', () => {
    expect(githubStatusOf('open', null)).toBe('OPEN');
    expect(githubStatusOf('open', 'reopened')).toBe('OPEN');
    expect(githubStatusOf('closed', 'completed')).toBe('DONE');
    expect(githubStatusOf('closed', null)).toBe('DONE');
    expect(githubStatusOf('closed', 'not_planned')).toBe('WONT_DO');
    expect(githubStatusOf('merged', null)).toBeNull();
    expect(githubStatusOf({}, [])).toBeNull();
  });

  it("reads Jira status category and resolution; won't do by resolution name whatever its apostrophe", () => {
    const wont = ["Won't Do", 'Declined'];
    expect(jiraStatusOf('new', null, wont)).toBe('OPEN');
    expect(jiraStatusOf('indeterminate', null, wont)).toBe('OPEN');
    expect(jiraStatusOf('done', 'Done', wont)).toBe('DONE');
    expect(jiraStatusOf('done', null, wont)).toBe('DONE');
    expect(jiraStatusOf('done', 'Won\u2019t  do', wont)).toBe('WONT_DO');
    expect(jiraStatusOf('done', 'declined', wont)).toBe('WONT_DO');
    expect(jiraStatusOf('undefined', 'Done', wont)).toBeNull();
    expect(jiraStatusOf(7, 'Done', wont)).toBeNull();
  });

  it('treats in progress as open on the tracker side', () => {
    expect(ACTION_ITEM_STATUSES.map(trackerSideOf)).toEqual(['OPEN', 'OPEN', 'DONE', 'WONT_DO']);
  });
});

describe('reconcileStatus: the later status change wins', () => {
  it('never applies a change older than the last local one, never re-applies what the item already is', () => {
    fc.assert(
      fc.property(
        tracker,
        fc.integer({ min: 0, max: 1e6 }),
        fc.constantFrom(...ACTION_ITEM_STATUSES),
        fc.option(fc.integer({ min: 0, max: 1e6 }), { nil: null }),
        fc.option(tracker, { nil: null }),
        (incoming, incomingAtMs, local, localStatusAtMs, remote) => {
          const v = reconcileStatus({ incoming, incomingAtMs, local, localStatusAtMs, remote });
          const same = trackerSideOf(local) === incoming;
          if (same) expect(v.verdict).toBe(remote === incoming ? 'ECHO' : 'SAME');
          else if (localStatusAtMs !== null && incomingAtMs < localStatusAtMs) expect(v.verdict).toBe('STALE');
          else expect(v).toEqual({ verdict: 'APPLY', to: incoming });
        },
      ),
    );
  });

  it('orders a sequence of changes from both sides by time, whatever order the webhooks arrive in', () => {
    // Local changes at even times, tracker changes at odd times; webhooks arrive shuffled. The
    // status that ends up applied from webhooks is never older than the latest local change.
    fc.assert(
      fc.property(
        fc.array(tracker, { minLength: 1, maxLength: 8 }),
        fc.integer({ min: 0, max: 20 }),
        fc.context(),
        (hooks, localAt, ctx) => {
          let local: (typeof ACTION_ITEM_STATUSES)[number] = 'DONE';
          let localStatusAtMs = localAt * 2;
          let applied: number | null = null;
          hooks.forEach((incoming, i) => {
            const at = i * 2 + 1;
            const v = reconcileStatus({ incoming, incomingAtMs: at, local, localStatusAtMs, remote: null });
            if (v.verdict === 'APPLY') {
              expect(at).toBeGreaterThanOrEqual(localStatusAtMs);
              local = v.to;
              localStatusAtMs = at;
              applied = at;
            }
          });
          ctx.log(String(applied));
        },
      ),
    );
  });
});
