/**
 * How well a workaround or an incident model worked, counted over outcomes only. Per incident it
 * was applied to (the first application counts):
 *
 *   DID_NOT_HOLD  the incident was reopened after the first application (whatever its status now)
 *   HELD          resolved after the first application, never reopened after it
 *   IN_FLIGHT     still open and not reopened since: no outcome yet
 *   DID_NOT_HOLD  otherwise (resolved before it was applied: it did not bring the resolution)
 *
 * The success rate is HELD / (HELD + DID_NOT_HOLD): an application still in flight is in neither
 * side, so applying a workaround to an open incident does not move its rate until the incident
 * is resolved. The database computes the same rule (workaround.loaders.ts, incident-model.loaders.ts).
 */
export type ApplicationOutcome = 'HELD' | 'DID_NOT_HOLD' | 'IN_FLIGHT';

export interface ApplicationFacts {
  /** First application on the incident, epoch ms. */
  firstAppliedAt: number;
  /** The incident's resolvedAt now (null while open), epoch ms. */
  resolvedAt: number | null;
  /** The incident is in an open status now. */
  open: boolean;
  /** A REOPENED event after the first application. */
  reopenedAfter: boolean;
}

export function applicationOutcome(f: ApplicationFacts): ApplicationOutcome {
  if (f.reopenedAfter) return 'DID_NOT_HOLD';
  if (f.resolvedAt !== null && f.resolvedAt >= f.firstAppliedAt) return 'HELD';
  return f.open ? 'IN_FLIGHT' : 'DID_NOT_HOLD';
}

export interface OutcomeCounts {
  held: number;
  didNotHold: number;
  inFlight: number;
}

export function countOutcomes(facts: readonly ApplicationFacts[]): OutcomeCounts {
  const c: OutcomeCounts = { held: 0, didNotHold: 0, inFlight: 0 };
  for (const f of facts) {
    const o = applicationOutcome(f);
    if (o === 'HELD') c.held += 1;
    else if (o === 'IN_FLIGHT') c.inFlight += 1;
    else c.didNotHold += 1;
  }
  return c;
}

/** held / (incidents with an outcome); null while none has one. */
export function successShare(held: number, settled: number): number | null {
  if (!Number.isInteger(held) || !Number.isInteger(settled) || held < 0 || held > settled) {
    throw new RangeError(`held ${held} must be an integer between 0 and the settled count ${settled}`);
  }
  return settled > 0 ? held / settled : null;
}
