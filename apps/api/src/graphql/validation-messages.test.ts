import { getMetadataStorage as validationMetadata, type ValidationError } from 'class-validator';
import { fieldLabel } from '@ikb/domain';
import { getMetadataStorage as graphqlMetadata } from 'type-graphql';
import { describe, expect, it } from 'vitest';
import { schemaSdl } from './schema';
import { plainValidationErrors, SILENT_TYPES, constraintKey, wordConstraint } from './validation-messages';

/** Every class-validator constraint on every input type of the schema. */
async function allConstraints() {
  await schemaSdl(); // builds the schema, so every input class is registered
  const storage = validationMetadata();
  return graphqlMetadata().inputTypes.flatMap((input) =>
    storage.getTargetValidationMetadatas(input.target, '', true, false).map((m) => ({ input: input.name, m })),
  );
}

describe('plain-word validation messages', () => {
  it('words every constraint an input uses as a sentence that names the field in words', async () => {
    const all = await allConstraints();
    expect(all.length).toBeGreaterThan(200);
    const unworded: string[] = [];
    for (const { input, m } of all) {
      if (SILENT_TYPES.has(m.type)) continue;
      const label = fieldLabel(m.propertyName);
      const text = wordConstraint(m, label);
      if (!text) {
        unworded.push(`${input}.${m.propertyName}: ${constraintKey(m)} ${String(m.constraints?.[0] ?? '')}`);
        continue;
      }
      // Plain words: starts with the label, no property spelling, no class-validator phrasing.
      expect(text.startsWith(label) || text.startsWith('Each entry of')).toBe(true);
      expect(text).not.toMatch(/[a-z][A-Z]|longer than or equal|shorter than or equal|must be a UUID|each value in/);
    }
    expect(unworded, 'constraints without a plain-word message in validation-messages.ts').toEqual([]);
  });

  it('turns class-validator errors into sentences with the path kept for the form', async () => {
    const all = await allConstraints();
    const min = all.find(({ m }) => constraintKey(m) === 'minLength' && m.propertyName === 'name')!.m;
    const target = Object.create((min.target as { prototype: object }).prototype) as object;
    const errors = [
      { property: 'name', target, constraints: { minLength: 'name must be longer than or equal to 1 characters' }, children: [] },
    ] as ValidationError[];
    expect(plainValidationErrors(errors)).toEqual([{ field: 'name', label: 'Name', messages: ['Name must not be empty'] }]);
    const nested = [{ property: 'steps', target, children: [{ property: '0', children: errors }] }] as unknown as ValidationError[];
    expect(plainValidationErrors(nested)[0]).toMatchObject({ field: 'steps.0.name', label: 'Name' });
    // A constraint the table does not know still names the field in words, never the property.
    const odd = [{ property: 'dueDate', target: {}, constraints: { isFancy: 'dueDate must be fancy' } }] as unknown as ValidationError[];
    expect(plainValidationErrors(odd)[0]!.messages).toEqual(['Due date is not valid (must be fancy)']);
  });
});
