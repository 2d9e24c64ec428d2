import { Client } from 'pg';

/** Every table of the application's schemas: row count and md5 of its rows in text order; every sequence's position. */
export async function snapshot(url: string): Promise<Record<string, string>> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    const out: Record<string, string> = {};
    const tables = (
      await c.query<{ schema: string; name: string }>(
        `select n.nspname as schema, c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
         where c.relkind in ('r', 'p') and n.nspname not in ('pg_catalog', 'information_schema') and n.nspname not like 'pg\\_%'
           order by 1, 2`,
      )
    ).rows;
    for (const t of tables) {
      const [r] = (
        await c.query(
          `select count(*)::int as n, md5(coalesce(string_agg(t::text, E'\\n' order by t::text), '')) as h from
            "${t.schema}"."${t.name}" t`,
        )
      ).rows;
      out[`${t.schema}.${t.name}`] = `${r.n} rows ${r.h}`;
    }
    for (const s of (
      await c.query(
        `select schemaname, sequencename, last_value from pg_sequences where schemaname not in ('pg_catalog', 'information_schema')
          order by 1, 2`,
      )
    ).rows) {
      out[`sequence ${s.schemaname}.${s.sequencename}`] = String(s.last_value);
    }
    return out;
  } finally {
    await c.end();
  }
}
