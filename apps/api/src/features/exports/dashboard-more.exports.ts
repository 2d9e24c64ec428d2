// The rest of the dashboard as CSV tables: backlog by age, MTTA / MTTD, knowledge reuse, recurring
// problems, cost by service, and the headline figures (one row per metric).
import { PRIORITY_LABELS } from '@ikb/domain';
import type { ExportParams } from './export.params';
import type { Data, ExportTable } from './export.types';
import { pct, r6 } from './export.types';

const Q = (body: string) => `query Export($filter: AnalyticsFilter!) { analytics(filter: $filter) { asOf ${body} } }`;
const vars = (p: ExportParams) => ({ filter: p.filter });
const asOf = (d: Data) => d.analytics.asOf;
const PRIORITIES = [1, 2, 3, 4, 5];
const priorityName = (p: number) => `P${p} ${(PRIORITY_LABELS as Record<number, string>)[p] ?? ''}`.trim();

export const DASHBOARD_MORE_TABLES: Record<string, ExportTable> = {
  backlog: {
    title: 'Backlog by age',
    params: 'dashboard',
    query: Q('backlog { metricId evaluatedAt byAge { label minDays maxDays count byPriority { priority count } } }'),
    variables: vars,
    asOf: (d) => d.analytics.backlog.evaluatedAt,
    metricIds: (d) => [d.analytics.backlog.metricId],
    columns: () => ['Age', 'From days', 'Under days', ...PRIORITIES.map((p) => `P${p} (open incidents)`), 'Open incidents'],
    rows: (d) =>
      (
        d.analytics.backlog.byAge as {
          label: string;
          minDays: number;
          maxDays: number | null;
          count: number;
          byPriority: { priority: number; count: number }[];
        }[]
      ).map((b) => [
        b.label,
        b.minDays,
        b.maxDays,
        ...PRIORITIES.map((p) => b.byPriority.find((x) => x.priority === p)?.count ?? 0),
        b.count,
      ]),
  },
  acknowledge: {
    title: 'Mean time to acknowledge and to detect by priority',
    params: 'dashboard',
    query: Q('mtta { metricId byPriority { priority count meanHours } } mttd { metricId byPriority { priority count meanHours } }'),
    variables: vars,
    asOf,
    metricIds: (d) => [d.analytics.mtta.metricId, d.analytics.mttd.metricId],
    columns: () => [
      'Priority',
      'Mean time to acknowledge (hours)',
      'Acknowledged incidents',
      'Mean time to detect (hours)',
      'Incidents with a detection time',
    ],
    rows: (d) => {
      type P = { priority: number; count: number; meanHours: number | null };
      const ta = d.analytics.mtta.byPriority as P[];
      const td = d.analytics.mttd.byPriority as P[];
      return [...new Set([...ta, ...td].map((x) => x.priority))]
        .sort((a, b) => a - b)
        .map((p) => {
          const a = ta.find((x) => x.priority === p);
          const b = td.find((x) => x.priority === p);
          return [priorityName(p), r6(a?.meanHours), a?.count ?? 0, r6(b?.meanHours), b?.count ?? 0];
        });
    },
  },
  'knowledge-reuse': {
    title: 'Knowledge reuse by category',
    params: 'dashboard',
    query: Q(
      'knowledgeReuse { metricId byCategory { key { id name } rate reused resolved withReuse { meanHours } withoutReuse { meanHours } } }',
    ),
    variables: vars,
    asOf,
    metricIds: (d) => [d.analytics.knowledgeReuse.metricId],
    columns: () => [
      'Category',
      'Reuse rate (%)',
      'Resolved with a workaround or model',
      'Resolved',
      'Mean time to resolve with (hours)',
      'Without (hours)',
    ],
    rows: (d) =>
      [...(d.analytics.knowledgeReuse.byCategory as Data[])]
        .sort((x, y) => y.resolved - x.resolved)
        .map((c) => [c.key.name, pct(c.rate), c.reused, c.resolved, r6(c.withReuse.meanHours), r6(c.withoutReuse.meanHours)]),
  },
  'recurring-problems': {
    title: 'Top recurring problems',
    params: 'dashboard',
    query: Q(
      `topRecurringProblems(first: 50) { metricId problemId incidentCount recurringCount recurrencesSinceFix
        problem { number title status } }`,
    ),
    variables: vars,
    asOf,
    metricIds: (d) => [d.analytics.topRecurringProblems[0]?.metricId],
    columns: () => ['Problem', 'Title', 'Status', 'Incidents in the range', 'Recurring incidents', 'Incidents since its fix'],
    rows: (d) =>
      (d.analytics.topRecurringProblems as Data[]).map((p) => [
        p.problem?.number ?? p.problemId,
        p.problem?.title ?? '(problem not found)',
        p.problem?.status,
        p.incidentCount,
        p.recurringCount,
        p.recurrencesSinceFix,
      ]),
  },
  'cost-by-service': {
    title: 'Cost of incidents by service',
    params: 'dashboard',
    query: Q('cost { metricId currency byService { key { id name } cents minutes } }'),
    variables: vars,
    asOf,
    metricIds: (d) => [d.analytics.cost.metricId],
    columns: (d) => ['Service', `Cost (${d.analytics.cost.currency})`, 'Hours logged'],
    rows: (d) =>
      [...(d.analytics.cost.byService as { key: { name: string }; cents: number; minutes: number }[])]
        .sort((x, y) => y.cents - x.cents)
        .map((r) => [r.key.name, r.cents / 100, Math.round((r.minutes / 60) * 100) / 100]),
  },
  summary: {
    title: 'Headline figures',
    params: 'dashboard',
    query: Q(`incidentCount
      timeToResolve { metricId count medianHours p90Hours meanHours }
      responseSla { metricId met breached total ratio } resolutionSla { metricId met breached total ratio }
      reviewCoverage { metricId eligible reviewed ratio } reopenRate { metricId rate reopened resolved }
      actionItems { metricId total open overdue done doneOnTime doneLate wontDo onTimeRatio }
      mtta { metricId count meanHours } mttd { metricId count meanHours } backlog { metricId open }
      knowledgeReuse { metricId rate reused resolved } cost { metricId currency cents minutes }`),
    variables: vars,
    asOf,
    metricIds: () => [],
    columns: () => ['Metric', 'Figure', 'Value', 'Out of', 'Metric id'],
    rows: (d) => {
      const a = d.analytics;
      const t = a.timeToResolve;
      return [
        ['Incidents opened', 'count', a.incidentCount, null, null],
        ['Time to resolve', 'median hours', r6(t.medianHours), t.count, t.metricId],
        ['Time to resolve', 'p90 hours', r6(t.p90Hours), t.count, t.metricId],
        ['Time to resolve', 'mean hours', r6(t.meanHours), t.count, t.metricId],
        ['Response SLA met', '%', pct(a.responseSla.ratio), a.responseSla.total, a.responseSla.metricId],
        ['Resolution SLA met', '%', pct(a.resolutionSla.ratio), a.resolutionSla.total, a.resolutionSla.metricId],
        ['Review coverage', '%', pct(a.reviewCoverage.ratio), a.reviewCoverage.eligible, a.reviewCoverage.metricId],
        ['Reopen rate', '%', pct(a.reopenRate.rate), a.reopenRate.resolved, a.reopenRate.metricId],
        ['Action items done on time', '%', pct(a.actionItems.onTimeRatio), a.actionItems.done, a.actionItems.metricId],
        ['Action items overdue', 'count', a.actionItems.overdue, a.actionItems.total, a.actionItems.metricId],
        ['Mean time to acknowledge', 'hours', r6(a.mtta.meanHours), a.mtta.count, a.mtta.metricId],
        ['Mean time to detect', 'hours', r6(a.mttd.meanHours), a.mttd.count, a.mttd.metricId],
        ['Backlog', 'open incidents now', a.backlog.open, null, a.backlog.metricId],
        ['Knowledge reuse', '%', pct(a.knowledgeReuse.rate), a.knowledgeReuse.resolved, a.knowledgeReuse.metricId],
        ['Cost', a.cost.currency, a.cost.cents / 100, null, a.cost.metricId],
        ['Hours logged', 'hours', Math.round((a.cost.minutes / 60) * 100) / 100, null, a.cost.metricId],
      ];
    },
  },
};
