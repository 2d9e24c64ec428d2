'use client';
// The terms of an SLA policy: calendar, pausing hold reasons, response and resolution targets per priority.
import { HOLD_REASONS } from '@ikb/domain';
import { Field, OptionSelect, str, type Option } from '@/components/forms';
import type { HoldReason } from '@/gql/graphql';
import { PRIORITY_LABELS, humanize } from '@/lib/format';

export interface PolicyTerms {
  calendarId?: string | null;
  pauseHoldReasons: string[];
  targets: { priority: number; responseMinutes: number; resolutionMinutes: number }[];
}

export function termsFrom(f: FormData) {
  return {
    calendarId: str(f, 'calendarId') ?? '',
    pauseHoldReasons: f.getAll('pause').map(String) as HoldReason[],
    targets: [1, 2, 3, 4, 5].map((p) => ({
      priority: p,
      responseMinutes: Number(f.get(`resp-${p}`)),
      resolutionMinutes: Number(f.get(`res-${p}`)),
    })),
  };
}

export function TermsFields({ terms, calendars }: { terms?: PolicyTerms; calendars: Option[] }) {
  const byP = new Map((terms?.targets ?? []).map((t) => [t.priority, t]));
  const defaults: Record<number, [number, number]> = { 1: [15, 240], 2: [30, 480], 3: [120, 1440], 4: [480, 4320], 5: [1440, 9600] };
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
        <table className="data">
          <caption>Targets in business minutes</caption>
          <thead>
            <tr>
              <th scope="col">Priority</th>
              <th scope="col">Response</th>
              <th scope="col">Resolution</th>
            </tr>
          </thead>
          <tbody>
            {[1, 2, 3, 4, 5].map((p) => (
              <tr key={p}>
                <th scope="row">
                  P{p} {PRIORITY_LABELS[p]}
                </th>
                <td>
                  <input
                    type="number"
                    min={1}
                    name={`resp-${p}`}
                    required
                    defaultValue={byP.get(p)?.responseMinutes ?? defaults[p]![0]}
                    aria-label={`P${p} response minutes`}
                  />
                </td>
                <td>
                  <input
                    type="number"
                    min={1}
                    name={`res-${p}`}
                    required
                    defaultValue={byP.get(p)?.resolutionMinutes ?? defaults[p]![1]}
                    aria-label={`P${p} resolution minutes`}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
