'use client';
// Replace a source's classification rules (setAlertSourceRules). Empty text removes them.
import { useState } from 'react';
import { Field, FieldErrors, FormError, Submit } from '@/components/forms';
import { SetAlertSourceRulesDocument } from '@/gql/graphql';
import { RULES_EXAMPLE, RULES_HELP, parseRules, rulesText } from './rules';
import { useSourceAction } from './use-source-action';

export function EditRulesForm({
  source,
  onSaved,
}: {
  source: { id: string; name: string; rules: Record<string, unknown> };
  onSaved: () => void;
}) {
  const { run, busy, errors, setError } = useSourceAction(SetAlertSourceRulesDocument);
  const [text, setText] = useState(rulesText(source.rules));
  return (
    <form
      className="form"
      aria-label={`Rules of ${source.name}`}
      onSubmit={async (e) => {
        e.preventDefault();
        const parsed = parseRules(text);
        if (!parsed.ok) {
          setError(parsed.message);
          return;
        }
        if (await run({ id: source.id, rules: parsed.rules })) onSaved();
      }}
    >
      <FieldErrors errors={errors}>
        <Field
          label={`Classification rules of ${source.name}`}
          field="rules"
          hint={`${RULES_HELP} Applies to alerts received from now on.`}
          wide
        >
          <textarea
            className="mono small"
            rows={12}
            spellCheck={false}
            placeholder={RULES_EXAMPLE}
            value={text}
            onChange={(e) => setText(e.target.value)}
          />
        </Field>
        <FormError error={null} />
      </FieldErrors>
      <div className="actions">
        <Submit busy={busy}>Save rules</Submit>
        <button type="button" className="btn plain" onClick={onSaved}>
          Cancel
        </button>
      </div>
    </form>
  );
}
