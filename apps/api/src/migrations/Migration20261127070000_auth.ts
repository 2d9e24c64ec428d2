import { Migration } from '@mikro-orm/migrations';

/** Accounts (roles, password hashes, lockout), sessions, API tokens and the append-only audit log. */
export class Migration20261127070000_auth extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table users
      add column role varchar(20) not null default 'ENGINEER' check (role in ('ADMIN','PROBLEM_MANAGER','ENGINEER','VIEWER')),
      add column password_hash text,
      add column disabled boolean not null default false,
      add column failed_logins integer not null default 0,
      add column locked_until timestamptz,
      add column last_login_at timestamptz;`);

    this.addSql(`create table sessions (
      id uuid primary key,
      token_hash varchar(64) not null unique,
      user_id uuid not null references users (id) deferrable initially deferred,
      csrf_token varchar(64) not null,
      created_at timestamptz not null default now(),
      expires_at timestamptz not null,
      last_seen_at timestamptz not null default now(),
      revoked_at timestamptz,
      user_agent varchar(300)
    );`);
    this.addSql(`create index sessions_user_idx on sessions (user_id) where revoked_at is null;`);

    this.addSql(`create table api_tokens (
      id uuid primary key,
      user_id uuid not null references users (id) deferrable initially deferred,
      name varchar(120) not null,
      role varchar(20) not null check (role in ('ADMIN','PROBLEM_MANAGER','ENGINEER','VIEWER')),
      token_hash varchar(64) not null unique,
      prefix varchar(16) not null,
      created_at timestamptz not null default now(),
      last_used_at timestamptz,
      revoked_at timestamptz
    );`);

    this.addSql(`create table audit_log (
      id bigserial primary key,
      at timestamptz not null default now(),
      request_id varchar(100),
      actor_id uuid,
      actor_name varchar(200) not null,
      role varchar(20),
      auth_method varchar(10),
      operation varchar(100) not null,
      target_type varchar(60),
      target_id varchar(100),
      variables jsonb,
      before jsonb,
      after jsonb
    );`);
    this.addSql(`create index audit_log_at_idx on audit_log (at desc);`);
    this.addSql(`create index audit_log_target_idx on audit_log (target_type, target_id, at desc);`);
    this.addSql(`create function audit_log_append_only() returns trigger language plpgsql as $$
      begin
        raise exception 'audit_log is append-only (% refused)', tg_op using errcode = 'restrict_violation';
      end;
    $$;`);
    this.addSql(
      `create trigger audit_log_no_change before update or delete on audit_log for each row execute function audit_log_append_only();`,
    );
  }
}
