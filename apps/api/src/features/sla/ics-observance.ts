// How producers say whether a date is a day off. Only the file's own words count, never the name:
// "Mother's Day" is a day off nowhere, but a file, not this code, has to say so.
//  - Google Calendar's holiday calendars: DESCRIPTION "Public holiday" or "Observance\nTo hide
//    observances, go to Google Calendar Settings > Holidays in ..." (every event is TRANSP:TRANSPARENT,
//    so TRANSP says nothing).
//  - Generators and calendar libraries: CATEGORIES:Observance (or Observances), CATEGORIES:Holidays.
//  - Outlook: X-MICROSOFT-CDO-BUSYSTATUS:OOF (out of office) for a day off; FREE is what Outlook's own
//    holiday sets carry for public holidays too, so it is not read as an observance.

export interface FileWords {
  getFirstPropertyValue(name: string): unknown;
  getAllProperties(name: string): { getValues(): unknown[] }[];
}

// oxlint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/g;
/** The first line of a text value, shown to the admin as the reason: no control or bidi characters. */
const firstLine = (v: unknown) => (typeof v === 'string' ? (v.split(/\r?\n/)[0] ?? '').replace(CONTROL, ' ').trim() : '');

export function observanceOf(c: FileWords): { observance: string | null; dayOff: string | null } {
  const description = firstLine(c.getFirstPropertyValue('description'));
  const categories = c
    .getAllProperties('categories')
    .flatMap((p) => p.getValues())
    .filter((v): v is string => typeof v === 'string')
    .map((v) => v.trim());
  const busy = String(c.getFirstPropertyValue('x-microsoft-cdo-busystatus') ?? '')
    .trim()
    .toUpperCase();

  if (/^observances?\b/i.test(description)) return { observance: `DESCRIPTION: ${description.slice(0, 80)}`, dayOff: null };
  const cat = categories.find((v) => /^observances?$/i.test(v));
  if (cat) return { observance: `CATEGORIES: ${cat}`, dayOff: null };

  if (busy === 'OOF') return { observance: null, dayOff: 'X-MICROSOFT-CDO-BUSYSTATUS: OOF' };
  if (/^(public|bank|national|federal|legal|statutory) holiday/i.test(description))
    return { observance: null, dayOff: `DESCRIPTION: ${description.slice(0, 80)}` };
  const holiday = categories.find((v) => /holiday/i.test(v));
  return { observance: null, dayOff: holiday ? `CATEGORIES: ${holiday}` : null };
}
