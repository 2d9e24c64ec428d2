import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { MappingError, validateMapping } from './mapping';
import { mappingJsonSchema } from './mapping.schema';

const ROOT = resolve(__dirname, '../../../../../..');
const committed = () => readFileSync(resolve(ROOT, 'docs/mapping.schema.json'), 'utf8');
const jira = () => JSON.parse(readFileSync(resolve(ROOT, 'apps/api/import-mappings/jira-service-management.json'), 'utf8'));
const base = { columns: { externalRef: 'id', openedAt: 'created_at' } };
const problems = (raw: unknown) => {
  try {
    validateMapping(raw, 'm.json');
  } catch (err) {
    expect(err).toBeInstanceOf(MappingError);
    return (err as Error).message;
  }
  return '';
};

describe('the published JSON Schema of mapping files', () => {
  it('docs/mapping.schema.json matches the schema in code (run `pnpm cli mapping:schema` when this fails)', () => {
    expect(committed()).toBe(mappingJsonSchema());
  });

  it('accepts the documented Jira mapping, which names it in "$schema", and refuses what the import refuses', () => {
    // Read back from the committed file, as an editor would: the JSON Schema says what the import checks.
    const published = z.fromJSONSchema(JSON.parse(committed()));
    const mapping = jira();
    expect(mapping.$schema).toBe('../../../docs/mapping.schema.json');
    expect(published.safeParse(mapping).success).toBe(true);
    expect(validateMapping(mapping, 'jira.json').name).toBe('Jira Service Management CSV export');
    for (const bad of [
      { ...base, colums: {} },
      { ...base, columns: { ...base.columns, bogus: 'x' } },
      { ...base, values: { impact: { High: 7 } } },
      { ...base, defaults: { priority: 1 } },
      { columns: { externalRef: 'id' } },
    ]) {
      expect(published.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
      expect(problems(bad), JSON.stringify(bad)).not.toBe('');
    }
  });
});

describe('validateMapping', () => {
  it('allows keys starting with $ anywhere the file has its own keys, and reports every other unknown key with where it is', () => {
    expect(
      problems({ $schema: 'mapping.schema.json', $comment: 'x', ...base, values: { $comment: 'y' }, defaults: { $comment: 'z' } }),
    ).toBe('');
    const msg = problems({ ...base, colums: {}, defaults: { priority: 1 }, matchById: 'yes' });
    expect(msg).toContain('m.json is not a valid mapping:\n');
    expect(msg).toContain('colums: unknown key; keys are name, source, nullValues');
    expect(msg).toContain('defaults.priority: only impact, urgency, status and resolutionKind have defaults');
    expect(msg).toContain('matchById: must be true or false, got "yes"');
  });

  it('names the column and the list item that is wrong', () => {
    const msg = problems({ columns: { externalRef: ['a', ''], openedAt: 5 }, nullValues: ['?', 1] });
    expect(msg).toContain('columns.externalRef[1]: must not be empty');
    expect(msg).toContain('columns.openedAt: must be a column name or a list of column names');
    expect(msg).toContain('nullValues[1]: must be a string');
  });

  it('needs externalRef unless incidents are matched by id, also when other keys are wrong', () => {
    expect(problems({ columns: { id: 'id', openedAt: 'o' }, matchById: true })).toBe('');
    const msg = problems({ source: 'PagerDuty', columns: {} });
    expect(msg).toContain("columns.externalRef: required (the column holding each incident's reference in the other tool)");
    expect(msg).toContain('columns.openedAt: required (when each incident was opened)');
  });

  it('refuses what is not an object, alone', () => {
    for (const raw of ['x', [], null]) expect(problems(raw)).toBe('m.json: must be a JSON object');
  });
});
