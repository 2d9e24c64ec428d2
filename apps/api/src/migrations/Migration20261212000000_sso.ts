import { Migration } from '@mikro-orm/migrations';

/**
 * Single sign-on with OpenID Connect (decision 0007): the providers an admin configures, the
 * identities (issuer + subject) linked to users, the pending logins between the redirect to the
 * provider and its callback (state stored hashed, used once, 10 minutes), and the break-glass flag
 * of the accounts that may still sign in with a password when password sign-in is switched off.
 */
export class Migration20261212000000_sso extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table sso_providers (
      id uuid primary key,
      slug varchar(40) not null unique check (slug ~ '^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$'),
      display_name varchar(80) not null,
      issuer_url varchar(500) not null,
      client_id varchar(300) not null,
      client_secret text not null,
      scopes varchar(300) not null default 'openid email profile',
      groups_claim varchar(100) not null default 'groups',
      group_roles jsonb not null default '[]',
      default_role varchar(20) check (default_role in ('ADMIN','PROBLEM_MANAGER','ENGINEER','VIEWER')),
      provisioning varchar(20) not null check (provisioning in ('JIT','PRE_PROVISIONED')),
      allowed_domains text[] not null default '{}',
      trust_email boolean not null default false,
      clock_tolerance_seconds integer not null default 60 check (clock_tolerance_seconds between 0 and 600),
      enabled boolean not null default true,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );`);
    this.addSql(`create table sso_identities (
      id uuid primary key,
      provider_id uuid not null references sso_providers (id) on delete cascade,
      issuer varchar(500) not null,
      subject varchar(255) not null,
      user_id uuid not null references users (id) on delete cascade,
      email varchar(254),
      created_at timestamptz not null default now(),
      last_sign_in_at timestamptz
    );`);
    this.addSql(`create unique index sso_identities_subject on sso_identities (issuer, subject);`);
    this.addSql(`create unique index sso_identities_user_provider on sso_identities (user_id, provider_id);`);
    this.addSql(`create table sso_pending_logins (
      state_hash char(64) primary key,
      provider_id uuid not null references sso_providers (id) on delete cascade,
      browser_hash char(64) not null,
      nonce varchar(100) not null,
      code_verifier varchar(200) not null,
      return_path varchar(512) not null default '/',
      test_by uuid references users (id) on delete cascade,
      test_result jsonb,
      created_at timestamptz not null default now(),
      expires_at timestamptz not null,
      used_at timestamptz
    );`);
    this.addSql(`create index sso_pending_logins_expires on sso_pending_logins (expires_at);`);
    this.addSql(`alter table users add column sso_break_glass boolean not null default false;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table users drop column sso_break_glass;`);
    this.addSql(`drop table sso_pending_logins;`);
    this.addSql(`drop table sso_identities;`);
    this.addSql(`drop table sso_providers;`);
  }
}
