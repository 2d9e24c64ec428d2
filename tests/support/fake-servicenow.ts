import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AuditEntry } from '@ikb/api/src/features/imports/servicenow/servicenow-audit';

/**
 * A local server that answers like ServiceNow's Table API, for the pull's tests: basic
 * authentication, sysparm_query's sys_updated_on>= condition and ORDERBY, sysparm_limit and
 * sysparm_offset with X-Total-Count and Link headers (first, prev, next, last), sys_audit (or a 403
 * without the right), name lookups in sys_user_group and sys_user, and faults a test queues.
 */

export type Rec = Record<string, unknown>;
/** A sys_audit row as the Table API answers it: what the importer reads. */
export type AuditRow = AuditEntry;

export interface Fault {
  /** Which requests it answers (default: any incident page). */
  when?: (url: URL) => boolean;
  /** How many times (default once). */
  times?: number;
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

export interface FakeServiceNow {
  url: string;
  incidents: Rec[];
  audit: AuditRow[];
  names: Record<string, Record<string, string>>;
  auditForbidden: boolean;
  faults: Fault[];
  /** Every request: path and the query's parameters. */
  requests: { path: string; params: Record<string, string>; status: number }[];
  close(): Promise<void>;
}

export const USER = 'ikb.sync';
export const PASSWORD = 'correct horse battery staple';

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'content-type': 'application/json;charset=UTF-8', ...headers });
  res.end(JSON.stringify(body));
}

/** The value of a field as stored (a {display_value, value} pair or a plain string). */
const valueOf = (r: Rec, f: string) => {
  const v = r[f];
  return v && typeof v === 'object' ? String((v as { value?: unknown }).value ?? '') : String(v ?? '');
};

export async function startFakeServiceNow(): Promise<FakeServiceNow> {
  const fake: FakeServiceNow = {
    url: '',
    incidents: [],
    audit: [],
    names: { sys_user_group: {}, sys_user: {} },
    auditForbidden: false,
    faults: [],
    requests: [],
    close: async () => {},
  };
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', fake.url);
    const params = Object.fromEntries(url.searchParams);
    const answer = (status: number, body: unknown, headers?: Record<string, string>) => {
      fake.requests.push({ path: url.pathname, params, status });
      json(res, status, body, headers);
    };
    const expected = `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`;
    if (req.headers.authorization !== expected)
      return answer(401, {
        error: { message: 'User Not Authenticated', detail: 'Required to provide Auth information' },
        status: 'failure',
      });
    const fault = fake.faults.find((f) => (f.when ? f.when(url) : url.pathname === '/api/now/table/incident'));
    if (fault) {
      fault.times = (fault.times ?? 1) - 1;
      if (fault.times <= 0) fake.faults.splice(fake.faults.indexOf(fault), 1);
      fake.requests.push({ path: url.pathname, params, status: fault.status });
      res.writeHead(fault.status, { 'content-type': 'application/json', ...fault.headers });
      res.end(fault.body ?? '');
      return;
    }
    const query = params.sysparm_query ?? '';
    if (url.pathname === '/api/now/table/incident') {
      const since = /(?:^|\^)sys_updated_on>=([^^]+)/.exec(query)?.[1];
      const rows = fake.incidents
        .filter((r) => !since || valueOf(r, 'sys_updated_on') >= since)
        .sort((a, b) =>
          valueOf(a, 'sys_updated_on') === valueOf(b, 'sys_updated_on')
            ? valueOf(a, 'sys_id').localeCompare(valueOf(b, 'sys_id'))
            : valueOf(a, 'sys_updated_on').localeCompare(valueOf(b, 'sys_updated_on')),
        );
      const limit = Number(params.sysparm_limit ?? 10000);
      const offset = Number(params.sysparm_offset ?? 0);
      const page = rows.slice(offset, offset + limit);
      const link = (o: number) => {
        const u = new URL(url);
        u.searchParams.set('sysparm_offset', String(o));
        return u.href;
      };
      const links = [`<${link(0)}>;rel="first"`];
      if (offset > 0) links.push(`<${link(Math.max(0, offset - limit))}>;rel="prev"`);
      if (offset + limit < rows.length) links.push(`<${link(offset + limit)}>;rel="next"`);
      links.push(`<${link(Math.max(0, Math.floor((rows.length - 1) / limit) * limit))}>;rel="last"`);
      return answer(200, { result: page }, { 'x-total-count': String(rows.length), link: links.join(',') });
    }
    if (url.pathname === '/api/now/table/sys_audit') {
      if (fake.auditForbidden)
        return answer(403, { error: { message: 'User Not Authorized', detail: 'ACL Exception Read Operation Failed' }, status: 'failure' });
      const docs = /documentkeyIN([^^]+)/.exec(query)?.[1]?.split(',') ?? [];
      const rows = fake.audit.filter((a) => docs.includes(a.documentkey)).sort((a, b) => a.sys_created_on.localeCompare(b.sys_created_on));
      return answer(200, { result: rows }, { 'x-total-count': String(rows.length) });
    }
    const table = /^\/api\/now\/table\/(sys_user_group|sys_user)$/.exec(url.pathname)?.[1];
    if (table) {
      const ids = /sys_idIN([^^]+)/.exec(query)?.[1]?.split(',') ?? [];
      return answer(200, { result: ids.filter((id) => fake.names[table][id]).map((id) => ({ sys_id: id, name: fake.names[table][id] })) });
    }
    return answer(400, { error: { message: 'Invalid table', detail: url.pathname }, status: 'failure' });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fake.close = () => new Promise<void>((r) => server.close(() => r()));
  return fake;
}

/** A record as sysparm_display_value=all&sysparm_exclude_reference_link=true gives it. */
export function allShape(fields: Record<string, string | [string, string]>): Rec {
  return Object.fromEntries(
    Object.entries(fields).map(([k, v]) => [k, Array.isArray(v) ? { display_value: v[1], value: v[0] } : { display_value: v, value: v }]),
  );
}
