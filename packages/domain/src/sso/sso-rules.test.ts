import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ROLES } from '../permissions';
import { emailDomainAllowed, groupsOf, roleForGroups, safeReturnPath, ssoErrorSentence, SSO_ERRORS } from './sso-rules';

describe('roleForGroups', () => {
  const mappings = [
    { group: 'ikb-viewers', role: 'VIEWER' as const },
    { group: 'ikb-admins', role: 'ADMIN' as const },
    { group: 'ikb-engineers', role: 'ENGINEER' as const },
  ];
  it('gives the highest mapped role whatever the order', () => {
    expect(roleForGroups(['ikb-viewers', 'ikb-admins'], mappings, null)).toBe('ADMIN');
    expect(roleForGroups(['ikb-engineers', 'ikb-viewers'], mappings, null)).toBe('ENGINEER');
  });
  it('falls back when no group is mapped, and compares exactly', () => {
    expect(roleForGroups(['IKB-ADMINS'], mappings, null)).toBeNull();
    expect(roleForGroups([], mappings, 'VIEWER')).toBe('VIEWER');
  });
  it('is the maximum over mapped groups (property)', () => {
    const rank = (r: string) => 4 - ROLES.indexOf(r as never);
    const arb = fc.array(fc.record({ group: fc.constantFrom('a', 'b', 'c', 'd'), role: fc.constantFrom(...ROLES) }), { maxLength: 6 });
    fc.assert(
      fc.property(arb, fc.subarray(['a', 'b', 'c', 'd', 'e']), (ms, groups) => {
        const got = roleForGroups(groups, ms, null);
        const matched = ms.filter((m) => groups.includes(m.group));
        if (!matched.length) return got === null;
        return got !== null && matched.every((m) => rank(m.role) <= rank(got)) && matched.some((m) => m.role === got);
      }),
    );
  });
});

describe('groupsOf', () => {
  it('reads lists and single strings, drops the rest', () => {
    expect(groupsOf(['a', 1, null, 'b', ''])).toEqual(['a', 'b']);
    expect(groupsOf('a')).toEqual(['a']);
    expect(groupsOf({ a: 1 })).toEqual([]);
    expect(groupsOf(undefined)).toEqual([]);
  });
});

describe('safeReturnPath', () => {
  it('keeps same-origin paths', () => {
    for (const p of ['/', '/incidents?status=NEW', '/admin/sso#x', '/a/b%20c']) expect(safeReturnPath(p)).toBe(p);
  });
  it('refuses other origins and tricks', () => {
    for (const p of [
      '//evil.com',
      'https://evil.com',
      '/\\evil.com',
      '/\t/evil.com',
      '\\\\evil.com',
      'javascript:alert(1)',
      'evil.com',
      '/\u0000x',
      '',
      '/' + 'a'.repeat(600),
      ' /x',
    ])
      expect(safeReturnPath(p), JSON.stringify(p)).toBe('/');
    expect(safeReturnPath(42)).toBe('/');
  });
  it('never returns a path that resolves to another origin (property)', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 40, unit: fc.constantFrom('/', '\\', ':', '.', 'a', 'h', '\t', '@', '%', '?', '#', ' ') }),
        (s) => {
          const p = safeReturnPath(s);
          return new URL(p, 'https://app.example').origin === 'https://app.example' && p.startsWith('/') && !p.startsWith('//');
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('sentences and domains', () => {
  it('has a sentence per code and a general one otherwise', () => {
    for (const [code, s] of Object.entries(SSO_ERRORS)) expect(ssoErrorSentence(code)).toBe(s);
    expect(ssoErrorSentence('__proto__')).toMatch(/Single sign-on failed/);
    expect(ssoErrorSentence(undefined)).toMatch(/Single sign-on failed/);
  });
  it('matches domains exactly and case-insensitively', () => {
    expect(emailDomainAllowed('a@Example.com', ['example.com'])).toBe(true);
    expect(emailDomainAllowed('a@sub.example.com', ['example.com'])).toBe(false);
    expect(emailDomainAllowed('a@x.org', [])).toBe(true);
  });
});
