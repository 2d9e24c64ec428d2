import type { EntityManager } from '@mikro-orm/postgresql';

export interface ImpactFacts {
  incidents: number;
  /** Union of the incidents' impact intervals (detected or opened, to resolved or now), in minutes. */
  computedMinutes: number;
  slaBreaches: number;
  firstImpactAt: Date | null;
  restoredAt: Date | null;
}

/** Impact taken from the incidents: merged intervals so overlapping incidents are not counted twice. */
export async function impactFacts(em: EntityManager, reviewId: string, now = new Date()): Promise<ImpactFacts> {
  return (await impactFactsOf(em, [reviewId], now)).get(reviewId)!;
}

/** impactFacts of several reviews in one statement (the review list's loader). */
export async function impactFactsOf(em: EntityManager, reviewIds: readonly string[], now = new Date()): Promise<Map<string, ImpactFacts>> {
  const byReview = new Map<string, ImpactRow[]>(reviewIds.map((id) => [id, []]));
  if (reviewIds.length) {
    const rows = await em.execute<(ImpactRow & { review_id: string })[]>(
      `select ri.review_id, coalesce(i.detected_at, i.opened_at) as start, i.resolved_at as end,
          (select count(*) from sla_clocks c where c.incident_id = i.id and c.verdict = 'BREACHED') as breaches
         from review_incidents ri join incidents i on i.id = ri.incident_id where ri.review_id in (${reviewIds.map(() => '?').join(', ')})`,
      [...reviewIds],
    );
    for (const r of rows) byReview.get(r.review_id)?.push(r);
  }
  return new Map([...byReview].map(([id, rows]) => [id, factsOf(rows, now)]));
}

interface ImpactRow {
  start: string;
  end: string | null;
  breaches: string;
}

function factsOf(rows: ImpactRow[], now: Date): ImpactFacts {
  const intervals = rows
    .map((r) => [new Date(r.start).getTime(), r.end ? new Date(r.end).getTime() : now.getTime()] as const)
    .sort((a, b) => a[0] - b[0]);
  let total = 0;
  let cur: [number, number] | null = null;
  for (const [s, e] of intervals) {
    if (!cur || s > cur[1]) {
      if (cur) total += cur[1] - cur[0];
      cur = [s, e];
    } else cur[1] = Math.max(cur[1], e);
  }
  if (cur) total += cur[1] - cur[0];
  const open = rows.some((r) => !r.end);
  return {
    incidents: rows.length,
    computedMinutes: Math.round(total / 60_000),
    slaBreaches: rows.reduce((s, r) => s + Number(r.breaches), 0),
    firstImpactAt: intervals.length ? new Date(intervals[0]![0]) : null,
    restoredAt: !rows.length || open ? null : new Date(Math.max(...rows.map((r) => new Date(r.end!).getTime()))),
  };
}
