/**
 * The text score of a record for a query's concepts, as SQL written out per concept (a subquery
 * per candidate cost ~30 us each at 500 candidates). One definition for the search and for
 * similarIncidents.
 *
 * Per concept k: ts_rank's field-weighted, saturating frequency (weights D learned 0.1, C
 * description 0.33, B fix 0.67, A title and identifiers 1), then BM25's saturation and length
 * normalisation (k1 1.2, b 0.75; `len` is the record's number of lexemes, `avglen` the catalog's);
 * 0 when the record lacks the concept. The text score sums idf x that over the concepts,
 * normalised to 0..1 (its ceiling is 2.2 / 1.3 per unit of idf), times a coordination factor on
 * the share of idf matched.
 */

/** `array[...]` of each concept's saturation for record alias `d`, concepts and avglen from alias `p`. */
export function saturations(k: number, p: string): string {
  const one = (i: number) =>
    `coalesce(2.2 / (1 + 1.2 * (0.25 + 0.75 * greatest(d.len, 1) / ${p}.avglen)
      / nullif(least(ts_rank('{0.1, 0.33, 0.67, 1.0}', d.tsv, ${p}.concepts[${i}], 0), 1), 0)), 0)`;
  return `array[${Array.from({ length: k }, (_, i) => one(i + 1)).join(', ')}]::float8[]`;
}

/** The 0..1 text score from a saturations array `sats` and the concepts' idf array `idf`. */
export function textScore(k: number, sats: string, idf: string): string {
  const ks = Array.from({ length: k }, (_, i) => i + 1);
  const total = `greatest((select sum(x) from unnest(${idf}) x), 1e-9)`;
  const bm = ks.map((i) => `coalesce(${idf}[${i}] * ${sats}[${i}], 0)`).join(' + ');
  const matched = ks.map((i) => `case when ${sats}[${i}] > 0 then coalesce(${idf}[${i}], 0) else 0 end`).join(' + ');
  return `((${bm}) / (${total} * 2.2 / 1.3) * (0.5 + 0.5 * (${matched}) / ${total}))`;
}
