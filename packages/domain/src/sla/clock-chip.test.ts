import { describe, expect, it } from 'vitest';
import { HOLD_REASONS, type HoldReason } from '../lifecycle';
import { clockChip, holdExplanation, listedClocks, type ClockFacts } from './clock-chip';
import type { ClockState, ClockVerdict } from './evaluate';
import { SLA_TARGETS } from './policy';

const STATES: ClockState[] = ['NOT_STARTED', 'RUNNING', 'PAUSED', 'STOPPED'];
const VERDICTS: ClockVerdict[] = ['PENDING', 'MET', 'BREACHED'];
const LEVELS = [0, 50, 75, 90];
const HOLDS: (HoldReason | null)[] = [null, ...HOLD_REASONS];

/** Every combination of target, state, verdict, warning level and hold reason. */
const ALL = SLA_TARGETS.flatMap((target) =>
  STATES.flatMap((state) =>
    VERDICTS.flatMap((verdict) =>
      LEVELS.flatMap((warningLevel) => HOLDS.map((hold) => ({ clock: { target, state, verdict, warningLevel } as ClockFacts, hold }))),
    ),
  ),
);

describe('clockChip, over every combination', () => {
  it('reads breached, in the breach colour, whenever the verdict is a breach: never a calm "Paused"', () => {
    for (const { clock, hold } of ALL.filter((x) => x.clock.verdict === 'BREACHED')) {
      const chip = clockChip(clock, hold);
      expect(chip.label.startsWith('Breached'), JSON.stringify(clock)).toBe(true);
      expect(chip.tone).toBe('breached');
      expect(chip.level).toBe(100);
      expect(chip.description).toMatch(/breached/);
    }
  });

  it('says "Breached · paused" with the hold reason for a breached clock that is paused', () => {
    expect(clockChip({ target: 'RESPONSE', state: 'PAUSED', verdict: 'BREACHED', warningLevel: 90 }, 'AWAITING_VENDOR')).toEqual({
      label: 'Breached · paused',
      tone: 'breached',
      level: 100,
      description: 'The response target is breached; its clock is paused while the incident is on hold (awaiting vendor).',
    });
  });

  it('uses the breach colour only for breaches and words every chip without codes', () => {
    for (const { clock, hold } of ALL) {
      const chip = clockChip(clock, hold);
      expect(chip.tone === 'breached').toBe(clock.verdict === 'BREACHED');
      expect(chip.level === 100).toBe(clock.verdict === 'BREACHED');
      expect(`${chip.label} ${chip.description}`).not.toMatch(/[A-Z]{2}|_/);
      expect(chip.description).toMatch(/^The (response|resolution) (target|clock)/);
      if (clock.verdict !== 'BREACHED') {
        if (clock.state === 'PAUSED') expect(chip.label).toBe('Paused');
        if (clock.state === 'STOPPED') expect(chip.label).toBe(clock.verdict === 'MET' ? 'Met' : 'Stopped');
        if (clock.state === 'NOT_STARTED') expect(chip.label).toBe('Not started');
        if (clock.state === 'RUNNING') {
          expect(chip.label).toBe('Running');
          expect(chip.level).toBe(clock.warningLevel);
        }
      }
      if (clock.state === 'PAUSED' && hold) expect(chip.description).toContain(hold.toLowerCase().replace(/_/g, ' '));
    }
  });
});

describe('listedClocks', () => {
  const c = (target: 'RESPONSE' | 'RESOLUTION', state: ClockState, verdict: ClockVerdict = 'PENDING'): ClockFacts => ({
    target,
    state,
    verdict,
    warningLevel: 0,
  });
  it('lists resolution first, and response while it is outstanding', () => {
    for (const state of STATES) {
      const listed = listedClocks([c('RESPONSE', state, 'BREACHED'), c('RESOLUTION', 'PAUSED')]);
      expect(listed[0]!.target).toBe('RESOLUTION');
      expect(listed.length).toBe(state === 'RUNNING' || state === 'PAUSED' ? 2 : 1);
    }
    expect(listedClocks([])).toEqual([]);
    expect(listedClocks([c('RESPONSE', 'RUNNING')]).map((x) => x.target)).toEqual(['RESPONSE']);
  });
});

describe('holdExplanation', () => {
  it('explains a hold whose reason does not pause a running clock, and nothing else', () => {
    for (const target of SLA_TARGETS)
      for (const state of STATES)
        for (const hold of HOLDS)
          for (const pauses of [[], ['AWAITING_USER'], [...HOLD_REASONS]] as HoldReason[][]) {
            const text = holdExplanation({ target, state }, hold, pauses);
            const expected = hold !== null && state === 'RUNNING' && !pauses.includes(hold);
            expect(text !== null).toBe(expected);
          }
    expect(holdExplanation({ target: 'RESOLUTION', state: 'RUNNING' }, 'AWAITING_VENDOR', ['AWAITING_USER'])).toBe(
      'On hold awaiting vendor: this policy keeps the resolution clock running for this reason.',
    );
  });
});
