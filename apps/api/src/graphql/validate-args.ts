import { getMetadataStorage, validate, ValidationTypes, type ValidatorOptions } from 'class-validator';
import { ArgumentValidationError } from 'type-graphql';

/** What type-graphql passes class-validator by default (`validate: true` with forbidUnknownValues off). */
const OPTIONS: ValidatorOptions = { skipMissingProperties: true, forbidUnknownValues: false };

interface ClassRules {
  /** Properties with at least one constraint (own or inherited). */
  constrained: Set<string>;
  /** Some property must be present (@IsDefined runs even on missing values). */
  required: boolean;
}

const rulesByClass = new WeakMap<object, ClassRules>();

function rulesOf(ctor: Function): ClassRules {
  let rules = rulesByClass.get(ctor);
  if (!rules) {
    const metadata = getMetadataStorage().getTargetValidationMetadatas(ctor, '', false, false);
    rules = {
      constrained: new Set(metadata.map((m) => m.propertyName)),
      required: metadata.some((m) => m.type === ValidationTypes.IS_DEFINED),
    };
    rulesByClass.set(ctor, rules);
  }
  return rules;
}

/** Whether class-validator could report anything: with skipMissingProperties only given values and @IsDefined are checked. */
function mayFail(item: object): boolean {
  const rules = rulesOf(item.constructor);
  if (rules.required) return true;
  for (const key in item) if ((item as Record<string, unknown>)[key] != null && rules.constrained.has(key)) return true;
  return false;
}

/**
 * type-graphql's argument validation (objects, and objects in lists, with class-validator; the first
 * invalid one reported as ArgumentValidationError, BAD_USER_INPUT with the validation errors that
 * formatError words), made cheaper: class-validator is imported once (type-graphql's own path imports
 * it again for every argument, a resolve through the tsx loader), and an argument none of whose given
 * values has a constraint is not handed to class-validator at all (with skipMissingProperties it
 * would check nothing). Both showed in the API overhead of a search request (BENCHMARKS.md, search).
 */
export async function validateArgs(value: unknown): Promise<void> {
  if (value === null || typeof value !== 'object') return;
  for (const item of Array.isArray(value) ? value : [value]) {
    if (item === null || typeof item !== 'object' || !mayFail(item)) continue;
    const errors = await validate(item as object, OPTIONS);
    if (errors.length) throw new ArgumentValidationError(errors);
  }
}
