import { REVIEW_SECTION_LABELS, type ReviewSection } from '@ikb/domain';
import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { ActionItems } from '@/components/reviews/action-items';
import { ContributingFactors } from '@/components/reviews/contributing-factors';
import { FiveWhysEditor } from '@/components/reviews/five-whys-editor';
import { ReviewFieldsForm } from '@/components/reviews/review-fields-form';
import { ReviewIncidents } from '@/components/reviews/review-incidents';
import { ReviewInvitationForm } from '@/components/reviews/review-invitation-form';
import { ReviewStatusActions } from '@/components/reviews/review-status-actions';
import { TimelineCuration } from '@/components/reviews/timeline-curation';
import { Markdown } from '@/components/markdown';
import { Timeline } from '@/components/timeline';
import { ErrorBox, NotAllowed, StatusBadge } from '@/components/ui';
import { LookupsDocument, ReviewDetailDocument, TrackerTargetsDocument } from '@/gql/graphql';
import { formatDateTime, humanize } from '@/lib/format';
import { getMe, gql, may, notFoundIfMissing } from '@/lib/server';

export const metadata: Metadata = { title: 'Review' };

/** Where on the page each required section is filled in. */
const SECTION_ANCHORS: Record<ReviewSection, string> = {
  SUMMARY: 'summary',
  CUSTOMER_IMPACT: 'summary',
  TIMELINE: 'timeline',
  CONTRIBUTING_FACTORS: 'factors',
  FIVE_WHYS: 'whys',
  ROOT_CAUSE: 'whys',
  WENT_WELL: 'summary',
  WENT_BADLY: 'summary',
  LESSONS: 'summary',
  ACTION_ITEMS: 'actions',
};

function Section({ id, title, missing, children }: { id: string; title: string; missing?: boolean; children: React.ReactNode }) {
  return (
    <section className="panel" aria-labelledby={`${id}-h`} id={id}>
      <div className="panel-head">
        <h2 id={`${id}-h`}>{title}</h2>
        {missing ? <span className="badge priority-2">Required, still empty</span> : null}
      </div>
      {children}
    </section>
  );
}

export default async function ReviewPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const [res, lookups] = await Promise.all([gql(ReviewDetailDocument, { id }), gql(LookupsDocument)]);
  notFoundIfMissing(res);
  if (res.error !== undefined) return <ErrorBox title="The review could not be loaded" message={res.error} />;
  const r = res.data.review;
  if (!r) notFound();
  const [knowledge, moveItems, me, canPush] = await Promise.all([
    may('updateReview'),
    may('setActionItemStatus'),
    getMe(),
    may('pushActionItem'),
  ]);
  const targets = canPush ? ((await gql(TrackerTargetsDocument)).data?.trackerTargets ?? []) : [];
  // Engineers move only the action items they own (the API checks it too).
  const movableBy = me.data?.role === 'ENGINEER' ? (me.data.user?.id ?? null) : undefined;
  const editable = r.status !== 'PUBLISHED' && knowledge;
  const missing = new Set<string>(r.missingSections);
  const users = lookups.data?.users ?? [];
  const timeline = r.timeline;
  return (
    <>
      <div className="page-header">
        <div>
          <div className="eyebrow">{r.number}</div>
          <h1>{r.title}</h1>
          <div className="actions">
            <StatusBadge status={r.status} />
            {r.template ? <span className="badge">Template: {r.template.name}</span> : null}
            {r.publishedAt ? <span className="muted small">published {formatDateTime(r.publishedAt)}</span> : null}
          </div>
        </div>
        <div className="page-actions">
          <a className="btn plain" href={`/reviews/${r.id}/export`} download>
            Export Markdown
          </a>
        </div>
      </div>
      {lookups.error !== undefined ? <ErrorBox title="Users could not be loaded" message={lookups.error} /> : null}

      <div className="grid-2">
        <div>
          <Section id="summary" title="Summary and impact" missing={missing.has('SUMMARY') || missing.has('CUSTOMER_IMPACT')}>
            {editable ? (
              <ReviewFieldsForm
                users={users}
                templates={res.data.reviewTemplates.map((t) => ({
                  id: t.id,
                  name: `${t.name}${t.isDefault ? ' (default)' : t.majorOnly ? ' (major incidents)' : ''}`,
                }))}
                r={{
                  id: r.id,
                  title: r.title,
                  summary: r.summary,
                  customerImpact: r.customerImpact,
                  usersAffected: r.usersAffected,
                  wentWell: r.wentWell,
                  wentBadly: r.wentBadly,
                  lessons: r.lessons,
                  meetingAt: r.meetingAt,
                  meetingMinutes: r.meetingMinutes,
                  meetingLocation: r.meetingLocation,
                  facilitatorId: r.facilitator?.id,
                  templateId: r.template?.id,
                  participantIds: r.participants.flatMap((p) => (p.user ? [p.user.id] : [])),
                  externalParticipants: r.participants.filter((p) => !p.user).map((p) => p.name),
                }}
              />
            ) : (
              <>
                <h3>Summary</h3>
                <p className="prewrap">{r.summary || '—'}</p>
                <h3>Customer impact</h3>
                <p className="prewrap">{r.customerImpact || '—'}</p>
                <h3>What went well</h3>
                <p className="prewrap">{r.wentWell || '—'}</p>
                <h3>What went badly</h3>
                <p className="prewrap">{r.wentBadly || '—'}</p>
                <h3>Lessons</h3>
                <p className="prewrap">{r.lessons || '—'}</p>
                <p className="small muted">Participants: {r.participants.map((p) => p.name).join(', ') || '—'}</p>
              </>
            )}
            {editable && (missing.has('WENT_WELL') || missing.has('WENT_BADLY') || missing.has('LESSONS')) ? (
              <p className="small muted">
                Still required:{' '}
                {['WENT_WELL', 'WENT_BADLY', 'LESSONS']
                  .filter((s) => missing.has(s))
                  .map((s) => REVIEW_SECTION_LABELS[s as ReviewSection])
                  .join(', ')}
                .
              </p>
            ) : null}
          </Section>

          <Section id="timeline" title="Timeline" missing={missing.has('TIMELINE')}>
            <p className="small muted">
              Assembled from the incidents&apos; events. Star what matters, hide noise, annotate, or add what the tools did not record.
            </p>
            <TimelineCuration reviewId={r.id} items={timeline} editable={editable} />
          </Section>

          <Section id="factors" title="Contributing factors" missing={missing.has('CONTRIBUTING_FACTORS')}>
            <ContributingFactors
              reviewId={r.id}
              factors={r.contributingFactors}
              categories={res.data.factorCategories}
              timeline={timeline}
              editable={editable}
            />
          </Section>

          <Section id="whys" title="Five whys and root cause" missing={missing.has('FIVE_WHYS') || missing.has('ROOT_CAUSE')}>
            {r.problem ? (
              <p>
                Root cause:{' '}
                <Link href={`/problems/${encodeURIComponent(r.problem.number)}`}>
                  {r.problem.number} {r.problem.title}
                </Link>{' '}
                <StatusBadge status={r.problem.status} />
                {r.problem.rootCause ? <span className="muted small"> — {r.problem.rootCause}</span> : null}
              </p>
            ) : null}
            {editable ? (
              <FiveWhysEditor key={r.problem?.id ?? 'none'} reviewId={r.id} whys={r.fiveWhys} problem={r.problem} editable />
            ) : r.fiveWhys.length ? (
              <ol className="five-whys">
                {r.fiveWhys.map((w, n) => (
                  <li key={n}>
                    <strong>{w.why}</strong>
                    <Markdown source={w.answer} />
                  </li>
                ))}
              </ol>
            ) : (
              <p className="empty">No five whys recorded.</p>
            )}
          </Section>

          <Section id="actions" title="Action items" missing={missing.has('ACTION_ITEMS')}>
            <ActionItems
              reviewId={r.id}
              items={r.actionItems}
              users={users}
              problemId={r.problem?.id}
              editable={moveItems}
              onlyOwnedBy={movableBy}
              canAdd={editable}
              canRemove={knowledge && r.status !== 'PUBLISHED'}
              targets={targets}
              canPush={canPush}
            />
            {r.recurrencesAfterActions != null ? (
              <p className="small muted">
                {r.recurrencesAfterActions} incidents of the root-cause problem opened after the last action item was done.
              </p>
            ) : null}
          </Section>
        </div>
        <div>
          <section className="panel" aria-labelledby="pub-h">
            <h2 id="pub-h">Publishing</h2>
            {r.status === 'PUBLISHED' ? (
              <p className="ok-box">Published {formatDateTime(r.publishedAt)}. Content is read-only; action items can still move.</p>
            ) : r.missingSections.length ? (
              <div className="missing" id="missing-sections">
                <strong>{r.status === 'DRAFT' ? 'Fill in before sending to review:' : 'Missing before publishing:'}</strong>
                <ul>
                  {r.missingSections.map((s) => (
                    <li key={s}>
                      <a href={`#${SECTION_ANCHORS[s as ReviewSection]}`}>{REVIEW_SECTION_LABELS[s as ReviewSection]}</a>
                    </li>
                  ))}
                </ul>
              </div>
            ) : (
              <p className="ok-box">All required sections are filled.</p>
            )}
            {knowledge ? (
              <ReviewStatusActions id={r.id} number={r.number} status={r.status} missing={r.missingSections} />
            ) : (
              <NotAllowed what="edit or publish reviews (problem managers and admins can)" />
            )}
            {r.template ? (
              <p className="small muted">
                Template {r.template.name} requires: {r.template.requiredSections.map(humanize).join(', ')}.
              </p>
            ) : null}
          </section>
          <section className="panel" aria-labelledby="invite-h" id="invitation">
            <h2 id="invite-h">Meeting invitation</h2>
            {knowledge ? (
              <ReviewInvitationForm r={r} />
            ) : (
              <NotAllowed what="send the meeting invitation (problem managers and admins can)" />
            )}
          </section>
          <section className="panel" aria-labelledby="inc-h">
            <h2 id="inc-h">Incidents covered</h2>
            <ReviewIncidents reviewId={r.id} incidents={r.incidents} editable={editable} />
          </section>
          <section className="panel" aria-labelledby="hist-h">
            <h2 id="hist-h">History</h2>
            <Timeline events={r.history} label="Review history" />
          </section>
        </div>
      </div>
    </>
  );
}
