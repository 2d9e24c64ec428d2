import { Migration } from '@mikro-orm/migrations';

/**
 * One-time links to create the first admin: the API makes one at boot while no enabled admin
 * exists and prints it; only the SHA-256 of the token is kept, with its expiry and use.
 */
export class Migration20261205010000_setup_tokens extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table setup_tokens (
      id uuid primary key,
      token_hash varchar(64) not null unique,
      created_at timestamptz not null default now(),
      expires_at timestamptz not null,
      used_at timestamptz
    );`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table setup_tokens;`);
  }
}
