import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classifyTrackerAnswer, trackerErrorInWords } from './answers';

const NOW = 1_800_000_000_000;
const headers = (h: Record<string, string>) => (name: string) => h[name] ?? null;

describe('classifyTrackerAnswer', () => {
  it('delivers 2xx, retries no answer, 5xx and 429 after Retry-After', () => {
    expect(classifyTrackerAnswer('JIRA', { status: 201, header: headers({}), body: null }, NOW)).toEqual({ kind: 'delivered' });
    expect(classifyTrackerAnswer('JIRA', { status: null, header: headers({}), body: null, error: 'ECONNREFUSED' }, NOW)).toMatchObject({
      kind: 'retry',
      reason: 'Jira did not answer: ECONNREFUSED',
    });
    expect(classifyTrackerAnswer('JIRA', { status: 429, header: headers({ 'retry-after': '17' }), body: '' }, NOW)).toMatchObject({
      kind: 'retry',
      retryAfterMs: 17_000,
    });
    expect(classifyTrackerAnswer('GITHUB', { status: 502, header: headers({}), body: null }, NOW)).toMatchObject({ kind: 'retry' });
  });

  it('waits for the reset of a used-up GitHub limit, a minute for a secondary limit without Retry-After', () => {
    const reset = String(NOW / 1000 + 600);
    const primary = classifyTrackerAnswer(
      'GITHUB',
      {
        status: 403,
        header: headers({ 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset }),
        body: { message: 'API rate limit exceeded' },
      },
      NOW,
    );
    expect(primary).toMatchObject({ kind: 'retry', retryAfterMs: 600_000 });
    const secondary = classifyTrackerAnswer(
      'GITHUB',
      { status: 403, header: headers({ 'x-ratelimit-remaining': '12' }), body: { message: 'You have exceeded a secondary rate limit.' } },
      NOW,
    );
    expect(secondary).toMatchObject({ kind: 'retry', retryAfterMs: 60_000 });
    const withAfter = classifyTrackerAnswer('GITHUB', { status: 429, header: headers({ 'retry-after': '5' }), body: {} }, NOW);
    expect(withAfter).toMatchObject({ kind: 'retry', retryAfterMs: 5_000 });
  });

  it('stops on a plain 403, 400, 401, 404 and 422 with the reason in words', () => {
    const forbidden = classifyTrackerAnswer(
      'GITHUB',
      { status: 403, header: headers({}), body: { message: 'Resource not accessible by personal access token' } },
      NOW,
    );
    expect(forbidden).toEqual({ kind: 'refused', reason: expect.stringContaining('Resource not accessible by personal access token') });
    for (const status of [400, 401, 404, 422])
      expect(classifyTrackerAnswer('JIRA', { status, header: headers({}), body: null }, NOW).kind).toBe('refused');
  });

  it('never throws and always names the tracker, whatever the body', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('JIRA' as const, 'GITHUB' as const),
        fc.option(fc.integer({ min: 100, max: 599 }), { nil: null }),
        fc.jsonValue(),
        (kind, status, body) => {
          const out = classifyTrackerAnswer(kind, { status, header: headers({}), body }, NOW);
          if (out.kind !== 'delivered') {
            expect(out.reason).toMatch(kind === 'JIRA' ? /^Jira/ : /^GitHub/);
            expect(out.reason.length).toBeLessThan(1200);
          }
        },
      ),
    );
  });
});

describe('trackerErrorInWords', () => {
  it("reads Jira's errorMessages and field errors", () => {
    const w = trackerErrorInWords('JIRA', 400, { errorMessages: [], errors: { summary: 'You must specify a summary of the issue.' } });
    expect(w).toBe('Jira answered 400: refused the request (summary: You must specify a summary of the issue.)');
  });
  it("reads GitHub's message and validation errors", () => {
    const w = trackerErrorInWords('GITHUB', 422, {
      message: 'Validation Failed',
      errors: [{ resource: 'Issue', field: 'title', code: 'missing_field' }],
    });
    expect(w).toBe('GitHub answered 422: refused the values sent (Validation Failed; Issue.title: missing_field)');
  });
  it('strips HTML from a text body', () => {
    expect(trackerErrorInWords('JIRA', 401, '<html><body>Client must be authenticated</body></html>')).toContain(
      '(Client must be authenticated)',
    );
  });
});
