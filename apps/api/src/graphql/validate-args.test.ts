import 'reflect-metadata';
import { IsDefined, IsOptional, Max, MaxLength, Min, ValidateNested, validate } from 'class-validator';
import { ArgumentValidationError } from 'type-graphql';
import { describe, expect, test } from 'vitest';
import { validateArgs } from './validate-args';

class Range {
  @Min(1) from!: number;
  @Max(10) to!: number;
}

class Filter {
  query!: string;
  @IsOptional() @MaxLength(5) tag?: string;
  @ValidateNested() range?: Range;
}

class Narrower extends Filter {
  @Min(0) limit?: number;
}

class MustName {
  @IsDefined() name?: string;
}

const make = <T extends object>(cls: new () => T, values: Partial<T>): T => Object.assign(new cls(), values);

/** What type-graphql's own validation reports: class-validator with skipMissingProperties, first invalid object. */
async function classValidator(value: unknown) {
  for (const item of Array.isArray(value) ? value : [value]) {
    if (item === null || typeof item !== 'object') continue;
    const errors = await validate(item, { skipMissingProperties: true, forbidUnknownValues: false });
    if (errors.length) return errors;
  }
  return null;
}

async function ours(value: unknown) {
  try {
    await validateArgs(value);
    return null;
  } catch (err) {
    expect(err).toBeInstanceOf(ArgumentValidationError);
    const e = err as ArgumentValidationError;
    expect(e.extensions.code).toBe('BAD_USER_INPUT');
    return e.extensions.validationErrors as unknown[];
  }
}

describe('validateArgs reports exactly what class-validator does', () => {
  const cases: [string, unknown][] = [
    ['no constrained value given (skipped without class-validator)', make(Filter, { query: 'x' })],
    ['a valid constrained value', make(Filter, { query: 'x', tag: 'abc' })],
    ['an invalid constrained value', make(Filter, { query: 'x', tag: 'too long' })],
    ['null for an optional value', make(Filter, { query: 'x', tag: null as unknown as string })],
    ['an invalid nested object', make(Filter, { query: 'x', range: make(Range, { from: 0, to: 3 }) })],
    ['an inherited constraint', make(Narrower, { query: 'x', tag: 'too long' })],
    ['a constraint of the subclass', make(Narrower, { query: 'x', limit: -1 })],
    ['@IsDefined on a missing value (checked although nothing is given)', make(MustName, {})],
    ['@IsDefined satisfied', make(MustName, { name: 'n' })],
    ['a list whose second item is invalid', [make(Filter, { query: 'a' }), make(Filter, { query: 'b', tag: 'too long' })]],
    ['a list of valid items and nulls', [make(Filter, { query: 'a' }), null]],
    ['a plain object (no class, nothing to check)', { tag: 'too long' }],
    ['a scalar', 42],
    ['null', null],
  ];
  test.each(cases)('%s', async (_name, value) => {
    const expected = await classValidator(value);
    const got = await ours(value);
    expect(got === null ? null : JSON.parse(JSON.stringify(got))).toEqual(expected === null ? null : JSON.parse(JSON.stringify(expected)));
  });

  test('the failing cases do fail', async () => {
    expect(await ours(make(Filter, { query: 'x', tag: 'too long' }))).toHaveLength(1);
    expect(await ours(make(MustName, {}))).toHaveLength(1);
    expect(await ours([make(Filter, { query: 'a' }), make(Filter, { query: 'b', tag: 'too long' })])).toHaveLength(1);
  });
});
