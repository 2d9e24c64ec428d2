'use client';
import { clockChip, holdExplanation, type ClockChip, type HoldReason } from '@ikb/domain';
import { useEffect, useRef, useState } from 'react';
import type { SlaClockFragment } from '@/gql/graphql';
import { formatDateTime } from '@/lib/dates';

function countdown(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  if (d > 0) return `${d} d ${h} h ${m} min`;
  return `${h}:${String(m).padStart(2, '0')}:${String(sec).padStart(2, '0')}`;
}

function businessLeft(min: number): string {
  const m = Math.max(0, Math.round(min));
  if (m < 60) return `${m} min`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

/**
 * Live view of one SLA clock. The API evaluates the clock when the page is rendered; while it is
 * running, time left to the due time ticks here every second and the business minutes left and
 * % consumed are interpolated towards the due time, so warning colours change without a reload.
 */
export function useLiveClock(clock: SlaClockFragment) {
  const [now, setNow] = useState<number | null>(null);
  const base = useRef<number>(0);
  const running = clock.state === 'RUNNING' && !!clock.dueAt;
  useEffect(() => {
    if (!running) return;
    base.current = Date.now();
    setNow(Date.now());
    const t = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(t);
  }, [running]);

  let percent = clock.percentConsumed;
  let remaining = clock.remainingMinutes;
  let breached = clock.verdict === 'BREACHED';
  let msLeft: number | null = null;
  if (running && clock.dueAt) {
    const due = Date.parse(clock.dueAt);
    const at = now ?? base.current;
    if (now != null) {
      msLeft = due - now;
      if (!breached && remaining > 0 && due > base.current) {
        const share = Math.min(1, Math.max(0, (due - now) / (due - base.current)));
        remaining = clock.remainingMinutes * share;
        percent = clock.targetMinutes > 0 ? ((clock.targetMinutes - remaining) / clock.targetMinutes) * 100 : 100;
      }
      if (at >= due) breached = true;
    }
  }
  if (breached) percent = Math.max(percent, 100);
  const level = breached ? 100 : percent >= 90 ? 90 : percent >= 75 ? 75 : percent >= 50 ? 50 : 0;
  return { percent, remaining, breached, msLeft, level, running };
}

const TARGET_LABEL: Record<string, string> = { RESPONSE: 'Response', RESOLUTION: 'Resolution' };

/** The chip of the shared rule (packages/domain clockChip), with a breach seen live while the page is open. */
function liveChip(clock: SlaClockFragment, breachedNow: boolean, holdReason: HoldReason | null): ClockChip {
  const verdict = breachedNow && clock.state !== 'STOPPED' ? 'BREACHED' : clock.verdict;
  return clockChip({ target: clock.target, state: clock.state, verdict, warningLevel: clock.warningLevel }, holdReason);
}

export function SlaClockCard({ clock, holdReason = null }: { clock: SlaClockFragment; holdReason?: HoldReason | null }) {
  const live = useLiveClock(clock);
  const name = TARGET_LABEL[clock.target] ?? clock.target;
  const chip = liveChip(clock, live.breached, holdReason);
  const explanation = holdExplanation(clock, holdReason, clock.pauseHoldReasons);
  return (
    <div className={`clock level-${live.level} state-${clock.state.toLowerCase()}`} data-testid={`sla-${clock.target.toLowerCase()}`}>
      <div className="clock-head">
        <strong>{name}</strong>
        <span className={`clock-status tone-${chip.tone}`} title={chip.description}>
          {chip.label}
          <span className="visually-hidden">: {chip.description}</span>
        </span>
      </div>
      {explanation ? <p className="clock-hold-note small">{explanation}</p> : null}
      <div className="clock-time" aria-live="off">
        {clock.state === 'RUNNING' && !live.breached ? (
          <>
            <span className="big">{live.msLeft == null ? businessLeft(clock.remainingMinutes) : countdown(live.msLeft)}</span>
            <span className="muted small"> until due · ≈{businessLeft(live.remaining)} business time left</span>
          </>
        ) : clock.state === 'PAUSED' && !live.breached ? (
          <span className="muted">{businessLeft(clock.remainingMinutes)} business time left (paused)</span>
        ) : live.breached ? (
          <span>
            Target of {businessLeft(clock.targetMinutes)} exceeded
            {clock.breachedAt ? ` at ${formatDateTime(clock.breachedAt)}` : ''}
          </span>
        ) : (
          <span className="muted">
            {businessLeft(clock.targetMinutes - clock.remainingMinutes)} used of {businessLeft(clock.targetMinutes)}
          </span>
        )}
      </div>
      <div
        className="meter"
        role="progressbar"
        aria-label={`${name} target consumed`}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={Math.round(Math.min(100, live.percent))}
        aria-valuetext={`${Math.round(live.percent)} % of ${businessLeft(clock.targetMinutes)}`}
      >
        <span style={{ width: `${Math.min(100, Math.max(0, live.percent))}%` }} />
      </div>
      <div className="muted small">
        {Math.round(live.percent)} % of {businessLeft(clock.targetMinutes)}
        {clock.dueAt ? ` · due ${formatDateTime(clock.dueAt)}` : ''}
        {clock.policyName ? ` · ${clock.policyName} v${clock.policyVersion}` : ''}
      </div>
    </div>
  );
}

/**
 * A compact pill for lists, worded and coloured by the shared rule: a breached clock reads
 * "Breached" (or "Breached · paused") in the breach colour even while paused; otherwise time left.
 */
export function SlaPill({ clock, holdReason = null }: { clock: SlaClockFragment | null | undefined; holdReason?: HoldReason | null }) {
  if (!clock) return <span className="muted">—</span>;
  return <SlaPillInner clock={clock} holdReason={holdReason} />;
}

function SlaPillInner({ clock, holdReason }: { clock: SlaClockFragment; holdReason: HoldReason | null }) {
  const live = useLiveClock(clock);
  const chip = liveChip(clock, live.breached, holdReason);
  let text = chip.label;
  if (chip.tone !== 'breached') {
    if (clock.state === 'PAUSED') text = `Paused · ${businessLeft(clock.remainingMinutes)}`;
    else if (clock.state === 'RUNNING')
      text = live.msLeft == null ? `${businessLeft(clock.remainingMinutes)} left` : `${countdown(live.msLeft)} left`;
  }
  const used = `${Math.round(live.percent)} % of the ${clock.target.toLowerCase()} target used`;
  return (
    <span className={`pill level-${chip.tone === 'breached' ? 100 : live.level} tone-${chip.tone}`} title={`${chip.description} ${used}.`}>
      {text}
      <span className="visually-hidden">: {chip.description}</span>
    </span>
  );
}
