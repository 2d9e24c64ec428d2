import { Migration } from '@mikro-orm/migrations';

/**
 * Sign-in failures are counted per email (hashed), for known and unknown accounts alike, so that a
 * lockout or its absence does not tell which emails have accounts; the count is taken atomically
 * before the password is checked (see sign-in-throttle.ts). Emails are stored normalised (NFKC,
 * no invisible characters, lower case), so `sp\u200b@example.com` is not a second account.
 */
export class Migration20261205000000_sign_in_throttles extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table sign_in_throttles (
      key_hash text primary key,
      failed_attempts integer not null default 0,
      locked_until timestamptz,
      updated_at timestamptz not null default now()
    );`);
    this.addSql(`create index sign_in_throttles_updated_idx on sign_in_throttles (updated_at);`);
    // Emails whose normal form is taken by another account keep their form (an admin can merge them).
    this.addSql(`update users u set email = n.email
      from (select id, lower(btrim(regexp_replace(normalize(email, NFKC), '[\\u200B-\\u200D\\u2060\\uFEFF\\u180E\\u00AD]', '', 'g')))
              as email from users) n
      where n.id = u.id and n.email <> u.email and not exists (select 1 from users o where o.email = n.email);`);
    this.addSql(`insert into sign_in_throttles (key_hash, failed_attempts, locked_until)
      select encode(sha256(convert_to(email, 'UTF8')), 'hex'), failed_logins, locked_until from users
      where failed_logins > 0 or locked_until is not null
      on conflict (key_hash) do nothing;`);
    this.addSql(`alter table users drop column failed_logins, drop column locked_until;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table users add column failed_logins integer not null default 0, add column locked_until timestamptz;`);
    this.addSql(`drop table sign_in_throttles;`);
  }
}
