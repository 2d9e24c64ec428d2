/**
 * Which text arguments may span lines. Every string a client sends is checked (see checkTextArgs
 * in features/auth/guard.middleware.ts): no control characters or unpaired surrogates anywhere,
 * and, unless the field is marked here, the single-line rules too (no line breaks, tabs, bidi
 * controls or invisible characters), so that a title, name, email or reference reads as what it
 * is stored as. One line is the default: a new field is safe until someone decides it holds prose.
 */

import { getMetadataStorage } from 'type-graphql';

const multiLineFields = new WeakMap<Function, Set<string>>();

/** Marks an input field as prose (descriptions, notes, steps, messages): line breaks and tabs allowed. */
export function MultiLine(): PropertyDecorator {
  return (target, property) => {
    const ctor = target.constructor;
    const own = multiLineFields.get(ctor) ?? new Set<string>();
    own.add(String(property));
    multiLineFields.set(ctor, own);
  };
}

let byTypeName: Map<string, Set<string>> | undefined;

/**
 * Whether field `property` of GraphQL input type `typeName` is prose. Arguments reach the guard
 * before type-graphql turns them into class instances, so the marks are looked up by the input
 * type's GraphQL name (type-graphql's metadata ties names to classes), inherited fields included.
 */
export function isMultiLineField(typeName: string, property: string): boolean {
  if (!byTypeName) {
    byTypeName = new Map();
    for (const input of getMetadataStorage().inputTypes) {
      const fields = new Set<string>();
      for (let c: Function | null = input.target; c && c !== Object; c = Object.getPrototypeOf(c) as Function | null) {
        for (const f of multiLineFields.get(c) ?? []) fields.add(f);
      }
      byTypeName.set(input.name, fields);
    }
  }
  return byTypeName.get(typeName)?.has(property) ?? false;
}

/** Plain (non-input-object) arguments that are prose, as `field.argument`. */
export const MULTI_LINE_ARGS = new Set([
  'applyWorkaround.note',
  'reopenIncident.reason',
  'transitionProblem.note',
  'transitionReview.reason',
  'importCalendarHolidays.ics',
  'holidayImportPreview.ics',
  // A pasted error message or log line is a fair search.
  'incidentModels.text',
]);

/** Secrets are never shown, so only the rules for every text apply (a password may hold any visible character). */
export const isSecretName = (name: string) => /password$/i.test(name);
