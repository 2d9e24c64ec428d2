// class-validator's own messages are developer text ("name must be longer than or equal to 1
// characters"). Each constraint the API uses is worded here as a plain sentence naming the field in
// words; validation-messages.test.ts fails when an input uses a constraint this table cannot word.
import { fieldLabel } from '@ikb/domain';
import { getMetadataStorage, ValidationTypes, type ValidationError } from 'class-validator';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';

type Wording = (label: string, args: readonly unknown[], pattern?: RegExp) => string | null;

const n = (args: readonly unknown[]) => Number(args[0]);
const characters = (k: number) => (k === 1 ? '1 character' : `${k} characters`);
const entries = (k: number) => (k === 1 ? '1 entry' : `${k} entries`);

/** Patterns the inputs use, each with what it asks for in words. */
const PATTERNS: [RegExp, (label: string) => string][] = [
  [/\S/, (l) => `${l} must not be blank`],
  [/^\d{4}-\d{2}-\d{2}$/, (l) => `${l} must be a date written as year-month-day, e.g. 2026-03-31`],
  [/^\d{2}:\d{2}$/, (l) => `${l} must be a time written as hours:minutes, e.g. 09:00`],
  [
    /^[A-Z][A-Z0-9_]{1,39}$/,
    (l) => `${l} must be 2 to 40 capital letters, digits or underscores, starting with a letter, e.g. CUSTOMER_IMPACT`,
  ],
  [/^[A-Za-z][A-Za-z0-9_]{0,49}$/, (l) => `${l} must be a Jira project key: a letter, then letters, digits or underscores, e.g. OPS`],
  [/^[A-Za-z0-9_.-]{1,100}$/, (l) => `${l} must be a name of letters, digits, dots, dashes or underscores, e.g. acme`],
];

function patternWording(pattern: RegExp | undefined, label: string): string | null {
  if (!pattern) return null;
  const found = PATTERNS.find(([p]) => p.source === pattern.source && p.flags === pattern.flags);
  return found ? found[1](label) : null;
}

/** Keyed by class-validator's constraint name (the key of ValidationError.constraints). */
export const WORDINGS: Record<string, Wording> = {
  [ValidationTypes.IS_DEFINED]: (l) => `${l} is required`,
  [ValidationTypes.NESTED_VALIDATION]: (l) => `${l} must be an object with its own fields`,
  minLength: (l, a) => (n(a) <= 1 ? `${l} must not be empty` : `${l} must be at least ${characters(n(a))} long`),
  maxLength: (l, a) => `${l} must be at most ${characters(n(a))} long`,
  isUuid: (l) => `${l} is not a valid reference: choose it again from the list`,
  isInt: (l) => `${l} must be a whole number`,
  min: (l, a) => `${l} must be ${n(a)} or more`,
  max: (l, a) => `${l} must be ${n(a)} or less`,
  arrayMaxSize: (l, a) => `${l} must have at most ${entries(n(a))}`,
  arrayMinSize: (l, a) => (n(a) <= 1 ? `${l} must have at least one entry` : `${l} must have at least ${entries(n(a))}`),
  isEmail: (l) => `${l} must be an e-mail address, e.g. name@example.com`,
  isBoolean: (l) => `${l} must be true or false`,
  arrayUnique: (l) => `${l} must not name the same entry twice`,
  // Only `@Equals(true)` is used: a flag that asks for something when given ("acknowledge: true").
  equals: (l, a) => (a[0] === true ? `${l} can only be true: leave it out otherwise` : null),
  matches: (l, _a, pattern) => patternWording(pattern, l),
};

/** Constraint types that never report an error themselves. */
export const SILENT_TYPES: ReadonlySet<string> = new Set([ValidationTypes.CONDITIONAL_VALIDATION]);

export function constraintKey(m: ValidationMetadata): string {
  return m.type === ValidationTypes.CUSTOM_VALIDATION ? (m.name ?? m.type) : m.type;
}

/** The plain sentence for one constraint of one property, or null when the table cannot word it. */
export function wordConstraint(m: ValidationMetadata, label: string): string | null {
  const wording = WORDINGS[constraintKey(m)];
  if (!wording) return null;
  const args = (m.constraints ?? []) as unknown[];
  const subject = m.each ? `Each entry of ${label.charAt(0).toLowerCase()}${label.slice(1)}` : label;
  return wording(subject, args, m.name === 'matches' ? (args[0] as RegExp) : undefined);
}

function metadataOf(target: object | undefined, property: string, key: string): ValidationMetadata | undefined {
  if (!target) return undefined;
  return getMetadataStorage()
    .getTargetValidationMetadatas(target.constructor, '', true, false)
    .find((m) => m.propertyName === property && constraintKey(m) === key);
}

export interface FieldMessages {
  /** The input path, e.g. "title" or "steps.2.title". */
  field: string;
  /** The field in words, e.g. "Due date". */
  label: string;
  messages: string[];
}

/** Every failed constraint as a plain sentence, with the field path it belongs to. */
export function plainValidationErrors(errors: readonly ValidationError[], prefix = ''): FieldMessages[] {
  return errors.flatMap((e) => {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    const label = fieldLabel(field);
    const worded = Object.entries(e.constraints ?? {}).map(([key, raw]) => {
      const m = metadataOf(e.target, e.property, key);
      // A constraint without a wording here still gets the field in words, never the raw property name.
      return (m && wordConstraint(m, label)) ?? `${label} is not valid (${raw.replace(/^\S+\s/, '')})`;
    });
    // An empty text is also blank: one sentence says it.
    const empty = worded.some((w) => w.endsWith('must not be empty'));
    const messages = worded.filter((w) => !(empty && w.endsWith('must not be blank')));
    const own = messages.length ? [{ field, label, messages }] : [];
    return [...own, ...plainValidationErrors(e.children ?? [], field)];
  });
}
