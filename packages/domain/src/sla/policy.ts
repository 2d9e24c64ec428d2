// SLA policy: per priority a response and a resolution target in business
// minutes, and the hold reasons that pause the clocks.

import { HOLD_REASONS, type HoldReason } from '../lifecycle';
import type { Priority } from '../priority-matrix';
import { formatTargetMinutes, MAX_TARGET_MINUTES } from './durations';
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
    if (issues.length === 0) issues.push(...checkSlaTargets(targets).errors);
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

/** A target rule broken by one priority, in words that name the priority and the targets. */
export interface TargetIssue extends InputIssue {
  priority: Priority;
  target: SlaTarget;
}

const WORD: Record<SlaTarget, string> = { RESPONSE: 'response', RESOLUTION: 'resolution' };
const KEY: Record<SlaTarget, keyof PriorityTargets> = { RESPONSE: 'responseMinutes', RESOLUTION: 'resolutionMinutes' };

/**
 * The rules between targets that are whole minutes > 0 already.
 * Errors (refused): a target above MAX_TARGET_MINUTES; a response target longer than the
 * resolution target of the same priority (acknowledging after the incident must be resolved
 * makes no sense; equal is allowed). Warnings (accepted, shown): a higher priority given more
 * time than the next lower one, which is almost always a typo but is not documented as forbidden.
 * Comparing neighbours is enough: if every priority is at most as slow as the next, the order
 * holds across all of them.
 */
export function checkSlaTargets(targets: Record<Priority, PriorityTargets>): { errors: TargetIssue[]; warnings: TargetIssue[] } {
  const errors: TargetIssue[] = [];
  const warnings: TargetIssue[] = [];
  const fmt = formatTargetMinutes;
  for (const p of PRIORITIES) {
    const t = targets[p];
    for (const target of SLA_TARGETS) {
      const v = t[KEY[target]];
      if (v > MAX_TARGET_MINUTES)
        errors.push({
          priority: p,
          target,
          path: `targets.${p}.${KEY[target]}`,
          message: `P${p}: the ${WORD[target]} target (${fmt(v)}) is longer than the limit of ${fmt(MAX_TARGET_MINUTES)}`,
        });
    }
    if (t.responseMinutes > t.resolutionMinutes)
      errors.push({
        priority: p,
        target: 'RESPONSE',
        path: `targets.${p}.responseMinutes`,
        message:
          `P${p}: the response target (${fmt(t.responseMinutes)}) is longer than ` + `the resolution target (${fmt(t.resolutionMinutes)})`,
      });
  }
  for (const p of PRIORITIES.slice(0, -1)) {
    const lower = (p + 1) as Priority;
    for (const target of SLA_TARGETS) {
      const [mine, theirs] = [targets[p][KEY[target]], targets[lower][KEY[target]]];
      if (mine > theirs)
        warnings.push({
          priority: p,
          target,
          path: `targets.${p}.${KEY[target]}`,
          message: `P${p}: the ${WORD[target]} target (${fmt(mine)}) is slower than P${lower}'s (${fmt(theirs)})`,
        });
    }
  }
  return { errors, warnings };
}
