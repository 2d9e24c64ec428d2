import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import type { PageInfo } from '../incidents/incident.types';
import { IMPORT_OUTCOMES, type ImportOutcome } from './import-run';

export const ImportOutcomeEnum = Object.fromEntries(IMPORT_OUTCOMES.map((o) => [o, o])) as { [K in ImportOutcome]: K };
registerEnumType(ImportOutcomeEnum, {
  name: 'ImportOutcome',
  description:
    'IMPORTED: written (one transaction). REFUSED: the file was refused whole, nothing written. ' +
    'DRY_RUN: checked with --dry-run, nothing written. FAILED: an error while writing rolled everything back.',
});

export const ImportShapeEnum = { EVENT_LOG: 'EVENT_LOG', TABLE: 'TABLE' } as const;
export type ImportShape = keyof typeof ImportShapeEnum;
registerEnumType(ImportShapeEnum, {
  name: 'ImportShape',
  description: 'EVENT_LOG: several rows per incident (its updates); TABLE: one row per incident.',
});

@ObjectType({ description: 'A row of the file that was refused or left out, with the reasons the importer gave.' })
export class ImportReject {
  @Field(() => Int, { description: 'Row number in the file (the header is row 1), or record number in a JSON file.' }) row!: number;
  @Field(() => [String]) reasons!: string[];
}

@ObjectType({ description: 'How the run was asked to read the file, and what it settled on.' })
export class ImportRunOptions {
  @Field(() => String, { description: 'servicenow, csv or json (`pnpm cli import <kind>`).' }) kind!: string;
  @Field(() => String, { description: 'The column mapping used.' }) mapping!: string;
  @Field(() => String, { nullable: true, description: '--date-format as given (auto when not given).' }) dateFormat!: string | null;
  @Field(() => String, { nullable: true, description: 'The order the dates were read in (dmy, mdy, ymd), once settled.' }) dateOrder!:
    string | null;
  @Field(() => String, { nullable: true, description: 'IANA zone of the wall times in the file.' }) timeZone!: string | null;
  @Field(() => String, {
    nullable: true,
    description: "The language the file's column names, values and month names were read in (e.g. Spanish), for mappings with languages.",
  })
  language!: string | null;
  @Field(() => Boolean, { description: '--skip-invalid: incidents with a bad row were left out instead of refusing the file.' })
  skipInvalid!: boolean;
  @Field(() => Boolean, { description: '--dry-run.' }) dryRun!: boolean;
  @Field(() => String, { nullable: true, description: 'Where the rejected rows were written (on the machine that ran the command).' })
  rejectsFile!: string | null;
}

@ObjectType({ description: 'One run of `pnpm cli import` (docs/imports.md, "History"), whatever its outcome.' })
export class ImportRun {
  @Field(() => ID) id!: string;
  @Field(() => ImportOutcomeEnum) outcome!: ImportOutcome;
  @Field(() => String, {
    nullable: true,
    description:
      'Why a REFUSED run was refused: INVALID_ROWS, AMBIGUOUS_DATES, MIXED_DATES, MIXED_LANGUAGES, BAD_FILE, MISSING_COLUMNS, ' +
      'BAD_OPTION, BAD_MAPPING.',
  })
  refusalReason!: string | null;
  @Field(() => String, { nullable: true, description: 'What the command said about a refusal or a failure (the bad rows are in rejects).' })
  message!: string | null;
  @Field(() => Date) startedAt!: Date;
  @Field(() => Date) finishedAt!: Date;
  @Field(() => Int, { description: 'Milliseconds from the start of the command to the recording of its outcome.' }) durationMs!: number;
  @Field(() => String) fileName!: string;
  @Field(() => String, { nullable: true, description: 'SHA-256 of the file, when it was read.' }) fileSha256!: string | null;
  @Field(() => String, { description: "The tool the file came from (the mapping's source), e.g. ServiceNow." }) source!: string;
  @Field(() => String, { description: 'servicenow, csv or json.' }) kind!: string;
  @Field(() => ImportShapeEnum, { nullable: true }) shape!: ImportShape | null;
  @Field(() => Int, { nullable: true, description: 'Rows (records) read; null when the file was refused before its rows were read.' })
  rows!: number | null;
  @Field(() => Int, { nullable: true, description: 'Distinct incidents in the file.' }) incidentsInFile!: number | null;
  @Field(() => Int, { description: 'Incidents created (would be, for a dry run).' }) incidentsCreated!: number;
  @Field(() => Int) incidentsUpdated!: number;
  @Field(() => Int) incidentsUnchanged!: number;
  @Field(() => Int) problemsCreated!: number;
  @Field(() => Int, { description: 'Rows refused, or left out by --skip-invalid (with the other rows of their incidents).' })
  rowsRejected!: number;
  @Field(() => Int, { nullable: true, description: 'Incidents left out by --skip-invalid.' }) incidentsRejected!: number | null;
  @Field(() => Int, { description: 'Rejected rows kept with the run: the first 1,000 by row number.' }) rejectsStored!: number;
  @Field(() => Int, { nullable: true }) eventsCreated!: number | null;
  @Field(() => Int, { nullable: true }) teamsCreated!: number | null;
  @Field(() => Int, { nullable: true }) peopleCreated!: number | null;
  @Field(() => Int, { nullable: true }) servicesCreated!: number | null;
  @Field(() => Int, { nullable: true }) categoriesCreated!: number | null;
  @Field(() => String, { nullable: true, description: 'How the date order was settled.' }) dateEvidence!: string | null;
  @Field(() => String, { description: 'The name written on the timeline events of the run.' }) actorName!: string;
  @Field(() => String, { nullable: true, description: 'Who ran the command: the operating-system user and host.' }) ranBy!: string | null;
  @Field(() => ImportRunOptions) options!: ImportRunOptions;
  /** The stored rejects, when the statement that read the run had them. */
  storedRejects?: ImportReject[];
}

@ObjectType()
export class ImportRunEdge {
  @Field(() => String) cursor!: string;
  @Field(() => ImportRun) node!: ImportRun;
}

export interface ImportRunPage {
  edges: ImportRunEdge[];
  nodes: ImportRun[];
  pageInfo: PageInfo;
}

/**
 * Its fields are resolved by ImportRunConnectionResolver, each reading only when asked: a page that
 * asks only for totalCount (the outcome filter's counts) reads no runs.
 */
@ObjectType()
export class ImportRunConnection {
  page!: () => Promise<ImportRunPage>;
  count!: () => Promise<number>;
}
