import { describe, expect, it } from 'vitest';
import { targetMinutes, validateSlaPolicy } from './policy';
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
