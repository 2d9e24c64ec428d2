import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCsv, scanCsvBytes, toCsv } from './csv';

/** scanCsvBytes (the importer's reader) must read exactly what scanCsv / parseCsv reads from the same text. */
function bytesTable(text: string, delimiter = ',', keep?: boolean[]) {
  const rows: string[][] = [];
  scanCsvBytes(
    Buffer.from(text, 'utf8'),
    delimiter,
    (fields) => {
      rows.push([...fields]);
    },
    keep,
  );
  return rows;
}

function stringTable(text: string, delimiter = ',') {
  const t = parseCsv(text, { delimiter });
  return { header: t.header, rows: t.rows };
}

describe('scanCsvBytes', () => {
  it('reads quotes, doubled quotes, line breaks in fields, CRLF, CR, a BOM, multi-byte text and what follows a closing quote', () => {
    const text = '\ufeffa,b,c\r\n1,"x, ""y""","line1\nline2"\r\n\r\n2,,\n3,"Zürich ""東京""" tail,é\r4,plain,\n';
    const rows = bytesTable(text);
    expect(rows[0]).toEqual(['a', 'b', 'c']);
    expect(rows.slice(1).filter((r) => !(r.length === 1 && r[0] === ''))).toEqual(stringTable(text).rows);
    expect(rows[5]).toEqual(['4', 'plain', '']);
  });

  it('leaves out what is not kept, and hands over the same string for a value repeated in the same column', () => {
    const desc = `"${'A long description, with commas. '.repeat(20)}"`;
    const text = `id,desc,x\n1,${desc},a\n2,${desc},b\n3,other,b\n`;
    const rows: string[][] = [];
    scanCsvBytes(
      Buffer.from(text),
      ',',
      (f) => {
        rows.push(f);
      },
      [false, true, true],
    );
    expect(rows[0]).toEqual(['id', 'desc', 'x']);
    expect(rows[1]![0]).toBe('');
    expect(rows[1]![1]).toBe('A long description, with commas. '.repeat(20));
    expect(Object.is(rows[1]![1], rows[2]![1])).toBe(true);
    expect(rows[3]).toEqual(['', 'other', 'b']);
  });

  it('refuses an unclosed quote, naming the line it starts on', () => {
    expect(() => bytesTable('a,b\n1,2\n3,"open\nmore')).toThrow(/row 3: a quoted field is never closed \(starting on line 3\)/);
  });

  it('reads any table written by toCsv as parseCsv does', () => {
    const cell = fc.oneof(fc.string(), fc.constantFrom('', '"', '""', ',', '\n', '\r\n', 'é', '東京', ' padded ', 'x'));
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }),
        fc.array(fc.array(cell, { minLength: 5, maxLength: 5 }), { minLength: 1, maxLength: 8 }),
        fc.constantFrom(',', ';', '\t'),
        (width, raw, delimiter) => {
          const rows = raw.map((r) => r.slice(0, width).map((c) => c.replace(/[\uD800-\uDFFF]/g, 'x')));
          const header = Array.from({ length: width }, (_, i) => `h${i}`);
          const text = toCsv(header, rows, delimiter);
          const expected = stringTable(text, delimiter);
          const got = bytesTable(text, delimiter)
            .slice(1)
            .filter((r) => !(r.length === 1 && r[0] === ''));
          expect(got).toEqual(expected.rows);
        },
      ),
      { numRuns: 300 },
    );
  });
});
