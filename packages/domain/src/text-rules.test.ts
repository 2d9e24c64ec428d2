import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dateProblem, normalizeEmail, textProblem } from './text-rules';

describe('textProblem', () => {
  it.each([
    ['NUL', 'a\u0000b', /control character, U\+0000, at position 2/],
    ['ESC', '\u001b[31mred', /control character, U\+001B, at position 1/],
    ['DEL', 'x\u007f', /U\+007F/],
    ['C1', 'x\u0085', /U\+0085/],
    ['lone high surrogate', 'ok\ud800', /unpaired surrogate \(not a character\), U\+D800, at position 3/],
    ['lone low surrogate', '\udc00ok', /unpaired surrogate.*U\+DC00/],
  ])('refuses %s in any text', (_name, value, message) => {
    expect(textProblem(value)).toMatch(message);
    expect(textProblem(value, { singleLine: true })).toMatch(/./);
  });

  it.each([
    ['LF', 'a\nb', /line break or tab.*U\+000A, at position 2/],
    ['CR', 'a\rb', /U\+000D/],
    ['tab', 'a\tb', /U\+0009/],
    ['line separator', 'a\u2028b', /U\+2028/],
    ['right-to-left override', 'INC-1\u202e2', /bidirectional control character, U\+202E, at position 6/],
    ['isolate', '\u2066x', /U\+2066/],
    ['zero-width space', 'sp\u200b', /invisible character, U\+200B/],
    ['BOM', '\ufeffTitle', /U\+FEFF/],
  ])('refuses %s in a single-line field, not in multi-line text', (_name, value, message) => {
    expect(textProblem(value, { singleLine: true })).toMatch(message);
  });

  it('keeps line breaks and tabs in multi-line text', () => {
    expect(textProblem('step 1\r\n\tstep 2\n')).toBeNull();
  });

  it('accepts real text: accents, CJK, RTL scripts, emoji with ZWJ, Persian ZWNJ, surrogate pairs', () => {
    for (const s of ['Café résumé', '数据库连接池耗尽', 'שגיאה בשרת', '👩\u200d💻 on call', 'می\u200cخواهم', '𝔘𝔫𝔦𝔠𝔬𝔡𝔢']) {
      expect(textProblem(s, { singleLine: true }), s).toBeNull();
    }
  });

  it('counts length as GraphQL MaxLength does', () => {
    expect(textProblem('x'.repeat(200), { max: 200 })).toBeNull();
    expect(textProblem('x'.repeat(201), { max: 200 })).toBe('must be at most 200 characters (got 201)');
  });

  it('accepts exactly the strings without forbidden characters (property)', () => {
    const forbidden =
      // oxlint-disable-next-line no-control-regex -- control characters are what it looks for
      /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        expect(textProblem(s) === null).toBe(!forbidden.test(s));
      }),
    );
    fc.assert(fc.property(fc.string({ unit: 'grapheme' }), (s) => textProblem(s) === null || forbidden.test(s)));
  });
});

describe('normalizeEmail', () => {
  it('folds invisible characters, compatibility forms and case to one address', () => {
    for (const e of [
      'sp@example.com',
      'sp\u200b@example.com',
      ' SP@Example.COM ',
      '\ufeffsp@example.com',
      'ｓｐ@example.com',
      's\u00adp@example.com',
    ]) {
      expect(normalizeEmail(e), JSON.stringify(e)).toBe('sp@example.com');
    }
  });
  it('is idempotent (property)', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary' }), (s) => normalizeEmail(normalizeEmail(s)) === normalizeEmail(s)));
  });
});

describe('dateProblem', () => {
  it('accepts 1970 to 2099 and refuses what is outside or not a date', () => {
    expect(dateProblem(new Date('1970-01-01T00:00:00Z'))).toBeNull();
    expect(dateProblem(new Date('2099-12-31T23:59:59Z'))).toBeNull();
    expect(dateProblem(new Date('0001-01-01T00:00:00Z'))).toMatch(/must be between 1970-01-01 and 2100-01-01 \(got 0001-01-01/);
    expect(dateProblem(new Date('9999-12-31T00:00:00Z'))).toMatch(/got 9999-12-31/);
    expect(dateProblem(new Date(Date.UTC(99999, 0, 1)))).toMatch(/got \+099999/);
    expect(dateProblem(new Date(NaN))).toBe('is not a date');
  });
});
