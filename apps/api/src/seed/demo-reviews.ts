import type { EntityManager } from '@mikro-orm/postgresql';
import type { Actor } from '../graphql/actor';
import type { User } from '../features/directory/user.entity';
import { assembleTimeline } from '../features/reviews/review-timeline';
import { ReviewService } from '../features/reviews/review.service';
import type { Story } from './demo-data';
import type { Random } from './random';

const STANDARD_TEMPLATE_ID = '00000000-0000-4000-8000-00000000b002';
const DAY = 86_400_000;

const FACTOR_BY_CODE: Record<string, string> = {
  ROLLBACK: 'CHANGE',
  CONFIG: 'CHANGE',
  CODE_FIX: 'TESTING',
  VENDOR: 'DEPENDENCY',
  CAPACITY: 'CAPACITY',
  NTP_RESYNC: 'MONITORING_GAP',
  CERT_RENEW: 'MONITORING_GAP',
  RERUN: 'CAPACITY',
  RATE_LIMIT: 'CAPACITY',
};

/**
 * A published review of one incident, written the way a problem manager would: impact, a factor
 * with evidence from the timeline, five whys ending in the story's problem (or the standard
 * template when there is none), and an action item that is done, open, or overdue by now.
 */
export async function writeReview(
  em: EntityManager,
  o: { incidentId: string; story: Story; problemId: string | null; facilitator: Actor; owner: User; at: Date; rnd: Random; until: Date },
): Promise<void> {
  const svc = (at: Date) => new ReviewService(em, o.facilitator, { now: at });
  const review = await svc(o.at).create({
    title: `Review: ${o.story.title}`,
    incidentIds: [o.incidentId],
    facilitatorId: o.facilitator.id ?? undefined,
    meetingAt: o.at,
  });
  await svc(o.at).update(review.id, {
    participants: [{ userId: o.owner.id }, { name: 'Service desk lead' }],
    summary: `${o.story.description.split(';')[0]}. ${o.story.resolution}`,
    usersAffected: o.rnd.int(20, 5000),
    customerImpact: `${o.story.service} was degraded for its users until the fix below.`,
    wentWell: 'The on-call engineer found the cause quickly and stakeholders were updated on time.',
    wentBadly: 'Monitoring did not page before users reported the problem.',
    lessons: 'Alert on the symptom users see, and keep the workaround steps one click away.',
    templateId: o.problemId ? undefined : STANDARD_TEMPLATE_ID,
  });
  const timeline = await assembleTimeline(em, review.id);
  const evidence = timeline
    .filter((e) => e.kind === 'ACKNOWLEDGED' || e.kind === 'STATUS_CHANGED')
    .slice(0, 2)
    .map((e) => e.id);
  await svc(o.at).addFactor(review.id, {
    categoryKey: FACTOR_BY_CODE[o.story.code] ?? 'PROCESS',
    description: o.story.resolution,
    evidence,
  });
  await svc(o.at).setFiveWhys(review.id, {
    whys: [
      { why: `Why did ${o.story.service} fail?`, answer: o.story.description.split(';')[0]! },
      { why: 'Why was it not caught earlier?', answer: 'No alert covered this symptom.' },
      { why: 'Why was there no alert?', answer: 'The failure mode was not known when monitoring was set up.' },
    ],
    problemId: o.problemId ?? undefined,
  });
  const due = new Date(o.at.getTime() + o.rnd.int(10, 40) * DAY);
  const item = await svc(o.at).addActionItem(review.id, {
    title: `Add an alert for: ${o.story.title.toLowerCase()}`,
    ownerId: o.owner.id,
    dueDate: due.toISOString().slice(0, 10),
    kind: o.rnd.chance(0.5) ? 'DETECT' : 'PREVENT',
    priority: o.story.impact,
    problemId: o.problemId ?? undefined,
  });
  await svc(o.at).transition(review.id, 'PUBLISHED');
  // Most items get done, some on time and some late; a few are still open (overdue if past due).
  const doneAt = new Date(due.getTime() + o.rnd.int(-7, 5) * DAY);
  if (doneAt < o.until && o.rnd.chance(0.75)) await svc(doneAt < o.at ? o.at : doneAt).setActionItemStatus(item.id, { status: 'DONE' });
}
