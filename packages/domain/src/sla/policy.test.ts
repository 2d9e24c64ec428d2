import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_TARGET_MINUTES } from './durations';
import { checkSlaTargets, targetMinutes, validateSlaPolicy } from './policy';
import { POLICY } from './test-support';

const paths = (input: unknown) => {
  const r = validateSlaPolicy(input);
  return r.ok ? [] : r.issues.map((i) => `${i.path}: ${i.message}`);
};

describe('validateSlaPolicy', () => {
  it('accepts a complete policy', () => {
    expect(validateSlaPolicy(POLICY)).toEqual({ ok: true, value: POLICY });
    expect(targetMinutes(POLICY, 'RESPONSE', 2)).toBe(30);
    expect(targetMinutes(POLICY, 'RESOLUTION', 5)).toBe(5400);
  });

  it('refuses negative, zero, fractional and missing targets', () => {
    const bad = {
      ...POLICY,
      targets: {
        ...POLICY.targets,
        1: { responseMinutes: -15, resolutionMinutes: 0 },
        3: { responseMinutes: 1.5, resolutionMinutes: '60' },
        4: undefined,
      },
    };
    expect(paths(bad)).toEqual([
      'targets.1.responseMinutes: Must be a whole number of business minutes greater than 0, got -15',
      'targets.1.resolutionMinutes: Must be a whole number of business minutes greater than 0, got 0',
      'targets.3.responseMinutes: Must be a whole number of business minutes greater than 0, got 1.5',
      'targets.3.resolutionMinutes: Must be a whole number of business minutes greater than 0, got "60"',
      'targets.4: Priority 4 needs responseMinutes and resolutionMinutes',
    ]);
  });

  it('refuses a pause status that is not a hold reason, and duplicates', () => {
    expect(paths({ ...POLICY, pauseHoldReasons: ['AWAITING_USER', 'RESOLVED', 'AWAITING_USER'] })).toEqual([
      'pauseHoldReasons[1]: "RESOLVED" is not a hold reason; ' +
        'clocks pause only while ON_HOLD for one of AWAITING_USER, AWAITING_VENDOR, AWAITING_PROBLEM, AWAITING_CHANGE',
      'pauseHoldReasons[2]: AWAITING_USER is listed twice',
    ]);
  });

  it('refuses unknown priorities and shapeless input', () => {
    expect(paths({ ...POLICY, targets: { ...POLICY.targets, 6: { responseMinutes: 1, resolutionMinutes: 2 } } })).toEqual([
      'targets.6: Unknown priority 6; priorities are 1..5',
    ]);
    expect(paths({ targets: POLICY.targets })).toHaveLength(1);
    expect(paths('policy')).toEqual([': An SLA policy must be an object']);
  });
});

describe('checkSlaTargets', () => {
  const targets = (t: Record<number, [number, number]>) =>
    Object.fromEntries(Object.entries(t).map(([p, [r, s]]) => [p, { responseMinutes: r, resolutionMinutes: s }])) as Parameters<
      typeof checkSlaTargets
    >[0];
  const STANDARD = { 1: [15, 240], 2: [30, 480], 3: [120, 1440], 4: [480, 4320], 5: [1440, 10080] } as Record<number, [number, number]>;

  it('refuses a response target longer than its resolution target, naming the priority and both targets', () => {
    const bad = { ...POLICY, targets: targets({ ...STANDARD, 1: [120, 60] }) };
    expect(paths(bad)).toEqual(['targets.1.responseMinutes: P1: the response target (2 h) is longer than the resolution target (1 h)']);
    expect(checkSlaTargets(targets({ ...STANDARD, 1: [60, 60] })).errors).toEqual([]);
  });

  it('refuses targets above a year, and warns (without refusing) when a higher priority is slower', () => {
    const long = checkSlaTargets(targets({ ...STANDARD, 5: [1440, MAX_TARGET_MINUTES + 1] }));
    expect(long.errors.map((e) => e.message)).toEqual(['P5: the resolution target (365 d 1 min) is longer than the limit of 365 d']);
    const slow = checkSlaTargets(targets({ ...STANDARD, 1: [45, 600] }));
    expect(slow.errors).toEqual([]);
    expect(slow.warnings.map((w) => `${w.path}: ${w.message}`)).toEqual([
      "targets.1.responseMinutes: P1: the response target (45 min) is slower than P2's (30 min)",
      "targets.1.resolutionMinutes: P1: the resolution target (10 h) is slower than P2's (8 h)",
    ]);
    expect(validateSlaPolicy({ ...POLICY, targets: targets({ ...STANDARD, 1: [45, 600] }) }).ok).toBe(true);
  });

  const target = fc.integer({ min: 1, max: MAX_TARGET_MINUTES + 100 });
  const anyTargets = fc
    .tuple(...[1, 2, 3, 4, 5].map(() => fc.tuple(target, target)))
    .map((l) => targets(Object.fromEntries(l.map((pair, i) => [i + 1, pair]))));

  it('accepts exactly the policies where every response <= resolution <= the cap (property)', () => {
    fc.assert(
      fc.property(anyTargets, (t) => {
        const fits = Object.values(t).every((x) => x.responseMinutes <= x.resolutionMinutes && x.resolutionMinutes <= MAX_TARGET_MINUTES);
        expect(validateSlaPolicy({ targets: t, pauseHoldReasons: [] }).ok).toBe(fits);
        for (const e of checkSlaTargets(t).errors)
          expect(e.message).toMatch(new RegExp(`^P${e.priority}: the (response|resolution) target`));
      }),
    );
  });

  it('warns exactly when some priority is slower than a lower one, on any pair (property)', () => {
    fc.assert(
      fc.property(anyTargets, (t) => {
        const { warnings } = checkSlaTargets(t);
        for (const key of ['responseMinutes', 'resolutionMinutes'] as const) {
          const inverted = [1, 2, 3, 4].some((p) => [2, 3, 4, 5].some((q) => q > p && t[p as 1][key] > t[q as 1][key]));
          expect(warnings.some((w) => w.path.endsWith(key))).toBe(inverted);
        }
      }),
    );
  });
});
