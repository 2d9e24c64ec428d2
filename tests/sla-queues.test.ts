import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createService, createTeam } from './support/factories';
import {
  DEFAULT_TARGETS,
  MIN,
  RESOLVE,
  acknowledge,
  calendar24x7,
  call,
  clocks,
  createCalendar,
  createPolicy,
  minutesAgo,
  officeHours,
  move,
  openIncident,
  plus,
  setServicePolicy,
  targets,
  updatePolicy,
  type SlaIncident,
} from './support/sla-factories';
import { ok, startTestApp, type TestApp } from './support/test-app';

/**
 * The lists built on SLA clocks (at risk, breached, work queue), the what-if query checked
 * against a brute-force computation, and no N+1 on slaClocks. All under the default 24x7 policy
 * (P1 15/240, P2 30/480, P3 120/1440, P4 480/4320, P5 1440/10080; pauses: user, vendor) unless
 * said otherwise. Each test filters the lists to the incidents it made itself.
 */

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});

type Step = { ack?: number; inv?: number; hold?: [number, string]; resume?: number; resolve?: number };

/** Opens a P`p` incident `ago` minutes ago and applies the steps (minutes after opening). */
async function scenario(p: number, ago: number, s: Step = {}, extra: Record<string, unknown> = {}): Promise<SlaIncident> {
  const t0 = minutesAgo(ago);
  let inc = await openIncident(t, t0, p, extra);
  if (s.ack !== undefined) inc = await acknowledge(t, inc.id, plus(t0, s.ack));
  if (s.inv !== undefined) inc = await move(t, inc.id, plus(t0, s.inv), { to: 'INVESTIGATING' });
  if (s.hold) inc = await move(t, inc.id, plus(t0, s.hold[0]), { to: 'ON_HOLD', holdReason: s.hold[1] });
  if (s.resume !== undefined) inc = await move(t, inc.id, plus(t0, s.resume), { to: 'INVESTIGATING' });
  if (s.resolve !== undefined) inc = await move(t, inc.id, plus(t0, s.resolve), RESOLVE);
  return inc;
}

/** The ids of `list` that are among `mine`, named, in list order. */
function own(list: { id: string }[], mine: Record<string, SlaIncident>): string[] {
  const names = new Map(Object.entries(mine).map(([name, inc]) => [inc.id, name]));
  return list.filter((i) => names.has(i.id)).map((i) => names.get(i.id)!);
}

describe('at risk and breached', () => {
  it('incidentsAtRisk: open incidents with a running clock past the warning level, least time left first', async () => {
    // Resolution-clock consumption in brackets; "due" relative to now.
    const mine = {
      calm: await scenario(3, 100, { ack: 10 }), //             100/1440 =  7 %
      r75: await scenario(3, 1200, { ack: 10 }), //             1200/1440 = 83 %, due +240
      r90: await scenario(2, 450, { ack: 10 }), //              450/480 = 94 %, due +30
      r90slow: await scenario(4, 4000, { ack: 10 }), //         4000/4320 = 93 %, due +320
      breached: await scenario(3, 2000, { ack: 10 }), //        breached at -560
      paused: await scenario(3, 1400, { ack: 10, inv: 20, hold: [1300, 'AWAITING_USER'] }), // 90 %, but paused
      heldRunning: await scenario(3, 1350, { ack: 10, inv: 20, hold: [30, 'AWAITING_CHANGE'] }), // on hold but running: 94 %, due +90
      resolved: await scenario(2, 3 * 1440, { ack: 5, resolve: 600 }), // breached, but resolved
      unacked: await scenario(3, 100), //                       response 100/120 = 83 %, due +20
      noResponse: await scenario(1, 60), //                     response breached at -45; resolution 25 %
      r50: await scenario(3, 800, { ack: 10 }), //              800/1440 = 56 %, due +640
    };
    const atRisk = async (args: string) => own(await call(t, `{ incidentsAtRisk(first: 200${args}) { id } }`), mine);

    // Default level 75, both targets: ordered by the earliest due time of a qualifying clock.
    expect(await atRisk('')).toEqual(['breached', 'noResponse', 'unacked', 'r90', 'heldRunning', 'r75', 'r90slow']);
    expect(await atRisk(', minWarningLevel: 90')).toEqual(['breached', 'noResponse', 'r90', 'heldRunning', 'r90slow']);
    expect(await atRisk(', minWarningLevel: 50')).toEqual([
      'breached',
      'noResponse',
      'unacked',
      'r90',
      'heldRunning',
      'r75',
      'r90slow',
      'r50',
    ]);
    expect(await atRisk(', target: RESPONSE')).toEqual(['noResponse', 'unacked']);
    expect(await atRisk(', target: RESOLUTION')).toEqual(['breached', 'r90', 'heldRunning', 'r75', 'r90slow']);
    // The count is the whole list's length whatever the page size (the overview shows it beside an 8-row list).
    for (const args of ['', ', minWarningLevel: 90', ', minWarningLevel: 50', ', target: RESPONSE']) {
      const all = await call<{ id: string }[]>(t, `{ incidentsAtRisk(first: 200${args}) { id } }`);
      const top = await call<{ id: string }[]>(t, `{ incidentsAtRisk(first: 2${args}) { id } }`);
      const count = await call<number>(t, `{ incidentsAtRiskCount${args ? `(${args.slice(2)})` : ''} }`);
      expect(count, args).toBe(all.length);
      expect(top.length, args).toBe(Math.min(2, count));
    }

    // The levels shown on the clocks agree.
    const level = async (name: keyof typeof mine, target: 'RESPONSE' | 'RESOLUTION') =>
      (await clocks(t, mine[name].id))[target].warningLevel;
    expect(await level('r75', 'RESOLUTION')).toBe(75);
    expect(await level('r90', 'RESOLUTION')).toBe(90);
    expect(await level('r50', 'RESOLUTION')).toBe(50);
    expect(await level('paused', 'RESOLUTION')).toBe(90);
    expect(await level('unacked', 'RESPONSE')).toBe(75);
    expect(await level('calm', 'RESOLUTION')).toBe(0);
    expect((await clocks(t, mine.paused.id)).RESOLUTION).toMatchObject({ state: 'PAUSED', elapsedMinutes: 1300, dueAt: null });
  });

  it('breachedIncidents: open ones by default, most overdue first; openOnly false adds resolved ones', async () => {
    const mine = {
      longAgo: await scenario(2, 3 * 1440, { ack: 5, resolve: 600 }), // resolution breached at t0+480 = -3840, resolved
      resolution: await scenario(3, 2000, { ack: 10 }), //                breached at -560, open
      response: await scenario(1, 60), //                                 response breached at -45, open
      met: await scenario(2, 2 * 1440, { ack: 5, resolve: 100 }), //       met, resolved
      fine: await scenario(4, 60, { ack: 5 }), //                          pending
      heldLate: await scenario(2, 1440, { ack: 5, inv: 6, hold: [600, 'AWAITING_VENDOR'] }), // breached at t0+480 = -960, then paused
    };
    const breached = async (args = '') => own(await call(t, `{ breachedIncidents(first: 200${args}) { id } }`), mine);
    // Breached at: longAgo -3840, heldLate -1440+480 = -960, resolution -560, response -45.
    expect(await breached()).toEqual(['heldLate', 'resolution', 'response']);
    expect(await breached(', openOnly: false')).toEqual(['longAgo', 'heldLate', 'resolution', 'response']);
    expect(await breached(', target: RESPONSE')).toEqual(['response']);
    expect(await breached(', target: RESOLUTION, openOnly: false')).toEqual(['longAgo', 'heldLate', 'resolution']);
    for (const args of ['', ', openOnly: false', ', target: RESPONSE']) {
      const all = await call<{ id: string }[]>(t, `{ breachedIncidents(first: 200${args}) { id } }`);
      const count = await call<number>(t, `{ breachedIncidentsCount${args ? `(${args.slice(2)})` : ''} }`);
      expect(count, args).toBe(all.length);
      expect(count, args).toBeGreaterThan(0);
    }
    // A clock paused after its breach stays breached.
    expect((await clocks(t, mine.heldLate.id)).RESOLUTION).toMatchObject({ state: 'PAUSED', verdict: 'BREACHED', elapsedMinutes: 600 });
  });

  it('a running clock that ran out after it was last written is breached at read time, without a recompute', async () => {
    const cal = await calendar24x7(t);
    const p = await createPolicy(t, { calendarId: cal, targets: targets({ 1: [1, 2], 2: [1, 2], 3: [1, 2], 4: [1, 2], 5: [1, 2] }) });
    const service = await createService(t);
    await setServicePolicy(t, service.id, p.id);
    // Opened 55 s ago: the 1-minute response target runs out about 5 s from now.
    const openedAt = new Date(Date.now() - 55_000);
    const inc = await openIncident(t, openedAt, 5, { serviceId: service.id });
    const due = Date.parse(inc.slaClocks.find((c) => c.target === 'RESPONSE')!.dueAt!);
    expect(due).toBe(openedAt.getTime() + 60_000);
    const stored = `select verdict, state from sla_clocks where incident_id = $1 and target = 'RESPONSE'`;
    expect(await t.sql(stored, [inc.id])).toEqual([{ verdict: 'PENDING', state: 'RUNNING' }]);
    expect(own(await call(t, `{ breachedIncidents(first: 200, target: RESPONSE) { id } }`), { inc })).toEqual([]);

    await new Promise((r) => setTimeout(r, Math.max(0, due - Date.now()) + 500));
    // Nothing was written since, yet the lists and the clock see the breach.
    expect(await t.sql(stored, [inc.id])).toEqual([{ verdict: 'PENDING', state: 'RUNNING' }]);
    expect(own(await call(t, `{ breachedIncidents(first: 200, target: RESPONSE) { id } }`), { inc })).toEqual(['inc']);
    expect(own(await call(t, `{ incidentsAtRisk(first: 200, minWarningLevel: 90, target: RESPONSE) { id } }`), { inc })).toEqual(['inc']);
    expect((await clocks(t, inc.id)).RESPONSE).toMatchObject({
      verdict: 'BREACHED',
      state: 'RUNNING',
      breachedAt: new Date(due).toISOString(),
      remainingMinutes: 0,
      warningLevel: 90,
    });
  });
});

describe('work queue', () => {
  it('orders open incidents by priority, then running clocks by due time, then paused ones by time left, then oldest', async () => {
    const service = await createService(t);
    const team = await createTeam(t);
    const on = { serviceId: service.id };
    const onTeam = { serviceId: service.id, teamId: team.id };
    const mine = {
      p1due200: await scenario(1, 40, { ack: 1 }, on), //                                    due +200
      p1due100: await scenario(1, 140, { ack: 1 }, onTeam), //                               due +100
      p1paused: await scenario(1, 50, { ack: 1, inv: 2, hold: [40, 'AWAITING_USER'] }, on), // 200 left, paused
      p2due50: await scenario(2, 430, { ack: 1 }, onTeam), //                                due +50
      p3breached: await scenario(3, 2000, { ack: 1 }, on), //                                due -560
      p3due1000: await scenario(3, 440, { ack: 1 }, onTeam), //                              due +1000
      p3paused100: await scenario(3, 1400, { ack: 1, inv: 2, hold: [1340, 'AWAITING_USER'] }, on), // 100 left
      p3paused300: await scenario(3, 1200, { ack: 1, inv: 2, hold: [1140, 'AWAITING_VENDOR'] }, on), // 300 left
      p1resolved: await scenario(1, 100, { ack: 1, resolve: 50 }, on),
      p5new: await scenario(5, 10, {}, on),
    };
    const otherService = await scenario(1, 300, {}, {}); // P1 breached, but on no service
    const queue = async (args: string) => {
      const list: { id: string }[] = await call(t, `{ workQueue(${args}) { id } }`);
      return own(list, { ...mine, otherService });
    };
    const expected = ['p1due100', 'p1due200', 'p1paused', 'p2due50', 'p3breached', 'p3due1000', 'p3paused100', 'p3paused300', 'p5new'];
    // The service filter returns exactly these, in this order (no foreign incident, none resolved).
    const all: { id: string; priority: number }[] = await call(t, `query($s: ID!) { workQueue(serviceId: $s) { id priority } }`, {
      s: service.id,
    });
    expect(own(all, mine)).toEqual(expected);
    expect(all).toHaveLength(expected.length);
    expect(await queue(`serviceId: "${service.id}", first: 3, offset: 2`)).toEqual(expected.slice(2, 5));
    expect(await queue(`teamId: "${team.id}"`)).toEqual(['p1due100', 'p2due50', 'p3due1000']);
    // Without a filter every open incident is in the queue, our breached P1 on no service among the P1s.
    const everything = await queue('first: 200');
    expect(everything.filter((n) => n !== 'otherService')).toEqual(expected);
    expect(everything.indexOf('otherService')).toBeLessThan(everything.indexOf('p1paused'));
  });
});

describe('what-if', () => {
  /** A seeded generator, so a failure can be replayed. */
  function rng(seed: number) {
    let a = seed >>> 0;
    return () => {
      a = (a + 0x6d2b79f5) >>> 0;
      let x = Math.imul(a ^ (a >>> 15), 1 | a);
      x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
      return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
    };
  }

  /** What happened to one incident, in minutes after its opening. */
  interface Story {
    p: number;
    ack: number | null;
    /** Status changes after opening, in time order: [at, status, holdReason]. */
    moves: [number, 'INVESTIGATING' | 'ON_HOLD' | 'RESOLVED', string | null][];
  }

  const REASONS = ['AWAITING_USER', 'AWAITING_VENDOR', 'AWAITING_PROBLEM', 'AWAITING_CHANGE'];

  function randomStory(r: () => number): Story {
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)]!;
    const between = (lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
    const p = between(1, 5);
    const ack = r() < 0.7 ? between(1, 2 * DEFAULT_TARGETS[p]!.response) : null;
    const moves: Story['moves'] = [];
    let at = between(1, 30);
    moves.push([at, 'INVESTIGATING', null]);
    for (let round = 0; round < 2; round++) {
      for (let h = between(0, 2); h > 0; h--) {
        at += between(5, 600);
        moves.push([at, 'ON_HOLD', pick(REASONS)]);
        if (r() < 0.15) return { p, ack, moves }; // still on hold
        at += between(5, 900);
        moves.push([at, 'INVESTIGATING', null]);
      }
      if (r() < 0.2) return { p, ack, moves }; // still open
      at += between(5, 2000);
      moves.push([at, 'RESOLVED', null]);
      if (r() > 0.25) return { p, ack, moves };
      at += between(5, 600);
      moves.push([at, 'INVESTIGATING', null]); // reopened
    }
    return { p, ack, moves };
  }

  /**
   * Brute force, minute by minute in spirit: a clock consumes wall time while the incident is
   * open and not on hold for a paused reason (24x7). Response stops for good at the first
   * acknowledgement or resolution. It breaches once more than the target is consumed, judged at
   * `nowMin` (minutes after opening); a stopped clock within target is MET, else PENDING.
   */
  function judge(
    s: Story,
    target: 'RESPONSE' | 'RESOLUTION',
    minutes: number,
    pauses: string[],
    nowMin: number,
  ): 'MET' | 'BREACHED' | 'PENDING' {
    const firstResolve = s.moves.find((m) => m[1] === 'RESOLVED')?.[0] ?? Infinity;
    const responseStop = Math.min(s.ack ?? Infinity, firstResolve);
    let consumed = 0;
    let from = 0;
    let counting = true;
    let stopped = false;
    const segments: [number, number][] = [];
    for (const [at, status, reason] of s.moves) {
      if (counting) segments.push([from, at]);
      from = at;
      counting = status === 'INVESTIGATING' || (status === 'ON_HOLD' && !pauses.includes(reason!));
      stopped = status === 'RESOLVED';
    }
    if (counting) segments.push([from, nowMin]);
    const end = target === 'RESPONSE' ? Math.min(responseStop, nowMin) : nowMin;
    for (const [a, b] of segments) consumed += Math.max(0, Math.min(b, end) - a);
    if (consumed > minutes) return 'BREACHED';
    const isStopped = target === 'RESPONSE' ? responseStop <= nowMin : stopped;
    return isStopped ? 'MET' : 'PENDING';
  }

  it('gives, per priority and target, the compliance a proposed policy would have had, as a brute force computes it', async () => {
    const r = rng(20261127);
    const handPicked: Story[] = [
      // Exactly on target under the proposal (P3 resolution 600): MET, one minute more: BREACHED.
      {
        p: 3,
        ack: 5,
        moves: [
          [10, 'INVESTIGATING', null],
          [600, 'RESOLVED', null],
        ],
      },
      {
        p: 3,
        ack: 5,
        moves: [
          [10, 'INVESTIGATING', null],
          [601, 'RESOLVED', null],
        ],
      },
      // A long user hold: paused by the current policy, not by the proposal.
      {
        p: 2,
        ack: 10,
        moves: [
          [20, 'INVESTIGATING', null],
          [100, 'ON_HOLD', 'AWAITING_USER'],
          [2000, 'INVESTIGATING', null],
          [2100, 'RESOLVED', null],
        ],
      },
      // A long change hold: running under the current policy, paused by the proposal.
      {
        p: 2,
        ack: 10,
        moves: [
          [20, 'INVESTIGATING', null],
          [100, 'ON_HOLD', 'AWAITING_CHANGE'],
          [2000, 'INVESTIGATING', null],
          [2100, 'RESOLVED', null],
        ],
      },
      // Still on hold for a change: pending under the proposal.
      {
        p: 4,
        ack: 100,
        moves: [
          [110, 'INVESTIGATING', null],
          [200, 'ON_HOLD', 'AWAITING_CHANGE'],
        ],
      },
    ];
    const stories = [...handPicked, ...Array.from({ length: 25 }, () => randomStory(r))];

    // Opened an hour apart from 20 days ago, in a range no other test uses.
    const from = minutesAgo(20 * 1440);
    const ids: string[] = [];
    for (const [i, s] of stories.entries()) {
      const t0 = plus(from, i * 60);
      const inc = await openIncident(t, t0, s.p);
      if (s.ack !== null) await acknowledge(t, inc.id, plus(t0, s.ack));
      for (const [at, status, reason] of s.moves) {
        await move(
          t,
          inc.id,
          plus(t0, at),
          status === 'RESOLVED' ? RESOLVE : status === 'ON_HOLD' ? { to: status, holdReason: reason } : { to: status },
        );
      }
      ids.push(inc.id);
    }
    const to = plus(from, stories.length * 60);

    const proposed = { 1: [10, 120], 2: [20, 300], 3: [60, 600], 4: [240, 2000], 5: [600, 5000] } as Record<number, [number, number]>;
    const cal = await calendar24x7(t);
    const input = { calendarId: cal, targets: targets(proposed), pauseHoldReasons: ['AWAITING_CHANGE'] };
    const ROW = 'priority incidents met breached pending ratio currentMet currentBreached currentRatio';
    type Row = {
      priority: number;
      incidents: number;
      met: number;
      breached: number;
      pending: number;
      ratio: number | null;
      currentMet: number;
      currentBreached: number;
      currentRatio: number | null;
    };
    type WhatIf = { incidents: number; response: Row[]; resolution: Row[] };
    const whatIf = async (terms: typeof input) =>
      call<WhatIf>(
        t,
        `query($input: SlaPolicyTermsInput!, $from: DateTime!, $to: DateTime!) { slaWhatIf(input: $input, from: $from, to:
          $to) { incidents response { ${ROW} } resolution { ${ROW} } } }`,
        {
          input: terms,
          from: from.toISOString(),
          to: to.toISOString(),
        },
      );
    const result = await whatIf(input);
    const nowMin = (i: number) => (Date.now() - plus(from, i * 60).getTime()) / MIN;

    function expected(terms: Record<number, [number, number]>, pauses: string[]) {
      const current = { 1: [15, 240], 2: [30, 480], 3: [120, 1440], 4: [480, 4320], 5: [1440, 10080] } as Record<number, [number, number]>;
      const out: Record<string, unknown[]> = {};
      for (const [k, target] of [
        [0, 'RESPONSE'],
        [1, 'RESOLUTION'],
      ] as const) {
        out[target.toLowerCase()] = [1, 2, 3, 4, 5].map((p) => {
          const row = {
            priority: p,
            incidents: 0,
            met: 0,
            breached: 0,
            pending: 0,
            currentMet: 0,
            currentBreached: 0,
            ratio: null as number | null,
            currentRatio: null as number | null,
          };
          stories.forEach((s, i) => {
            if (s.p !== p) return;
            row.incidents++;
            const v = judge(s, target, terms[p]![k], pauses, nowMin(i));
            if (v === 'MET') row.met++;
            else if (v === 'BREACHED') row.breached++;
            else row.pending++;
            const c = judge(s, target, current[p]![k], ['AWAITING_USER', 'AWAITING_VENDOR'], nowMin(i));
            if (c === 'MET') row.currentMet++;
            else if (c === 'BREACHED') row.currentBreached++;
          });
          row.ratio = row.met + row.breached ? row.met / (row.met + row.breached) : null;
          row.currentRatio = row.currentMet + row.currentBreached ? row.currentMet / (row.currentMet + row.currentBreached) : null;
          return row;
        });
      }
      return out;
    }

    const want = expected(proposed, ['AWAITING_CHANGE']);
    expect(result.incidents).toBe(stories.length);
    for (const target of ['response', 'resolution'] as const) {
      for (const [i, row] of result[target].entries()) {
        const w = want[target]![i] as Record<string, number | null>;
        expect({ ...row, ratio: null, currentRatio: null }, `${target} P${i + 1}`).toEqual({ ...w, ratio: null, currentRatio: null });
        if (w.ratio === null) expect(row.ratio).toBeNull();
        else expect(row.ratio).toBeCloseTo(w.ratio!, 9);
        if (w.currentRatio === null) expect(row.currentRatio).toBeNull();
        else expect(row.currentRatio).toBeCloseTo(w.currentRatio!, 9);
      }
    }
    // The brute force itself on the hand-picked boundary pair: exactly 600 of 600 is met, 601 breached.
    expect(judge(handPicked[0]!, 'RESOLUTION', 600, ['AWAITING_CHANGE'], 1e9)).toBe('MET');
    expect(judge(handPicked[1]!, 'RESOLUTION', 600, ['AWAITING_CHANGE'], 1e9)).toBe('BREACHED');

    // The "current" columns are the verdicts the clocks show.
    const shown = { MET: 0, BREACHED: 0 } as Record<string, number>;
    for (const id of ids) for (const c of Object.values(await clocks(t, id))) if (c.verdict !== 'PENDING') shown[c.verdict]!++;
    const sum = (k: 'currentMet' | 'currentBreached') => [...result.response, ...result.resolution].reduce((n, row) => n + row[k], 0);
    expect({ MET: sum('currentMet'), BREACHED: sum('currentBreached') }).toEqual(shown);

    // Under exactly the current terms, the what-if reproduces the current verdicts.
    const same = await whatIf({
      calendarId: cal,
      targets: targets({ 1: [15, 240], 2: [30, 480], 3: [120, 1440], 4: [480, 4320], 5: [1440, 10080] }),
      pauseHoldReasons: ['AWAITING_USER', 'AWAITING_VENDOR'],
    });
    for (const row of [...same.response, ...same.resolution]) {
      expect([row.met, row.breached]).toEqual([row.currentMet, row.currentBreached]);
    }

    // [from, to): an incident opened exactly at `to` is out, one opened exactly at `from` is in.
    const lastOpened = plus(from, (stories.length - 1) * 60).toISOString();
    const half = await call<{ incidents: number }>(
      t,
      `query($input: SlaPolicyTermsInput!, $from: DateTime!, $to: DateTime!) { slaWhatIf(input: $input, from: $from, to:
        $to) { incidents } }`,
      { input, from: from.toISOString(), to: lastOpened },
    );
    expect(half.incidents).toBe(stories.length - 1);

    // A range holding none of them.
    const empty = await call<{ incidents: number; resolution: { incidents: number; ratio: number | null }[] }>(
      t,
      `query($input: SlaPolicyTermsInput!) { slaWhatIf(input: $input, from: "2001-01-01T00:00:00Z", to:
        "2001-02-01T00:00:00Z") { incidents resolution { incidents ratio } } }`,
      { input },
    );
    expect(empty.incidents).toBe(0);
    expect(empty.resolution.every((row) => row.incidents === 0 && row.ratio === null)).toBe(true);
  });
});

describe('no N+1', () => {
  it('incidents { nodes { slaClocks { policyName } } } runs as many statements for 50 incidents as for 5', async () => {
    // Two policies and two versions among the incidents of each page.
    const cal = await calendar24x7(t);
    const STANDARD = targets({ 1: [15, 240], 2: [30, 480], 3: [120, 1440], 4: [480, 4320], 5: [1440, 10080] });
    const p = await createPolicy(t, { calendarId: cal, targets: STANDARD });
    const service = await createService(t);
    await setServicePolicy(t, service.id, p.id);

    /** `count` incidents opened a minute apart from `ago` minutes ago; the filter selecting them. */
    async function page(count: number, ago: number) {
      const base = minutesAgo(ago);
      for (let i = 0; i < count; i++) {
        // P5 opened some hours ago: not at risk, so the other lists are not crowded.
        const inc = await openIncident(t, plus(base, i), 5, i % 2 ? { serviceId: service.id } : {});
        if (i === Math.floor(count / 2))
          await updatePolicy(t, p.id, { calendarId: cal, targets: STANDARD, pauseHoldReasons: ['AWAITING_USER'] });
        if (i % 3 === 0) await acknowledge(t, inc.id, plus(base, i + 1));
      }
      return { openedFrom: base.toISOString(), openedTo: plus(base, count).toISOString() };
    }
    // Ranges no other test of this file opens incidents in.
    const small = await page(5, 520);
    const large = await page(50, 630);

    const Q = `query($filter: IncidentFilter) { incidents(first: 50, filter: $filter) { totalCount nodes { id number slaClocks {
      target policyName policyVersion priority targetMinutes elapsedMinutes verdict segments { state holdReason from to } } } } }`;
    const run = async (filter: Record<string, string>) => {
      const r = await t.gql<{ incidents: { nodes: SlaIncident[] } }>(Q, { filter });
      const d = ok(r);
      return {
        count: d.incidents.nodes.length,
        policies: new Set<string>(d.incidents.nodes.flatMap((n) => n.slaClocks.map((c) => `${c.policyName} v${c.policyVersion}`))),
        nodes: d.incidents.nodes,
        statements: r.extensions?.sqlStatements,
      };
    };
    const five = await run(small);
    const fifty = await run(large);
    expect(five.count).toBe(5);
    expect(fifty.count).toBe(50);
    for (const n of [...five.nodes, ...fifty.nodes]) expect(n.slaClocks.map((c) => c.target).sort()).toEqual(['RESOLUTION', 'RESPONSE']);
    // Both pages mix the default policy with two versions of the service's policy.
    expect(five.policies.size).toBe(3);
    expect(fifty.policies.size).toBe(3);
    expect(typeof five.statements).toBe('number');
    expect(fifty.statements).toBe(five.statements);

    // The work queue of a service: 25 incidents cost what 2 do.
    const wq = async (serviceId: string) =>
      (await t.gql(`query($s: ID!) { workQueue(serviceId: $s) { id slaClocks { policyName verdict } } }`, { s: serviceId })).extensions
        ?.sqlStatements;
    const tiny = await createService(t);
    await setServicePolicy(t, tiny.id, p.id);
    for (let i = 0; i < 2; i++) await openIncident(t, minutesAgo(10), 5, { serviceId: tiny.id });
    expect(await wq(service.id)).toBe(await wq(tiny.id));
  });

  it('slaPolicies { current versions { calendar } } runs as many statements for 8 policies on 8 calendars as for 2', async () => {
    const Q = `{ slaPolicies { id name current { id calendar { id name } } versions { version timeZone calendar { id name timeZone }
      policy { id } } } }`;
    const STANDARD = targets({ 1: [15, 240], 2: [30, 480], 3: [120, 1440], 4: [480, 4320], 5: [1440, 10080] });
    const addPolicy = async () => {
      const c = await createCalendar(t, { timeZone: 'Europe/Berlin', weeklyHours: officeHours() });
      const p = await createPolicy(t, { calendarId: c.id, targets: STANDARD });
      await updatePolicy(t, p.id, { calendarId: c.id, targets: STANDARD, pauseHoldReasons: [] });
    };
    const count = async () => {
      const r = await t.gql<{ slaPolicies: { name: string; versions: { version: number; calendar: { id: string } | null }[] }[] }>(Q);
      const d = ok(r);
      for (const p of d.slaPolicies) for (const v of p.versions) expect(v.calendar, `${p.name} v${v.version}`).not.toBeNull();
      return { policies: d.slaPolicies.length, statements: r.extensions?.sqlStatements };
    };
    await addPolicy();
    const few = await count();
    for (let i = 0; i < 6; i++) await addPolicy();
    const many = await count();
    expect(many.policies).toBe(few.policies + 6);
    expect(many.statements).toBe(few.statements);
  });
});
