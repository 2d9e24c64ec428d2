// The admin's side of tracker sync: connections (credentials write-only) and their webhook secret
// (shown once, rotatable); the checks and the log are in tracker-checks.ts. Plain SQL on the
// request's EntityManager (the guard's transaction).
import { refusedHost } from '../../http/outbound';
import { randomBytes } from 'node:crypto';
import type { TrackerKind } from '@ikb/domain';
import type { EntityManager } from '@mikro-orm/postgresql';
import { pgTextArray } from '../../db/pg-array';
import { rawDate } from '../../db/raw-dates';
import { AppError, assertUuid, badInput, notFound } from '../../errors';
import type { TrackerConnectionRow } from './tracker-clients';
import type { CreateTrackerConnectionInput, TrackerConnectionFields } from './tracker.inputs';
import type { TrackerConnection, TrackerTarget } from './tracker.types';

export const DEFAULT_WONT_DO = ["Won't Do", "Won't Fix", 'Declined'];
const newSecret = () => randomBytes(24).toString('base64url');

/** The base address a connection calls, or bad input saying why not. */
export function checkedBaseUrl(kind: TrackerKind, raw: string): string {
  let u: URL;
  try {
    u = new URL(raw.trim());
  } catch {
    throw badInput(
      'input.baseUrl',
      kind === 'JIRA'
        ? 'must be your Jira site, like https://your-team.atlassian.net'
        : 'must be https://api.github.com or https://<host>/api/v3',
    );
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:')
    throw badInput('input.baseUrl', `must be an http(s) address, not ${u.protocol.replace(':', '')}`);
  if (u.username || u.password)
    throw badInput('input.baseUrl', 'must not hold a user name or password; put the credentials in their own fields');
  if (u.search || u.hash) throw badInput('input.baseUrl', 'must not have a query or fragment');
  const refused = refusedHost(u.hostname);
  if (refused) throw badInput('input.baseUrl', `cannot be reached by the server: ${refused}`);
  return `${u.origin}${u.pathname.replace(/\/+$/, '')}`;
}

const EMAIL = /^[^\s@<>",]{1,64}@[^\s@<>",]+\.[^\s@<>",]+$/;

function checkComplete(
  kind: TrackerKind,
  c: { auth_user: string | null; project_key: string | null; repo_owner: string | null; repo_name: string | null },
) {
  if (kind === 'JIRA') {
    if (!c.auth_user || !EMAIL.test(c.auth_user))
      throw badInput('input.accountEmail', "must be the Jira account's e-mail address (the API token's owner)");
    if (!c.project_key) throw badInput('input.projectKey', 'is needed for Jira: the key of the project issues go to, e.g. OPS');
  } else {
    if (!c.repo_owner) throw badInput('input.repoOwner', 'is needed for GitHub: the user or organisation owning the repository');
    if (!c.repo_name) throw badInput('input.repoName', 'is needed for GitHub: the repository issues go to');
  }
}

const trimmed = (v: string | undefined | null) => (v == null ? v : v.trim() || null);
// GraphQL null on an optional list or a required column means "leave it", as omitting it does.
const names = (v: string[] | undefined | null, field: string) => {
  if (v == null) return undefined;
  const out = [...new Set(v.map((s) => s.trim()).filter(Boolean))];
  if (out.some((s) => s.includes(',') || [...s].some((ch) => ch.charCodeAt(0) < 32)))
    throw badInput(field, 'must not hold commas or control characters');
  return out;
};

function uniqueName(err: unknown): never {
  if (err instanceof Error && /connections_name/.test(err.message))
    throw new AppError('CONFLICT', 'Another tracker connection has that name', { field: 'input.name' });
  throw err;
}

export async function createConnection(em: EntityManager, input: CreateTrackerConnectionInput): Promise<{ id: string; secret: string }> {
  if (!input.name?.trim()) throw badInput('input.name', 'is needed: a name admins and users recognise, e.g. "Ops Jira"');
  if (!input.baseUrl) throw badInput('input.baseUrl', 'is needed');
  if (!input.token?.trim())
    throw badInput(
      'input.token',
      input.kind === 'JIRA' ? 'is needed: a Jira API token' : 'is needed: a GitHub token with Issues read and write',
    );
  const row = {
    auth_user: input.kind === 'JIRA' ? (trimmed(input.accountEmail) ?? null) : null,
    project_key: input.kind === 'JIRA' ? (trimmed(input.projectKey)?.toUpperCase() ?? null) : null,
    repo_owner: input.kind === 'GITHUB' ? (trimmed(input.repoOwner) ?? null) : null,
    repo_name: input.kind === 'GITHUB' ? (trimmed(input.repoName) ?? null) : null,
  };
  checkComplete(input.kind, row);
  const id = crypto.randomUUID();
  const secret = newSecret();
  await em
    .execute(
      `insert into tracker.connections (id, kind, name, base_url, auth_user, token, project_key, issue_type, repo_owner, repo_name, labels,
         webhook_secret, done_transition, wont_do_transition, reopen_transition, wont_do_resolution, wont_do_resolutions, enabled)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::text[], ?, ?, ?, ?, ?, ?::text[], ?)`,
      [
        id,
        input.kind,
        input.name.trim(),
        checkedBaseUrl(input.kind, input.baseUrl),
        row.auth_user,
        input.token.trim(),
        row.project_key,
        trimmed(input.issueType) ?? null,
        row.repo_owner,
        row.repo_name,
        pgTextArray(names(input.labels, 'input.labels') ?? []),
        secret,
        trimmed(input.doneTransition) ?? null,
        trimmed(input.wontDoTransition) ?? null,
        trimmed(input.reopenTransition) ?? null,
        trimmed(input.wontDoResolution) ?? null,
        pgTextArray(names(input.wontDoResolutions, 'input.wontDoResolutions') ?? DEFAULT_WONT_DO),
        input.enabled ?? true,
      ],
    )
    .catch(uniqueName);
  return { id, secret };
}

export async function loadConnection(
  em: EntityManager,
  id: string,
  field = 'id',
): Promise<TrackerConnectionRow & { webhook_secret: string }> {
  assertUuid(field, id);
  const [c] = await em.execute<(TrackerConnectionRow & { webhook_secret: string })[]>(`select * from tracker.connections where id = ?`, [
    id,
  ]);
  if (!c) throw notFound(field, 'tracker connection', id);
  return c;
}

export async function updateConnection(em: EntityManager, id: string, input: TrackerConnectionFields): Promise<void> {
  const c = await loadConnection(em, id);
  const next = {
    name: input.name != null ? input.name.trim() : c.name,
    base_url: input.baseUrl != null ? checkedBaseUrl(c.kind, input.baseUrl) : c.base_url,
    auth_user: c.kind === 'JIRA' && input.accountEmail !== undefined ? (trimmed(input.accountEmail) ?? null) : c.auth_user,
    token: input.token?.trim() ? input.token.trim() : c.token,
    project_key: c.kind === 'JIRA' && input.projectKey !== undefined ? (trimmed(input.projectKey)?.toUpperCase() ?? null) : c.project_key,
    issue_type: input.issueType !== undefined ? (trimmed(input.issueType) ?? null) : c.issue_type,
    repo_owner: c.kind === 'GITHUB' && input.repoOwner !== undefined ? (trimmed(input.repoOwner) ?? null) : c.repo_owner,
    repo_name: c.kind === 'GITHUB' && input.repoName !== undefined ? (trimmed(input.repoName) ?? null) : c.repo_name,
    labels: names(input.labels, 'input.labels') ?? c.labels,
    done_transition: input.doneTransition !== undefined ? (trimmed(input.doneTransition) ?? null) : c.done_transition,
    wont_do_transition: input.wontDoTransition !== undefined ? (trimmed(input.wontDoTransition) ?? null) : c.wont_do_transition,
    reopen_transition: input.reopenTransition !== undefined ? (trimmed(input.reopenTransition) ?? null) : c.reopen_transition,
    wont_do_resolution: input.wontDoResolution !== undefined ? (trimmed(input.wontDoResolution) ?? null) : c.wont_do_resolution,
    wont_do_resolutions: names(input.wontDoResolutions, 'input.wontDoResolutions') ?? c.wont_do_resolutions,
    enabled: input.enabled ?? c.enabled,
  };
  checkComplete(c.kind, next);
  await em
    .execute(
      `update tracker.connections set name = ?, base_url = ?, auth_user = ?, token = ?, project_key = ?, issue_type = ?, repo_owner = ?,
         repo_name = ?, labels = ?::text[], done_transition = ?, wont_do_transition = ?, reopen_transition = ?, wont_do_resolution = ?,
         wont_do_resolutions = ?::text[], enabled = ?, updated_at = now()
       where id = ?`,
      [
        next.name,
        next.base_url,
        next.auth_user,
        next.token,
        next.project_key,
        next.issue_type,
        next.repo_owner,
        next.repo_name,
        pgTextArray(next.labels),
        next.done_transition,
        next.wont_do_transition,
        next.reopen_transition,
        next.wont_do_resolution,
        pgTextArray(next.wont_do_resolutions),
        next.enabled,
        id,
      ],
    )
    .catch(uniqueName);
}

export async function deleteConnection(em: EntityManager, id: string): Promise<void> {
  await loadConnection(em, id);
  await em.execute(`delete from tracker.connections where id = ?`, [id]);
}

export async function rotateSecret(em: EntityManager, id: string): Promise<string> {
  await loadConnection(em, id);
  const secret = newSecret();
  await em.execute(`update tracker.connections set webhook_secret = ?, updated_at = now() where id = ?`, [secret, id]);
  return secret;
}

interface ListRow extends Omit<TrackerConnectionRow, 'token'> {
  created_at: string | Date;
  linked: number;
  pending: number;
  failed: number;
}

export async function listConnections(em: EntityManager, id?: string): Promise<TrackerConnection[]> {
  const rows = await em.execute<ListRow[]>(
    `select c.id, c.kind, c.name, c.base_url, c.auth_user, c.project_key, c.issue_type, c.repo_owner, c.repo_name, c.labels,
            c.done_transition, c.wont_do_transition, c.reopen_transition, c.wont_do_resolution, c.wont_do_resolutions,
            c.enabled, c.created_at,
            (select count(*)::int from tracker.links l where l.connection_id = c.id) as linked,
            (select count(*)::int from tracker.jobs j where j.connection_id = c.id and j.status = 'PENDING') as pending,
            (select count(*)::int from tracker.links l where l.connection_id = c.id and l.state = 'FAILED') as failed
       from tracker.connections c ${id ? 'where c.id = ?' : ''} order by lower(c.name)`,
    id ? [id] : [],
  );
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    name: r.name,
    baseUrl: r.base_url,
    accountEmail: r.auth_user,
    projectKey: r.project_key,
    issueType: r.issue_type,
    repoOwner: r.repo_owner,
    repoName: r.repo_name,
    labels: r.labels,
    doneTransition: r.done_transition,
    wontDoTransition: r.wont_do_transition,
    reopenTransition: r.reopen_transition,
    wontDoResolution: r.wont_do_resolution,
    wontDoResolutions: r.wont_do_resolutions,
    enabled: r.enabled,
    webhookPath: `/hooks/${r.kind === 'JIRA' ? 'jira' : 'github'}/${r.id}`,
    linked: r.linked,
    pending: r.pending,
    failed: r.failed,
    createdAt: rawDate(r.created_at)!,
  }));
}

export async function listTargets(em: EntityManager): Promise<TrackerTarget[]> {
  return em.execute<TrackerTarget[]>(`select id, kind, name from tracker.connections where enabled order by lower(name)`);
}
