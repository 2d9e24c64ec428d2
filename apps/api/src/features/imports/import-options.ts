import type { DateFormatOption } from './file/dates';
import type { ImportMapping } from './file/mapping';

// What an import is asked to do, apart from the code that does it (import-file.ts), so that the
// history (import-run.ts) and the progress display (progress.ts) depend on these and not on it.

export type ImportKind = 'servicenow' | 'csv' | 'json';

export interface ImportProgress {
  /** 0..1 over the whole import. */
  fraction: number;
  /** Rows read so far (the whole file once parsing is over). */
  rows: number;
  totalRows: number;
  phase: string;
}

export interface ImportOptions {
  kind: ImportKind;
  /** Path of the file (read here), or its text with a name for messages. */
  file: string;
  text?: string;
  /** csv / json: the column mapping; without one, the format of `pnpm cli export`. */
  mapping?: ImportMapping;
  dateFormat?: DateFormatOption;
  /** IANA zone of wall times in the file; default the mapping's, else UTC. */
  timeZone?: string;
  dryRun?: boolean;
  /** Import the good rows and write the bad ones (and the rest of their incidents) to `rejectsFile`. */
  skipInvalid?: boolean;
  rejectsFile?: string;
  actorName?: string;
  /** Who runs it, for the import history; default the operating-system user and host (import-run.ts). */
  ranBy?: string | null;
  now?: Date;
  onProgress?: (p: ImportProgress) => void;
  /** Notes for the summary from whoever fetched the data (the ServiceNow pull: no audit history...). */
  warnings?: string[];
}
