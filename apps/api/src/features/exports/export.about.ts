// The lines a file opens with when asked (?about=1): which table, the definitions of its metrics,
// the filter in words (names, not ids) and when the figures are from. A file passed around
// without its URL still says what it is.
import { PRIORITY_LABELS, metricDefinition, type CsvValue } from '@ikb/domain';
import type { ExportParams, ParamKind } from './export.params';
import type { Data, ExportTable } from './export.types';

type Key = { id: string; name: string; children?: Key[] };
export type Run = (query: string, variables: Record<string, unknown>) => Promise<{ data?: Data; errors?: readonly unknown[] }>;

const priorityName = (n: number) => `P${n} ${(PRIORITY_LABELS as Record<number, string>)[n] ?? ''}`.trim();
const day = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeZone: 'UTC' });
const dayRange = (from: string, to: string) => `${day.format(new Date(`${from}T00:00:00Z`))} – ${day.format(new Date(`${to}T00:00:00Z`))}`;

function definitions(ids: (string | null | undefined)[]): string {
  const out: string[] = [];
  for (const id of new Set(ids.filter((x): x is string => !!x))) {
    try {
      const m = metricDefinition(id);
      const prefix = `${m.name.toLowerCase()}:`;
      out.push(`${m.name}: ${m.definition.toLowerCase().startsWith(prefix) ? m.definition.slice(prefix.length).trim() : m.definition}`);
    } catch {
      out.push(id);
    }
  }
  return out.join(' | ');
}

async function filterWords(kind: ParamKind, p: ExportParams, run: Run): Promise<string> {
  if (kind === 'search') return `Searches in the last ${p.search.days} days (UTC), by ${p.search.bucket.toLowerCase()}`;
  const v = p.view;
  const k = p.knowledge;
  const wanted = kind === 'dashboard' ? [...v.serviceIds, ...v.teamIds, ...v.categoryIds] : [k.ownerId, k.teamId, k.serviceId];
  let names = new Map<string, string>();
  if (wanted.some(Boolean)) {
    const res = await run(`query ExportNames { services { id name } teams { id name } categories { id name children { id name } } }`, {});
    const keys: Key[] = [...(res.data?.services ?? []), ...(res.data?.teams ?? []), ...(res.data?.categories ?? [])];
    names = new Map(keys.flatMap((c) => [c, ...(c.children ?? [])]).map((c) => [c.id, c.name]));
  }
  const pick = (ids: (string | null)[], all: string) =>
    ids.some(Boolean)
      ? ids
          .filter((x): x is string => !!x)
          .map((id) => names.get(id) ?? id)
          .join(', ')
      : all;
  if (kind === 'knowledge')
    return [
      `kind: ${k.kind ?? 'all'}`,
      `owner: ${k.ownerId ?? 'any'}`,
      `team: ${pick([k.teamId], 'all')}`,
      `service: ${pick([k.serviceId], 'all')}`,
    ].join('; ');
  return [
    `Incidents opened ${dayRange(v.from, v.to)} (${v.timeZone})`,
    `service: ${pick(v.serviceIds, 'all')}`,
    `category: ${pick(v.categoryIds, 'all')}`,
    `team: ${pick(v.teamIds, 'all')}`,
    `priority: ${v.priorities.length ? v.priorities.map(priorityName).join(', ') : 'all'}`,
  ].join('; ');
}

export async function aboutLines(table: ExportTable, p: ExportParams, data: Data, run: Run): Promise<CsvValue[][]> {
  return [
    ['Table', table.title],
    ['Metric', definitions(table.metricIds?.(data) ?? []) || table.title],
    ['Filters', await filterWords(table.params, p, run)],
    ['Figures as of', table.asOf?.(data) ?? new Date().toISOString()],
    [],
  ];
}
