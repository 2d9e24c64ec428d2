import type { EntityManager } from '@mikro-orm/postgresql';
import {
  codeLabel,
  isOverdue,
  listInWords,
  missingSections,
  statusMovesInWords,
  valueInSentence,
  valueLabel,
  type ReviewSection,
} from '@ikb/domain';
import { User } from '../directory/user.entity';
import { formatIncidentNumber, Incident } from '../incidents/incident.entity';
import { formatProblemNumber, Problem } from '../problems/problem.entity';
import { assembleTimeline } from './review-timeline';
import { impactFacts } from './review-impact';
import { ActionItem, ContributingFactor, FactorCategory, formatReviewNumber, type Review } from './review.entity';
import { reviewContent, templateFor } from './review.service';

const PRIORITY = ['', 'P1 Critical', 'P2 High', 'P3 Moderate', 'P4 Low', 'P5 Planning'];
const iso = (d: Date | null | undefined) => (d ? d.toISOString().replace('T', ' ').slice(0, 16) + ' UTC' : '—');
const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');
const block = (s: string) => (s.trim() ? s.trim() : '_Not filled in._');
const duration = (m: number) => (m >= 60 ? `${Math.floor(m / 60)} h ${m % 60} min` : `${m} min`);

/** The whole review as one Markdown document a reader needs nothing else to understand. */
export async function reviewMarkdown(em: EntityManager, r: Review, today = new Date().toISOString().slice(0, 10)): Promise<string> {
  const incidents = await em
    .execute<Record<string, unknown>[]>(
      `select i.* from review_incidents ri join incidents i on i.id = ri.incident_id where ri.review_id = ? order by i.opened_at`,
      [r.id],
    )
    .then((rows) => rows.map((row) => em.map(Incident, row)));
  const [timeline, factors, categories, items, impact, template, content] = await Promise.all([
    assembleTimeline(em, r.id),
    em.find(ContributingFactor, { reviewId: r.id }, { orderBy: { createdAt: 'asc' } }),
    em.find(FactorCategory, {}),
    em.find(ActionItem, { reviewId: r.id }, { orderBy: [{ priority: 'asc' }, { dueDate: 'asc' }] }),
    impactFacts(em, r.id),
    templateFor(em, r),
    reviewContent(em, r),
  ]);
  const userIds = [r.facilitatorId, ...items.map((i) => i.ownerId), ...r.participants.map((p) => p.userId)].filter((x): x is string => !!x);
  const users = new Map((await em.find(User, { id: { $in: userIds } })).map((u) => [u.id, u.name]));
  const problem = r.problemId ? await em.findOne(Problem, { id: r.problemId }) : null;
  const serviceNames = new Map(
    (
      await em.execute<{ id: string; name: string }[]>(
        `select id, name from services where id in (select service_id from incidents where id in (select incident_id from review_incidents
          where review_id = ?))`,
        [r.id],
      )
    ).map((s) => [s.id, s.name]),
  );
  const catName = new Map(categories.map((c) => [c.key, c.name]));
  const entryLabel = new Map(timeline.map((e, i) => [e.id, `#${i + 1}`]));

  const out: string[] = [];
  out.push(`# ${formatReviewNumber(r.seqNumber)}: ${r.title}`, '');
  out.push(`- **Status:** ${valueLabel(r.status)}${r.publishedAt ? ` (published ${iso(r.publishedAt)})` : ''}`);
  out.push(`- **Facilitator:** ${r.facilitatorId ? (users.get(r.facilitatorId) ?? 'unknown') : '—'}`);
  out.push(`- **Participants:** ${r.participants.length ? r.participants.map((p) => p.name).join(', ') : '—'}`);
  out.push(`- **Meeting:** ${iso(r.meetingAt)}`);
  out.push(`- **Template:** ${template?.name ?? 'none'}`);
  const missing = missingSections(content, (template?.requiredSections ?? []) as ReviewSection[]);
  if (missing.length) out.push(`- **Missing sections:** ${listInWords(missing.map(codeLabel))}`);
  out.push('');

  out.push('## Incidents', '', '| Incident | Title | Service | Priority | Opened | Resolved |', '| --- | --- | --- | --- | --- | --- |');
  for (const i of incidents) {
    out.push(
      `| ${formatIncidentNumber(i.seqNumber)} | ${cell(i.title)} | ${i.serviceId ? cell(serviceNames.get(i.serviceId) ?? '') : '—'} | ` +
        `${PRIORITY[i.priority]}${i.major ? ', major' : ''} | ${iso(i.openedAt)} | ${iso(i.resolvedAt)} |`,
    );
  }
  out.push('', '## Summary', '', block(r.summary), '');

  out.push('## Customer impact', '');
  out.push(`- **Users affected:** ${r.usersAffected ?? 'not known'}`);
  out.push(
    `- **Duration of impact:** ${duration(r.impactMinutes ?? impact.computedMinutes)}${
      r.impactMinutes !== null
        ? ' (entered by the reviewers)'
        : ` (from ${iso(impact.firstImpactAt)} to ${impact.restoredAt ? iso(impact.restoredAt) : 'not yet restored'})`
    }`,
  );
  out.push(`- **SLA breaches:** ${impact.slaBreaches}`);
  if (r.customerImpact.trim()) out.push('', r.customerImpact.trim());
  out.push('');

  out.push('## Timeline', '');
  if (!timeline.length) out.push('_No entries._');
  else {
    out.push('| # | Time | Incident | What happened | By | Note |', '| --- | --- | --- | --- | --- | --- |');
    timeline.forEach((e, i) => {
      out.push(
        `| ${i + 1}${e.starred ? ' ★' : ''} | ${iso(e.at)} | ${e.incidentNumber ?? '—'} | ${cell(statusMovesInWords(e.summary))} | ` +
          `${cell(e.actorName ?? '—')} | ${cell(e.annotation ?? '')} |`,
      );
    });
  }
  out.push('');

  out.push('## Contributing factors', '');
  if (!factors.length) out.push('_None recorded._');
  for (const f of factors) {
    const ev = f.evidence.map((id) => entryLabel.get(id) ?? '(hidden entry)').join(', ');
    out.push(`- **${catName.get(f.categoryKey) ?? f.categoryKey}:** ${f.description.trim()}${ev ? ` (evidence: timeline ${ev})` : ''}`);
  }
  out.push('');

  out.push('## Five whys', '');
  if (!r.fiveWhys.length) out.push('_Not done._');
  r.fiveWhys.forEach((w, i) => out.push(`${i + 1}. **${w.why}** ${w.answer}`));
  out.push('');

  out.push('## Root cause', '');
  if (problem) {
    out.push(
      `${formatProblemNumber(problem.seqNumber)}: ${problem.title} (${valueLabel(problem.status)}, ` +
        `${valueInSentence(problem.rootCauseCategory)})`,
      '',
    );
    out.push(block(problem.rootCause ?? ''));
  } else out.push('_No problem linked._');
  out.push('');

  out.push(
    '## What went well',
    '',
    block(r.wentWell),
    '',
    '## What went badly',
    '',
    block(r.wentBadly),
    '',
    '## Lessons',
    '',
    block(r.lessons),
    '',
  );

  out.push('## Action items', '');
  if (!items.length) out.push('_None._');
  else {
    out.push('| Action | Kind | Priority | Owner | Due | Status |', '| --- | --- | --- | --- | --- | --- |');
    for (const a of items) {
      const status = `${valueLabel(a.status)}${
        a.status === 'WONT_DO' && a.wontDoReason ? `: ${cell(a.wontDoReason)}` : ''
      }${isOverdue(a, today) ? ' (overdue)' : ''}`;
      const owner = cell(users.get(a.ownerId) ?? 'unknown');
      out.push(`| ${cell(a.title)} | ${valueLabel(a.kind)} | ${a.priority} | ${owner} | ${a.dueDate} | ${status} |`);
    }
  }
  out.push('');
  return out.join('\n');
}
