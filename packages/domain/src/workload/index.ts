/**
 * Workload formulas: pure functions, no I/O.
 *
 * - holding: who holds an incident when (assignee, acknowledged, active status), from its events.
 * - working-hours: a span split into inside / outside a person's working calendar.
 * - load: per person and incident, max(logged effort, holding time) and its outside-hours part.
 * - concentration: share of the load on the top 10 % of people (ceil) and the Gini coefficient.
 */
export * from './holding';
export * from './working-hours';
export * from './load';
export * from './concentration';
