// graphql-js refuses a variable that does not fit its type before any resolver runs, in its own
// words: 'Variable "$input" got invalid value "X" at "input.to"; Value "X" does not exist in
// "IncidentStatus" enum.' Those words name types and paths; this module says the same in plain words,
// with the field in words and, for an enum, the values it takes as the web app shows them.
import { fieldLabel, valuesInWords } from '@ikb/domain';
import { GraphQLEnumType, type GraphQLSchema } from 'graphql';

let enumValues = new Map<string, string[]>();

/** Reads the enums of the schema once at start-up, so a refusal can list what an enum takes. */
export function knowEnumsOf(schema: GraphQLSchema): void {
  const next = new Map<string, string[]>();
  for (const type of Object.values(schema.getTypeMap())) {
    if (type instanceof GraphQLEnumType && !type.name.startsWith('__'))
      next.set(
        type.name,
        type.getValues().map((v) => v.name),
      );
  }
  enumValues = next;
}

export interface CoercionWording {
  /** The input path graphql-js named ("input.to", "role"). */
  field: string;
  message: string;
  /** For an enum: the values it takes, as the API spells them (machine-readable, for clients). */
  allowed?: string[];
}

type Rule = [RegExp, (label: string, m: RegExpExecArray) => string];

const RULES: Rule[] = [
  [/^Int cannot represent/, (l) => `${l} must be a whole number`],
  [/^Float cannot represent/, (l) => `${l} must be a number`],
  [/^String cannot represent/, (l) => `${l} must be text`],
  [/^Boolean cannot represent/, (l) => `${l} must be true or false`],
  [/^ID cannot represent/, (l) => `${l} is not a valid reference: choose it again from the list`],
  [/^Expected non-nullable type .* not to be null/, (l) => `${l} is required`],
  [/^Field "(\w+)" of required type .* was not provided/, (_l, m) => `${fieldLabel(m[1]!)} is required`],
  [/^Expected type .* to be an object/, (l) => `${l} must be an object with its own fields`],
  [/^DateTime (must .*|is .*)$/s, (l, m) => `${l} ${m[1]!.replace(/\.$/, '')}`],
  [/DateTime cannot represent|date-time/i, (l) => `${l} must be a date and time, e.g. 2026-03-31T09:00:00Z`],
];

/**
 * The plain wording of a graphql-js variable refusal, or null when the message is not one. The
 * value the caller sent is quoted as sent; types and paths are not.
 */
export function wordCoercion(message: string): CoercionWording | null {
  const nullVar = /^Variable "\$(\w+)" of non-null type "[^"]+" must not be null/.exec(message);
  if (nullVar) return { field: nullVar[1]!, message: `${fieldLabel(nullVar[1]!)} is required` };
  const at = /^Variable "\$(\w+)" got invalid value (?:.*?) at "([^"]+)"; (.*)$/s.exec(message);
  const top = at ? null : /^Variable "\$(\w+)" got invalid value (?:.*?); (.*)$/s.exec(message);
  if (!at && !top) return null;
  const field = at ? at[2]! : top![1]!;
  const detail = (at ? at[3]! : top![2]!).trim();
  const label = fieldLabel(field);
  const unknown = /^Value (.+?) does not exist in "(\w+)" enum/.exec(detail);
  if (unknown) {
    const allowed = enumValues.get(unknown[2]!);
    const choose = allowed ? `; choose ${valuesInWords(allowed)}` : '';
    return { field, message: `${label} cannot be ${unknown[1]}${choose}`, ...(allowed ? { allowed } : {}) };
  }
  for (const [re, word] of RULES) {
    const hit = re.exec(detail);
    if (hit) return { field, message: word(label, hit) };
  }
  return { field, message: `${label} is not valid: ${detail.replace(/\.$/, '')}` };
}
