import type { EntityManager } from '@mikro-orm/postgresql';
import type { Actor } from '../graphql/actor';
import { Category } from '../features/directory/category.entity';
import { Service } from '../features/directory/service.entity';
import { Team } from '../features/directory/team.entity';
import { User } from '../features/directory/user.entity';
import { Incident } from '../features/incidents/incident.entity';
import { IncidentService } from '../features/incidents/incident.service';
import { recomputeClocks } from '../features/sla/sla.engine';
import { SlaService } from '../features/sla/sla.service';
import { ProblemService } from '../features/problems/problem.service';
import { WorkaroundService } from '../features/workarounds/workaround.service';
import { ChecklistItem } from '../features/models/incident-model.entity';
import { IncidentModelService } from '../features/models/incident-model.service';
import { writeReview } from './demo-reviews';
import { hashPassword } from '../features/auth/passwords';
import { DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD } from './demo-account';
import { CATEGORIES, GERMAN_HOLIDAYS, MODEL_STORIES, PEOPLE, PROBLEM_STORIES, SERVICES, STORIES, TEAMS, type Story } from './demo-data';
import { seedLearningLoop } from './demo-learning';
import { demoSearchLog, writeDemoSearchLog } from './demo-searches';
import { Random } from './random';

const MIN = 60_000;
const DAY = 24 * 60 * MIN;

export interface SeedOptions {
  incidents?: number;
  seed?: number;
  /** The seeded year ends here (default: now). */
  until?: Date;
}

/**
 * A year of a mid-size company's incidents, replayed through the incident service at their
 * historical times so every record has a consistent timeline: the same code path as the API.
 */
export async function seedDemo(em: EntityManager, opts: SeedOptions = {}): Promise<string> {
  const rnd = new Random(opts.seed ?? 20261127);
  // The learning loop draws from its own sequence: the year's incidents stay what they were.
  const learning = new Random((opts.seed ?? 20261127) + 1);
  const count = opts.incidents ?? 360;
  const until = opts.until ?? new Date();
  const start = new Date(until.getTime() - 365 * DAY);

  const { summary, searches } = await em.transactional(async (tem) => {
    // Demo history, not news: no notifications (decision 0006).
    await tem.execute(`select set_config('ikb.notify', 'off', true)`);
    const teams = new Map<string, Team>();
    for (const t of TEAMS) {
      const team = tem.create(Team, { name: t.name, description: t.description, createdAt: start } as Team);
      teams.set(t.name, team);
    }
    const users: User[] = PEOPLE.map(([name, email, team, role]) =>
      tem.create(User, { name, email, role, teamId: teams.get(team)!.id, createdAt: start } as User),
    );
    // The demo's sign-in: printed by the API at start.
    const admin = tem.create(User, {
      name: 'Demo Admin',
      email: DEMO_ADMIN_EMAIL,
      role: 'ADMIN',
      passwordHash: await hashPassword(DEMO_ADMIN_PASSWORD),
      createdAt: start,
    } as User);
    const services = new Map<string, Service>();
    for (const s of SERVICES) {
      services.set(
        s.name,
        // Every demo service is on the public status page, so a new user sees it filled.
        tem.create(Service, {
          name: s.name,
          description: s.description,
          ownerTeamId: teams.get(s.team)!.id,
          public: true,
          createdAt: start,
        } as Service),
      );
    }
    const categories = new Map<string, Category>();
    for (const [parentName, children] of Object.entries(CATEGORIES)) {
      const parent = tem.create(Category, { name: parentName, parentId: null, createdAt: start } as Category);
      categories.set(parentName, parent);
      for (const child of children) {
        categories.set(`${parentName}/${child}`, tem.create(Category, { name: child, parentId: parent.id, createdAt: start } as Category));
      }
    }
    await tem.flush();

    const teamOf = (story: Story) => teams.get(SERVICES.find((s) => s.name === story.service)!.team)!;
    const membersOf = (team: Team) => users.filter((u) => u.teamId === team.id);
    const actorOf = (u: User): Actor => ({ id: u.id, name: u.name });
    const desk = membersOf(teams.get('Service Desk')!);
    const monitoring: Actor = { id: null, name: 'Prometheus Alertmanager' };

    // Workplace IT works office hours in Berlin: its services get their own SLA policy.
    const sla = new SlaService(tem);
    const office = await sla.createCalendar({
      name: 'Berlin office hours',
      timeZone: 'Europe/Berlin',
      weeklyHours: (['MON', 'TUE', 'WED', 'THU', 'FRI'] as const).map((day) => ({ day, start: '08:00', end: '18:00' })),
      holidays: GERMAN_HOLIDAYS,
    });
    const officePolicy = await sla.createPolicy({
      name: 'Workplace IT office hours',
      calendarId: office.id,
      isDefault: false,
      pauseHoldReasons: ['AWAITING_USER', 'AWAITING_VENDOR', 'AWAITING_CHANGE'],
      targets: [
        { priority: 1, responseMinutes: 30, resolutionMinutes: 240 },
        { priority: 2, responseMinutes: 60, resolutionMinutes: 600 },
        { priority: 3, responseMinutes: 240, resolutionMinutes: 1800 },
        { priority: 4, responseMinutes: 600, resolutionMinutes: 3000 },
        { priority: 5, responseMinutes: 1200, resolutionMinutes: 6000 },
      ],
    });
    for (const name of ['VPN', 'Corporate Email']) await sla.setServicePolicy(services.get(name)!.id, officePolicy.id);
    const replayed: { em: EntityManager; id: string }[] = [];

    // Problems behind the recurring stories, with their workarounds, as the problem managers left them.
    const manager: Actor = actorOf(users.find((u) => u.name === 'Priya Raman')!);
    const retirements: { workaroundId: string; at: Date }[] = [];
    const knowledge = new Map<
      string,
      { problemId: string; workaroundId: string | null; workaroundStatus: string | null; activeFrom: number }
    >();
    for (const ps of PROBLEM_STORIES) {
      const story = STORIES.find((x) => x.title === ps.story)!;
      const at = new Date(start.getTime() + 7 * DAY);
      const problems = new ProblemService(tem, manager, { now: at });
      const problem = await problems.create({
        title: ps.title,
        description: ps.description,
        keywords: ps.keywords,
        serviceId: services.get(story.service)!.id,
        categoryId: categories.get(story.category.join('/'))!.id,
        ownerId: manager.id!,
        analysisNotes: 'Raised after repeated incidents with the same symptom.',
      });
      let workaroundId: string | null = null;
      if (ps.workaround) {
        const w = await new WorkaroundService(tem, manager, { now: at }).create({
          title: ps.workaround.title,
          steps: ps.workaround.steps,
          status: ps.workaround.status === 'DRAFT' ? 'DRAFT' : 'ACTIVE',
          problemIds: [problem.id],
        });
        workaroundId = w.id;
      }
      const later = new ProblemService(tem, manager, { now: new Date(start.getTime() + ps.statusAfterDays * DAY) });
      if (ps.rootCause) await later.update(problem.id, { rootCause: ps.rootCause, rootCauseCategory: ps.rootCauseCategory });
      const path = {
        OPEN: [],
        KNOWN_ERROR: ['KNOWN_ERROR'],
        FIX_IN_PROGRESS: ['KNOWN_ERROR', 'FIX_IN_PROGRESS'],
        RESOLVED: ['KNOWN_ERROR', 'FIX_IN_PROGRESS', 'RESOLVED'],
      }[ps.status] as ('KNOWN_ERROR' | 'FIX_IN_PROGRESS' | 'RESOLVED')[];
      if (ps.fixChangeRef) await later.update(problem.id, { fixChangeRef: ps.fixChangeRef, fixDescription: ps.fixDescription });
      for (const to of path) await later.transition(problem.id, to);
      // Retired once the fix landed: retiring happens after the replay, so earlier incidents could still apply it.
      if (ps.workaround?.status === 'RETIRED' && workaroundId)
        retirements.push({ workaroundId, at: new Date(start.getTime() + ps.statusAfterDays * DAY) });
      knowledge.set(ps.story, {
        problemId: problem.id,
        workaroundId,
        workaroundStatus: ps.workaround?.status ?? null,
        activeFrom: start.getTime() + 7 * DAY,
      });
    }

    // Incident models for the stories that keep coming back, linked to their workarounds.
    const models = new Map<string, string>();
    for (const ms of MODEL_STORIES) {
      const story = STORIES.find((x) => x.title === ms.story)!;
      const known = knowledge.get(ms.story);
      const model = await new IncidentModelService(tem, manager, { now: new Date(start.getTime() + 10 * DAY) }).create({
        name: ms.name,
        description: ms.description,
        matchServiceId: services.get(story.service)!.id,
        matchCategoryId: categories.get(story.category.join('/'))!.id,
        matchKeywords: ms.keywords,
        defaultCategoryId: categories.get(story.category.join('/'))!.id,
        defaultImpact: story.impact,
        defaultUrgency: story.urgency,
        defaultTeamId: teamOf(story).id,
        checklist: ms.checklist,
        workaroundIds: known?.workaroundId && known.workaroundStatus === 'ACTIVE' ? [known.workaroundId] : [],
      });
      models.set(ms.story, model.id);
    }

    const opened: number[] = [];
    // Spread over the year, with a live backlog: about one in twelve falls in the last four days.
    for (let i = 0; i < count; i++) {
      const recent = rnd.chance(0.08);
      const from = recent ? until.getTime() - 4 * DAY : start.getTime();
      opened.push(from + rnd.next() * (until.getTime() - from - 30 * MIN));
    }
    opened.sort((a, b) => a - b);

    const tally: Record<string, number> = {};
    for (const openedMs of opened) {
      const story = rnd.weighted(STORIES);
      const team = teamOf(story);
      const engineer = rnd.pick(membersOf(team));
      const fromAlert = story.impact <= 2 && rnd.chance(0.45);
      const reporter = rnd.pick(users);
      let t = openedMs;
      const at = () => new Date(t);
      // A fresh identity map per incident (same transaction): otherwise every flush diffs the whole year.
      const iem = tem.fork({ keepTransactionContext: true });
      const svc = (actor: Actor) => new IncidentService(iem, actor, { now: at(), deferSla: true });
      const age = until.getTime() - openedMs;
      let published = false;
      const resolvedInPublic = async () => {
        if (published)
          await svc(actorOf(engineer)).addStakeholderUpdate(id, {
            message: 'Resolved: the service works normally again. A review will follow.',
            audience: 'customers',
            statusPage: true,
            publicState: 'RESOLVED',
            publicTitle: `${story.service} disruption`,
          });
      };

      const incident = await svc(fromAlert ? monitoring : actorOf(rnd.pick(desk))).log({
        title: story.title,
        description: story.description,
        source: fromAlert ? 'MONITORING' : 'USER_REPORT',
        reporterId: fromAlert ? undefined : reporter.id,
        detectedAt: new Date(openedMs - rnd.minutes(fromAlert ? 3 : 25) * MIN),
        openedAt: at(),
        major: story.impact === 1 && story.urgency === 1 && rnd.chance(0.6),
        // The desk (or the alert) says how bad it is when logging: no incident waits at the 3 x 3 default.
        impact: story.impact,
        urgency: story.urgency,
      });
      const id = incident.id;
      replayed.push({ em: iem, id });
      const step = (median: number) => {
        t = Math.min(t + rnd.minutes(median) * MIN, until.getTime() - MIN);
      };
      // Recent incidents are still being worked on; older ones went the whole way.
      const stage = age < 2 * DAY ? rnd.int(0, 5) : age < 10 * DAY ? rnd.int(3, 7) : 7;

      if (age < DAY && rnd.chance(0.5)) {
        tally.NEW = (tally.NEW ?? 0) + 1;
        // Urgent ones go to the owning team's engineer at once (no random draw: the rest of the year stays as it was).
        if (story.impact === 1 || story.urgency === 1)
          await svc(actorOf(desk[0]!)).assign(id, { teamId: team.id, assigneeId: engineer.id });
        continue;
      }
      step(8);
      await svc(actorOf(rnd.pick(desk))).classify(id, {
        impact: story.impact,
        urgency: rnd.chance(0.8) ? story.urgency : (Math.min(3, story.urgency + 1) as 1 | 2 | 3),
        serviceId: services.get(story.service)!.id,
        categoryId: categories.get(story.category.join('/'))!.id,
      });
      if (stage === 0) {
        tally.TRIAGED = (tally.TRIAGED ?? 0) + 1;
        if (story.impact === 1 || story.urgency === 1)
          await svc(actorOf(desk[0]!)).assign(id, { teamId: team.id, assigneeId: engineer.id });
        continue;
      }

      step(5);
      await svc(actorOf(rnd.pick(desk))).assign(id, { teamId: team.id, assigneeId: engineer.id });
      step(story.impact === 1 ? 6 : 25);
      await svc(actorOf(engineer)).acknowledge(id, at());
      step(10);
      await svc(actorOf(engineer)).transition(id, { to: 'INVESTIGATING', occurredAt: at() });
      const modelId = models.get(story.title);
      if (modelId && t > start.getTime() + 10 * DAY && rnd.chance(0.7)) {
        step(5);
        const modelSvc = new IncidentModelService(iem, actorOf(engineer), { now: at() });
        const applied = await modelSvc.apply(id, modelId);
        const steps = await iem.find(ChecklistItem, { incidentId: applied.id }, { orderBy: { position: 'asc' } });
        for (const item of steps.slice(0, rnd.int(1, steps.length))) {
          step(10);
          await new IncidentModelService(iem, actorOf(engineer), { now: at() }).setChecklistItemDone(item.id, true);
        }
      }
      if (stage === 1) {
        tally.INVESTIGATING = (tally.INVESTIGATING ?? 0) + 1;
        continue;
      }

      if (story.impact === 1 || (story.impact === 2 && rnd.chance(0.4))) {
        step(20);
        // Customer-facing outages (P1) go on the status page too, and say so again when resolved.
        published = story.impact === 1;
        await svc(actorOf(engineer)).addStakeholderUpdate(id, {
          message: `Investigating: ${story.description.split(';')[0]}. Next update in 30 minutes.`,
          audience: story.impact === 1 ? 'customers and executives' : 'affected teams',
          ...(published ? { statusPage: true, publicState: 'INVESTIGATING' as const, publicTitle: `${story.service} disruption` } : {}),
        });
      }
      if (story.impact === 1 && rnd.chance(0.5)) {
        step(15);
        await svc(actorOf(engineer)).recordEscalation(id, {
          kind: 'HIERARCHICAL',
          reason: 'Customer-facing outage beyond 30 minutes; incident manager engaged.',
        });
      }
      if (rnd.chance(0.15)) {
        const other = rnd.pick([...teams.values()].filter((x) => x.id !== team.id));
        step(30);
        await svc(actorOf(engineer)).recordEscalation(id, {
          kind: 'FUNCTIONAL',
          reason: 'Needs the owning team of the dependency.',
          toTeamId: other.id,
        });
      }
      if (story.impact === 1 && story.urgency === 1 && rnd.chance(0.1)) {
        step(20);
        await svc(actorOf(engineer)).triggerDisasterRecovery(id, {
          plan: `${story.service} regional failover`,
          reason: 'Primary region unhealthy for over 45 minutes.',
        });
      }
      if (stage === 2 || rnd.chance(0.2)) {
        step(40);
        await svc(actorOf(engineer)).transition(id, {
          to: 'ON_HOLD',
          holdReason: rnd.pick(['AWAITING_USER', 'AWAITING_VENDOR', 'AWAITING_CHANGE'] as const),
          occurredAt: at(),
        });
        if (stage === 2) {
          tally.ON_HOLD = (tally.ON_HOLD ?? 0) + 1;
          continue;
        }
        step(180);
        await svc(actorOf(engineer)).transition(id, { to: 'INVESTIGATING', note: 'Information received; resuming.', occurredAt: at() });
      }

      if (story.change) {
        step(30);
        await svc(actorOf(engineer)).recordConfigurationChange(id, {
          configurationItem: story.change[0],
          description: story.change[1],
          changeRef: `CHG${rnd.int(10000, 99999)}`,
        });
      }
      const known = knowledge.get(story.title);
      const activeWorkaround =
        known?.workaroundId &&
        known.workaroundStatus !== 'DRAFT' &&
        t > known.activeFrom &&
        (known.workaroundStatus === 'ACTIVE' || t < start.getTime() + 200 * DAY);
      let restoredBy: string | undefined;
      if (activeWorkaround && rnd.chance(0.75)) {
        step(15);
        await new WorkaroundService(iem, actorOf(engineer), { now: at() }).apply(id, known!.workaroundId!);
        if (rnd.chance(0.85)) restoredBy = known!.workaroundId!;
      }
      step(story.impact === 1 ? 60 : 240);
      await svc(actorOf(engineer)).addTimeEntry(id, {
        activity: 'diagnosis',
        minutes: Math.min(1440, rnd.minutes(45)),
        billable: rnd.chance(0.3),
        rateCents: 9500,
        userId: engineer.id,
        performedAt: at(),
      });
      await svc(actorOf(engineer)).transition(id, {
        to: 'RESOLVED',
        resolutionKind: restoredBy ? 'WORKAROUND' : story.kind,
        resolutionCode: story.code,
        resolutionNotes: story.resolution,
        occurredAt: at(),
        workaroundId: restoredBy,
      });
      await resolvedInPublic();
      if (known && t > known.activeFrom && rnd.chance(0.9)) {
        step(60);
        await new ProblemService(iem, manager, { now: at() }).linkIncident(id, known.problemId);
      }
      if (stage === 3) {
        tally.RESOLVED = (tally.RESOLVED ?? 0) + 1;
        continue;
      }

      if (rnd.chance(0.06)) {
        step(300);
        await svc(actorOf(rnd.pick(desk))).transition(id, {
          to: 'INVESTIGATING',
          note: 'User reports the fault is back.',
          occurredAt: at(),
        });
        step(240);
        await svc(actorOf(engineer)).transition(id, {
          to: 'RESOLVED',
          resolutionKind: 'PERMANENT_FIX',
          resolutionCode: story.code,
          resolutionNotes: `${story.resolution} Second fix applied after the reopen.`,
          occurredAt: at(),
        });
      }
      if (stage <= 4) {
        tally.RESOLVED = (tally.RESOLVED ?? 0) + 1;
        continue;
      }
      step(1800);
      await svc(actorOf(rnd.pick(desk))).transition(id, { to: 'CLOSED', userConfirmed: rnd.chance(0.85), occurredAt: at() });
      const reviewed = (incident.major || story.impact === 1) && age > 14 * DAY && rnd.chance(0.7);
      if (!reviewed || stage < 7) {
        tally.CLOSED = (tally.CLOSED ?? 0) + 1;
        continue;
      }
      step(4 * 1440);
      // A post-incident review, published: publishing moves the incident to REVIEWED.
      await writeReview(iem, {
        incidentId: id,
        story,
        problemId: known?.problemId ?? null,
        facilitator: manager,
        owner: engineer,
        at: at(),
        rnd,
        until,
      });
      tally.REVIEWED = (tally.REVIEWED ?? 0) + 1;
    }
    for (const r of retirements) await new WorkaroundService(tem, manager, { now: r.at }).setStatus(r.workaroundId, 'RETIRED');
    // Clocks were deferred during the replay: build each incident's once, from its whole timeline.
    for (const { em: iem, id } of replayed) {
      const incident = await iem.findOneOrFail(Incident, { id });
      await recomputeClocks(iem, incident, until);
      await iem.flush();
    }
    await seedLearningLoop({
      em: tem,
      rnd: learning,
      start,
      until,
      users,
      teams,
      services,
      categories,
      officeCalendarId: office.id,
      knowledge,
      models,
      manager,
      admin: { id: admin.id, name: admin.name, role: 'ADMIN' },
    });
    const searches = await demoSearchLog(tem, learning, users, until);
    const parts = Object.entries(tally).map(([k, v]) => `${v} ${k.toLowerCase()}`);
    return {
      searches,
      summary:
        `${teams.size} teams, ${users.length} users, ${services.size} services, ${categories.size} categories, ${count} incidents ` +
        `(${parts.join(', ')}), ${searches.searches.length} recorded searches`,
    };
  });
  // Written once the incidents they name are committed (the recorder's writes use a connection of their own).
  await writeDemoSearchLog(em, searches);
  return summary;
}
