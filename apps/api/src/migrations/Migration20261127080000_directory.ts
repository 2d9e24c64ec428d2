import { Migration } from '@mikro-orm/migrations';

/** Categories can be retired: kept on the incidents that have them, no longer offered for new ones. */
export class Migration20261127080000_directory extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table categories add column retired_at timestamptz;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table categories drop column retired_at;`);
  }
}
