// What the incident taught: workarounds applied, its problem, knowledge made from it, reviews.
import Link from 'next/link';
import { IfAllowed } from '@/components/if-allowed';
import { HelpedButtons } from '@/components/knowledge/helped-buttons';
import { StartReviewButton } from '@/components/reviews/start-review-button';
import { Disclosure, StatusBadge } from '@/components/ui';
import type { KnowledgePanelFragment } from '@/gql/graphql';
import { formatDateTime } from '@/lib/format';
import { CreateModelFromIncidentForm } from './create-model-from-incident-form';
import { CreateProblemFromIncidentForm } from './create-problem-from-incident-form';
import { CreateWorkaroundFromIncidentForm } from './create-workaround-from-incident-form';
import { ProblemLinkForm } from './problem-link-form';

export function KnowledgePanel({
  incident: i,
  open,
  work,
  knowledge,
  review,
}: {
  incident: KnowledgePanelFragment;
  /** Still open: knowledge is made from an incident once it is resolved. */
  open: boolean;
  /** May link the incident to a problem. */
  work: boolean;
  /** May open problems, write workarounds and make models from the incident. */
  knowledge: boolean;
  /** May start a review. */
  review: boolean;
}) {
  const mine = (kind: string, itemId: string) => i.myKnowledgeFeedback.find((f) => f.kind === kind && f.itemId === itemId) ?? null;
  // One vote per item, however often it was applied here.
  const applied = [...new Map(i.workaroundApplications.map((a) => [a.workaround.id, a.workaround])).values()];
  return (
    <section className="panel" aria-labelledby="know-h">
      <h2 id="know-h">Knowledge</h2>
      <h3>Workarounds applied</h3>
      {i.workaroundApplications.length ? (
        <ul className="card-list">
          {i.workaroundApplications.map((a) => (
            <li key={a.id}>
              <Link href={`/workarounds/${a.workaround.id}`}>{a.workaround.title}</Link>
              <div className="muted small">
                {formatDateTime(a.appliedAt)} by {a.appliedByName}
                {a.restoredService == null ? '' : a.restoredService ? ' · restored service' : ' · did not restore service'}
              </div>
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted small">None yet.</p>
      )}
      {applied.length || i.model ? (
        <IfAllowed op="giveKnowledgeFeedback">
          <ul className="card-list" aria-label="Did it help?">
            {applied.map((w) => (
              <li key={w.id}>
                <span className="small">{w.title}</span>
                <HelpedButtons
                  kind="WORKAROUND"
                  itemId={w.id}
                  incidentId={i.id}
                  context="APPLIED"
                  title={w.title}
                  current={mine('WORKAROUND', w.id)}
                />
              </li>
            ))}
            {i.model ? (
              <li>
                <span className="small">
                  Model <Link href={`/models/${i.model.model.id}`}>{i.model.model.name}</Link> (version {i.model.version})
                </span>
                <HelpedButtons
                  kind="MODEL"
                  itemId={i.model.model.id}
                  incidentId={i.id}
                  context="APPLIED"
                  title={i.model.model.name}
                  current={mine('MODEL', i.model.model.id)}
                />
              </li>
            ) : null}
          </ul>
        </IfAllowed>
      ) : null}
      <h3>Problem</h3>
      {i.problem ? (
        <p>
          <Link href={`/problems/${encodeURIComponent(i.problem.number)}`}>
            {i.problem.number} {i.problem.title}
          </Link>{' '}
          <StatusBadge status={i.problem.status} />
        </p>
      ) : (
        <p className="muted small">Not linked to a problem.</p>
      )}
      {work ? (
        <Disclosure summary={i.problem ? 'Change problem link' : 'Link to a problem'}>
          <ProblemLinkForm incidentId={i.id} linked={!!i.problem} />
        </Disclosure>
      ) : null}
      {!open && knowledge ? (
        <>
          <Disclosure summary="Open a problem from this incident">
            <CreateProblemFromIncidentForm incidentId={i.id} />
          </Disclosure>
          <Disclosure summary="Write a workaround from this incident">
            <CreateWorkaroundFromIncidentForm incidentId={i.id} />
          </Disclosure>
          <Disclosure summary="Make an incident model from this incident">
            <CreateModelFromIncidentForm incidentId={i.id} />
          </Disclosure>
        </>
      ) : null}
      <h3>Reviews</h3>
      {i.reviews.length ? (
        <ul>
          {i.reviews.map((r) => (
            <li key={r.id}>
              <Link href={`/reviews/${r.id}`}>
                {r.number} {r.title}
              </Link>{' '}
              <StatusBadge status={r.status} />
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted small">No review covers it.</p>
      )}
      {!open && review && !i.reviews.some((r) => r.status !== 'PUBLISHED') ? (
        <StartReviewButton incidentId={i.id} title={`Review of ${i.number}: ${i.title}`} />
      ) : null}
    </section>
  );
}
