// The forms for working on an open incident: classify, assign, communicate, escalate, record, edit.
import type { CategoryOption, Option } from '@/components/forms';
import { Disclosure } from '@/components/ui';
import type { WorkPanelFragment } from '@/gql/graphql';
import { AssignForm } from './assign-form';
import { ClassifyForm } from './classify-form';
import { ConfigChangeForm } from './config-change-form';
import { DisasterRecoveryForm } from './disaster-recovery-form';
import { EditIncidentForm } from './edit-incident-form';
import { EscalationForm } from './escalation-form';
import { StakeholderUpdateForm } from './stakeholder-update-form';
import { WorkNoteForm } from './work-note-form';

export function WorkPanel({
  incident: i,
  services,
  categories,
  teams,
  users,
}: {
  incident: WorkPanelFragment;
  services: Option[];
  categories: CategoryOption[];
  teams: Option[];
  users: Option[];
}) {
  return (
    <section className="panel" aria-labelledby="work-h">
      <h2 id="work-h">Work on it</h2>
      <Disclosure summary="Work note (internal)" open={i.status !== 'NEW'}>
        <WorkNoteForm id={i.id} />
      </Disclosure>
      <Disclosure summary="Classify" open={i.status === 'NEW'}>
        <ClassifyForm
          id={i.id}
          serviceId={i.service?.id}
          categoryId={i.category?.id}
          impact={i.impact}
          urgency={i.urgency}
          priority={i.priority}
          overridden={i.priorityOverridden}
          overrideReason={i.priorityOverrideReason}
          services={services}
          categories={categories}
        />
      </Disclosure>
      <Disclosure summary="Assign">
        <AssignForm id={i.id} teamId={i.team?.id} assigneeId={i.assignee?.id} teams={teams} users={users} />
      </Disclosure>
      <Disclosure summary="Stakeholder update">
        <StakeholderUpdateForm id={i.id} />
      </Disclosure>
      <Disclosure summary="Escalate">
        <EscalationForm id={i.id} teams={teams} users={users} />
      </Disclosure>
      <Disclosure summary="Configuration change">
        <ConfigChangeForm id={i.id} />
      </Disclosure>
      <Disclosure summary="Disaster-recovery plan">
        <DisasterRecoveryForm id={i.id} />
      </Disclosure>
      <Disclosure summary="Edit title, description, flags">
        <EditIncidentForm id={i.id} title={i.title} description={i.description} major={i.major} externalRef={i.externalRef} />
      </Disclosure>
    </section>
  );
}
