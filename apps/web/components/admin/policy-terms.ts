// Reading an SLA policy's terms from its form, with the API's own target rules (@ikb/domain
// checkSlaTargets) applied first, so a mistake is shown next to its field before anything is sent.
import { checkSlaTargets, joinMinutes, type Priority } from '@ikb/domain';
import { str } from '@/components/forms';
import type { FieldError } from '@/lib/errors';
import type { HoldReason } from '@/gql/graphql';

export const PRIORITIES = [1, 2, 3, 4, 5] as const;
export type TargetKind = 'resp' | 'res';
export const TARGET_WORD: Record<TargetKind, string> = { resp: 'response', res: 'resolution' };
export const UNITS = [
  { key: 'd', name: 'days', short: 'd' },
  { key: 'h', name: 'hours', short: 'h' },
  { key: 'm', name: 'minutes', short: 'min' },
] as const;

/** `resp-1`: the P1 response target; its inputs are `resp-1-d`, `resp-1-h` and `resp-1-m`. */
export const targetKey = (kind: TargetKind, p: number) => `${kind}-${p}`;

/** The terms part of CreateSlaPolicyInput and UpdateSlaPolicyInput. */
export interface TermsInput {
  calendarId: string;
  pauseHoldReasons: HoldReason[];
  targets: { priority: number; responseMinutes: number; resolutionMinutes: number }[];
}

export interface ReadTerms {
  input: TermsInput;
  /** By target key: what is wrong, in words. Anything here and the form is not sent. */
  errors: Record<string, string>;
  /** By target key: accepted, but probably a mistake. */
  warnings: Record<string, string>;
}

function readTarget(f: FormData, kind: TargetKind, p: number): number | string {
  const parts: Record<string, number> = {};
  for (const u of UNITS) {
    const raw = str(f, `${targetKey(kind, p)}-${u.key}`) ?? '0';
    if (!/^\d{1,7}$/.test(raw)) return `P${p}: the ${TARGET_WORD[kind]} target's ${u.name} must be a whole number, 0 or more`;
    parts[u.key] = Number(raw);
  }
  const minutes = joinMinutes({ days: parts.d, hours: parts.h, minutes: parts.m });
  if (!minutes) return `P${p}: the ${TARGET_WORD[kind]} target must be longer than 0 min`;
  return minutes;
}

export function readTerms(f: FormData): ReadTerms {
  const errors: Record<string, string> = {};
  const warnings: Record<string, string> = {};
  const minutes: Record<string, number> = {};
  for (const p of PRIORITIES)
    for (const kind of ['resp', 'res'] as const) {
      const v = readTarget(f, kind, p);
      if (typeof v === 'string') errors[targetKey(kind, p)] = v;
      else minutes[targetKey(kind, p)] = v;
    }
  const targets = PRIORITIES.map((p) => ({
    priority: p,
    responseMinutes: minutes[targetKey('resp', p)] ?? 0,
    resolutionMinutes: minutes[targetKey('res', p)] ?? 0,
  }));
  if (!Object.keys(errors).length) {
    const byPriority = Object.fromEntries(targets.map((t) => [t.priority, t])) as unknown as Parameters<typeof checkSlaTargets>[0];
    const checked = checkSlaTargets(byPriority);
    const keyOf = (i: { priority: Priority; target: string }) => targetKey(i.target === 'RESPONSE' ? 'resp' : 'res', i.priority);
    for (const e of checked.errors) errors[keyOf(e)] ??= e.message;
    for (const w of checked.warnings) warnings[keyOf(w)] ??= w.message;
  }
  return {
    input: { calendarId: str(f, 'calendarId') ?? '', pauseHoldReasons: f.getAll('pause').map(String) as HoldReason[], targets },
    errors,
    warnings,
  };
}

/** Moves focus to the first input of the first target in error, so a keyboard user lands on it. */
export function focusFirstError(form: HTMLFormElement, errors: Record<string, string>): void {
  for (const p of PRIORITIES)
    for (const kind of ['resp', 'res'] as const) {
      if (!errors[targetKey(kind, p)]) continue;
      const input = form.querySelector<HTMLInputElement>(`[name="${targetKey(kind, p)}-h"]`);
      input?.focus();
      return;
    }
}

/**
 * The API's messages about one target ("input.targets[2].responseMinutes") go to that target's cell,
 * keyed like readTerms' own errors; the rest stay for the form's fields and its summary.
 */
export function apiTargetErrors(
  errors: readonly FieldError[],
  sent: readonly { priority: number }[],
): { byKey: Record<string, string>; rest: FieldError[] } {
  const byKey: Record<string, string> = {};
  const rest: FieldError[] = [];
  for (const e of errors) {
    const m = e.field ? /targets(?:\[(\d+)\]|\.(\d+))(?:\.(\w+))?$/.exec(e.field) : null;
    const priority = m ? sent[Number(m[1] ?? m[2])]?.priority : undefined;
    if (!m || priority === undefined) {
      rest.push(e);
      continue;
    }
    const key = targetKey(m[3] === 'resolutionMinutes' ? 'res' : 'resp', priority);
    byKey[key] = byKey[key] ? `${byKey[key]} ${e.message}` : e.message;
  }
  return { byKey, rest };
}
