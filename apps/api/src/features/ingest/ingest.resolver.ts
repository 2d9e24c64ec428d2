import { Ctx, Field, FieldResolver, ID, Int, ObjectType, Resolver, Root } from 'type-graphql';
import type { Context } from '../../graphql/context';
import { Incident } from '../incidents/incident.entity';
import type { IngestedAlertRow } from './ingest.loaders';

@ObjectType({ description: 'A label or annotation of an alert, as its source sent it.' })
export class AlertLabel {
  @Field(() => String) name!: string;
  @Field(() => String) value!: string;
}

@ObjectType({
  description:
    'An alert received on POST /ingest/alerts, with the incident it opened or was attached to (deduplicated by source and identity).',
})
export class IngestedAlert {
  @Field(() => ID) id!: string;
  @Field(() => String, { description: 'The alert source (see `pnpm cli ingest-source`).' }) source!: string;
  @Field(() => String) fingerprint!: string;
  @Field(() => String, {
    description: 'What tells this alert apart within its source: fingerprint/labels hash, or the sender id (docs/imports.md).',
  })
  identity!: string;
  @Field(() => String, { description: 'FIRING or RESOLVED: the last state received.' }) status!: string;
  @Field(() => String) title!: string;
  @Field(() => [AlertLabel]) labels!: AlertLabel[];
  @Field(() => [AlertLabel]) annotations!: AlertLabel[];
  @Field(() => Date, { nullable: true, description: 'When the alert began, by its source.' }) startsAt!: Date | null;
  @Field(() => Date, { nullable: true, description: 'When it ended, by its source (set when resolved).' }) endsAt!: Date | null;
  @Field(() => Date) firstReceivedAt!: Date;
  @Field(() => Date) lastReceivedAt!: Date;
  @Field(() => Int, { description: 'Notifications received for it, duplicates included.' }) receivedCount!: number;
}

const pairs = (o: Record<string, string> | null) => Object.entries(o ?? {}).map(([name, value]) => ({ name, value: String(value) }));

function toAlert(r: IngestedAlertRow): IngestedAlert {
  return {
    id: r.id,
    source: r.source_name,
    fingerprint: r.fingerprint,
    identity: r.identity,
    status: r.status,
    title: r.title,
    labels: pairs(r.labels),
    annotations: pairs(r.annotations),
    startsAt: r.starts_at ? new Date(r.starts_at) : null,
    endsAt: r.ends_at ? new Date(r.ends_at) : null,
    firstReceivedAt: new Date(r.first_received_at),
    lastReceivedAt: new Date(r.last_received_at),
    receivedCount: r.received_count,
  };
}

@Resolver(() => Incident)
export class IncidentAlertsResolver {
  @FieldResolver(() => [IngestedAlert], { description: 'Alerts that opened this incident or were attached to it.' })
  async alerts(@Root() incident: Incident, @Ctx() ctx: Context): Promise<IngestedAlert[]> {
    return (await ctx.loaders.incidentAlerts.load(incident.id)).map(toAlert);
  }
}
