// The calls this product makes to Jira Cloud (REST v3, Basic auth with an account e-mail and API
// token) and GitHub (REST, Bearer token; github.com or an Enterprise server's /api/v3). Each call
// answers a TrackerAnswer the domain classifies (retry, stop, done); nothing here throws for an
// HTTP error. Credentials go only into the Authorization header, never into a message or the log.
import { isOutboundRefusal, outboundFetch } from '../../http/outbound';
import {
  classifyTrackerAnswer,
  TRACKER_NAMES,
  type SendOutcome,
  type TrackerAnswer,
  type TrackerKind,
  type TrackerStatus,
} from '@ikb/domain';

export interface TrackerConnectionRow {
  id: string;
  kind: TrackerKind;
  name: string;
  base_url: string;
  auth_user: string | null;
  token: string;
  project_key: string | null;
  issue_type: string | null;
  repo_owner: string | null;
  repo_name: string | null;
  labels: string[];
  done_transition: string | null;
  wont_do_transition: string | null;
  reopen_transition: string | null;
  wont_do_resolution: string | null;
  wont_do_resolutions: string[];
  enabled: boolean;
}

/** What an action item looks like on the tracker; compared with what was pushed last to find what changed. */
export interface IssueContent {
  title: string;
  dueDate: string;
  ownerName: string;
  status: TrackerStatus;
  reviewNumber: string;
  reviewUrl: string;
}

export interface CallResult {
  operation: string;
  answer: TrackerAnswer;
  outcome: SendOutcome;
  ms: number;
}

const TIMEOUT_MS = 10_000;
const BODY_LIMIT = 256 * 1024;

const base = (c: TrackerConnectionRow) => c.base_url.replace(/\/+$/, '');

function authHeaders(c: TrackerConnectionRow): Record<string, string> {
  if (c.kind === 'JIRA')
    return { authorization: `Basic ${Buffer.from(`${c.auth_user ?? ''}:${c.token}`).toString('base64')}`, accept: 'application/json' };
  return { authorization: `Bearer ${c.token}`, accept: 'application/vnd.github+json', 'x-github-api-version': '2022-11-28' };
}

/** One request; the body is read (at most 256 KiB) as JSON when it is JSON. */
export async function call(
  c: TrackerConnectionRow,
  method: string,
  path: string,
  body?: unknown,
  timeoutMs = TIMEOUT_MS,
): Promise<CallResult> {
  const operation = `${method} ${path}`;
  const t0 = performance.now();
  let answer: TrackerAnswer;
  try {
    const res = await outboundFetch(`${base(c)}${path}`, {
      method,
      headers: {
        ...authHeaders(c),
        'user-agent': 'ikb-tracker-sync/1',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const buf = Buffer.from(await res.arrayBuffer().catch(() => new ArrayBuffer(0)));
    const raw = buf.subarray(0, BODY_LIMIT).toString('utf8');
    let parsed: unknown = raw || null;
    if (raw && (res.headers.get('content-type') ?? '').includes('json')) {
      try {
        parsed = JSON.parse(raw);
      } catch {
        parsed = raw;
      }
    }
    answer = { status: res.status, header: (n) => res.headers.get(n), body: parsed };
  } catch (err) {
    // An address the server may not reach (OUTBOUND_ALLOW_PRIVATE) is a setting to change: not retried.
    if (isOutboundRefusal(err)) {
      const outcome = { kind: 'refused' as const, reason: `${c.kind === 'JIRA' ? 'Jira' : 'GitHub'} cannot be reached: ${err.message}` };
      return { operation, answer: { status: null, header: () => null, body: null, error: err.message }, outcome, ms: 0 };
    }
    const e = err as { name?: string; cause?: { code?: string }; message?: string };
    const why = e.name === 'TimeoutError' ? `no answer within ${timeoutMs / 1000} s` : (e.cause?.code ?? e.message ?? 'failed');
    answer = { status: null, header: () => null, body: null, error: why };
  }
  return { operation, answer, outcome: classifyTrackerAnswer(c.kind, answer, Date.now()), ms: Math.round(performance.now() - t0) };
}

const enc = encodeURIComponent;
const repoPath = (c: TrackerConnectionRow) => `/repos/${enc(c.repo_owner ?? '')}/${enc(c.repo_name ?? '')}`;

/** Atlassian Document Format: a paragraph of text and one link back to the review. */
function jiraDescription(x: IssueContent) {
  return {
    type: 'doc',
    version: 1,
    content: [
      {
        type: 'paragraph',
        content: [
          { type: 'text', text: `Action item of post-incident review ` },
          { type: 'text', text: x.reviewNumber, marks: [{ type: 'link', attrs: { href: x.reviewUrl } }] },
          { type: 'text', text: `. Owner: ${x.ownerName}. Due ${x.dueDate}.` },
        ],
      },
      {
        type: 'paragraph',
        content: [{ type: 'text', text: 'Kept in sync by the incident knowledge base; edit the title and due date there.' }],
      },
    ],
  };
}

function githubBody(x: IssueContent): string {
  const esc = (s: string) => s.replace(/([\\`*_{}[\]<>()#+!|])/g, '\\$1');
  return [
    `Action item of post-incident review [${esc(x.reviewNumber)}](${x.reviewUrl}).`,
    '',
    `- Owner: ${esc(x.ownerName)}`,
    `- Due: ${x.dueDate}`,
    '',
    '_Kept in sync by the incident knowledge base; edit the title and due date there._',
  ].join('\n');
}

export interface Created {
  key: string;
  id: string;
  url: string;
}

/** Creates the issue; on success `created` says where it is. */
export async function createIssue(
  c: TrackerConnectionRow,
  x: IssueContent,
  extraLabels: string[] = [],
): Promise<CallResult & { created?: Created }> {
  const labels = [...new Set([...c.labels, ...extraLabels])];
  if (c.kind === 'JIRA') {
    const r = await call(c, 'POST', '/rest/api/3/issue', {
      fields: {
        project: { key: c.project_key },
        issuetype: { name: c.issue_type || 'Task' },
        summary: x.title.slice(0, 255),
        description: jiraDescription(x),
        duedate: x.dueDate,
        ...(labels.length ? { labels: labels.map((l) => l.replace(/\s+/g, '-')) } : {}),
      },
    });
    const b = r.answer.body as { key?: unknown; id?: unknown } | null;
    if (r.outcome.kind === 'delivered' && typeof b?.key === 'string')
      return { ...r, created: { key: b.key, id: String(b.id ?? ''), url: `${base(c)}/browse/${enc(b.key)}` } };
    return r.outcome.kind === 'delivered' ? { ...r, outcome: { kind: 'refused', reason: 'Jira answered without an issue key' } } : r;
  }
  const r = await call(c, 'POST', `${repoPath(c)}/issues`, { title: x.title, body: githubBody(x), ...(labels.length ? { labels } : {}) });
  const b = r.answer.body as { number?: unknown; id?: unknown; html_url?: unknown } | null;
  if (r.outcome.kind === 'delivered' && typeof b?.number === 'number')
    return { ...r, created: { key: String(b.number), id: String(b.id ?? ''), url: typeof b.html_url === 'string' ? b.html_url : '' } };
  return r.outcome.kind === 'delivered' ? { ...r, outcome: { kind: 'refused', reason: 'GitHub answered without an issue number' } } : r;
}

/** Title, due date and owner (in the description) as they are now. */
export function updateFields(c: TrackerConnectionRow, key: string, x: IssueContent): Promise<CallResult> {
  if (c.kind === 'JIRA')
    return call(c, 'PUT', `/rest/api/3/issue/${enc(key)}`, {
      fields: { summary: x.title.slice(0, 255), duedate: x.dueDate, description: jiraDescription(x) },
    });
  return call(c, 'PATCH', `${repoPath(c)}/issues/${enc(key)}`, { title: x.title, body: githubBody(x) });
}

interface JiraTransition {
  id: string;
  name: string;
  to?: { name?: string; statusCategory?: { key?: string } };
}

const same = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

/**
 * Picks the transition for a target: the one the connection names (by id or name, or by the
 * status it goes to), else the first whose status category fits (done for done and won't do; to do,
 * then in progress, for reopen).
 */
export function pickTransition(list: JiraTransition[], to: TrackerStatus, c: TrackerConnectionRow): JiraTransition | null {
  const named = to === 'DONE' ? c.done_transition : to === 'WONT_DO' ? (c.wont_do_transition ?? c.done_transition) : c.reopen_transition;
  if (named) return list.find((t) => t.id === named || same(t.name, named) || same(t.to?.name ?? '', named)) ?? null;
  const cat = (t: JiraTransition) => t.to?.statusCategory?.key;
  if (to === 'OPEN') return list.find((t) => cat(t) === 'new') ?? list.find((t) => cat(t) === 'indeterminate') ?? null;
  return list.find((t) => cat(t) === 'done') ?? null;
}

/** Moves the issue to open, done or won't do. Jira: look up the transitions the issue offers, then take one. */
export async function transitionIssue(c: TrackerConnectionRow, key: string, to: TrackerStatus): Promise<CallResult[]> {
  if (c.kind === 'GITHUB') {
    const body =
      to === 'OPEN'
        ? { state: 'open', state_reason: 'reopened' }
        : { state: 'closed', state_reason: to === 'DONE' ? 'completed' : 'not_planned' };
    return [await call(c, 'PATCH', `${repoPath(c)}/issues/${enc(key)}`, body)];
  }
  const path = `/rest/api/3/issue/${enc(key)}/transitions`;
  const list = await call(c, 'GET', path);
  if (list.outcome.kind !== 'delivered') return [list];
  const transitions = (list.answer.body as { transitions?: unknown } | null)?.transitions;
  const pick = Array.isArray(transitions) ? pickTransition(transitions as JiraTransition[], to, c) : null;
  if (!pick) {
    const offered = Array.isArray(transitions) ? (transitions as JiraTransition[]).map((t) => `"${t.name}"`).join(', ') : 'none';
    const want = to === 'OPEN' ? 'reopen' : to === 'DONE' ? 'done' : "won't do";
    return [
      list,
      {
        ...list,
        operation: `POST ${path}`,
        outcome: {
          kind: 'refused',
          reason: `Jira offers no ${want} transition for ${key} now (offered: ${offered}); name the one to use on the connection`,
        },
      },
    ];
  }
  const fields = to === 'WONT_DO' && c.wont_do_resolution ? { fields: { resolution: { name: c.wont_do_resolution } } } : {};
  return [list, await call(c, 'POST', path, { transition: { id: pick.id }, ...fields })];
}

/** The connection test: the credentials are accepted and the project or repository is there. */
export async function checkConnection(c: TrackerConnectionRow): Promise<{ ok: boolean; message: string; status: number | null }> {
  const name = TRACKER_NAMES[c.kind];
  if (c.kind === 'JIRA') {
    const me = await call(c, 'GET', '/rest/api/3/myself', undefined, 5_000);
    if (me.outcome.kind !== 'delivered') return { ok: false, message: me.outcome.reason, status: me.answer.status };
    const who = (me.answer.body as { displayName?: unknown; emailAddress?: unknown } | null)?.displayName;
    const p = await call(c, 'GET', `/rest/api/3/project/${enc(c.project_key ?? '')}`, undefined, 5_000);
    if (p.outcome.kind !== 'delivered') return { ok: false, message: p.outcome.reason, status: p.answer.status };
    const pname = (p.answer.body as { name?: unknown } | null)?.name;
    return {
      ok: true,
      message:
        `${name} accepted the credentials of ${String(who ?? 'the account')}; ` +
        `project ${c.project_key} (${String(pname ?? '')}) is there`,
      status: p.answer.status,
    };
  }
  const r = await call(c, 'GET', repoPath(c), undefined, 5_000);
  if (r.outcome.kind !== 'delivered') return { ok: false, message: r.outcome.reason, status: r.answer.status };
  const b = r.answer.body as { full_name?: unknown; has_issues?: unknown; permissions?: { push?: unknown; triage?: unknown } } | null;
  if (b?.has_issues === false)
    return { ok: false, message: `${name}: issues are turned off for ${String(b.full_name)}`, status: r.answer.status };
  return {
    ok: true,
    message: `${name} accepted the token; repository ${String(b?.full_name ?? `${c.repo_owner}/${c.repo_name}`)} is there`,
    status: r.answer.status,
  };
}
