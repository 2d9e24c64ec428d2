import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  HOLD_REASONS,
  INCIDENT_STATUSES,
  RESOLUTION_KINDS,
  TRANSITIONS,
  allowedTargets,
  applyTransition,
  findTransition,
  isOpen,
  isReadOnly,
  type HoldReason,
  type IncidentStatus,
  type LifecycleState,
  type ResolutionKind,
  type TransitionRequest,
} from './lifecycle';

// The legal moves written out by hand from the design, independent of TRANSITIONS.
const LEGAL: Record<string, string> = {
  'NEW>TRIAGED': 'TRIAGE',
  'NEW>INVESTIGATING': 'INVESTIGATE',
  'TRIAGED>INVESTIGATING': 'INVESTIGATE',
  'INVESTIGATING>ON_HOLD': 'HOLD',
  'TRIAGED>ON_HOLD': 'HOLD',
  'ON_HOLD>INVESTIGATING': 'RESUME',
  'NEW>RESOLVED': 'RESOLVE',
  'TRIAGED>RESOLVED': 'RESOLVE',
  'INVESTIGATING>RESOLVED': 'RESOLVE',
  'ON_HOLD>RESOLVED': 'RESOLVE',
  'RESOLVED>CLOSED': 'CLOSE',
  'CLOSED>REVIEWED': 'REVIEW',
  'RESOLVED>INVESTIGATING': 'REOPEN',
  'CLOSED>INVESTIGATING': 'REOPEN',
};

const T0 = new Date('2024-03-01T10:00:00Z');
const AT = new Date('2024-03-02T11:30:00Z');

// A state carrying leftovers in every field, so clearing and keeping are both observable.
function stateIn(status: IncidentStatus): LifecycleState {
  const resolved = status === 'RESOLVED' || status === 'CLOSED' || status === 'REVIEWED';
  const closed = status === 'CLOSED' || status === 'REVIEWED';
  return {
    status,
    holdReason: status === 'ON_HOLD' ? 'AWAITING_VENDOR' : null,
    reopenCount: 2,
    resolutionKind: resolved ? 'WORKAROUND' : null,
    resolvedAt: resolved ? T0 : null,
    closedAt: closed ? T0 : null,
    userConfirmed: closed ? true : null,
  };
}

const deepCopy = (s: LifecycleState): LifecycleState => ({
  ...s,
  resolvedAt: s.resolvedAt && new Date(s.resolvedAt),
  closedAt: s.closedAt && new Date(s.closedAt),
});

function variants(to: IncidentStatus): TransitionRequest[] {
  const out: TransitionRequest[] = [];
  for (const holdReason of [undefined, ...HOLD_REASONS] as (HoldReason | undefined)[])
    for (const resolutionKind of [undefined, ...RESOLUTION_KINDS] as (ResolutionKind | undefined)[])
      for (const userConfirmed of [undefined, true, false]) {
        const req: TransitionRequest = { to, at: AT };
        if (holdReason !== undefined) req.holdReason = holdReason;
        if (resolutionKind !== undefined) req.resolutionKind = resolutionKind;
        if (userConfirmed !== undefined) req.userConfirmed = userConfirmed;
        out.push(req);
      }
  return out;
}

// Oracle for the expected outcome, spelled out field by field.
function expected(from: LifecycleState, req: TransitionRequest) {
  const action = LEGAL[`${from.status}>${req.to}`];
  if (!action) return { ok: false as const, code: 'ILLEGAL_TRANSITION', field: undefined };
  if (action === 'HOLD' && !req.holdReason) return { ok: false as const, code: 'HOLD_REASON_REQUIRED', field: 'holdReason' };
  if (action === 'RESOLVE' && !req.resolutionKind) return { ok: false as const, code: 'RESOLUTION_REQUIRED', field: 'resolutionKind' };
  if (action === 'CLOSE' && req.userConfirmed === undefined)
    return { ok: false as const, code: 'CONFIRMATION_REQUIRED', field: 'userConfirmed' };
  const reopen = action === 'REOPEN';
  const state: LifecycleState = {
    status: req.to,
    holdReason: action === 'HOLD' ? req.holdReason! : from.status === 'ON_HOLD' ? null : from.holdReason,
    reopenCount: from.reopenCount + (reopen ? 1 : 0),
    resolutionKind: action === 'RESOLVE' ? req.resolutionKind! : reopen ? null : from.resolutionKind,
    resolvedAt: action === 'RESOLVE' ? AT : reopen ? null : from.resolvedAt,
    closedAt: action === 'CLOSE' ? AT : reopen ? null : from.closedAt,
    userConfirmed: action === 'CLOSE' ? req.userConfirmed! : reopen ? null : from.userConfirmed,
  };
  return { ok: true as const, action, state };
}

describe('transition table', () => {
  it('holds exactly the legal moves of the design', () => {
    const table = Object.fromEntries(TRANSITIONS.map((r) => [`${r.from}>${r.to}`, r.action]));
    expect(table).toEqual(LEGAL);
    expect(TRANSITIONS).toHaveLength(Object.keys(LEGAL).length);
    for (const r of TRANSITIONS) expect(r.reason.length).toBeGreaterThan(10);
  });

  it('findTransition answers every pair, and never the same status', () => {
    for (const from of INCIDENT_STATUSES)
      for (const to of INCIDENT_STATUSES) {
        const r = findTransition(from, to);
        expect(r?.action, `${from}>${to}`).toBe(LEGAL[`${from}>${to}`]);
        if (from === to) expect(r).toBeUndefined();
      }
  });

  it('allowedTargets lists targets in lifecycle order', () => {
    expect(allowedTargets('NEW')).toEqual(['TRIAGED', 'INVESTIGATING', 'RESOLVED']);
    expect(allowedTargets('TRIAGED')).toEqual(['INVESTIGATING', 'ON_HOLD', 'RESOLVED']);
    expect(allowedTargets('INVESTIGATING')).toEqual(['ON_HOLD', 'RESOLVED']);
    expect(allowedTargets('ON_HOLD')).toEqual(['INVESTIGATING', 'RESOLVED']);
    expect(allowedTargets('RESOLVED')).toEqual(['INVESTIGATING', 'CLOSED']);
    expect(allowedTargets('CLOSED')).toEqual(['INVESTIGATING', 'REVIEWED']);
    expect(allowedTargets('REVIEWED')).toEqual([]);
  });
});

describe('applyTransition over every pair and request variant', () => {
  it('matches the oracle for all 49 pairs x 75 request variants', () => {
    let checked = 0;
    for (const from of INCIDENT_STATUSES)
      for (const to of INCIDENT_STATUSES)
        for (const req of variants(to)) {
          const before = stateIn(from);
          const snapshot = deepCopy(before);
          const got = applyTransition(before, req);
          const want = expected(before, req);
          const label = `${from}>${to} ${JSON.stringify(req)}`;
          expect(before, `mutated: ${label}`).toEqual(snapshot);
          expect(got.ok, label).toBe(want.ok);
          if (got.ok && want.ok) {
            expect(got.rule.action, label).toBe(want.action);
            expect(got.state, label).toEqual(want.state);
            expect(got.state, label).not.toBe(before);
          } else if (!got.ok && !want.ok) {
            expect(got.error.code, label).toBe(want.code);
            expect(got.error.field, label).toBe(want.field);
            expect(got.error.message.length, label).toBeGreaterThan(0);
          }
          checked++;
        }
    expect(checked).toBe(49 * 75);
  });

  it('names both statuses and the allowed moves in an illegal-transition message', () => {
    const r = applyTransition(stateIn('CLOSED'), { to: 'ON_HOLD', holdReason: 'AWAITING_USER', at: AT });
    expect(r).toEqual({
      ok: false,
      error: {
        code: 'ILLEGAL_TRANSITION',
        message: 'Cannot move an incident from Closed to On hold; from Closed the status can move to Investigating (reopen) or Reviewed',
      },
    });
    const fromHold = applyTransition(stateIn('ON_HOLD'), { to: 'CLOSED', userConfirmed: true, at: AT });
    expect(!fromHold.ok && fromHold.error.message).toBe(
      'Cannot move an incident from On hold to Closed; from On hold the status can move to Investigating (resume) or Resolved',
    );
    const same = applyTransition(stateIn('INVESTIGATING'), { to: 'INVESTIGATING', at: AT });
    expect(!same.ok && same.error.message).toMatch(/from Investigating to Investigating/);
    const fin = applyTransition(stateIn('REVIEWED'), { to: 'INVESTIGATING', at: AT });
    expect(!fin.ok && fin.error.message).toMatch(/from Reviewed to Investigating; Reviewed is a final status/);
  });

  it('refuses values outside the enums that arrive untyped', () => {
    const hold = applyTransition(stateIn('INVESTIGATING'), { to: 'ON_HOLD', holdReason: 'LUNCH' as HoldReason, at: AT });
    expect(!hold.ok && hold.error.code).toBe('HOLD_REASON_REQUIRED');
    const res = applyTransition(stateIn('INVESTIGATING'), { to: 'RESOLVED', resolutionKind: '' as ResolutionKind, at: AT });
    expect(!res.ok && res.error.code).toBe('RESOLUTION_REQUIRED');
    const close = applyTransition(stateIn('RESOLVED'), { to: 'CLOSED', userConfirmed: 'yes' as unknown as boolean, at: AT });
    expect(!close.ok && close.error.code).toBe('CONFIRMATION_REQUIRED');
    const nul = applyTransition(stateIn('RESOLVED'), { to: 'CLOSED', userConfirmed: null as unknown as boolean, at: AT });
    expect(!nul.ok && nul.error.code).toBe('CONFIRMATION_REQUIRED');
  });

  it('closing without confirmation records false, not null', () => {
    const r = applyTransition(stateIn('RESOLVED'), { to: 'CLOSED', userConfirmed: false, at: AT });
    expect(r.ok && r.state).toMatchObject({ status: 'CLOSED', userConfirmed: false, closedAt: AT, resolvedAt: T0 });
  });
});

describe('status predicates', () => {
  it('isOpen and isReadOnly split the statuses', () => {
    const open = INCIDENT_STATUSES.filter(isOpen);
    const ro = INCIDENT_STATUSES.filter(isReadOnly);
    expect(open).toEqual(['NEW', 'TRIAGED', 'INVESTIGATING', 'ON_HOLD']);
    expect(ro).toEqual(['CLOSED', 'REVIEWED']);
    expect(isOpen('RESOLVED') || isReadOnly('RESOLVED')).toBe(false);
  });
});

describe('random lifecycles (fast-check)', () => {
  const initial: LifecycleState = {
    status: 'NEW',
    holdReason: null,
    reopenCount: 0,
    resolutionKind: null,
    resolvedAt: null,
    closedAt: null,
    userConfirmed: null,
  };
  const request = fc.record(
    {
      to: fc.constantFrom(...INCIDENT_STATUSES),
      holdReason: fc.constantFrom(...HOLD_REASONS),
      resolutionKind: fc.constantFrom(...RESOLUTION_KINDS),
      userConfirmed: fc.boolean(),
      at: fc.date({ min: new Date('2020-01-01'), max: new Date('2030-01-01'), noInvalidDate: true }),
    },
    { requiredKeys: ['to', 'at'] },
  );

  it('reopenCount equals the number of REOPEN moves applied, and no input is mutated', () => {
    fc.assert(
      fc.property(fc.array(request, { maxLength: 60 }), (reqs) => {
        let state = initial;
        let reopens = 0;
        for (const req of reqs) {
          const snapshot = deepCopy(state);
          const reqCopy = { ...req };
          const r = applyTransition(state, req);
          expect(state).toEqual(snapshot);
          expect(req).toEqual(reqCopy);
          if (r.ok) {
            if (r.rule.action === 'REOPEN') reopens++;
            state = r.state;
          }
          // Invariants that must hold in every reachable state.
          expect(state.holdReason !== null).toBe(state.status === 'ON_HOLD');
          expect(state.resolvedAt !== null).toBe(['RESOLVED', 'CLOSED', 'REVIEWED'].includes(state.status));
          expect(state.closedAt !== null).toBe(['CLOSED', 'REVIEWED'].includes(state.status));
          expect(state.userConfirmed !== null).toBe(state.closedAt !== null);
        }
        expect(state.reopenCount).toBe(reopens);
      }),
      { numRuns: 500 },
    );
  });

  it('only legal moves ever succeed', () => {
    fc.assert(
      fc.property(fc.constantFrom(...INCIDENT_STATUSES), request, (status, req) => {
        const r = applyTransition(stateIn(status), req);
        if (r.ok) expect(LEGAL[`${status}>${req.to}`]).toBe(r.rule.action);
        else if (!LEGAL[`${status}>${req.to}`]) expect(r.error.code).toBe('ILLEGAL_TRANSITION');
      }),
    );
  });
});
