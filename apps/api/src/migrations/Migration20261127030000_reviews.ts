import { Migration } from '@mikro-orm/migrations';

/** Post-incident reviews: covered incidents, curated timeline, contributing factors, five whys, action items, templates. */
export class Migration20261127030000_reviews extends Migration {
  override async up(): Promise<void> {
    const fk = (table: string) => `references ${table} (id) deferrable initially deferred`;

    this.addSql(`create table factor_categories (
      key varchar(40) primary key,
      name varchar(120) not null,
      description text not null default '',
      active boolean not null default true,
      position integer not null default 0
    );`);
    const categories: [string, string, string][] = [
      ['CHANGE', 'Change', 'A change (deployment, configuration, infrastructure) introduced or triggered the fault.'],
      ['MONITORING_GAP', 'Monitoring gap', 'The fault was not detected, or detected late, by monitoring.'],
      ['CAPACITY', 'Capacity', 'Load exceeded what the system was sized for.'],
      ['DEPENDENCY', 'Dependency', 'A third party or internal dependency failed.'],
      ['PROCESS', 'Process', 'A process was missing, unclear or not followed.'],
      ['KNOWLEDGE', 'Knowledge', 'Knowledge or documentation was missing or out of date.'],
      ['TESTING', 'Testing', 'Tests did not cover the failing case.'],
      ['COMMUNICATION', 'Communication', 'Information did not reach the right people in time.'],
    ];
    categories.forEach(([key, name, description], i) => {
      this.addSql(
        `insert into factor_categories (key, name, description, position) values ('${key}', '${name}',
          '${description.replace(/'/g, "''")}', ${i});`,
      );
    });

    this.addSql(`create table review_templates (
      id uuid primary key,
      name varchar(120) not null,
      required_sections jsonb not null,
      max_priority smallint check (max_priority between 1 and 5),
      model_id uuid ${fk('incident_models')},
      is_default boolean not null default false,
      created_at timestamptz not null default now()
    );`);
    this.addSql(`create unique index review_templates_name_key on review_templates (lower(name));`);
    this.addSql(
      `insert into review_templates (id, name, required_sections, max_priority, is_default) values
      ('00000000-0000-4000-8000-00000000b001', 'Major incident review',
        '["SUMMARY","CUSTOMER_IMPACT","TIMELINE","CONTRIBUTING_FACTORS","FIVE_WHYS",` +
        `"ROOT_CAUSE","WENT_WELL","WENT_BADLY","LESSONS","ACTION_ITEMS"]', 2, false),
      ('00000000-0000-4000-8000-00000000b002', 'Standard review', '["SUMMARY","TIMELINE","CONTRIBUTING_FACTORS","LESSONS","ACTION_ITEMS"]',
        null, true);`,
    );

    this.addSql(`create sequence review_number_seq;`);
    this.addSql(`create table reviews (
      id uuid primary key,
      number integer not null unique,
      title varchar(200) not null check (length(btrim(title)) > 0),
      status varchar(12) not null check (status in ('DRAFT','IN_REVIEW','PUBLISHED')),
      facilitator_id uuid ${fk('users')},
      participants jsonb not null default '[]',
      meeting_at timestamptz,
      summary text not null default '',
      users_affected integer check (users_affected >= 0),
      impact_minutes integer check (impact_minutes >= 0),
      customer_impact text not null default '',
      went_well text not null default '',
      went_badly text not null default '',
      lessons text not null default '',
      five_whys jsonb not null default '[]',
      problem_id uuid ${fk('problems')},
      template_id uuid ${fk('review_templates')},
      published_at timestamptz,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      version integer not null default 1
    );`);
    this.addSql(`create table review_incidents (
      review_id uuid not null ${fk('reviews')},
      incident_id uuid not null ${fk('incidents')},
      primary key (review_id, incident_id)
    );`);
    this.addSql(`create index review_incidents_incident_idx on review_incidents (incident_id);`);

    this.addSql(`create table review_events (
      id uuid primary key,
      review_id uuid not null ${fk('reviews')},
      at timestamptz not null,
      actor_name varchar(200) not null,
      kind varchar(40) not null,
      summary text not null,
      data jsonb
    );`);
    this.addSql(`create index review_events_review_idx on review_events (review_id, at);`);

    // Curation overlays an incident event without touching it; added entries stand on their own.
    this.addSql(`create table review_timeline_entries (
      id uuid primary key,
      review_id uuid not null ${fk('reviews')},
      incident_event_id uuid ${fk('incident_events')},
      at timestamptz,
      text text,
      author_name varchar(200),
      starred boolean not null default false,
      hidden boolean not null default false,
      annotation text,
      created_at timestamptz not null default now(),
      unique (review_id, incident_event_id),
      check ((incident_event_id is null) = (at is not null and text is not null))
    );`);

    this.addSql(`create table contributing_factors (
      id uuid primary key,
      review_id uuid not null ${fk('reviews')},
      category_key varchar(40) not null references factor_categories (key) deferrable initially deferred,
      description text not null check (length(btrim(description)) > 0),
      evidence jsonb not null default '[]',
      created_at timestamptz not null default now()
    );`);
    this.addSql(`create index contributing_factors_review_idx on contributing_factors (review_id);`);

    this.addSql(`create table action_items (
      id uuid primary key,
      review_id uuid not null ${fk('reviews')},
      title varchar(200) not null check (length(btrim(title)) > 0),
      owner_id uuid not null ${fk('users')},
      due_date date not null,
      kind varchar(10) not null check (kind in ('PREVENT','DETECT','MITIGATE','PROCESS')),
      priority smallint not null check (priority between 1 and 5),
      status varchar(12) not null check (status in ('OPEN','IN_PROGRESS','DONE','WONT_DO')),
      wont_do_reason text,
      done_at timestamptz,
      problem_id uuid ${fk('problems')},
      workaround_id uuid ${fk('workarounds')},
      model_id uuid ${fk('incident_models')},
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      check ((status = 'WONT_DO') = (wont_do_reason is not null)),
      check ((status = 'DONE') = (done_at is not null))
    );`);
    this.addSql(`create index action_items_review_idx on action_items (review_id);`);
    this.addSql(`create index action_items_problem_idx on action_items (problem_id) where problem_id is not null;`);
    this.addSql(`create index action_items_open_due_idx on action_items (due_date) where status in ('OPEN','IN_PROGRESS');`);
  }
}
