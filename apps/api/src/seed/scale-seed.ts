import type { EntityManager } from '@mikro-orm/postgresql';
import { Incident } from '../features/incidents/incident.entity';
import { seedDemo } from './demo-seed';

/**
 * Vocabulary for generated incidents: combinations give tens of thousands of distinct titles and
 * descriptions, with the skewed term frequencies of real ticket text (a few very common words,
 * a long tail of hosts and error codes).
 */
const COMPONENTS = [
  'payments-api',
  'checkout-web',
  'idp-1',
  'idp-2',
  'db-replica-03',
  'db-primary-01',
  'orders_daily',
  'vpn gateway',
  'mail relay',
  'search cluster',
  'kafka broker',
  'redis cache',
  'ingress controller',
  'cert-manager',
  'coredns',
  'airflow scheduler',
  'billing batch',
  'mobile api',
  'inventory service',
  'warehouse loader',
  'sso portal',
  'hr sync',
  'file share',
  'print server',
  'wifi controller',
  'laptop image',
  'mdm agent',
  'backup job',
  'object storage',
  'cdn edge',
  'dns resolver',
  'load balancer',
  'api gateway',
  'ledger service',
];
const SYMPTOMS = [
  'returns HTTP 502',
  'returns HTTP 503',
  'times out',
  'high latency',
  'disk full',
  'certificate expired',
  'in crash loop',
  'memory leak',
  'login loop',
  'connection refused',
  'DNS resolution failure',
  'replication lag',
  'queue backlog',
  'deadlock detected',
  'rate limited',
  'data duplicated',
  'job failed',
  'slow queries',
  'packet loss',
  'authentication failure',
  'permission denied',
  'out of memory',
  'stale cache',
  'sync stopped',
  'certificate mismatch',
  'checksum error',
  'dropped connections',
  'cpu saturation',
];
const CODES = [
  'ORA-01555',
  'EAI_AGAIN',
  'ECONNRESET',
  'ETIMEDOUT',
  'HTTP 503',
  '5.7.1',
  'SQLSTATE 40P01',
  'OOMKilled',
  'x509',
  'ENOSPC',
  'SAML_SKEW',
  'ERR_TLS_CERT',
  'KAFKA_LAG',
  'NXDOMAIN',
  'HTTP 429',
  'DPD_TIMEOUT',
  'E11000',
  'SIGKILL',
  'ERR_PROXY',
  'HTTP 504',
];
const ACTIONS = [
  'Restarted',
  'Rolled back',
  'Scaled out',
  'Purged',
  'Rotated credentials for',
  'Failed over',
  'Reindexed',
  'Resized the volume of',
  'Flushed the cache of',
  'Patched',
  'Reconfigured',
  'Re-ran',
  'Throttled clients of',
  'Replaced the node behind',
  'Renewed the certificate of',
];
const CAUSES = [
  'after a deployment',
  'during the nightly batch',
  'after a configuration change',
  'under peak load',
  'after a vendor outage',
  'after an expired secret',
  'after a network change',
  'after a schema migration',
  'after a failed backup',
  'for unknown reasons',
];

const lit = (values: string[]) => `array[${values.map((v) => `'${v.replace(/'/g, "''")}'`).join(', ')}]`;

export interface ScaleOptions {
  incidents: number;
  batch?: number;
  seed?: number;
  log?: (line: string) => void;
}

/**
 * Adds N generated incidents (resolved and closed mostly, some open) over the past two years, with
 * a short timeline each, SLA clocks, problem links for a fifth of them, and their search documents,
 * all set-wise in SQL. Search triggers are switched off during the load and the index is rebuilt
 * from the same views the triggers use.
 */
export async function seedScale(em: EntityManager, opts: ScaleOptions): Promise<string> {
  const log = opts.log ?? (() => {});
  if ((await em.fork().count(Incident, {})) === 0) {
    log('empty database: seeding the demo organisation first');
    await seedDemo(em.fork(), { incidents: 200 });
  }
  const batch = opts.batch ?? 100_000;
  const conn = em.getConnection();
  await conn.execute(`select setseed(${((opts.seed ?? 42) % 1000) / 1000})`);
  await conn.execute(`alter table incidents disable trigger search_on_incidents`);
  const t0 = Date.now();
  try {
    for (let done = 0; done < opts.incidents; done += batch) {
      const n = Math.min(batch, opts.incidents - done);
      await em.fork().transactional(async (tem) => {
        // Generated history, not news: no notifications (decision 0006).
        await tem.execute(`select set_config('ikb.notify', 'off', true)`);
        await tem.execute(`create temporary table gen on commit drop as
          with dims as (
            select array(select id from services order by name) as services,
                   array(select id from categories where parent_id is not null order by name) as categories,
                   array(select id from teams order by name) as teams,
                   array(select id from users order by name) as users,
                   array(select id from problems order by number) as problems
          ), base as (
            select g, d.*, random() as r1, random() as r2, random() as r3, random() as r4, random() as r5, random() as r6,
              now() - (random() * interval '730 days') as opened
            from generate_series(1, ${n}) g, dims d
          )
          select gen_random_uuid() as id, nextval('incident_number_seq') as number,
            (${lit(COMPONENTS)})[1 + floor(r1 * ${COMPONENTS.length})::int] || ' '
              || (${lit(SYMPTOMS)})[1 + floor(r2 * ${SYMPTOMS.length})::int] as title,
            'Users report that ' || (${lit(COMPONENTS)})[1 + floor(r3 * ${COMPONENTS.length})::int]
              || ' ' || (${lit(SYMPTOMS)})[1 + floor(r2 * ${SYMPTOMS.length})::int]
              || ' ' || (${lit(CAUSES)})[1 + floor(r4 * ${CAUSES.length})::int]
              || '. Logs show ' || (${lit(CODES)})[1 + floor(r5 * ${CODES.length})::int]
              || ' on host ' || 'node-' || (1 + floor(r6 * 400))::int || '.' as description,
            (${lit(ACTIONS)})[1 + floor(r4 * ${ACTIONS.length})::int] || ' '
              || (${lit(COMPONENTS)})[1 + floor(r1 * ${COMPONENTS.length})::int]
              || '; error ' || (${lit(CODES)})[1 + floor(r5 * ${CODES.length})::int] || ' cleared.' as resolution_notes,
            services[1 + floor(r1 * array_length(services, 1))::int] as service_id,
            categories[1 + floor(r2 * array_length(categories, 1))::int] as category_id,
            teams[1 + floor(r3 * array_length(teams, 1))::int] as team_id,
            users[1 + floor(r6 * array_length(users, 1))::int] as assignee_id,
            case when r5 < 0.2 and array_length(problems, 1) > 0
              then problems[1 + floor(r4 * array_length(problems, 1))::int] end as problem_id,
            (1 + floor(r3 * 3))::smallint as impact, (1 + floor(r6 * 3))::smallint as urgency,
            opened as opened_at, opened - (r2 * interval '30 minutes') as detected_at,
            opened + (exp(ln(20) + 1.0 * (r4 - 0.5) * 3) * interval '1 minute') as acknowledged_at,
            opened + (exp(ln(360) + 1.2 * (r1 + r2 - 1) * 3) * interval '1 minute') as resolved_at,
            r3 as rstatus, (r5 < 0.03) as reopened, (r6 < 0.04) as major
          from base`);
        await tem.execute(`insert into incidents (id, number, title, description, service_id, category_id, impact, urgency, priority,
            status, hold_reason, source, assignee_id, team_id, major, detected_at, opened_at, acknowledged_at, resolved_at, closed_at,
            resolution_kind, resolution_code, resolution_notes, user_confirmed, reopen_count, reassignment_count, event_seq, updated_at,
            version, problem_id)
          select g.id, g.number, g.title, g.description, g.service_id, g.category_id, g.impact, g.urgency,
            (g.impact + g.urgency - 1)::smallint,
            case when g.opened_at > now() - interval '3 days' and g.rstatus < 0.5 then 'INVESTIGATING'
                 when g.resolved_at > now() then 'INVESTIGATING'
                 when g.rstatus < 0.9 then 'CLOSED' else 'RESOLVED' end,
            null, case when g.rstatus < 0.4 then 'MONITORING' else 'USER_REPORT' end,
            g.assignee_id, g.team_id, g.major, g.detected_at, g.opened_at, g.acknowledged_at,
            case when (g.opened_at > now() - interval '3 days' and g.rstatus < 0.5) or g.resolved_at > now() then null
                 else g.resolved_at end,
            case when g.rstatus < 0.9 and g.resolved_at + interval '2 days' < now()
                  and not (g.opened_at > now() - interval '3 days' and g.rstatus < 0.5) then g.resolved_at + interval '2 days' end,
            case when g.opened_at > now() - interval '3 days' and g.rstatus < 0.5 or g.resolved_at > now() then null
                 when g.r_kind < 0.3 then 'WORKAROUND' else 'PERMANENT_FIX' end,
            case when g.opened_at > now() - interval '3 days' and g.rstatus < 0.5 or g.resolved_at > now() then null else 'FIXED' end,
            case when g.opened_at > now() - interval '3 days' and g.rstatus < 0.5 or g.resolved_at > now() then null
                 else g.resolution_notes end,
            case when g.rstatus < 0.9 then true end,
            case when g.reopened then 1 else 0 end, 0, 4, now(), 1, g.problem_id
          from (select gen.*, random() as r_kind from gen) g`);
        // A short timeline each: logged, acknowledged, resolved, closed.
        await tem.execute(`insert into incident_events (id, incident_id, seq, at, recorded_at, actor_name, kind, summary, before, after)
          select gen_random_uuid(), i.id, 1, i.opened_at, i.opened_at, 'generator', 'LOGGED', 'Logged INC-' || lpad(i.number::text, 6, '0'),
                 null::jsonb, jsonb_build_object('status', 'NEW', 'priority', i.priority, 'assigneeId', i.assignee_id)
            from incidents i join gen g on g.id = i.id
          union all
          select gen_random_uuid(), i.id, 2, i.acknowledged_at, i.acknowledged_at, 'generator', 'ACKNOWLEDGED', 'Acknowledged', null::jsonb,
                 jsonb_build_object('acknowledgedAt', i.acknowledged_at)
            from incidents i join gen g on g.id = i.id
          union all
          select gen_random_uuid(), i.id, 3, i.resolved_at, i.resolved_at, 'generator', 'STATUS_CHANGED', 'INVESTIGATING -> RESOLVED',
                 jsonb_build_object('status', 'INVESTIGATING'), jsonb_build_object('status', 'RESOLVED')
            from incidents i join gen g on g.id = i.id where i.resolved_at is not null
          union all
          select gen_random_uuid(), i.id, 4, i.closed_at, i.closed_at, 'generator', 'STATUS_CHANGED', 'RESOLVED -> CLOSED',
                 jsonb_build_object('status', 'RESOLVED'), jsonb_build_object('status', 'CLOSED')
            from incidents i join gen g on g.id = i.id where i.closed_at is not null`);
        // Clocks under the default 24x7 policy: wall-clock arithmetic is exact for it.
        await tem.execute(`insert into sla_clocks (incident_id, target, policy_version_id, priority, target_minutes, segments, state,
            elapsed_minutes, due_at, breached_at, stopped_at, verdict, computed_at)
          select i.id, t.target, v.id, i.priority, t.minutes,
            jsonb_build_array(jsonb_build_object('state', 'RUNNING', 'holdReason', null, 'from', i.opened_at, 'to', t.stop)),
            case when t.stop is null then 'RUNNING' else 'STOPPED' end,
            floor(extract(epoch from (coalesce(t.stop, now()) - i.opened_at)) / 60)::int,
            i.opened_at + t.minutes * interval '1 minute',
            case when coalesce(t.stop, now()) > i.opened_at + t.minutes * interval '1 minute'
                 then i.opened_at + t.minutes * interval '1 minute' end,
            t.stop,
            case when coalesce(t.stop, now()) > i.opened_at + t.minutes * interval '1 minute' then 'BREACHED'
                 when t.stop is null then 'PENDING' else 'MET' end,
            now()
          from incidents i join gen g on g.id = i.id
          join sla_policies p on p.is_default join sla_policy_versions v on v.policy_id = p.id and v.version = p.current_version
          cross join lateral (values
            ('RESPONSE', (v.targets -> i.priority::text ->> 'responseMinutes')::int, least(i.acknowledged_at, i.resolved_at)),
            ('RESOLUTION', (v.targets -> i.priority::text ->> 'resolutionMinutes')::int, i.resolved_at)) as t(target, minutes, stop)`);
        await tem.execute(
          `update incidents i set sla_policy_version_id = c.policy_version_id from sla_clocks c join gen g on g.id = c.incident_id
            where c.incident_id = i.id and c.target = 'RESOLUTION'`,
        );
        await tem.execute(`insert into search_documents (entity_id, kind, title, body, identifiers, service_id, category_id, priority,
            status, occurred_at, boost, retired, fix, learned, tsv)
          select s.entity_id, s.kind, s.title, s.body, s.identifiers, s.service_id, s.category_id, s.priority, s.status, s.occurred_at,
                 s.boost, s.retired, s.fix, s.learned, search_tsv(s.title, s.identifiers, s.body, s.fix, s.learned)
            from search_source_incidents s join gen g on g.id = s.entity_id`);
      });
      const rate = Math.round(((done + n) / (Date.now() - t0)) * 1000);
      log(`${done + n} / ${opts.incidents} incidents (${rate}/s)`);
    }
  } finally {
    await conn.execute(`alter table incidents enable trigger search_on_incidents`);
  }
  await conn.execute(`analyze incidents; analyze incident_events; analyze sla_clocks; analyze search_documents`);
  return `${opts.incidents} incidents generated in ${((Date.now() - t0) / 1000).toFixed(1)} s`;
}
