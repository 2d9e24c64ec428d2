import { Migration } from '@mikro-orm/migrations';

/**
 * Read-your-writes with read replicas (db/replicas.ts, docs/decisions/0005-read-replicas.md): the
 * primary's WAL position after a caller's last write, per caller (an API token or a session), kept
 * in the primary so that whichever API instance serves the caller's next read knows it. A read
 * goes to a replica only once the replica has replayed up to it. Unlogged would lose it on a crash
 * and skip the standby, but then a replica promoted to primary would miss it; a plain table it is.
 */
export class Migration20261209005000_read_positions extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table read_positions (
      caller varchar(80) primary key,
      lsn pg_lsn not null,
      updated_at timestamptz not null default now()
    );`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table read_positions;`);
  }
}
