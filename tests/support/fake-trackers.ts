// Local HTTP servers that answer like Jira Cloud REST v3 and GitHub's REST API for the endpoints
// tracker sync uses, with their quirks as their documentation and public samples show them:
// Jira's { errorMessages, errors } bodies, its 401 in plain text, ADF-only descriptions in v3,
// transitions offered per status; GitHub's { message, errors[], documentation_url }, its
// x-ratelimit-* headers on every answer, 403 with x-ratelimit-remaining: 0 for a used-up limit and
// a "secondary rate limit" message. Faults can be queued per path; stop() refuses connections.
import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Seen {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: unknown;
}

export interface Fault {
  /** Matched against "METHOD /path". */
  match: RegExp;
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
  /** Times to answer so (default 1). */
  times?: number;
}

export interface JiraIssue {
  key: string;
  id: string;
  fields: Record<string, unknown>;
  status: 'To Do' | 'In Progress' | 'Done' | "Won't Do";
  resolution: string | null;
}

export interface GithubIssue {
  number: number;
  id: number;
  title: string;
  body: string;
  labels: string[];
  state: 'open' | 'closed';
  state_reason: string | null;
  closed_at: string | null;
  updated_at: string;
}

const JIRA_STATUSES = {
  'To Do': { id: '10000', category: 'new' },
  'In Progress': { id: '3', category: 'indeterminate' },
  Done: { id: '10001', category: 'done' },
  "Won't Do": { id: '10002', category: 'done' },
} as const;
const JIRA_TRANSITIONS = [
  { id: '11', name: 'Back to do', to: 'To Do' },
  { id: '21', name: 'Start progress', to: 'In Progress' },
  { id: '31', name: 'Done', to: 'Done' },
  { id: '41', name: "Won't Do", to: "Won't Do" },
] as const;

export class FakeTrackers {
  server!: Server;
  port = 0;
  seen: Seen[] = [];
  faults: Fault[] = [];
  jira = {
    email: 'bot@example.test',
    token: 'jira-api-token-1',
    projects: new Map([['OPS', 'Operations']]),
    issues: new Map<string, JiraIssue>(),
  };
  github = { token: 'ghp_testtoken', repos: new Set(['acme/ops']), issues: new Map<number, GithubIssue>(), remaining: 5000 };
  private next = 1;

  get url() {
    return `http://127.0.0.1:${this.port}`;
  }
  get jiraUrl() {
    return `${this.url}/jira`;
  }
  get githubUrl() {
    return `${this.url}/gh`;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => this.handle(req, res));
    await new Promise<void>((resolve) => this.server.listen(this.port, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  /** Down: connections to the port are refused until start() again. */
  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  calls(re: RegExp) {
    return this.seen.filter((s) => re.test(`${s.method} ${s.path}`));
  }

  private handle(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      let body: unknown = raw;
      try {
        body = raw ? JSON.parse(raw) : null;
      } catch {
        /* kept as text */
      }
      const path = (req.url ?? '/').split('?')[0]!;
      this.seen.push({ method: req.method ?? '', path, headers: req.headers, body });
      const line = `${req.method} ${path}`;
      const fault = this.faults.find((f) => f.match.test(line));
      if (fault) {
        fault.times = (fault.times ?? 1) - 1;
        if (fault.times <= 0) this.faults.splice(this.faults.indexOf(fault), 1);
        return this.send(res, fault.status, fault.body ?? '', fault.headers);
      }
      if (path.startsWith('/jira/')) return this.jiraRoute(req, res, path.slice(5), body);
      if (path.startsWith('/gh/')) return this.githubRoute(req, res, path.slice(3), body);
      this.send(res, 404, 'no such fake');
    });
  }

  private send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    const type = typeof body === 'string' ? 'text/plain;charset=UTF-8' : 'application/json;charset=UTF-8';
    res.writeHead(status, { 'content-type': type, ...headers });
    res.end(status === 204 ? undefined : text);
  }

  private jiraIssueJson(i: JiraIssue) {
    const s = JIRA_STATUSES[i.status];
    return {
      id: i.id,
      key: i.key,
      self: `${this.jiraUrl}/rest/api/3/issue/${i.id}`,
      fields: {
        ...i.fields,
        status: { name: i.status, id: s.id, statusCategory: { key: s.category, name: s.category } },
        resolution: i.resolution ? { name: i.resolution } : null,
      },
    };
  }

  private jiraRoute(req: IncomingMessage, res: ServerResponse, path: string, body: unknown) {
    const expected = `Basic ${Buffer.from(`${this.jira.email}:${this.jira.token}`).toString('base64')}`;
    if (req.headers.authorization !== expected) return this.send(res, 401, 'Client must be authenticated to access this resource.');
    const m = (re: RegExp) => re.exec(path);
    const notFound = () =>
      this.send(res, 404, { errorMessages: ['Issue does not exist or you do not have permission to see it.'], errors: {} });
    if (req.method === 'GET' && path === '/rest/api/3/myself')
      return this.send(res, 200, {
        accountId: '5b10a2844c20165700ede21g',
        emailAddress: this.jira.email,
        displayName: 'Sync Bot',
        active: true,
      });
    let g = m(/^\/rest\/api\/3\/project\/([^/]+)$/);
    if (req.method === 'GET' && g) {
      const key = decodeURIComponent(g[1]!);
      const name = this.jira.projects.get(key);
      return name
        ? this.send(res, 200, { id: '10000', key, name })
        : this.send(res, 404, { errorMessages: [`No project could be found with key '${key}'.`], errors: {} });
    }
    if (req.method === 'POST' && path === '/rest/api/3/issue') {
      const f = ((body as { fields?: Record<string, unknown> })?.fields ?? {}) as Record<string, unknown>;
      const errors: Record<string, string> = {};
      const project = (f.project as { key?: string } | undefined)?.key;
      if (!project || !this.jira.projects.has(project)) errors.project = 'valid project is required';
      if (typeof f.summary !== 'string' || !f.summary.trim()) errors.summary = 'You must specify a summary of the issue.';
      if (f.description !== undefined && (typeof f.description !== 'object' || (f.description as { type?: string })?.type !== 'doc'))
        errors.description = 'Operation value must be an Atlassian Document (see the Atlassian Document Format)';
      if (f.duedate !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(String(f.duedate))) errors.duedate = 'Error parsing date string';
      if (Object.keys(errors).length) return this.send(res, 400, { errorMessages: [], errors });
      const id = String(10000 + this.next);
      const key = `${project}-${this.next++}`;
      this.jira.issues.set(key, { key, id, fields: f, status: 'To Do', resolution: null });
      return this.send(res, 201, { id, key, self: `${this.jiraUrl}/rest/api/3/issue/${id}` });
    }
    g = m(/^\/rest\/api\/3\/issue\/([^/]+)$/);
    if (g && (req.method === 'PUT' || req.method === 'GET')) {
      const issue = this.jira.issues.get(decodeURIComponent(g[1]!));
      if (!issue) return notFound();
      if (req.method === 'GET') return this.send(res, 200, this.jiraIssueJson(issue));
      Object.assign(issue.fields, (body as { fields?: object })?.fields ?? {});
      return this.send(res, 204, '');
    }
    g = m(/^\/rest\/api\/3\/issue\/([^/]+)\/transitions$/);
    if (g) {
      const issue = this.jira.issues.get(decodeURIComponent(g[1]!));
      if (!issue) return notFound();
      const offered = JIRA_TRANSITIONS.filter((t) => t.to !== issue.status);
      if (req.method === 'GET')
        return this.send(res, 200, {
          expand: 'transitions',
          transitions: offered.map((t) => ({
            id: t.id,
            name: t.name,
            hasScreen: false,
            to: { name: t.to, id: JIRA_STATUSES[t.to].id, statusCategory: { key: JIRA_STATUSES[t.to].category } },
          })),
        });
      const b = body as { transition?: { id?: string }; fields?: { resolution?: { name?: string } } };
      const t = offered.find((x) => x.id === b?.transition?.id);
      if (!t)
        return this.send(res, 400, { errorMessages: [`Transition id '${b?.transition?.id}' is not valid for this issue.`], errors: {} });
      issue.status = t.to;
      issue.resolution =
        t.to === 'Done' ? (b.fields?.resolution?.name ?? 'Done') : t.to === "Won't Do" ? (b.fields?.resolution?.name ?? "Won't Do") : null;
      return this.send(res, 204, '');
    }
    return this.send(res, 404, { errorMessages: ['Not found'], errors: {} });
  }

  private ghHeaders(): Record<string, string> {
    this.github.remaining = Math.max(0, this.github.remaining - 1);
    return {
      'x-ratelimit-limit': '5000',
      'x-ratelimit-remaining': String(this.github.remaining),
      'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 3600),
      'x-ratelimit-used': String(5000 - this.github.remaining),
      'x-ratelimit-resource': 'core',
      'x-github-media-type': 'github.v3; format=json',
    };
  }

  private ghIssueJson(i: GithubIssue, repo: string) {
    return {
      id: i.id,
      number: i.number,
      html_url: `https://github.example.test/${repo}/issues/${i.number}`,
      url: `${this.githubUrl}/repos/${repo}/issues/${i.number}`,
      title: i.title,
      body: i.body,
      labels: i.labels.map((name) => ({ name })),
      state: i.state,
      state_reason: i.state_reason,
      closed_at: i.closed_at,
      updated_at: i.updated_at,
    };
  }

  private githubRoute(req: IncomingMessage, res: ServerResponse, path: string, body: unknown) {
    const h = this.ghHeaders();
    const doc = 'https://docs.github.com/rest';
    if (req.headers.authorization !== `Bearer ${this.github.token}`)
      return this.send(res, 401, { message: 'Bad credentials', documentation_url: doc, status: '401' }, h);
    const g = /^\/repos\/([^/]+)\/([^/]+)(\/issues(?:\/(\d+))?)?$/.exec(path);
    const repo = g ? `${decodeURIComponent(g[1]!)}/${decodeURIComponent(g[2]!)}` : '';
    if (!g || !this.github.repos.has(repo)) return this.send(res, 404, { message: 'Not Found', documentation_url: doc, status: '404' }, h);
    if (!g[3] && req.method === 'GET') return this.send(res, 200, { full_name: repo, has_issues: true, permissions: { push: true } }, h);
    const b = (body ?? {}) as Record<string, unknown>;
    if (g[3] && !g[4] && req.method === 'POST') {
      if (typeof b.title !== 'string' || !b.title)
        return this.send(
          res,
          422,
          {
            message: 'Validation Failed',
            errors: [{ resource: 'Issue', code: 'missing_field', field: 'title' }],
            documentation_url: doc,
            status: '422',
          },
          h,
        );
      const n = this.next++;
      const issue: GithubIssue = {
        number: n,
        id: 900000 + n,
        title: b.title,
        body: String(b.body ?? ''),
        labels: (b.labels as string[]) ?? [],
        state: 'open',
        state_reason: null,
        closed_at: null,
        updated_at: new Date().toISOString(),
      };
      this.github.issues.set(n, issue);
      return this.send(res, 201, this.ghIssueJson(issue, repo), h);
    }
    if (g[4] && req.method === 'PATCH') {
      const issue = this.github.issues.get(Number(g[4]));
      if (!issue) return this.send(res, 404, { message: 'Not Found', documentation_url: doc, status: '404' }, h);
      if (typeof b.title === 'string') issue.title = b.title;
      if (typeof b.body === 'string') issue.body = b.body;
      if (b.state === 'closed' || b.state === 'open') {
        issue.state = b.state;
        issue.state_reason = b.state === 'closed' ? String(b.state_reason ?? 'completed') : 'reopened';
        issue.closed_at = b.state === 'closed' ? new Date().toISOString() : null;
      }
      issue.updated_at = new Date().toISOString();
      return this.send(res, 200, this.ghIssueJson(issue, repo), h);
    }
    return this.send(res, 404, { message: 'Not Found', documentation_url: doc, status: '404' }, h);
  }
}

/** Posts a webhook as GitHub does: X-Hub-Signature-256 over the raw body, X-GitHub-Event, X-GitHub-Delivery. */
export function githubHook(
  apiUrl: string,
  connectionId: string,
  secret: string | null,
  event: string,
  payload: unknown,
  delivery = crypto.randomUUID(),
) {
  const raw = typeof payload === 'string' ? payload : JSON.stringify(payload);
  const headers: Record<string, string> = { 'content-type': 'application/json', 'x-github-event': event, 'x-github-delivery': delivery };
  if (secret) headers['x-hub-signature-256'] = `sha256=${createHmac('sha256', secret).update(raw).digest('hex')}`;
  return fetch(`${apiUrl}/hooks/github/${connectionId}`, { method: 'POST', headers, body: raw });
}

/** Posts a webhook as a Jira Cloud admin webhook with a secret does: X-Hub-Signature: sha256=<hex>. */
export function jiraHook(
  apiUrl: string,
  connectionId: string,
  secret: string | null,
  payload: unknown,
  identifier = String(Math.floor(Math.random() * 1e12)),
) {
  const raw = typeof payload === 'string' ? payload : JSON.stringify(payload);
  const headers: Record<string, string> = { 'content-type': 'application/json', 'x-atlassian-webhook-identifier': identifier };
  if (secret) headers['x-hub-signature'] = `sha256=${createHmac('sha256', secret).update(raw).digest('hex')}`;
  return fetch(`${apiUrl}/hooks/jira/${connectionId}`, { method: 'POST', headers, body: raw });
}

/** A jira:issue_updated body as Jira Cloud sends it for a status change. */
export function jiraStatusEvent(
  key: string,
  to: { name: string; category: 'new' | 'indeterminate' | 'done' },
  resolution: string | null,
  atMs = Date.now(),
) {
  return {
    timestamp: atMs,
    webhookEvent: 'jira:issue_updated',
    issue_event_type_name: 'issue_generic',
    user: { accountId: '557058:f58131cb', displayName: 'Pat Jira' },
    issue: {
      id: '10001',
      key,
      fields: {
        summary: 'x',
        status: { name: to.name, statusCategory: { key: to.category } },
        resolution: resolution ? { name: resolution } : null,
      },
    },
    changelog: {
      id: '10400',
      items: [
        { field: 'status', fieldtype: 'jira', fieldId: 'status', from: '10000', fromString: 'To Do', to: '10001', toString: to.name },
      ],
    },
  };
}

/** An issues event as GitHub sends it. */
export function githubIssueEvent(action: string, number: number, state: string, stateReason: string | null, at = new Date().toISOString()) {
  return {
    action,
    issue: { number, state, state_reason: stateReason, closed_at: state === 'closed' ? at : null, updated_at: at, title: 'x', labels: [] },
    repository: { full_name: 'acme/ops' },
    sender: { login: 'octocat' },
  };
}
