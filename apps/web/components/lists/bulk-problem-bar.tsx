'use client';
// Bulk changes to the problems selected on this page (bulkUpdateProblems): set the owner and/or
// team, or move the status, all or nothing: when the API refuses some problems (a move the lifecycle
// does not allow, a root cause not yet documented) nothing changed and each refusal is listed with
// its number. Status moves ask first; after a change the list refreshes, the selection clears and
// the live region says what changed ("3 problems assigned to Team Payments").
import { PROBLEM_STATUSES } from '@ikb/domain';
import { useState } from 'react';
import { FormError, str } from '@/components/forms';
import { BulkUpdateProblemsDocument, type BulkProblemInput, type ProblemStatus } from '@/gql/graphql';
import { humanize } from '@/lib/format';
import { useAction } from '@/lib/use-action';
import { BulkActionSelect, BulkApply, BulkCount, BulkOutcome, plural, useBulkOutcome } from './bulk-outcome';
import { BulkSelect, type Option } from './bulk-select';
import { useSelectedCount } from './select-all-box';

export function BulkProblemBar({ form, users, teams }: { form: string; users: Option[]; teams: Option[] }) {
  const { run, busy, error } = useAction(BulkUpdateProblemsDocument);
  const selected = useSelectedCount(form);
  const [action, setAction] = useState<'assign' | 'transition'>('assign');
  const [to, setTo] = useState<ProblemStatus>('KNOWN_ERROR');
  const outcome = useBulkOutcome(form);

  // "" keeps what each problem has, "none" clears it, an id sets it.
  const choice = (f: FormData, k: string) => {
    const v = String(f.get(k) ?? '');
    return v === '' ? undefined : v === 'none' ? null : v;
  };
  const input = (f: FormData, problemIds: string[]): BulkProblemInput => {
    if (action === 'transition') return { problemIds, transition: { to, note: str(f, 'note') } };
    const assign: NonNullable<BulkProblemInput['assign']> = {};
    const owner = choice(f, 'ownerId');
    const team = choice(f, 'teamId');
    if (owner !== undefined) assign.ownerId = owner;
    if (team !== undefined) assign.teamId = team;
    return { problemIds, assign };
  };
  const said = (n: number, f: FormData): string => {
    const what = plural(n, 'problem');
    if (action === 'transition') return `${what} moved to ${humanize(to)}`;
    const whom = (k: string, list: Option[], none: string) => {
      const v = choice(f, k);
      return v === undefined ? null : v === null ? none : (list.find((o) => o.id === v)?.name ?? 'the one chosen');
    };
    const parts = [whom('ownerId', users, 'no owner'), whom('teamId', teams, 'no team')].filter(Boolean);
    return `${what} assigned to ${parts.join(' and ')}`;
  };

  return (
    <form
      id={form}
      className="bulk-bar"
      aria-label="Change the selected problems"
      onSubmit={async (e) => {
        e.preventDefault();
        const ids = outcome.begin();
        const f = new FormData(e.currentTarget);
        if (!ids.length) return;
        const r = await run({ input: input(f, ids) });
        if (!r) return;
        const out = r.bulkUpdateProblems;
        if (out.errors.length) return outcome.refused(out.errors.map((x) => ({ id: x.problemId, message: x.message })));
        outcome.succeeded(`${said(out.applied, f)}.`);
      }}
    >
      <BulkCount selected={selected} none="Select problems below to change several at once." />
      <BulkActionSelect
        value={action}
        onChange={setAction}
        options={[
          ['assign', 'Set owner / team'],
          ['transition', 'Change status'],
        ]}
      />
      {action === 'assign' ? (
        <>
          <BulkSelect name="ownerId" label="Owner" empty="Keep as is" options={[{ id: 'none', name: 'No owner' }, ...users]} />
          <BulkSelect name="teamId" label="Team" empty="Keep as is" options={[{ id: 'none', name: 'No team' }, ...teams]} />
        </>
      ) : (
        <>
          <label className="field inline">
            <span className="field-label">New status</span>
            <select value={to} onChange={(e) => setTo(e.currentTarget.value as ProblemStatus)}>
              {PROBLEM_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {humanize(s)}
                </option>
              ))}
            </select>
          </label>
          <label className="field inline">
            <span className="field-label">Note</span>
            <input type="text" name="note" maxLength={2000} />
          </label>
        </>
      )}
      <BulkApply
        form={form}
        selected={selected}
        busy={busy}
        ask={action === 'transition' ? `Move ${plural(selected, 'problem')} to ${humanize(to)}? There is no undo.` : null}
      />
      <FormError error={error} />
      <BulkOutcome done={outcome.done} refusals={outcome.refusals} asked={outcome.asked} noun="problem" />
    </form>
  );
}
