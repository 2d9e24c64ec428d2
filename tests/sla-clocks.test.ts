import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_POLICY_NAME,
  DEFAULT_TARGETS,
  MIN,
  RESOLVE,
  acknowledge,
  call,
  classify,
  clocks,
  clocksOf,
  iso,
  minutesAgo,
  move,
  openIncident,
  plus,
  seg,
} from './support/sla-factories';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * Each incident's SLA clocks over GraphQL, under the default 'Standard 24x7' policy of the
 * migration (P1 15/240, P2 30/480, P3 120/1440, P4 480/4320, P5 1440/10080 minutes; pauses on
 * AWAITING_USER and AWAITING_VENDOR). Scenarios are backdated so that stopped clocks are exact;
 * running clocks depend on the real now and are checked within a minute.
 */

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});

/** Whole minutes between two instants. */
const minutesBetween = (from: Date | string, to: Date | string) => (new Date(to).getTime() - new Date(from).getTime()) / MIN;

describe('clocks per incident', () => {
  it('every incident has a RESPONSE and a RESOLUTION clock with the targets of its priority', async () => {
    for (const p of [1, 2, 3, 4, 5]) {
      const openedAt = minutesAgo(10);
      const inc = await openIncident(t, openedAt, p);
      const c = clocksOf(inc);
      for (const [target, minutes] of [
        ['RESPONSE', DEFAULT_TARGETS[p]!.response],
        ['RESOLUTION', DEFAULT_TARGETS[p]!.resolution],
      ] as const) {
        const clock = c[target];
        expect(clock, `P${p} ${target}`).toMatchObject({
          targetMinutes: minutes,
          priority: p,
          policyName: DEFAULT_POLICY_NAME,
          policyVersion: 1,
          state: 'RUNNING',
          verdict: 'PENDING',
          breachedAt: null,
          stoppedAt: null,
          segments: [seg('RUNNING', openedAt, null)],
        });
        // Running for ten minutes (plus the test's own run time).
        expect(clock.elapsedMinutes).toBeGreaterThanOrEqual(10);
        expect(clock.elapsedMinutes).toBeLessThanOrEqual(11);
        expect(clock.remainingMinutes).toBe(minutes - clock.elapsedMinutes);
        // Due when the target runs out, counted from the opening on a 24x7 calendar.
        expect(clock.dueAt).toBe(iso(plus(openedAt, minutes)));
      }
      // A fresh P1 response clock (15 min) has used 10/15 = 67 %: warning level 50.
      if (p === 1) expect(c.RESPONSE.warningLevel).toBe(50);
    }
  });

  it('acknowledging within target meets RESPONSE; resolving late breaches RESOLUTION at openedAt + target', async () => {
    // P1: respond in 15, resolve in 240 minutes.
    const t0 = minutesAgo(3 * 24 * 60);
    const inc = await openIncident(t, t0, 1);
    const acked = clocksOf(await acknowledge(t, inc.id, plus(t0, 10)));
    expect(acked.RESPONSE).toMatchObject({
      state: 'STOPPED',
      verdict: 'MET',
      elapsedMinutes: 10,
      remainingMinutes: 5,
      warningLevel: 50,
      stoppedAt: iso(plus(t0, 10)),
      // What the due time would have been had it run on: the 5 minutes left, from the stop.
      dueAt: iso(plus(t0, 15)),
      breachedAt: null,
      segments: [seg('RUNNING', t0, plus(t0, 10))],
    });
    expect(acked.RESPONSE.percentConsumed).toBeCloseTo((10 / 15) * 100, 6);
    // The resolution clock ran on, three days past its 240 minutes: breached, still running.
    expect(acked.RESOLUTION).toMatchObject({
      state: 'RUNNING',
      verdict: 'BREACHED',
      breachedAt: iso(plus(t0, 240)),
      remainingMinutes: 0,
      warningLevel: 90,
    });

    await move(t, inc.id, plus(t0, 20), { to: 'INVESTIGATING' });
    const resolved = clocksOf(await move(t, inc.id, plus(t0, 300), RESOLVE));
    expect(resolved.RESOLUTION).toMatchObject({
      state: 'STOPPED',
      verdict: 'BREACHED',
      elapsedMinutes: 300,
      remainingMinutes: 0,
      warningLevel: 90,
      // 24x7: the target runs out exactly 240 wall-clock minutes after opening.
      breachedAt: iso(plus(t0, 240)),
      dueAt: iso(plus(t0, 240)),
      stoppedAt: iso(plus(t0, 300)),
      segments: [seg('RUNNING', t0, plus(t0, 300))],
    });
    expect(resolved.RESOLUTION.percentConsumed).toBeCloseTo(125, 6);
    // The response clock did not move after the acknowledgement.
    expect(resolved.RESPONSE).toEqual(acked.RESPONSE);

    // What was stored agrees with what is shown.
    const rows = await t.sql<{ target: string; verdict: string; elapsed_minutes: number; breached_at: Date | null; state: string }>(
      `select target, verdict, elapsed_minutes, breached_at, state from sla_clocks where incident_id = $1 order by target`,
      [inc.id],
    );
    expect(
      rows.map((r) => [r.target, r.verdict, r.elapsed_minutes, r.state, r.breached_at && new Date(r.breached_at).toISOString()]),
    ).toEqual([
      ['RESOLUTION', 'BREACHED', 300, 'STOPPED', iso(plus(t0, 240))],
      ['RESPONSE', 'MET', 10, 'STOPPED', null],
    ]);
  });

  it('an unacknowledged incident resolved in time meets both clocks: resolving stops the response clock too', async () => {
    // P3: 120 / 1440. Resolved after 100 minutes without an acknowledgement.
    const t0 = minutesAgo(2 * 24 * 60);
    const inc = await openIncident(t, t0, 3);
    const c = clocksOf(await move(t, inc.id, plus(t0, 100), RESOLVE));
    expect(c.RESPONSE).toMatchObject({ state: 'STOPPED', verdict: 'MET', elapsedMinutes: 100, stoppedAt: iso(plus(t0, 100)) });
    expect(c.RESOLUTION).toMatchObject({
      state: 'STOPPED',
      verdict: 'MET',
      elapsedMinutes: 100,
      remainingMinutes: 1340,
      stoppedAt: iso(plus(t0, 100)),
    });
  });

  it('consuming exactly the whole target is MET, one minute more is BREACHED', async () => {
    // P2 response target 30 minutes.
    const t0 = minutesAgo(24 * 60);
    const onTime = await openIncident(t, t0, 2);
    const late = await openIncident(t, t0, 2);
    expect(clocksOf(await acknowledge(t, onTime.id, plus(t0, 30))).RESPONSE).toMatchObject({
      verdict: 'MET',
      elapsedMinutes: 30,
      remainingMinutes: 0,
      warningLevel: 90,
      breachedAt: null,
    });
    expect(clocksOf(await acknowledge(t, late.id, plus(t0, 31))).RESPONSE).toMatchObject({
      verdict: 'BREACHED',
      elapsedMinutes: 31,
      breachedAt: iso(plus(t0, 30)),
    });
  });
});

describe('pausing on hold', () => {
  /**
   * P3 (1440 resolution): opened t0, acknowledged t0+5, investigating t0+10, on hold t0+60,
   * resumed t0+180, resolved t0+300.
   */
  async function heldAndResolved(holdReason: string) {
    const t0 = minutesAgo(2 * 24 * 60);
    const inc = await openIncident(t, t0, 3);
    await acknowledge(t, inc.id, plus(t0, 5));
    await move(t, inc.id, plus(t0, 10), { to: 'INVESTIGATING' });
    await move(t, inc.id, plus(t0, 60), { to: 'ON_HOLD', holdReason });
    await move(t, inc.id, plus(t0, 180), { to: 'INVESTIGATING' });
    const c = clocksOf(await move(t, inc.id, plus(t0, 300), RESOLVE));
    return { t0, c };
  }

  it('AWAITING_USER pauses the resolution clock: a PAUSED segment with its reason, not counted', async () => {
    const { t0, c } = await heldAndResolved('AWAITING_USER');
    expect(c.RESOLUTION).toMatchObject({
      state: 'STOPPED',
      verdict: 'MET',
      // 60 before the hold + 120 after it; the 120 on hold do not count.
      elapsedMinutes: 60 + 120,
      remainingMinutes: 1440 - 180,
      segments: [
        seg('RUNNING', t0, plus(t0, 60)),
        seg('PAUSED', plus(t0, 60), plus(t0, 180), 'AWAITING_USER'),
        seg('RUNNING', plus(t0, 180), plus(t0, 300)),
      ],
      stoppedAt: iso(plus(t0, 300)),
      // Had it run on: the 1260 minutes left, from the stop.
      dueAt: iso(plus(t0, 300 + 1260)),
    });
    expect(c.RESPONSE).toMatchObject({ verdict: 'MET', elapsedMinutes: 5, segments: [seg('RUNNING', t0, plus(t0, 5))] });
  });

  it('AWAITING_CHANGE is not a pause reason of the default policy: the clock runs through the hold', async () => {
    const { t0, c } = await heldAndResolved('AWAITING_CHANGE');
    expect(c.RESOLUTION).toMatchObject({
      state: 'STOPPED',
      verdict: 'MET',
      elapsedMinutes: 300,
      // The hold is kept as a RUNNING stretch with its reason, so another pause set can be applied later.
      segments: [
        seg('RUNNING', t0, plus(t0, 60)),
        seg('RUNNING', plus(t0, 60), plus(t0, 180), 'AWAITING_CHANGE'),
        seg('RUNNING', plus(t0, 180), plus(t0, 300)),
      ],
    });
  });

  it('a clock paused now stays at the minutes used before the hold: dueAt null, verdict PENDING', async () => {
    // P3, not acknowledged: both clocks ran 30 minutes, then the incident went on hold for a vendor.
    const t0 = minutesAgo(10 * 60);
    const inc = await openIncident(t, t0, 3);
    await move(t, inc.id, plus(t0, 10), { to: 'INVESTIGATING' });
    const c = clocksOf(await move(t, inc.id, plus(t0, 30), { to: 'ON_HOLD', holdReason: 'AWAITING_VENDOR' }));
    for (const [target, minutes] of [
      ['RESPONSE', 120],
      ['RESOLUTION', 1440],
    ] as const) {
      expect(c[target], target).toMatchObject({
        state: 'PAUSED',
        verdict: 'PENDING',
        elapsedMinutes: 30,
        remainingMinutes: minutes - 30,
        dueAt: null,
        breachedAt: null,
        stoppedAt: null,
        segments: [seg('RUNNING', t0, plus(t0, 30)), seg('PAUSED', plus(t0, 30), null, 'AWAITING_VENDOR')],
      });
    }
    // Read again later: a paused clock does not move.
    expect(await clocks(t, inc.id)).toEqual(c);
  });

  it('backdated events rebuild the clock: a recorded breach moves and is lifted', async () => {
    // P2 (480), investigating since t0+10 and running for three days: breached at t0+480.
    const t0 = minutesAgo(3 * 24 * 60);
    const inc = await openIncident(t, t0, 2);
    await acknowledge(t, inc.id, plus(t0, 5));
    const running = clocksOf(await move(t, inc.id, plus(t0, 10), { to: 'INVESTIGATING' }));
    expect(running.RESOLUTION).toMatchObject({ state: 'RUNNING', verdict: 'BREACHED', breachedAt: iso(plus(t0, 480)) });
    // A hold that had been forgotten is recorded now: AWAITING_USER from t0+100 to t0+250. The
    // 150 paused minutes push the breach to t0+630.
    await move(t, inc.id, plus(t0, 100), { to: 'ON_HOLD', holdReason: 'AWAITING_USER' });
    const held = clocksOf(await move(t, inc.id, plus(t0, 250), { to: 'INVESTIGATING' }));
    expect(held.RESOLUTION.segments).toEqual([
      seg('RUNNING', t0, plus(t0, 100)),
      seg('PAUSED', plus(t0, 100), plus(t0, 250), 'AWAITING_USER'),
      seg('RUNNING', plus(t0, 250), null),
    ]);
    expect(held.RESOLUTION).toMatchObject({ state: 'RUNNING', verdict: 'BREACHED', breachedAt: iso(plus(t0, 630)) });
    // Resolved (backdated) at t0+540: 540 - 150 = 390 minutes count, within 480.
    const c = clocksOf(await move(t, inc.id, plus(t0, 540), RESOLVE));
    expect(c.RESOLUTION).toMatchObject({ state: 'STOPPED', verdict: 'MET', elapsedMinutes: 390, breachedAt: null });
    const [row] = await t.sql(`select verdict, breached_at from sla_clocks where incident_id = $1 and target = 'RESOLUTION'`, [inc.id]);
    expect(row).toEqual({ verdict: 'MET', breached_at: null });
  });
});

describe('reopen', () => {
  it('restarts the resolution clock from where it stopped; the time while resolved is not counted; response stays stopped', async () => {
    // P2: 30 / 480.
    const t0 = minutesAgo(3 * 24 * 60);
    const inc = await openIncident(t, t0, 2);
    await acknowledge(t, inc.id, plus(t0, 20));
    const resolved = clocksOf(await move(t, inc.id, plus(t0, 100), RESOLVE));
    expect(resolved.RESOLUTION).toMatchObject({ state: 'STOPPED', verdict: 'MET', elapsedMinutes: 100 });

    const reopenAt = minutesAgo(60);
    const reopened = clocksOf(await move(t, inc.id, reopenAt, { to: 'INVESTIGATING', note: 'It came back' }));
    expect(reopened.RESOLUTION).toMatchObject({
      state: 'RUNNING',
      verdict: 'PENDING',
      stoppedAt: null,
      segments: [seg('RUNNING', t0, plus(t0, 100)), seg('RUNNING', reopenAt, null)],
    });
    // 100 before the resolution + about 60 since the reopen (not the ~3 days in between).
    const sinceReopen = minutesBetween(reopenAt, new Date());
    expect(reopened.RESOLUTION.elapsedMinutes).toBeGreaterThanOrEqual(100 + Math.floor(sinceReopen) - 1);
    expect(reopened.RESOLUTION.elapsedMinutes).toBeLessThanOrEqual(100 + Math.ceil(sinceReopen) + 1);
    // Due when the 380 minutes left run out, counted from the reopen.
    expect(reopened.RESOLUTION.dueAt).toBe(iso(plus(reopenAt, 380)));
    // Response was met by the acknowledgement and never restarts.
    expect(reopened.RESPONSE).toEqual(resolved.RESPONSE);
    expect(reopened.RESPONSE).toMatchObject({ verdict: 'MET', elapsedMinutes: 20 });

    const again = clocksOf(await move(t, inc.id, plus(reopenAt, 30), RESOLVE));
    expect(again.RESOLUTION).toMatchObject({
      state: 'STOPPED',
      verdict: 'MET',
      elapsedMinutes: 130,
      stoppedAt: iso(plus(reopenAt, 30)),
      segments: [seg('RUNNING', t0, plus(t0, 100)), seg('RUNNING', reopenAt, plus(reopenAt, 30))],
    });

    // reopenIncident (now) restarts it once more and is counted.
    const r = await call<{
      reopenCount: number;
      slaClocks: { target: string; state: string; elapsedMinutes: number; segments: unknown[] }[];
    }>(
      t,
      `mutation($id: ID!) { reopenIncident(id: $id, reason: "Still broken") { reopenCount slaClocks { target state elapsedMinutes
        segments { from to } } } }`,
      { id: inc.id },
    );
    expect(r.reopenCount).toBe(2);
    const res = r.slaClocks.find((c) => c.target === 'RESOLUTION')!;
    expect(res.state).toBe('RUNNING');
    expect(res.segments).toHaveLength(3);
    expect(res.elapsedMinutes).toBeGreaterThanOrEqual(130);
    expect(res.elapsedMinutes).toBeLessThanOrEqual(131);
  });

  it('a reopen that runs past the target breaches at the instant the remaining minutes ran out', async () => {
    // P2 (480): 400 minutes before the resolution at t0+400, reopened at t0+1000, resolved at
    // t0+1200: the 80 minutes left ran out at t0+1080.
    const t0 = minutesAgo(3 * 24 * 60);
    const inc = await openIncident(t, t0, 2);
    await acknowledge(t, inc.id, plus(t0, 1));
    await move(t, inc.id, plus(t0, 400), RESOLVE);
    await move(t, inc.id, plus(t0, 1000), { to: 'INVESTIGATING' });
    const c = clocksOf(await move(t, inc.id, plus(t0, 1200), RESOLVE));
    expect(c.RESOLUTION).toMatchObject({
      verdict: 'BREACHED',
      elapsedMinutes: 600,
      breachedAt: iso(plus(t0, 1080)),
      stoppedAt: iso(plus(t0, 1200)),
    });
  });
});

describe('priority changed mid-flight', () => {
  it('raising the priority recomputes both clocks with the new targets from the opening; same policy version', async () => {
    // P4 (480 / 4320), opened two days (2880 minutes) ago, acknowledged after 30 minutes.
    const t0 = minutesAgo(2 * 24 * 60);
    const inc = await openIncident(t, t0, 4);
    const before = clocksOf(await acknowledge(t, inc.id, plus(t0, 30)));
    expect(before.RESPONSE).toMatchObject({ priority: 4, targetMinutes: 480, verdict: 'MET', elapsedMinutes: 30 });
    // 2880 / 4320 = 67 %: warning level 50, still pending.
    expect(before.RESOLUTION).toMatchObject({
      priority: 4,
      targetMinutes: 4320,
      state: 'RUNNING',
      verdict: 'PENDING',
      warningLevel: 50,
      dueAt: iso(plus(t0, 4320)),
    });
    expect(Math.abs(before.RESOLUTION.elapsedMinutes - 2880)).toBeLessThanOrEqual(1);

    // Impact 1 x urgency 1 -> P1 (15 / 240), applied from the opening.
    const raised = await classify(t, inc.id, { impact: 1, urgency: 1 });
    expect(raised.priority).toBe(1);
    const after = clocksOf(raised);
    for (const target of ['RESPONSE', 'RESOLUTION'] as const) {
      expect(after[target].policyVersion).toBe(1);
      expect(after[target].policyVersionId).toBe(before[target].policyVersionId);
      expect(after[target].priority).toBe(1);
      // The segments do not depend on the priority.
      expect(after[target].segments).toEqual(before[target].segments);
    }
    // Acknowledged after 30 of 15 minutes: breached at t0 + 15.
    expect(after.RESPONSE).toMatchObject({
      targetMinutes: 15,
      verdict: 'BREACHED',
      elapsedMinutes: 30,
      breachedAt: iso(plus(t0, 15)),
      state: 'STOPPED',
    });
    expect(after.RESOLUTION).toMatchObject({
      targetMinutes: 240,
      verdict: 'BREACHED',
      breachedAt: iso(plus(t0, 240)),
      state: 'RUNNING',
      remainingMinutes: 0,
      warningLevel: 90,
    });
    const stored = await t.sql(`select target, priority, target_minutes, verdict from sla_clocks where incident_id = $1 order by target`, [
      inc.id,
    ]);
    expect(stored).toEqual([
      { target: 'RESOLUTION', priority: 1, target_minutes: 240, verdict: 'BREACHED' },
      { target: 'RESPONSE', priority: 1, target_minutes: 15, verdict: 'BREACHED' },
    ]);

    // A manual P2 (30 / 480): acknowledged after exactly 30 minutes is met; resolution still breached, now at t0 + 480.
    const manual = clocksOf(await classify(t, inc.id, { priority: 2, priorityReason: 'Only one region affected' }));
    expect(manual.RESPONSE).toMatchObject({ priority: 2, targetMinutes: 30, verdict: 'MET', breachedAt: null });
    expect(manual.RESOLUTION).toMatchObject({ priority: 2, targetMinutes: 480, verdict: 'BREACHED', breachedAt: iso(plus(t0, 480)) });

    // Back to the matrix and down to P5 (1440 / 10080): lowering the priority lifts the breaches.
    const lowered = await classify(t, inc.id, { impact: 3, urgency: 3, clearPriorityOverride: true });
    expect(lowered.priority).toBe(5);
    const low = clocksOf(lowered);
    expect(low.RESPONSE).toMatchObject({ priority: 5, targetMinutes: 1440, verdict: 'MET', elapsedMinutes: 30, breachedAt: null });
    expect(low.RESOLUTION).toMatchObject({
      priority: 5,
      targetMinutes: 10080,
      verdict: 'PENDING',
      breachedAt: null,
      warningLevel: 0,
      dueAt: iso(plus(t0, 10080)),
    });
  });

  it('a priority raised after the resolution re-judges the stopped clock', async () => {
    // P3 (1440) resolved after 300 minutes: met; as P1 (240) the same 300 minutes breach at t0 + 240.
    const t0 = minutesAgo(3 * 24 * 60);
    const inc = await openIncident(t, t0, 3);
    await acknowledge(t, inc.id, plus(t0, 10));
    expect(clocksOf(await move(t, inc.id, plus(t0, 300), RESOLVE)).RESOLUTION).toMatchObject({ verdict: 'MET', elapsedMinutes: 300 });
    const c = clocksOf(await classify(t, inc.id, { impact: 1, urgency: 1 }));
    expect(c.RESOLUTION).toMatchObject({
      priority: 1,
      targetMinutes: 240,
      verdict: 'BREACHED',
      elapsedMinutes: 300,
      breachedAt: iso(plus(t0, 240)),
      state: 'STOPPED',
    });
    expect(c.RESPONSE).toMatchObject({ priority: 1, targetMinutes: 15, verdict: 'MET', elapsedMinutes: 10 });
  });
});
