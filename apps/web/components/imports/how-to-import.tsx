// What /admin/imports says before the first import: files are imported with the CLI, not here.
import { Empty } from '@/components/ui';

export const IMPORT_COMMAND = 'pnpm cli import servicenow <file.csv>';

export function HowToImport() {
  return (
    <div data-testid="imports-empty">
      <Empty>No imports yet. Files are imported with the command line; every run shows here, refused runs and dry runs included.</Empty>
      <section className="panel" aria-labelledby="how-h">
        <h2 id="how-h">Import a file</h2>
        <p className="small">From the top level of the project, on a machine that reaches the database (it uses DATABASE_URL):</p>
        <pre className="prewrap">
          <code>{IMPORT_COMMAND}</code>
        </pre>
        <p className="small">
          Add <code>--dry-run</code> to check a file and see what would change without writing anything. Files of other tools:{' '}
          <code>pnpm cli import csv &lt;file.csv&gt; --mapping &lt;mapping.json&gt;</code> or{' '}
          <code>pnpm cli import json &lt;file.json&gt;</code>.
        </p>
        <p className="small muted">
          The commands, their options and the mapping file format are in the project&apos;s documentation, <code>docs/imports.md</code>{' '}
          (“Commands”; this page is “History”).
        </p>
      </section>
    </div>
  );
}
