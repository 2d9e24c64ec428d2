/**
 * Metric formulas for the analytics: pure functions, no I/O.
 *
 * - time-buckets: local days, weeks starting Monday and months of instants in an IANA zone
 *   (DST-aware), bucket lists for a range, and the split of a range into cut days, whole days
 *   and whole months for reading pre-aggregated cells.
 * - histogram: log histograms with 2 %-wide bins (percentiles within 1 %), nearest-rank
 *   percentiles (exact and from histograms), a compact binary form.
 * - measures: what one incident contributes (IncidentFact) and sums of contributions (Acc),
 *   duration summaries (count, mean, median, p90 in hours) and ratios.
 * - definitions: the metric definitions shown beside every figure.
 */
export * from './time-buckets';
export * from './histogram';
export * from './measures';
export * from './definitions';
export * from './dashboard-params';
export * from './coverage-note';
