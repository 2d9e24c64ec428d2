import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { DATE_NAMES } from '@ikb/domain';
import { describe, expect, it } from 'vitest';
import { ImportRefused } from '../import-refused';
import { DateReader, dateShape } from './dates';
import { localise } from './languages';
import { MappingError, validateMapping } from './mapping';

/** Language detection, localised month names and the `languages` key of mapping files, without a database. */

const ROOT = resolve(__dirname, '../../../../../..');
const jira = validateMapping(
  JSON.parse(readFileSync(resolve(ROOT, 'apps/api/import-mappings/jira-service-management.json'), 'utf8')),
  'jira.json',
);
const iso = (d: Date | string) => (typeof d === 'string' ? d : d.toISOString());
const read = (code: string, v: string, order: 'dmy' | 'mdy' = 'dmy') => iso(new DateReader(order, 'UTC', DATE_NAMES[code]!).parse(v));

describe('month names and AM/PM in the languages Jira exports in', () => {
  it.each([
    ['en', '18/Jul/26 9:10 AM', '2026-07-18T09:10:00.000Z'],
    ['en', '18/Jul/26 12:05 AM', '2026-07-18T00:05:00.000Z'],
    ['es', '18/jul/26 9:10 AM', '2026-07-18T09:10:00.000Z'],
    ['es', '18/jul./26 3:45 p. m.', '2026-07-18T15:45:00.000Z'],
    ['es', '2/dic/26 12:00 a. m.', '2026-12-02T00:00:00.000Z'],
    ['es', '5/ene./26 11:59 p.m.', '2026-01-05T23:59:00.000Z'],
    ['de', '18/Mär/26 09:10', '2026-03-18T09:10:00.000Z'],
    ['de', '1/Mrz/26 23:00', '2026-03-01T23:00:00.000Z'],
    ['de', '3/Okt/26 00:10', '2026-10-03T00:10:00.000Z'],
    ['fr', '18/juil./26 9:10 AM', '2026-07-18T09:10:00.000Z'],
    ['fr', '3/févr./26 2:15 PM', '2026-02-03T14:15:00.000Z'],
    ['fr', '15/août/26 08:00', '2026-08-15T08:00:00.000Z'],
    ['pt', '20/set/26 11:00 PM', '2026-09-20T23:00:00.000Z'],
    ['pt', '1/out/26 06:00', '2026-10-01T06:00:00.000Z'],
    ['ja', '18/7月/26 9:10 午前', '2026-07-18T09:10:00.000Z'],
    ['ja', '12/12月/26 12:10 午前', '2026-12-12T00:10:00.000Z'],
    ['ja', '18/07月/26 3:45 午後', '2026-07-18T15:45:00.000Z'],
  ])('%s %s', (code, value, expected) => {
    expect(read(code, value)).toBe(expected);
    // Month names need no day/month order: they do not sway the detection.
    expect(dateShape(value).kind).toBe('fixed');
  });

  it('names a month or a marker of another language instead of guessing', () => {
    expect(read('es', '18/Okt/26 9:10')).toMatch(
      /has a month name "Okt" that is not Spanish \(the language of the file's headers; ene, feb/,
    );
    expect(read('de', '18/dic/26 9:10')).toContain('is not German');
    expect(read('en', '18/juil./26 9:10')).toContain('is not English');
    expect(read('es', '18/jul/26 9:10 午後')).toContain('has the time marker "午後", which is not Spanish');
    expect(read('es', '18/jul/26 13:10 p. m.')).toContain('has hour 13 with p. m.');
    expect(read('ja', '18/13月/26 9:10')).toContain('has a month name "13月" that is not Japanese');
  });

  it('a reader without a language keeps the permissive built-in table (other mappings)', () => {
    const r = new DateReader('dmy', 'UTC');
    expect(iso(r.parse('12/Mär/24 3:45 PM'))).toBe('2024-03-12T15:45:00.000Z');
    expect(iso(r.parse('12/déc./24 3:45 PM'))).toBe('2024-12-12T15:45:00.000Z');
    expect(r.parse('12/dic/24 3:45 PM')).toBe('"12/dic/24 3:45 PM" has an unknown month name "dic"');
  });
});

describe('detecting the language from the header', () => {
  it('reads each language as the mapping names its columns, English when nothing votes', () => {
    const es = localise(jira, ['Clave de incidencia', 'Resumen', 'Campo personalizado (Equipo)', 'Sprint'], 'f.csv');
    expect(es.language).toEqual({ code: 'es', name: 'Spanish' });
    expect(es.header).toEqual(['Issue key', 'Summary', 'Custom field (Equipo)', 'Sprint']);
    expect(es.mapping.values?.status?.['Tareas por hacer']).toBe('NEW');
    expect(es.mapping.values?.resolutionKind?.['Finalizada']).toBe('PERMANENT_FIX');
    expect(es.dateNames?.code).toBe('es');
    // Newer Jira Cloud says "Persona asignada" where older Jira said "Responsable".
    expect(localise(jira, ['Clave de incidencia', 'Persona asignada'], 'f.csv').header).toEqual(['Issue key', 'Assignee']);
    const ja = localise(jira, ['課題キー', '作成日', 'カスタム フィールド (影響度)'], 'f.csv');
    expect(ja.header).toEqual(['Issue key', 'Created', 'Custom field (Impact)']);
    const en = localise(jira, ['Issue key', 'Created', 'Status'], 'f.csv');
    expect(en.language).toEqual({ code: 'en', name: 'English' });
    expect(en.header).toEqual(['Issue key', 'Created', 'Status']);
    // A mapping without languages is left as it is (ServiceNow, generic mappings).
    const plain = validateMapping({ columns: { externalRef: 'Clave de incidencia', openedAt: 'Creada' } });
    expect(localise(plain, ['Clave de incidencia', 'Creada'], 'f.csv')).toMatchObject({ language: null, dateNames: null });
  });

  it('tells Spanish from Portuguese by the columns only one of them has', () => {
    // "Componentes" and "Campo personalizado (...)" are both: they decide nothing.
    expect(localise(jira, ['Componentes', 'Campo personalizado (X)', 'Chave da item', 'Criado'], 'f.csv').language?.code).toBe('pt');
    expect(localise(jira, ['Componentes', 'Campo personalizado (X)', 'Clave de incidencia'], 'f.csv').language?.code).toBe('es');
  });

  it('refuses column names in two languages', () => {
    const mixed = () => localise(jira, ['Clave de incidencia', 'Creada', 'Vorgangsschlüssel'], 'f.csv');
    expect(mixed).toThrow(ImportRefused);
    expect(mixed).toThrow(/Spanish \("Clave de incidencia", "Creada"\) and German \("Vorgangsschlüssel"\)/);
    // Hostile: thousands of columns of both languages; the message stays short, a control character shown escaped.
    const many = Array.from({ length: 5000 }, (_, i) => (i % 2 ? 'Resumen' : 'Zusammenfassung'));
    expect(() => localise(jira, ['Clave de incidencia', 'Benutzerdefiniertes Feld (a\u0000b)'], 'f.csv')).toThrow(
      /German \("Benutzerdefiniertes Feld \(a\\u0000b\)"\)/,
    );
    // 100,000 columns of one language are read at once (the checks are not quadratic in the columns).
    const wide = localise(jira, ['Clave de incidencia', ...Array.from({ length: 100_000 }, () => 'Resumen')], 'f.csv');
    expect(wide.header[100_000]).toBe('Summary');
    expect(() => localise(jira, many, 'f.csv')).toThrow(/\("Resumen", "Resumen", "Resumen", "Resumen", "Resumen", \.\.\.\)/);
  });
});

describe('the languages key of a mapping file', () => {
  const base = { columns: { externalRef: 'Issue key', openedAt: 'Created' } };
  const problems = (languages: unknown) => {
    try {
      validateMapping({ ...base, languages }, 'm.json');
      return '';
    } catch (err) {
      expect(err).toBeInstanceOf(MappingError);
      return (err as Error).message;
    }
  };
  it('names what is wrong, and where', () => {
    expect(problems({ es: { name: 'Spanish', headers: { Creada: 'Created' } } })).toBe('');
    expect(problems({ xx: { name: 'Klingon' } })).toContain('languages.xx.months: required: xx has no built-in month names');
    expect(problems({ xx: { name: 'Klingon', months: [['a']] } })).toContain('must be 12 lists of month names, January first');
    expect(problems({ es: { name: 'Spanish', colours: {} } })).toContain('languages.es.colours');
    expect(problems({ es: { name: 'Spanish', values: { title: {} } } })).toContain('have localised values');
    expect(problems({ 'not a code': { name: 'x' } })).toContain('must be a language code');
    expect(problems({ es: { headers: {} } })).toContain('languages.es.name');
  });
});
