import { Arg, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { GraphQLJSONObject } from 'graphql-scalars';
import { AppError, assertUuid } from '../../errors';
import type { Context } from '../../graphql/context';
import { AlertSource, CreateAlertSourceInput, CreatedAlertSource } from './alert-source.types';
import { validateRules, type SourceRules } from './ingest-rules';
import {
  createIngestSource,
  IngestSourceError,
  revokeIngestSource,
  rotateIngestToken,
  setIngestRules,
  type IngestSource,
} from './ingest-source';

/** Alert sources through GraphQL, for the web app's admin pages (the CLI's `ingest-source` does the same). */
@Resolver(() => AlertSource)
export class AlertSourceResolver {
  @Query(() => [AlertSource], { description: 'Alert sources with what they sent, by name (admins).' })
  alertSources(@Ctx() ctx: Context): Promise<AlertSource[]> {
    return withStats(ctx, null);
  }

  @Mutation(() => CreatedAlertSource, { description: 'A new alert source; its token is shown once.' })
  async createAlertSource(
    @Arg('input', () => CreateAlertSourceInput) input: CreateAlertSourceInput,
    @Ctx() ctx: Context,
  ): Promise<CreatedAlertSource> {
    const rules = checkedRules(input.rules ?? {});
    const { source, token } = await refusals(() => createIngestSource(ctx.em, input.name, rules));
    return { source: (await withStats(ctx, source.id))[0]!, token };
  }

  @Mutation(() => CreatedAlertSource, {
    description: 'A new token for the source; the old one stops working at once (also lifts a revocation).',
  })
  async rotateAlertSourceToken(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<CreatedAlertSource> {
    assertUuid('id', id);
    const { source, token } = await refusals(() => rotateIngestToken(ctx.em, { id }));
    return { source: (await withStats(ctx, source.id))[0]!, token };
  }

  @Mutation(() => AlertSource, { description: 'Its token stops working at once; what it sent stays.' })
  async revokeAlertSource(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<AlertSource> {
    assertUuid('id', id);
    const source = await refusals(() => revokeIngestSource(ctx.em, { id }));
    return (await withStats(ctx, source.id))[0]!;
  }

  @Mutation(() => AlertSource, { description: 'Replace the classification rules (docs/imports.md, "Classification").' })
  async setAlertSourceRules(
    @Arg('id', () => ID) id: string,
    @Arg('rules', () => GraphQLJSONObject) rules: Record<string, unknown>,
    @Ctx() ctx: Context,
  ): Promise<AlertSource> {
    assertUuid('id', id);
    const source = await refusals(() => setIngestRules(ctx.em, { id }, checkedRules(rules)));
    return (await withStats(ctx, source.id))[0]!;
  }
}

function checkedRules(raw: unknown): SourceRules {
  const checked = validateRules(raw);
  if (!checked.ok) throw new AppError('BAD_USER_INPUT', `rules: ${checked.issues.join('; ')}`, { field: 'rules', issues: checked.issues });
  return checked.rules;
}

/** The ingest-source module's refusals, as the API's typed errors. */
async function refusals<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (!(err instanceof IngestSourceError)) throw err;
    if (/already exists/.test(err.message))
      throw new AppError('CONFLICT', `name: ${err.message.replace(/ \(use ingest-source rotate.*\)$/, '')}`, { field: 'name' });
    if (err.message.startsWith('No alert source')) throw new AppError('NOT_FOUND', `id: ${err.message}`, { field: 'id' });
    throw new AppError('BAD_USER_INPUT', err.message.replace(/^--name/, 'name:'), { field: /--name/.test(err.message) ? 'name' : 'rules' });
  }
}

/** Sources with their counts, in one statement (one source, or all of them by name). */
async function withStats(ctx: Context, id: string | null): Promise<AlertSource[]> {
  const rows = await ctx.sql<
    (Record<string, unknown> & { stats_alerts: string; stats_distinct: string; stats_incidents: string; stats_firing: string })[]
  >(
    `select s.*, coalesce(a.received, 0) as stats_alerts, coalesce(a.distinct_alerts, 0) as stats_distinct,
            coalesce(a.incidents, 0) as stats_incidents, coalesce(a.firing, 0) as stats_firing, a.last_alert_at
       from ingest_sources s
       left join (select source_id, sum(received_count) as received, count(distinct identity) as distinct_alerts,
                         count(distinct incident_id) as incidents,
                         count(*) filter (where status = 'FIRING') as firing, max(last_received_at) as last_alert_at
                    from ingested_alerts ${id ? 'where source_id = ?' : ''} group by source_id) a on a.source_id = s.id
      ${id ? 'where s.id = ?' : ''} order by lower(s.name)`,
    id ? [id, id] : [],
  );
  return rows.map((r) => {
    const base: IngestSource = {
      id: r.id as string,
      name: r.name as string,
      tokenPrefix: r.token_prefix as string,
      rules: (typeof r.rules === 'string' ? JSON.parse(r.rules) : r.rules) as SourceRules,
      createdAt: new Date(r.created_at as string),
      lastUsedAt: r.last_used_at ? new Date(r.last_used_at as string) : null,
      revokedAt: r.revoked_at ? new Date(r.revoked_at as string) : null,
    };
    return {
      ...base,
      rules: base.rules as Record<string, unknown>,
      lastAlertAt: r.last_alert_at ? new Date(r.last_alert_at as string) : null,
      alertsReceived: Number(r.stats_alerts),
      distinctAlerts: Number(r.stats_distinct),
      incidents: Number(r.stats_incidents),
      firing: Number(r.stats_firing),
    };
  });
}
