// Keywords proposed for a model made from an incident. How a model's hints score against an incident
// is @ikb/domain scoreSuggestion, shared with known errors.
const STOP_WORDS = new Set(
  `a an and are as at be been by can cannot could does did for from has have in into is it its not no of on or our the
   their then there this that to was were when where which while will with without after before during over under
   again all any some very too via per new old`.split(/\s+/),
);

/** Keywords proposed from an incident title for a model made from it: distinct words, no filler. */
export function keywordsFromTitle(title: string, max = 8): string[] {
  const words = title.toLowerCase().match(/[\p{L}\p{N}][\p{L}\p{N}._-]*/gu) ?? [];
  const out: string[] = [];
  for (const w of words) {
    const word = w.replace(/[._-]+$/, '');
    if (word.length < 3 && !/^\d+$/.test(word)) continue;
    if (STOP_WORDS.has(word) || out.includes(word) || word.length > 60) continue;
    out.push(word);
    if (out.length >= max) break;
  }
  return out;
}
