import type { ClockSegment, ClockState, ClockVerdict, SlaTarget } from '@ikb/domain';
import { Entity, PrimaryKey, Property, t } from '@mikro-orm/core';

/** Stored form of a segment: ISO strings in JSON. */
export interface StoredSegment {
  state: ClockSegment['state'];
  holdReason: ClockSegment['holdReason'];
  from: string;
  to: string | null;
}

/**
 * The clock of one incident and target, rebuilt from the incident's events on every change.
 * due_at / breached_at / verdict are as of computed_at; live values are derived at read time.
 */
@Entity({ tableName: 'sla_clocks' })
export class SlaClockRecord {
  @PrimaryKey({ type: t.uuid })
  incidentId!: string;

  @PrimaryKey({ type: t.string })
  target!: SlaTarget;

  @Property({ type: t.uuid })
  policyVersionId!: string;

  @Property({ type: t.smallint })
  priority!: number;

  @Property({ type: t.integer })
  targetMinutes!: number;

  @Property({ type: t.json })
  segments!: StoredSegment[];

  @Property({ type: t.string })
  state!: ClockState;

  @Property({ type: t.integer })
  elapsedMinutes!: number;

  @Property({ type: t.datetime, nullable: true })
  dueAt: Date | null = null;

  @Property({ type: t.datetime, nullable: true })
  warn50At: Date | null = null;

  @Property({ type: t.datetime, nullable: true })
  warn75At: Date | null = null;

  @Property({ type: t.datetime, nullable: true })
  warn90At: Date | null = null;

  @Property({ type: t.datetime, nullable: true })
  breachedAt: Date | null = null;

  @Property({ type: t.datetime, nullable: true })
  stoppedAt: Date | null = null;

  @Property({ type: t.string })
  verdict!: ClockVerdict;

  @Property({ type: t.datetime })
  computedAt!: Date;
}
