import { DATE_NAMES, HOLD_REASONS, INCIDENT_STATUSES, RESOLUTION_KINDS, textProblem } from '@ikb/domain';
import { z } from 'zod';
import { DATE_FORMATS } from './dates';

/**
 * The shape of a mapping file, as one zod schema: validateMapping (mapping.ts) checks files with
 * it, and `pnpm cli mapping:schema` publishes it as docs/mapping.schema.json for editors. The
 * messages are written for the person editing the file; mappingIssues adds where each one is.
 */

/** Incident fields a column can feed. Dates are read with the import's date format and time zone. */
export const MAPPED_FIELDS = {
  externalRef: 'text',
  id: 'text',
  number: 'text',
  title: 'text',
  description: 'text',
  status: 'status',
  /** Jira's Status Category (To Do, In Progress, Done): read when the status itself is not known. */
  statusCategory: 'text',
  holdReason: 'text',
  source: 'text',
  impact: 'level',
  urgency: 'level',
  priority: 'priority',
  service: 'text',
  category: 'text',
  subcategory: 'text',
  team: 'text',
  assignee: 'text',
  reporter: 'text',
  major: 'boolean',
  detectedAt: 'date',
  openedAt: 'date',
  acknowledgedAt: 'date',
  resolvedAt: 'date',
  closedAt: 'date',
  updatedAt: 'date',
  sequence: 'integer',
  actor: 'text',
  openedBy: 'text',
  resolvedBy: 'text',
  resolutionKind: 'resolutionKind',
  resolutionCode: 'text',
  resolutionNotes: 'text',
  userConfirmed: 'boolean',
  reopenCount: 'integer',
  reassignmentCount: 'integer',
  problem: 'text',
  problemId: 'text',
  problemTitle: 'text',
  causedBy: 'text',
  changeRef: 'text',
  slaMet: 'verdict',
  attributesJson: 'json',
} as const;
export type MappedField = keyof typeof MAPPED_FIELDS;
const FIELD_NAMES = Object.keys(MAPPED_FIELDS) as MappedField[];

const COLUMN = 'must be a column name or a list of column names';
const columnName = (error: string) => z.string().min(1, { error });
/** A column name, or several: the first non-empty one wins. */
const columnRef = (ifMissing?: string) =>
  z.union([columnName(COLUMN), z.array(columnName('must not be empty')).min(1, { error: COLUMN })], {
    error: (iss) => (iss.input === undefined && ifMissing) || COLUMN,
  });
/** One schema for every optional column, so the published schema defines it once. */
const optionalColumn = columnRef().meta({ id: 'columnRef', description: 'A column name, or a list of them: the first non-empty one wins' });
export type ColumnRef = z.output<typeof optionalColumn>;

/** Text that ends up in the database (event actors, import runs, attribute names): the shared text rules apply. */
const text = (max: number, singleLine = true) =>
  z
    .string({ error: 'must be a string' })
    .max(max, { error: (iss) => textProblem(iss.input as string, { max }) ?? undefined })
    .check((ctx) => {
      const why = textProblem(ctx.value, { singleLine });
      if (why) ctx.issues.push({ code: 'custom', message: why, input: ctx.value });
    });

/** One of a few values; the message names them and what the file had. */
const oneOf = <const T extends readonly (string | number | boolean)[]>(values: T, what: string) =>
  z.literal(values, { error: (iss) => `${what}, got ${JSON.stringify(iss.input)}` });

const STATUS_TARGETS = [...INCIDENT_STATUSES, ...HOLD_REASONS.map((r) => `ON_HOLD:${r}` as const), ''] as const;
const status = oneOf(STATUS_TARGETS, `must be one of ${INCIDENT_STATUSES.join(', ')} or ON_HOLD:<${HOLD_REASONS.join('|')}>`);
const level = oneOf([1, 2, 3], 'must be 1, 2 or 3');
const resolutionKind = oneOf(RESOLUTION_KINDS, `must be one of ${RESOLUTION_KINDS.join(', ')}`);
const yesNo = z.boolean({ error: (iss) => `must be true or false, got ${JSON.stringify(iss.input)}` });

/** Source value -> our value, matched case-insensitively after trimming. */
const table = <T extends z.ZodType>(to: T) => z.record(z.string(), to, { error: 'must be an object of source value -> our value' });

/**
 * Keys starting with `$` (`$schema`, `$comment`) are for editors and readers: dropped before the
 * check, allowed by the published schema. Every other key the schema does not know is reported.
 */
const withoutDollarKeys = (v: unknown) =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).filter(([k]) => !k.startsWith('$'))) : v;
const closed = <T extends z.ZodType>(schema: T, description: string) =>
  z.preprocess(withoutDollarKeys, schema).meta({ description, patternProperties: { '^\\$': {} } });

/** The message of an object's own issues: an unknown key, or not an object at all. */
const objectError = (unknownKey: string, notAnObject?: string) => (iss: z.core.$ZodRawIssue) =>
  iss.code === 'unrecognized_keys' ? unknownKey : notAnObject;

const columns = z.strictObject(
  {
    ...(Object.fromEntries(FIELD_NAMES.map((f) => [f, optionalColumn.optional()])) as {
      [F in MappedField]: z.ZodOptional<typeof optionalColumn>;
    }),
    externalRef: optionalColumn
      .optional()
      .meta({ description: "The incident's reference in the other tool; required unless matchById is true and id is mapped" }),
    openedAt: columnRef('required (when each incident was opened)').meta({ description: 'When each incident was opened' }),
  },
  { error: objectError(`unknown field; fields are ${FIELD_NAMES.join(', ')}`, 'must be an object of field -> column name') },
);

const values = z.strictObject(
  {
    status: table(status).optional(),
    statusCategory: table(status).optional(),
    impact: table(level).optional(),
    urgency: table(level).optional(),
    priority: table(oneOf([1, 2, 3, 4, 5], 'must be 1 to 5')).optional(),
    resolutionKind: table(resolutionKind).optional(),
    slaMet: table(oneOf([true, false, 'MET', 'BREACHED'], 'must be true, false, "MET" or "BREACHED"')).optional(),
    major: table(yesNo).optional(),
    userConfirmed: table(yesNo).optional(),
  },
  {
    error: objectError(
      'only status, statusCategory, impact, urgency, priority, resolutionKind, slaMet, major and userConfirmed take value tables',
      'must be an object of field -> { source value: our value }',
    ),
  },
);

const defaults = z.strictObject(
  { impact: level.optional(), urgency: level.optional(), status: status.optional(), resolutionKind: resolutionKind.optional() },
  { error: objectError('only impact, urgency, status and resolutionKind have defaults', 'must be an object') },
);

const attributeName = text(200).refine((k) => k.trim() !== '', { error: 'is empty' });

/** Words of one language: localised text -> the text the rest of the mapping uses. */
const words = z.record(z.string().min(1, { error: 'is empty' }), z.string().min(1, { error: 'must not be empty' }), {
  error: 'must be an object of localised text -> the text the mapping uses',
});
const LOCALISED_VALUES = ['status', 'statusCategory', 'priority', 'impact', 'urgency', 'resolutionKind'] as const;
const language = z.strictObject(
  {
    name: text(60).meta({ description: 'The language in English, for messages and the import summary (Spanish)' }),
    headers: words.optional().meta({
      description:
        'Localised column name -> the column name in columns/attributes; ' +
        '"Campo personalizado (*)": "Custom field (*)" keeps the part in ()',
    }),
    values: z
      .strictObject(
        Object.fromEntries(LOCALISED_VALUES.map((f) => [f, words.optional()])) as Record<
          (typeof LOCALISED_VALUES)[number],
          z.ZodOptional<typeof words>
        >,
        { error: objectError(`only ${LOCALISED_VALUES.join(', ')} have localised values`, 'must be an object') },
      )
      .optional()
      .meta({ description: 'Per field, localised value -> the value as the values tables name it (Tareas por hacer -> To Do)' }),
    months: z
      .array(z.array(z.string().min(1), { error: 'must be a list of spellings' }).min(1), { error: 'must be 12 lists of month names' })
      .length(12, { error: 'must be 12 lists of month names, January first' })
      .optional()
      .meta({ description: 'Month names, January first, each a list of spellings; built in for ' + Object.keys(DATE_NAMES).join(', ') }),
    am: z.array(z.string().min(1)).optional().meta({ description: 'Morning markers besides AM (a. m., 午前)' }),
    pm: z.array(z.string().min(1)).optional().meta({ description: 'Afternoon markers besides PM (p. m., 午後)' }),
  },
  { error: objectError('keys of a language are name, headers, values, months, am and pm', 'must be an object') },
);
const languageCode = z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$/, { error: 'must be a language code such as es or pt-BR' });

const mappingShape = {
  name: text(200).optional().meta({ description: 'What the mapping is for, shown in messages' }),
  source: text(120).optional().meta({ description: 'The source tool, written on timeline events ("Imported from ServiceNow")' }),
  nullValues: z
    .array(z.string({ error: 'must be a string' }), { error: 'must be a list of strings' })
    .optional()
    .meta({ description: 'Values that mean empty besides the empty string, e.g. "?" in ServiceNow\'s event log' }),
  dateFormat: z
    .enum(DATE_FORMATS, { error: `must be one of ${DATE_FORMATS.join(', ')}` })
    .optional()
    .meta({ description: 'The default of --date-format' }),
  timeZone: z
    .string({ error: 'must be an IANA time zone name' })
    .optional()
    .meta({ description: 'IANA zone of the wall times in the file: the default of --timezone' }),
  columns: closed(columns, 'Incident field -> column name, or a list of column names (the first non-empty one wins)'),
  attributes: z
    .record(attributeName, optionalColumn, { error: 'must be an object of attribute name -> column name' })
    .optional()
    .meta({ description: 'Extra columns kept on the incident as source attributes: attribute name -> column' }),
  values: closed(values, 'Value translations per field: source value (case-insensitive) -> our value').optional(),
  defaults: closed(defaults, 'Used when a row has no value (or the column is not mapped)').optional(),
  titleTemplate: text(1000).optional().meta({
    description: 'Title made from other fields: {field}, {attr.name}; a [...] part is left out when a placeholder in it is empty',
  }),
  descriptionTemplate: text(5000, false).optional().meta({ description: 'Description made from other fields, as titleTemplate' }),
  languages: z
    .record(languageCode, language, { error: 'must be an object of language code -> its words' })
    .check((ctx) => {
      // Dates are read in the file's language: its month names must be known.
      for (const [code, l] of Object.entries(ctx.value))
        if (!l.months && !DATE_NAMES[code.split('-')[0]!])
          ctx.issues.push({
            code: 'custom',
            path: [code, 'months'],
            input: l,
            message: `required: ${code} has no built-in month names (built in: ${Object.keys(DATE_NAMES).join(', ')})`,
          });
    })
    .optional()
    .meta({
      description:
        "Other languages the source tool exports in: the file's language is detected from its headers, and its values and " +
        'month names read in it (docs/imports.md)',
    }),
  matchById: yesNo
    .optional()
    .meta({ description: "Match existing incidents by id when a row has no external reference (this tool's own export)" }),
};
const mapping = z.strictObject(mappingShape, {
  error: objectError(`unknown key; keys are ${Object.keys(mappingShape).join(', ')} and any key starting with $`),
});

/** externalRef may be left out only when rows are matched by id instead. */
const hasReference = (m: { columns?: unknown; matchById?: unknown }) => {
  const cols = m.columns;
  if (typeof cols !== 'object' || cols === null) return true; // columns itself is reported
  const has = (f: MappedField) => !!(cols as Record<string, unknown>)[f];
  return has('externalRef') || (!!m.matchById && has('id'));
};

export const mappingFileSchema = closed(
  mapping.refine(hasReference, {
    path: ['columns', 'externalRef'],
    error: "required (the column holding each incident's reference in the other tool)",
    // Also when other keys are wrong: every problem is named at once.
    when: (payload) => typeof payload.value === 'object' && payload.value !== null,
  }),
  "Which column of another tool's export holds which incident field, and how its values translate (docs/imports.md)",
).meta({ title: 'Import mapping' });

export type MappingFile = z.output<typeof mappingFileSchema>;

/** One line per problem: `path: what is wrong`. */
export function mappingIssues(issues: readonly z.core.$ZodIssue[]): string[] {
  const where = (path: readonly PropertyKey[]) =>
    path
      .map((seg, i) => {
        if (typeof seg === 'number') return `[${seg}]`;
        const key = String(seg).length > 40 ? `${String(seg).slice(0, 40)}…` : String(seg);
        // A source value in a value table is data, not a key of ours: quoted even when it looks like a name.
        const quoted = (path[0] === 'values' && i === 2) || !/^[A-Za-z_$][\w$]*$/.test(key);
        return quoted ? `[${JSON.stringify(key)}]` : i === 0 ? key : `.${key}`;
      })
      .join('');
  return issues.flatMap((iss) => {
    if (iss.code === 'unrecognized_keys') return iss.keys.map((k) => `${where([...iss.path, k])}: ${iss.message}`);
    // A bad attribute name: what is wrong with the name itself.
    if (iss.code === 'invalid_key') return [`${where(iss.path)}: the attribute name ${iss.issues.map((i) => i.message).join('; ')}`];
    return [`${where(iss.path)}: ${iss.message}`];
  });
}

/** docs/mapping.schema.json: the JSON Schema editors check mapping files with. */
export function mappingJsonSchema(): string {
  const schema = z.toJSONSchema(mappingFileSchema, { target: 'draft-07', io: 'input' });
  const header = 'Generated by `pnpm cli mapping:schema` from apps/api/src/features/imports/mapping.schema.ts. Do not edit.';
  return `${JSON.stringify({ $schema: schema.$schema, $comment: header, ...schema }, null, 2)}\n`;
}
