import { Migration } from '@mikro-orm/migrations';

/**
 * Import history: every run of `pnpm cli import` is recorded, not only those that
 * commit. A refused file (bad rows, a mapping error, an unreadable file), a dry run and a run that
 * failed while writing get a row too, written in its own short transaction after the outcome is
 * known (never with incidents). What a refusal or a failure said, the rejected rows with their
 * reasons (the first 1,000; `rows_rejected` keeps the total), who ran it and how long it took.
 */
export class Migration20261205030000_import_history extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table import_runs
      add column outcome varchar(10) not null default 'IMPORTED' check (outcome in ('IMPORTED','REFUSED','DRY_RUN','FAILED')),
      add column refusal_reason varchar(30),
      add column message text,
      add column rejects jsonb not null default '[]',
      add column details jsonb not null default '{}',
      add column ran_by varchar(200),
      add column duration_ms integer,
      alter column file_sha256 drop not null,
      alter column shape drop not null,
      alter column rows drop not null;`);
    // Runs recorded before: imports that committed; their duration is what their times say.
    this.addSql(`update import_runs set duration_ms = greatest(0, round(extract(epoch from (finished_at - started_at)) * 1000))::integer;`);
    this.addSql(`alter table import_runs alter column duration_ms set not null, alter column outcome drop default;`);
    this.addSql(`drop index if exists import_runs_started_idx;`);
    // The history is read newest first, in pages keyed by (started_at, id).
    this.addSql(`create index import_runs_started_idx on import_runs (started_at desc, id desc);`);
    this.addSql(
      `comment on column import_runs.outcome is 'IMPORTED (committed), REFUSED (nothing written: bad rows, mapping, file or option), ` +
        `DRY_RUN (--dry-run: nothing written), FAILED (an error while writing rolled it back).';`,
    );
    this.addSql(
      `comment on column import_runs.refusal_reason is
        'Why a REFUSED run was refused: INVALID_ROWS, AMBIGUOUS_DATES, MIXED_DATES, BAD_FILE, MISSING_COLUMNS, BAD_OPTION, BAD_MAPPING.';`,
    );
    this.addSql(
      `comment on column import_runs.message is
        'What the command said about a refusal or a failure (the row list of a refusal is in rejects).';`,
    );
    this.addSql(
      `comment on column import_runs.rejects is
        'The first 1,000 rejected rows as [{row, reasons}] (rows refused, or left out by --skip-invalid); rows_rejected has the total.';`,
    );
    this.addSql(
      `comment on column import_runs.details is
        'Other figures of the run: timeline events, teams, people, services, categories created, incidents in the file, date evidence.';`,
    );
    this.addSql(`comment on column import_runs.ran_by is 'Who ran the command: the operating-system user and host of the CLI.';`);
    this.addSql(`comment on column import_runs.rows is 'Rows (records) read; null when the file was refused before its rows were read.';`);
  }

  override async down(): Promise<void> {
    this.addSql(`delete from import_runs where outcome <> 'IMPORTED';`);
    this.addSql(`drop index if exists import_runs_started_idx;`);
    this.addSql(`alter table import_runs
      drop column outcome, drop column refusal_reason, drop column message, drop column rejects, drop column details,
      drop column ran_by, drop column duration_ms,
      alter column file_sha256 set not null, alter column shape set not null, alter column rows set not null;`);
    this.addSql(`create index import_runs_started_idx on import_runs (started_at desc);`);
  }
}
