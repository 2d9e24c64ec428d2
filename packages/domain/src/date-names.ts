/**
 * Month names and AM/PM markers as exports written in a user's language show them. Jira formats
 * dates with Java's `dd/MMM/yy h:mm a` in the exporting user's locale, so the month is the
 * locale's short name (`jul`, `juil.`, `Mär`, `7月`) and the marker the locale's (`a. m.`, `午後`).
 * Older Java (COMPAT) and newer Java (CLDR) spell some of them differently: both are listed.
 * Pure data: the importer compiles one lookup table per import (date-names are not read per row).
 */

export interface DateNames {
  /** Language code (ISO 639-1). */
  code: string;
  /** The language's name in English, for messages. */
  name: string;
  /** Per month (January first), every spelling: short and long, with and without accents. */
  months: readonly (readonly string[])[];
  /** Markers of the morning and of the afternoon (besides AM/PM, which every language accepts). */
  am: readonly string[];
  pm: readonly string[];
}

export const DATE_NAMES: Record<string, DateNames> = {
  en: {
    code: 'en',
    name: 'English',
    months: [
      ['jan', 'january'],
      ['feb', 'february'],
      ['mar', 'march'],
      ['apr', 'april'],
      ['may'],
      ['jun', 'june'],
      ['jul', 'july'],
      ['aug', 'august'],
      ['sep', 'sept', 'september'],
      ['oct', 'october'],
      ['nov', 'november'],
      ['dec', 'december'],
    ],
    am: [],
    pm: [],
  },
  es: {
    code: 'es',
    name: 'Spanish',
    months: [
      ['ene', 'enero'],
      ['feb', 'febrero'],
      ['mar', 'marzo'],
      ['abr', 'abril'],
      ['may', 'mayo'],
      ['jun', 'junio'],
      ['jul', 'julio'],
      ['ago', 'agosto'],
      ['sep', 'sept', 'set', 'septiembre', 'setiembre'],
      ['oct', 'octubre'],
      ['nov', 'noviembre'],
      ['dic', 'diciembre'],
    ],
    am: ['a. m.', 'a.m.', 'a. m'],
    pm: ['p. m.', 'p.m.', 'p. m'],
  },
  de: {
    code: 'de',
    name: 'German',
    months: [
      ['jan', 'januar', 'jän', 'jänner'],
      ['feb', 'februar'],
      ['mär', 'mrz', 'märz', 'maerz'],
      ['apr', 'april'],
      ['mai'],
      ['jun', 'juni'],
      ['jul', 'juli'],
      ['aug', 'august'],
      ['sep', 'sept', 'september'],
      ['okt', 'oktober'],
      ['nov', 'november'],
      ['dez', 'dezember'],
    ],
    am: ['vorm.'],
    pm: ['nachm.'],
  },
  fr: {
    code: 'fr',
    name: 'French',
    months: [
      ['janv', 'janvier'],
      ['févr', 'fevr', 'février', 'fevrier'],
      ['mars'],
      ['avr', 'avril'],
      ['mai'],
      ['juin'],
      ['juil', 'juillet'],
      ['août', 'aout'],
      ['sept', 'septembre'],
      ['oct', 'octobre'],
      ['nov', 'novembre'],
      ['déc', 'dec', 'décembre', 'decembre'],
    ],
    am: [],
    pm: [],
  },
  pt: {
    code: 'pt',
    name: 'Portuguese',
    months: [
      ['jan', 'janeiro'],
      ['fev', 'fevereiro'],
      ['mar', 'março', 'marco'],
      ['abr', 'abril'],
      ['mai', 'maio'],
      ['jun', 'junho'],
      ['jul', 'julho'],
      ['ago', 'agosto'],
      ['set', 'setembro'],
      ['out', 'outubro'],
      ['nov', 'novembro'],
      ['dez', 'dezembro'],
    ],
    am: [],
    pm: [],
  },
  ja: {
    code: 'ja',
    name: 'Japanese',
    // 7月 and 07月; from October on the two are the same.
    months: Array.from({ length: 12 }, (_, i) => [...new Set([`${i + 1}月`, `${String(i + 1).padStart(2, '0')}月`])]),
    am: ['午前'],
    pm: ['午後'],
  },
};

/** Month name (lower case, without a trailing dot) -> month number, for one language. */
export function monthTable(names: DateNames): Map<string, number> {
  const out = new Map<string, number>();
  names.months.forEach((spellings, i) => {
    for (const s of spellings) out.set(s.toLowerCase().replace(/\.$/, ''), i + 1);
  });
  return out;
}
