import { Entity, PrimaryKey, Property, t } from '@mikro-orm/core';
import type { PublicImpact, PublicState } from '@ikb/domain';
import { TextArrayType } from '../../db/pg-array';

/**
 * The public side of a stakeholder update (status_updates): what the status page shows, and all it
 * reads besides public services. Written in the update's transaction; the fan-out to subscribers
 * runs later (status-fanout.ts), for rows with fanoutPending (the column's default is false under
 * `ikb.notify = 'off'`, as imports and seeds run).
 */
@Entity({ tableName: 'status_updates' })
export class StatusUpdate {
  @PrimaryKey({ type: t.bigint, autoincrement: true })
  id!: string;

  @Property({ type: t.uuid })
  incidentId!: string;

  @Property({ type: TextArrayType, columnType: 'uuid[]' })
  serviceIds: string[] = [];

  @Property({ type: t.string, length: 200 })
  title!: string;

  @Property({ type: t.string, length: 16 })
  state!: PublicState;

  @Property({ type: t.string, length: 24 })
  impact!: PublicImpact;

  @Property({ type: t.text })
  body!: string;

  @Property({ type: t.datetime })
  startedAt!: Date;

  @Property({ type: t.datetime })
  postedAt!: Date;
}
