'use client';
// The five whys and the problem they end in (an existing one or a new one).
import { ROOT_CAUSE_CATEGORIES } from '@ikb/domain';
import { useState } from 'react';
import { Field, FieldErrors, FormError, Submit, str } from '@/components/forms';
import type { FieldError } from '@/lib/errors';
import { SetFiveWhysDocument, type FiveWhyFragment, type FiveWhysProblemFragment, type RootCauseCategory } from '@/gql/graphql';
import { useProblemSearch } from '@/components/problems/use-problem-search';
import { humanize } from '@/lib/format';
import { useAction } from '@/lib/use-action';

export function FiveWhysEditor({
  reviewId,
  whys,
  problem,
  editable,
}: {
  reviewId: string;
  whys: FiveWhyFragment[];
  problem?: FiveWhysProblemFragment | null;
  editable: boolean;
}) {
  const save = useAction(SetFiveWhysDocument);
  const [rows, setRows] = useState(whys.length ? whys : [{ why: '', answer: '' }]);
  const [mode, setMode] = useState<'existing' | 'new'>(problem ? 'existing' : 'new');
  const [picked, setPicked] = useState<{ id: string; number: string; title: string } | null>(problem ?? null);
  const finder = useProblemSearch();
  const results = finder.results;
  const [err, setErr] = useState<string | null>(null);
  // Blank rows are not sent: the API's "whys.2.answer" is the row at sent[2] on screen.
  const [sent, setSent] = useState<number[]>([]);
  if (!editable) {
    return whys.length ? (
      <ol>
        {whys.map((w, n) => (
          <li key={n}>
            <strong>{w.why}</strong> — {w.answer}
          </li>
        ))}
      </ol>
    ) : (
      <p className="empty">No five whys recorded.</p>
    );
  }
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        const f = new FormData(e.currentTarget);
        const kept = rows.flatMap((r, n) => (r.why.trim() || r.answer.trim() ? [n] : []));
        setSent(kept);
        const clean = kept.map((n) => rows[n]!);
        save.run({
          id: reviewId,
          input:
            mode === 'existing'
              ? { whys: clean, problemId: picked?.id }
              : {
                  whys: clean,
                  newProblem: {
                    title: str(f, 'npTitle') ?? '',
                    rootCause: str(f, 'npRootCause') ?? '',
                    rootCauseCategory: (str(f, 'npCategory') ?? 'UNKNOWN') as RootCauseCategory,
                  },
                },
        });
      }}
    >
      <FieldErrors errors={err || finder.error ? [] : atRows(save.errors, sent)}>
        <ol className="card-list" style={{ listStyle: 'decimal inside' }}>
          {rows.map((r, n) => (
            <li key={n}>
              <div className="form">
                <Field label={`Why ${n + 1}?`} wide field={`why-${n}`}>
                  <input
                    type="text"
                    value={r.why}
                    onChange={(e) => setRows((rs) => rs.map((x, j) => (j === n ? { ...x, why: e.target.value } : x)))}
                  />
                </Field>
                <Field label="Because" wide hint="Several lines are fine; Markdown is kept" field={`answer-${n}`}>
                  <textarea
                    rows={3}
                    value={r.answer}
                    onChange={(e) => setRows((rs) => rs.map((x, j) => (j === n ? { ...x, answer: e.target.value } : x)))}
                  />
                </Field>
                <div className="actions">
                  <button
                    type="button"
                    className="btn link small"
                    onClick={() => setRows((rs) => rs.filter((_, j) => j !== n))}
                    aria-label={`Remove why ${n + 1}`}
                  >
                    Remove
                  </button>
                </div>
              </div>
            </li>
          ))}
        </ol>
        <p>
          <button type="button" className="btn plain small" onClick={() => setRows((rs) => [...rs, { why: '', answer: '' }])}>
            Add a why
          </button>
        </p>
        <fieldset>
          <legend>Root cause: the problem the whys end in</legend>
          <div className="checks">
            <label>
              <input type="radio" name="mode" checked={mode === 'existing'} onChange={() => setMode('existing')} /> An existing problem
            </label>
            <label>
              <input type="radio" name="mode" checked={mode === 'new'} onChange={() => setMode('new')} /> A new problem
            </label>
          </div>
          {mode === 'existing' ? (
            <div>
              <p className="small">
                {picked ? (
                  <>
                    Chosen: <span className="mono">{picked.number}</span> {picked.title}
                  </>
                ) : (
                  <span className="muted">None chosen yet.</span>
                )}
              </p>
              <div className="actions">
                <label className="visually-hidden" htmlFor="why-problem">
                  Find a problem
                </label>
                <input id="why-problem" type="search" placeholder="Find a problem" style={{ maxWidth: '18rem' }} name="problemText" />
                <button
                  type="button"
                  className="btn plain small"
                  onClick={async (e) => {
                    const input = (e.currentTarget.previousElementSibling as HTMLInputElement | null)?.value ?? '';
                    setErr(null);
                    await finder.search(input);
                  }}
                >
                  Find
                </button>
              </div>
              {results ? (
                <ul className="card-list" style={{ marginTop: '0.5rem' }}>
                  {results.map((p) => (
                    <li key={p.id}>
                      <span className="mono">{p.number}</span> {p.title} <span className="muted small">({humanize(p.status)})</span>{' '}
                      <button type="button" className="btn primary small" onClick={() => setPicked(p)}>
                        Choose
                      </button>
                    </li>
                  ))}
                </ul>
              ) : null}
            </div>
          ) : (
            <div className="form">
              <Field label="Problem title" wide field={['npTitle', 'title']}>
                <input type="text" name="npTitle" required />
              </Field>
              <Field label="Root-cause category" field={['npCategory', 'rootCauseCategory']}>
                <select name="npCategory" defaultValue="UNKNOWN">
                  {ROOT_CAUSE_CATEGORIES.map((c) => (
                    <option key={c} value={c}>
                      {humanize(c)}
                    </option>
                  ))}
                </select>
              </Field>
              <Field label="Root cause" wide field={['npRootCause', 'rootCause']}>
                <textarea name="npRootCause" required rows={2} />
              </Field>
            </div>
          )}
        </fieldset>
        <FormError error={err ?? finder.error ?? save.error} />
      </FieldErrors>
      <div className="actions" style={{ marginTop: '0.5rem' }}>
        <Submit busy={save.busy}>Save five whys and root cause</Submit>
      </div>
    </form>
  );
}

/** "input.whys.2.answer" -> "answer-5" when the third row sent was the sixth on screen. */
function atRows(errors: FieldError[], sent: number[]): FieldError[] {
  return errors.map((e) => {
    const m = e.field ? /whys(?:\[(\d+)\]|\.(\d+))\.(why|answer)$/.exec(e.field) : null;
    const row = m ? sent[Number(m[1] ?? m[2])] : undefined;
    return m && row !== undefined ? { ...e, field: `${m[3]}-${row}` } : e;
  });
}
