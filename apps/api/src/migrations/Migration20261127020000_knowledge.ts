import { Migration } from '@mikro-orm/migrations';

/**
 * Knowledge graph: problems (root causes), workarounds, incident models (versioned), and the links
 * between them and incidents. Problem events make the problem's own timeline.
 */
export class Migration20261127020000_knowledge extends Migration {
  override async up(): Promise<void> {
    const fk = (table: string) => `references ${table} (id) deferrable initially deferred`;

    this.addSql(`create sequence problem_number_seq;`);
    this.addSql(`create table problems (
      id uuid primary key,
      number integer not null unique,
      title varchar(200) not null check (length(btrim(title)) > 0),
      description text not null default '',
      status varchar(20) not null check (status in ('OPEN','KNOWN_ERROR','FIX_IN_PROGRESS','RESOLVED','CLOSED')),
      root_cause_category varchar(20) not null default 'UNKNOWN'
        check (root_cause_category in
          ('CHANGE','CAPACITY','SOFTWARE_DEFECT','CONFIGURATION','THIRD_PARTY','HUMAN_ERROR','HARDWARE','UNKNOWN')),
      root_cause text,
      analysis_notes text not null default '',
      fix_change_ref varchar(120),
      fix_description text,
      service_id uuid ${fk('services')},
      category_id uuid ${fk('categories')},
      keywords jsonb not null default '[]',
      owner_id uuid ${fk('users')},
      source_incident_id uuid ${fk('incidents')},
      known_error_at timestamptz,
      resolved_at timestamptz,
      closed_at timestamptz,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      version integer not null default 1,
      check (status in ('OPEN','CLOSED') or root_cause is not null)
    );`);
    this.addSql(`create index problems_status_idx on problems (status);`);

    this.addSql(`create table problem_events (
      id uuid primary key,
      problem_id uuid not null ${fk('problems')},
      at timestamptz not null,
      actor_id uuid ${fk('users')},
      actor_name varchar(200) not null,
      kind varchar(40) not null,
      summary text not null,
      before jsonb,
      after jsonb,
      data jsonb
    );`);
    this.addSql(`create index problem_events_problem_idx on problem_events (problem_id, at);`);

    this.addSql(`alter table incidents add column problem_id uuid ${fk('problems')};`);
    this.addSql(`create index incidents_problem_idx on incidents (problem_id, opened_at) where problem_id is not null;`);

    this.addSql(`create table workarounds (
      id uuid primary key,
      title varchar(200) not null check (length(btrim(title)) > 0),
      steps text not null,
      status varchar(10) not null check (status in ('DRAFT','ACTIVE','RETIRED')),
      source_incident_id uuid ${fk('incidents')},
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      retired_at timestamptz,
      version integer not null default 1
    );`);
    this.addSql(`create table problem_workarounds (
      problem_id uuid not null ${fk('problems')},
      workaround_id uuid not null ${fk('workarounds')},
      linked_at timestamptz not null default now(),
      primary key (problem_id, workaround_id)
    );`);
    this.addSql(`create index problem_workarounds_workaround_idx on problem_workarounds (workaround_id);`);

    this.addSql(`create table workaround_applications (
      id uuid primary key,
      workaround_id uuid not null ${fk('workarounds')},
      incident_id uuid not null ${fk('incidents')},
      applied_at timestamptz not null,
      applied_by_id uuid ${fk('users')},
      applied_by_name varchar(200) not null,
      note text,
      -- Set when the incident is resolved: whether this workaround is what restored service.
      restored_service boolean
    );`);
    this.addSql(`create index workaround_applications_workaround_idx on workaround_applications (workaround_id, applied_at);`);
    this.addSql(`create index workaround_applications_incident_idx on workaround_applications (incident_id);`);
    this.addSql(`alter table incidents add column resolution_workaround_id uuid ${fk('workarounds')};`);

    this.addSql(`create table incident_models (
      id uuid primary key,
      name varchar(200) not null,
      status varchar(10) not null check (status in ('ACTIVE','RETIRED')),
      current_version integer not null default 1,
      source_incident_id uuid ${fk('incidents')},
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );`);
    this.addSql(`create unique index incident_models_name_key on incident_models (lower(name));`);
    this.addSql(`create table incident_model_versions (
      id uuid primary key,
      model_id uuid not null ${fk('incident_models')},
      version integer not null,
      description text not null default '',
      match_service_id uuid ${fk('services')},
      match_category_id uuid ${fk('categories')},
      match_keywords jsonb not null default '[]',
      default_category_id uuid ${fk('categories')},
      default_impact smallint check (default_impact between 1 and 3),
      default_urgency smallint check (default_urgency between 1 and 3),
      default_team_id uuid ${fk('teams')},
      checklist jsonb not null default '[]',
      workaround_ids jsonb not null default '[]',
      sla_policy_id uuid ${fk('sla_policies')},
      review_template text,
      note text,
      created_at timestamptz not null default now(),
      unique (model_id, version)
    );`);
    // A version in use must stay readable exactly as it was applied: editing a model makes a new one.
    this.addSql(`create function incident_model_versions_immutable() returns trigger language plpgsql as $$
      begin
        raise exception 'incident_model_versions rows are immutable (% refused)', tg_op using errcode = 'restrict_violation';
      end;
    $$;`);
    this.addSql(`create trigger incident_model_versions_no_change before update or delete on incident_model_versions
      for each row execute function incident_model_versions_immutable();`);
    this.addSql(`alter table incidents add column model_version_id uuid ${fk('incident_model_versions')};`);
    this.addSql(`create index incidents_model_version_idx on incidents (model_version_id) where model_version_id is not null;`);
    // Every application of a model version to an incident (incidents.model_version_id is the latest one).
    this.addSql(`create table incident_model_applications (
      id uuid primary key,
      incident_id uuid not null ${fk('incidents')},
      model_version_id uuid not null ${fk('incident_model_versions')},
      applied_at timestamptz not null,
      applied_by_id uuid ${fk('users')},
      applied_by_name varchar(200) not null,
      unique (incident_id, model_version_id)
    );`);
    this.addSql(`create index incident_model_applications_version_idx on incident_model_applications (model_version_id, applied_at);`);

    this.addSql(`create table incident_checklist_items (
      id uuid primary key,
      incident_id uuid not null ${fk('incidents')},
      model_version_id uuid not null ${fk('incident_model_versions')},
      position integer not null,
      text text not null,
      done_at timestamptz,
      done_by_name varchar(200),
      unique (incident_id, model_version_id, position)
    );`);
  }
}
