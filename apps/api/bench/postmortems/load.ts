/**
 * Loads the postmortem corpus into a database without the demo seed, as a user would: the archive's
 * CSV export imported with `import csv --mapping postmortems.mapping.json` (the `pnpm cli import`
 * command, run in process), then, through GraphQL, a problem with its root cause and an active
 * workaround for each known error, linked to its postmortems; the postmortems still open in the
 * export (Monitoring) get the workaround applied and are resolved with it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EntityManager } from '@mikro-orm/postgresql';
import { runImportsCli } from '../../src/features/imports/imports.cli';
import type { Gql, RelevanceCorpus, Sql } from '../relevance-set';
import { writePostmortemExport } from './export-file';
import { KNOWN_ERRORS, POSTMORTEMS } from './index';

export const POSTMORTEM_MAPPING = join(__dirname, 'postmortems.mapping.json');

export type WithEm = <T>(fn: (em: EntityManager) => Promise<T>) => Promise<T>;

async function call(gql: Gql, query: string, variables: Record<string, unknown> = {}): Promise<any> {
  const r = await gql(query, variables);
  if (r.errors?.length || !r.data) throw new Error(`GraphQL errors: ${JSON.stringify(r.errors)}`);
  return Object.values(r.data)[0];
}

/** INC numbers of the imported postmortems by reference (PM-101 -> INC-000001): the corpus of set 2. */
export async function postmortemNumbers(sql: Sql): Promise<RelevanceCorpus> {
  const rows: { ref: string; number: number }[] = await sql(
    `select external_ref as ref, number from incidents where external_ref like 'PM-%' order by number`,
  );
  return { numbers: Object.fromEntries(rows.map((r) => [r.ref, `INC-${String(r.number).padStart(6, '0')}`])) };
}

/** Whether the corpus is already loaded (`--reuse`): every postmortem imported and every known error made. */
export async function postmortemCorpusLoaded(sql: Sql): Promise<boolean> {
  const [row] = await sql(
    `select (select count(*)::int from incidents where external_ref like 'PM-%') as incidents,
      (select count(*)::int from workarounds where status = 'ACTIVE') as workarounds`,
  );
  return row.incidents === POSTMORTEMS.length && row.workarounds === KNOWN_ERRORS.length;
}

export async function loadPostmortemCorpus(gql: Gql, sql: Sql, withEm: WithEm): Promise<RelevanceCorpus> {
  const dir = mkdtempSync(join(tmpdir(), 'ikb-postmortems-'));
  try {
    const file = join(dir, 'postmortems.csv');
    writePostmortemExport(file);
    const out: string[] = [];
    const code = await runImportsCli('import', ['csv', file, '--mapping', POSTMORTEM_MAPPING], withEm, {
      out: (l) => out.push(l),
      err: (l) => out.push(l),
    });
    if (code !== 0) throw new Error(`import csv exited ${code}:\n${out.join('\n')}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  const corpus = await postmortemNumbers(sql);
  const ids = new Map<string, { id: string; serviceId: string | null; categoryId: string | null }>();
  for (const r of await sql(`select id, external_ref, service_id, category_id from incidents where external_ref like 'PM-%'`))
    ids.set(r.external_ref, { id: r.id, serviceId: r.service_id, categoryId: r.category_id });
  const byRef = (ref: string) => {
    const inc = ids.get(ref);
    if (!inc) throw new Error(`postmortem ${ref} was not imported`);
    return inc;
  };

  for (const ke of KNOWN_ERRORS) {
    const first = byRef(ke.refs[0]!);
    const problem = await call(gql, `mutation($input: CreateProblemInput!) { createProblem(input: $input) { id } }`, {
      input: { ...ke.problem, serviceId: first.serviceId, categoryId: first.categoryId, incidentIds: ke.refs.map((r) => byRef(r).id) },
    });
    const workaround = await call(gql, `mutation($input: CreateWorkaroundInput!) { createWorkaround(input: $input) { id } }`, {
      input: { ...ke.workaround, status: 'ACTIVE', problemIds: [problem.id] },
    });
    await call(gql, `mutation($id: ID!) { transitionProblem(id: $id, to: KNOWN_ERROR) { id } }`, { id: problem.id });
    for (const ref of ke.refs) {
      const pm = POSTMORTEMS.find((p) => p.ref === ref)!;
      if (pm.status !== 'Monitoring') continue;
      const incidentId = byRef(ref).id;
      await call(gql, `mutation($i: ID!, $w: ID!, $n: String) { applyWorkaround(incidentId: $i, workaroundId: $w, note: $n) { id } }`, {
        i: incidentId,
        w: workaround.id,
        n: 'Applied from the known error',
      });
      await call(gql, `mutation($id: ID!, $input: TransitionIncidentInput!) { transitionIncident(id: $id, input: $input) { id } }`, {
        id: incidentId,
        input: {
          to: 'RESOLVED',
          resolutionKind: 'WORKAROUND',
          resolutionCode: pm.resolutionCode,
          resolutionNotes: pm.resolution,
          workaroundId: workaround.id,
          occurredAt: pm.resolvedAt,
        },
      });
    }
  }
  const open = POSTMORTEMS.filter((p) => p.status === 'Monitoring' && !KNOWN_ERRORS.some((k) => k.refs.includes(p.ref)));
  if (open.length) throw new Error(`postmortems left open (Monitoring without a known error): ${open.map((p) => p.ref).join(', ')}`);
  return corpus;
}
