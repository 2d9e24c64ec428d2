import { Entity, PrimaryKey, Property, t } from '@mikro-orm/core';

/** Small typed configuration documents (priority matrix, ...), keyed by name. */
@Entity({ tableName: 'app_settings' })
export class AppSetting {
  @PrimaryKey({ type: t.string })
  key!: string;

  @Property({ type: t.json })
  value!: unknown;

  @Property({ type: t.datetime })
  updatedAt: Date = new Date();
}
