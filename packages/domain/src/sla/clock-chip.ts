// How an SLA clock reads as a chip in lists, headers and cards, and whether a hold explains itself.
// One rule for every place a clock is shown, so a breach is never hidden behind "Paused".

import type { HoldReason } from '../lifecycle';
import type { ClockState, ClockVerdict, WarningLevel } from './evaluate';
import type { SlaTarget } from './policy';

export interface ClockFacts {
  target: SlaTarget;
  state: ClockState;
  verdict: ClockVerdict;
  warningLevel: number;
}

/** breached: the breach colour; warning-N: the warning colours; ok / paused / met / idle: calm. */
export type ChipTone = 'breached' | 'warning-90' | 'warning-75' | 'warning-50' | 'ok' | 'paused' | 'met' | 'idle';

export interface ClockChip {
  /** Short text on the chip: "Breached · paused", "Paused", "Running", "Met". */
  label: string;
  tone: ChipTone;
  /** A whole sentence for the accessible name and the tooltip. */
  description: string;
  /** The colour level the web app's pill classes use: 0, 50, 75, 90 or 100 (breach). */
  level: WarningLevel | 100;
}

const TARGET_WORD: Record<SlaTarget, string> = { RESPONSE: 'response', RESOLUTION: 'resolution' };

/** "awaiting vendor" for AWAITING_VENDOR. */
export function holdReasonWords(reason: HoldReason): string {
  return reason.toLowerCase().replace(/_/g, ' ');
}

function warning(level: number): { tone: ChipTone; level: WarningLevel } {
  if (level >= 90) return { tone: 'warning-90', level: 90 };
  if (level >= 75) return { tone: 'warning-75', level: 75 };
  if (level >= 50) return { tone: 'warning-50', level: 50 };
  return { tone: 'ok', level: 0 };
}

/**
 * The chip for one clock. A breach is final: a breached clock reads as breached whatever it does
 * now, and "· paused" says it is paused on top of that. `holdReason` is the incident's, if on hold.
 */
export function clockChip(c: ClockFacts, holdReason: HoldReason | null = null): ClockChip {
  const what = `The ${TARGET_WORD[c.target]} target`;
  const why = holdReason ? ` while the incident is on hold (${holdReasonWords(holdReason)})` : '';
  if (c.state === 'STOPPED') {
    if (c.verdict === 'BREACHED') return { label: 'Breached', tone: 'breached', level: 100, description: `${what} was breached.` };
    if (c.verdict === 'MET') return { label: 'Met', tone: 'met', level: 0, description: `${what} was met.` };
    return { label: 'Stopped', tone: 'idle', level: 0, description: `${what} clock has stopped.` };
  }
  if (c.verdict === 'BREACHED') {
    if (c.state === 'PAUSED')
      return { label: 'Breached · paused', tone: 'breached', level: 100, description: `${what} is breached; its clock is paused${why}.` };
    return { label: 'Breached', tone: 'breached', level: 100, description: `${what} is breached and its clock is still running.` };
  }
  if (c.state === 'PAUSED') return { label: 'Paused', tone: 'paused', level: 0, description: `${what} clock is paused${why}.` };
  if (c.state === 'NOT_STARTED') return { label: 'Not started', tone: 'idle', level: 0, description: `${what} clock has not started.` };
  const w = warning(c.warningLevel);
  const used = w.level ? `; ${w.level} % or more of it is used` : '';
  return { label: 'Running', tone: w.tone, level: w.level, description: `${what} clock is running${used}.` };
}

/**
 * The clocks a list row shows: the resolution clock always, and the response clock while the first
 * response is still outstanding (running or paused), so a breached response is never hidden.
 */
export function listedClocks<T extends ClockFacts>(clocks: readonly T[]): T[] {
  const resolution = clocks.find((c) => c.target === 'RESOLUTION');
  const response = clocks.find((c) => c.target === 'RESPONSE');
  const out: T[] = [];
  if (resolution) out.push(resolution);
  if (response && (response.state === 'RUNNING' || response.state === 'PAUSED')) out.push(response);
  return out;
}

/**
 * On hold for a reason the policy does not pause for, the clock keeps running: say so, so nobody
 * takes "on hold" for "the clock stopped". Null when there is nothing to explain.
 */
export function holdExplanation(
  c: Pick<ClockFacts, 'target' | 'state'>,
  holdReason: HoldReason | null,
  pauseHoldReasons: readonly HoldReason[],
): string | null {
  if (!holdReason || c.state !== 'RUNNING' || pauseHoldReasons.includes(holdReason)) return null;
  return `On hold ${holdReasonWords(holdReason)}: this policy keeps the ${TARGET_WORD[c.target]} clock running for this reason.`;
}
