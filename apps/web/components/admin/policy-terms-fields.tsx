'use client';
// The terms of an SLA policy: calendar, pausing hold reasons, response and resolution targets per
// priority in days, hours and minutes. Forms read them with readTerms (policy-terms.ts).
import { HOLD_REASONS, formatTargetMinutes, joinMinutes, splitMinutes } from '@ikb/domain';
import { useState } from 'react';
import { Field, OptionSelect, type Option } from '@/components/forms';
import { PRIORITY_LABELS, humanize } from '@/lib/format';
import { PRIORITIES, TARGET_WORD, UNITS, targetKey, type TargetKind } from './policy-terms';

export { apiTargetErrors, readTerms, focusFirstError } from './policy-terms';

export interface PolicyTerms {
  calendarId?: string | null;
  pauseHoldReasons: string[];
  targets: { priority: number; responseMinutes: number; resolutionMinutes: number }[];
}

const DEFAULTS: Record<number, [number, number]> = { 1: [15, 240], 2: [30, 480], 3: [120, 1440], 4: [480, 4320], 5: [1440, 9600] };

/** One target as days, hours and minutes, with the total read back ("1 h 30 min") and its error or warning. */
function TargetInput({
  kind,
  priority,
  minutes,
  error,
  warning,
  idPrefix,
}: {
  kind: TargetKind;
  priority: number;
  minutes: number;
  error?: string;
  warning?: string;
  idPrefix: string;
}) {
  const start = splitMinutes(minutes);
  const [parts, setParts] = useState<Record<string, string>>({ d: String(start.days), h: String(start.hours), m: String(start.minutes) });
  const key = targetKey(kind, priority);
  const id = `${idPrefix}-${key}`;
  const total = joinMinutes({ days: Number(parts.d || 0), hours: Number(parts.h || 0), minutes: Number(parts.m || 0) });
  const noteId = `${id}-note`;
  const note = error ?? warning;
  const name = `P${priority} ${TARGET_WORD[kind]}`;
  return (
    <div className="duration-cell">
      <div className="duration" role="group" aria-label={`${name} target`}>
        {UNITS.map((u) => (
          <label key={u.key} className="duration-part">
            <input
              type="number"
              inputMode="numeric"
              min={0}
              step={1}
              name={`${key}-${u.key}`}
              value={parts[u.key]}
              onChange={(e) => setParts((p) => ({ ...p, [u.key]: e.target.value }))}
              aria-label={`${name} ${u.name}`}
              aria-invalid={error ? true : undefined}
              aria-describedby={note ? noteId : undefined}
            />
            <span aria-hidden="true">{u.short}</span>
          </label>
        ))}
      </div>
      <span className="duration-total muted small">= {total === null ? '—' : formatTargetMinutes(total)}</span>
      {note ? (
        <span id={noteId} className={error ? 'field-error' : 'field-warning'} role={error ? 'alert' : undefined}>
          {note}
        </span>
      ) : null}
    </div>
  );
}

export function TermsFields({
  terms,
  calendars,
  errors = {},
  warnings = {},
  idPrefix,
}: {
  terms?: PolicyTerms;
  calendars: Option[];
  errors?: Record<string, string>;
  warnings?: Record<string, string>;
  /** Keeps ids unique when several forms are on one page. */
  idPrefix: string;
}) {
  const byP = new Map((terms?.targets ?? []).map((t) => [t.priority, t]));
  return (
    <>
      <Field label="Calendar">
        <OptionSelect name="calendarId" options={calendars} defaultValue={terms?.calendarId} required />
      </Field>
      <fieldset className="wide">
        <legend>Clocks pause while on hold for</legend>
        <div className="checks">
          {HOLD_REASONS.map((r) => (
            <label key={r}>
              <input
                type="checkbox"
                name="pause"
                value={r}
                defaultChecked={terms ? terms.pauseHoldReasons.includes(r) : r === 'AWAITING_USER'}
              />{' '}
              {humanize(r)}
            </label>
          ))}
        </div>
      </fieldset>
      <div className="table-wrap wide">
        <table className="data targets-table">
          <caption>
            Targets in business time of the calendar. A day is 24 business hours: on a 9-to-5 calendar “1 d” takes three working days. The
            response target may not be longer than the resolution target.
          </caption>
          <thead>
            <tr>
              <th scope="col">Priority</th>
              <th scope="col">Response</th>
              <th scope="col">Resolution</th>
            </tr>
          </thead>
          <tbody>
            {PRIORITIES.map((p) => (
              <tr key={p}>
                <th scope="row">
                  P{p} {PRIORITY_LABELS[p]}
                </th>
                {(['resp', 'res'] as const).map((kind) => (
                  <td key={kind}>
                    <TargetInput
                      kind={kind}
                      priority={p}
                      idPrefix={idPrefix}
                      minutes={
                        (kind === 'resp' ? byP.get(p)?.responseMinutes : byP.get(p)?.resolutionMinutes) ??
                        DEFAULTS[p]![kind === 'resp' ? 0 : 1]
                      }
                      error={errors[targetKey(kind, p)]}
                      warning={warnings[targetKey(kind, p)]}
                    />
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
