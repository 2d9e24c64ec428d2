import { DATE_NAMES, type DateNames } from '@ikb/domain';
import { ImportRefused } from '../import-refused';
import type { ColumnRef, ImportMapping } from './mapping';
import { PRIORITY_WORDS, STATUS_WORDS } from './mapping';
import { clip } from './value-converters';

/**
 * A mapping's `languages` (mapping.schema.ts): tools such as Jira export in the exporting user's
 * language, headers, values and month names alike. The language is detected once from the header
 * row; the header is then read as the mapping's own language, the value tables learn the localised
 * words, and dates are read with that language's month names. Nothing here runs per row.
 */

export interface FileLanguage {
  code: string;
  name: string;
}

export interface Localised {
  /** The mapping with the language's values added to its value tables. */
  mapping: ImportMapping;
  /** The header as the mapping names its columns (Clave de incidencia -> Issue key). */
  header: string[];
  /** null: the mapping has no languages (nothing was detected). */
  language: FileLanguage | null;
  /** Month names and markers dates are read with; null: the permissive built-in table. */
  dateNames: DateNames | null;
}

type Language = NonNullable<ImportMapping['languages']>[string];

const norm = (s: string) => s.trim().toLowerCase().replace(/\s+/g, ' ');

/** One language's header translation: exact names, then "Prefix (*)" patterns. */
function headerTranslator(lang: Language): (h: string) => string | undefined {
  const exact = new Map<string, string>();
  const patterns: { pre: string; post: string; toPre: string; toPost: string }[] = [];
  for (const [from, to] of Object.entries(lang.headers ?? {})) {
    const star = from.indexOf('*');
    const toStar = to.indexOf('*');
    if (star >= 0 && toStar >= 0)
      patterns.push({
        pre: norm(from.slice(0, star)),
        post: norm(from.slice(star + 1)),
        toPre: to.slice(0, toStar),
        toPost: to.slice(toStar + 1),
      });
    else exact.set(norm(from), to);
  }
  return (h) => {
    const n = norm(h);
    const hit = exact.get(n);
    if (hit !== undefined) return hit;
    for (const p of patterns)
      if (n.length > p.pre.length + p.post.length && n.startsWith(p.pre) && n.endsWith(p.post)) {
        // The part the pattern keeps is the other tool's own name (a custom field): as written.
        const t = h.trim();
        return p.toPre + t.slice(p.pre.length, t.length - p.post.length) + p.toPost;
      }
    return undefined;
  };
}

const refs = (r: ColumnRef | undefined) => (r === undefined ? [] : Array.isArray(r) ? r : [r]);

/** Detects the file's language from its header and returns the mapping as it reads that file. */
export function localise(mapping: ImportMapping, header: string[], fileName: string): Localised {
  const languages = Object.entries(mapping.languages ?? {});
  if (!languages.length) return { mapping, header, language: null, dateNames: null };
  // The names the mapping reads, in its own language (English for the shipped ones).
  const own = new Set([...Object.values(mapping.columns), ...Object.values(mapping.attributes ?? {})].flatMap(refs).map(norm));
  const translators = languages.map(([code, lang]) => ({ code, lang, translate: headerTranslator(lang) }));
  // A header votes for a language when that language alone translates it.
  const votes = new Map<string, string[]>();
  for (const h of header) {
    const hits = translators.filter((t) => {
      const to = t.translate(h);
      return to !== undefined && norm(to) !== norm(h);
    });
    if (hits.length === 1) {
      const list = votes.get(hits[0]!.code) ?? [];
      list.push(clip(h.trim()));
      votes.set(hits[0]!.code, list);
    }
  }
  const ranked = [...votes.entries()].sort((a, b) => b[1].length - a[1].length);
  const nameOf = (code: string) => mapping.languages![code]!.name;
  if (ranked.length > 1) {
    const list = ranked.map(([code, hs]) => `${nameOf(code)} (${hs.slice(0, 5).join(', ')}${hs.length > 5 ? ', ...' : ''})`);
    throw new ImportRefused(
      'MIXED_LANGUAGES',
      `${fileName}: the column names mix languages: ${list.join(' and ')}. Export the file again with one language ` +
        "(Jira writes the exporting user's language: Personal settings > Language).",
    );
  }
  const base = DATE_NAMES.en!;
  if (!ranked.length) return { mapping, header, language: { code: 'en', name: base.name }, dateNames: base };

  const [code, voters] = ranked[0]!;
  const t = translators.find((x) => x.code === code)!;
  const out = header.map((h) => t.translate(h) ?? h);
  // A column the mapping reads, present both as itself and translated: two languages in one file.
  const natives = new Map<string, string>();
  for (let i = 0; i < header.length; i++) if (out[i] === header[i]) natives.set(norm(header[i]!), header[i]!);
  for (let i = 0; i < header.length; i++) {
    if (out[i] === header[i] || !own.has(norm(out[i]!))) continue;
    const native = natives.get(norm(out[i]!));
    if (native !== undefined)
      throw new ImportRefused(
        'MIXED_LANGUAGES',
        `${fileName}: the column names mix languages: ${base.name} (${clip(native.trim())}) and ${t.lang.name} ` +
          `(${clip(header[i]!.trim())}, ${voters.length} ${t.lang.name} column names in all). Export the file again with one language.`,
      );
  }
  return {
    mapping: { ...mapping, values: localValues(mapping, t.lang) },
    header: out,
    language: { code, name: t.lang.name },
    dateNames: dateNamesOf(code, t.lang),
  };
}

function dateNamesOf(code: string, lang: Language): DateNames {
  const builtIn = DATE_NAMES[code] ?? DATE_NAMES[code.split('-')[0]!];
  return {
    code,
    name: lang.name,
    months: lang.months ?? builtIn!.months,
    am: [...(builtIn?.am ?? []), ...(lang.am ?? [])],
    pm: [...(builtIn?.pm ?? []), ...(lang.pm ?? [])],
  };
}

/** The value tables with the language's words added: a localised word means what its original means. */
function localValues(mapping: ImportMapping, lang: Language): ImportMapping['values'] {
  const values: Record<string, Record<string, unknown>> = {};
  for (const [field, table] of Object.entries(mapping.values ?? {})) values[field] = { ...(table as Record<string, unknown>) };
  for (const [field, words] of Object.entries(lang.values ?? {})) {
    if (!words) continue;
    const table = (values[field] ??= {});
    const lower = new Map(Object.entries(table).map(([k, v]) => [norm(k), v]));
    for (const [local, original] of Object.entries(words)) {
      if (lower.has(norm(local))) continue; // the mapping's own entry wins
      const target = lower.get(norm(original)) ?? fallback(field, original);
      if (target !== undefined) table[local] = target;
    }
  }
  return values as ImportMapping['values'];
}

/** What the converters would have made of the original word without a table entry. */
function fallback(field: string, original: string): unknown {
  const key = norm(original);
  if (field === 'status') return STATUS_WORDS[key];
  if (field === 'priority') return PRIORITY_WORDS[key];
  return undefined;
}
