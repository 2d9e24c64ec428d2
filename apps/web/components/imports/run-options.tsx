// How an import run was asked to read its file (the options of `pnpm cli import`), and what it
// settled on (the date order and how).
import { Dl } from '@/components/ui';
import type { RunOptionsFragment } from '@/gql/graphql';

const ORDERS: Record<string, string> = { dmy: 'day first (dmy)', mdy: 'month first (mdy)', ymd: 'year first (ymd)' };

const yesNo = (b: boolean) => (b ? 'Yes' : 'No');

export function RunOptions({ options, dateEvidence }: { options: RunOptionsFragment; dateEvidence?: string | null }) {
  return (
    <section className="panel" aria-labelledby="options-h" data-testid="run-options">
      <h2 id="options-h">Options</h2>
      <Dl
        items={[
          ['Kind', <code key="kind">{options.kind}</code>],
          ['Mapping', options.mapping || '—'],
          ['Date format (--date-format)', options.dateFormat ?? 'auto'],
          ['Dates read', options.dateOrder ? (ORDERS[options.dateOrder] ?? options.dateOrder) : 'not settled'],
          ['Time zone (--timezone)', options.timeZone ?? '—'],
          // Mappings with languages (Jira): the language the header row was detected as.
          ['Language read', options.language ?? '—'],
          ['Skip invalid (--skip-invalid)', yesNo(options.skipInvalid)],
          ['Dry run (--dry-run)', yesNo(options.dryRun)],
          ['Rejects file (--rejects)', options.rejectsFile ? <code>{options.rejectsFile}</code> : '—'],
        ]}
      />
      {dateEvidence ? <p className="small muted">How the date order was settled: {dateEvidence}</p> : null}
    </section>
  );
}
