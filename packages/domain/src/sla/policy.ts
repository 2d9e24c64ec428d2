// SLA policy: per priority a response and a resolution target in business
// minutes, and the hold reasons that pause the clocks.

import { HOLD_REASONS, type HoldReason } from '../lifecycle';
import type { Priority } from '../priority-matrix';
import { isRecord, type InputIssue, type Validated } from './input';

export const SLA_TARGETS = ['RESPONSE', 'RESOLUTION'] as const;
/** RESPONSE is met by acknowledgement, RESOLUTION by resolution. */
export type SlaTarget = (typeof SLA_TARGETS)[number];

export interface PriorityTargets {
  responseMinutes: number;
  resolutionMinutes: number;
}

export interface SlaPolicy {
  targets: Record<Priority, PriorityTargets>;
  /** Clocks pause while the incident is ON_HOLD for one of these reasons. */
  pauseHoldReasons: readonly HoldReason[];
}

const PRIORITIES: readonly Priority[] = [1, 2, 3, 4, 5];

export function targetMinutes(policy: SlaPolicy, target: SlaTarget, priority: Priority): number {
  const t = policy.targets[priority];
  return target === 'RESPONSE' ? t.responseMinutes : t.resolutionMinutes;
}

export function validateSlaPolicy(input: unknown): Validated<SlaPolicy> {
  if (!isRecord(input)) return { ok: false, issues: [{ path: '', message: 'An SLA policy must be an object' }] };
  const issues: InputIssue[] = [];
  const targets = {} as Record<Priority, PriorityTargets>;
  if (!isRecord(input.targets)) {
    issues.push({ path: 'targets', message: 'targets must give responseMinutes and resolutionMinutes for priorities 1..5' });
  } else {
    for (const p of PRIORITIES) {
      const t = input.targets[p];
      if (!isRecord(t)) {
        issues.push({ path: `targets.${p}`, message: `Priority ${p} needs responseMinutes and resolutionMinutes` });
        continue;
      }
      for (const key of ['responseMinutes', 'resolutionMinutes'] as const) {
        const v = t[key];
        if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) {
          issues.push({
            path: `targets.${p}.${key}`,
            message: `Must be a whole number of business minutes greater than 0, got ${JSON.stringify(v)}`,
          });
        }
      }
      targets[p] = { responseMinutes: t.responseMinutes as number, resolutionMinutes: t.resolutionMinutes as number };
    }
    for (const key of Object.keys(input.targets)) {
      if (!PRIORITIES.map(String).includes(key))
        issues.push({ path: `targets.${key}`, message: `Unknown priority ${key}; priorities are 1..5` });
    }
  }
  const reasons: HoldReason[] = [];
  if (!Array.isArray(input.pauseHoldReasons)) {
    issues.push({ path: 'pauseHoldReasons', message: `Must be a list of hold reasons (${HOLD_REASONS.join(', ')}), possibly empty` });
  } else {
    input.pauseHoldReasons.forEach((r: unknown, i) => {
      if (!(HOLD_REASONS as readonly unknown[]).includes(r)) {
        issues.push({
          path: `pauseHoldReasons[${i}]`,
          message: `${JSON.stringify(r)} is not a hold reason; clocks pause only while ON_HOLD for one of ${HOLD_REASONS.join(', ')}`,
        });
      } else if (reasons.includes(r as HoldReason)) {
        issues.push({ path: `pauseHoldReasons[${i}]`, message: `${r} is listed twice` });
      } else reasons.push(r as HoldReason);
    });
  }
  if (issues.length > 0) return { ok: false, issues };
  return { ok: true, value: { targets, pauseHoldReasons: reasons } };
}
