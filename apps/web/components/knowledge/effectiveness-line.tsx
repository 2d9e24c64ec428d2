// How well an item worked, with its sample size and 95 % interval; "not enough data" below the
// minimum sample (docs/knowledge-lifecycle.md). Shown wherever an item is offered.
import type { EffectivenessFiguresFragment } from '@/gql/graphql';
import { formatMinutes } from '@/lib/format';

type Share = EffectivenessFiguresFragment['helpful'];
const pct = (x: number | null | undefined) => (x == null ? '—' : `${Math.round(x * 100)} %`);

export function shareText(s: Share, what: string): string {
  if (!s.enoughData) return `${what}: not enough data (n = ${s.n})`;
  return `${what}: ${pct(s.share)} (95 % CI ${pct(s.low)}–${pct(s.high)}, n = ${s.n})`;
}

export function timeText(e: EffectivenessFiguresFragment): string {
  const w = e.minutesToResolveWith;
  const o = e.minutesToResolveWithout;
  if (!w.enoughData || !o.enoughData) return `Time to resolve: not enough data (n = ${w.n} with, ${o.n} without)`;
  return `Median time to resolve: ${formatMinutes(w.median)} with it (n = ${w.n}), ${formatMinutes(o.median)} without (n = ${o.n})`;
}

export function EffectivenessLine({ e, compact = false }: { e: EffectivenessFiguresFragment; compact?: boolean }) {
  return (
    <div className="small muted effectiveness" data-testid="effectiveness">
      {e.low ? <strong className="warn">Works poorly. </strong> : null}
      <span>{shareText(e.helpful, 'Helped')}</span>
      {' · '}
      <span>{shareText(e.resolvedWithoutReopen, 'Resolved without reopen')}</span>
      {compact ? null : (
        <>
          {' · '}
          <span>{timeText(e)}</span>
        </>
      )}
    </div>
  );
}
