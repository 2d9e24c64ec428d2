'use client';
// A new alert source (createAlertSource): a name and optional classification rules as JSON.
// The JSON is checked here before anything is sent; the API checks what the rules say and its
// issues are listed. The token is shown once, with snippets to paste.
import { useState } from 'react';
import { Field, FieldErrors, FormError, Submit, str } from '@/components/forms';
import { CreateAlertSourceDocument } from '@/gql/graphql';
import { RULES_EXAMPLE, RULES_HELP, parseRules } from './rules';
import { SourceToken } from './source-token';
import { useSourceAction } from './use-source-action';

export function CreateAlertSourceForm({ apiBase }: { apiBase: string }) {
  const { run, busy, errors, setError } = useSourceAction(CreateAlertSourceDocument);
  const [rules, setRules] = useState('');
  const [made, setMade] = useState<{ name: string; token: string } | null>(null);
  return (
    <>
      <form
        className="form"
        aria-label="Add an alert source"
        onSubmit={async (e) => {
          e.preventDefault();
          const form = e.currentTarget;
          const f = new FormData(form);
          setMade(null);
          const parsed = parseRules(rules);
          if (!parsed.ok) {
            setError(parsed.message);
            return;
          }
          const r = await run({
            input: { name: str(f, 'name') ?? '', ...(Object.keys(parsed.rules).length ? { rules: parsed.rules } : {}) },
          });
          if (r) {
            setMade({ name: r.createAlertSource.source.name, token: r.createAlertSource.token });
            form.reset();
            setRules('');
          }
        }}
      >
        <FieldErrors errors={errors}>
          <Field label="Name" hint="The sender, e.g. “Alertmanager prod”.">
            <input type="text" name="name" required maxLength={120} autoComplete="off" />
          </Field>
          <Field label="Classification rules (optional)" hint={RULES_HELP} wide>
            <textarea
              name="rules"
              className="mono small"
              rows={10}
              spellCheck={false}
              placeholder={RULES_EXAMPLE}
              value={rules}
              onChange={(e) => setRules(e.target.value)}
            />
          </Field>
          <FormError error={null} />
        </FieldErrors>
        <div className="actions">
          <Submit busy={busy}>Add alert source</Submit>
          <button type="button" className="btn plain" onClick={() => setRules(RULES_EXAMPLE)}>
            Start from the example
          </button>
        </div>
      </form>
      {made ? (
        <SourceToken title={`Alert source “${made.name}” added`} token={made.token} apiBase={apiBase} onDone={() => setMade(null)} />
      ) : null}
    </>
  );
}
