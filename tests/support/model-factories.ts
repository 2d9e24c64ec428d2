import { randomUUID } from 'node:crypto';
import { uniq } from './uniq';
import { mutate } from './factories';
import type { Model, ModelledIncident } from './gql-types';
import type { TestApp } from './test-app';

/** What the incident-model tests read back of a model version. */
export const VERSION_FIELDS = `id version description matchKeywords defaultImpact defaultUrgency checklist workaroundIds reviewTemplate
  note createdAt isCurrent
  matchService { id name } matchCategory { id name } defaultCategory { id name } defaultTeam { id name } slaPolicy { id name }
  workarounds { id title status }`;

export const MODEL_FIELDS = `id name status currentVersion createdAt updatedAt
  current { ${VERSION_FIELDS} }
  versions { id version checklist }
  sourceIncident { id number }`;

/**
 * A workaround row written straight to the database: the model tests only need workarounds to
 * link, whatever the workaround API looks like.
 */
export async function insertWorkaround(t: TestApp, overrides: { title?: string; status?: 'DRAFT' | 'ACTIVE' | 'RETIRED' } = {}) {
  const id = randomUUID();
  const title = overrides.title ?? uniq('Restart the pod');
  const status = overrides.status ?? 'ACTIVE';
  await t.sql(
    `insert into workarounds (id, title, steps, status, retired_at) values ($1, $2, $3, $4::varchar, case when $4::varchar = 'RETIRED'
      then now() end)`,
    [id, title, '1. Restart\n2. Check', status],
  );
  return { id, title, status };
}

/** An SLA policy on the built-in 24x7 calendar, with targets a factor `scale` of 60/240 minutes. */
export async function createSlaPolicy(t: TestApp, overrides: { name?: string; scale?: number } = {}) {
  const cal = (await mutate<{ id: string; name: string }[]>(t, `query { businessCalendars { id name } }`)).find((c) => c.name === '24x7');
  if (!cal) throw new Error('no 24x7 calendar');
  const s = overrides.scale ?? 1;
  const targets = [1, 2, 3, 4, 5].map((p) => ({ priority: p, responseMinutes: 15 * p * s, resolutionMinutes: 60 * p * s }));
  return mutate<{ id: string; name: string }>(t, `mutation($input: CreateSlaPolicyInput!) { createSlaPolicy(input: $input) { id name } }`, {
    input: { name: overrides.name ?? uniq('SLA'), calendarId: cal.id, targets, pauseHoldReasons: ['AWAITING_USER'] },
  });
}

/** `M` is the model's shape when `fields` is not MODEL_FIELDS. */
export async function createModel<M = Model>(t: TestApp, input: Record<string, unknown> = {}, fields = MODEL_FIELDS) {
  return mutate<M>(t, `mutation($input: CreateIncidentModelInput!) { createIncidentModel(input: $input) { ${fields} } }`, {
    input: { name: uniq('Model'), ...input },
  });
}

export async function updateModel<M = Model>(t: TestApp, id: string, input: Record<string, unknown>, fields = MODEL_FIELDS) {
  return mutate<M>(
    t,
    `mutation($id: ID!, $input: UpdateIncidentModelInput!) { updateIncidentModel(id: $id, input: $input) { ${fields} } }`,
    {
      id,
      input,
    },
  );
}

export const APPLIED_FIELDS = `id number status impact urgency priority
  category { id name } team { id name }
  model { id version model { id name currentVersion } }
  checklist { id position text done doneAt doneByName modelVersion { id version } }
  modelApplications { id appliedAt appliedByName modelVersion { id version } }
  slaClocks { target policyName policyVersion }
  timeline { seq kind summary before after data at }`;

export async function applyModel(t: TestApp, incidentId: string, modelId: string, headers?: Record<string, string>) {
  return mutate<ModelledIncident>(
    t,
    `mutation($incidentId: ID!, $modelId: ID!) { applyIncidentModel(incidentId: $incidentId, modelId: $modelId) { ${APPLIED_FIELDS} } }`,
    { incidentId, modelId },
    headers,
  );
}
