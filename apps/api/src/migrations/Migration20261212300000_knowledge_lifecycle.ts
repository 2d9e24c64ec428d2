import { Migration } from '@mikro-orm/migrations';

/**
 * Knowledge lifecycle and feedback (issue 27, decision 0010). One lifecycle row per workaround,
 * known error (a problem with a documented root cause, from KNOWN_ERROR on) and incident model,
 * kept beside the item's own status by triggers so every existing write path (setWorkaroundStatus,
 * retireIncidentModel, transitionProblem, imports) stays consistent without knowing about it.
 *
 * Mapping of the existing statuses (the backfill and the triggers use the same one):
 *   workaround DRAFT -> DRAFT, ACTIVE -> PUBLISHED, RETIRED -> RETIRED
 *   model      ACTIVE -> PUBLISHED, RETIRED -> RETIRED
 *   problem    KNOWN_ERROR, FIX_IN_PROGRESS -> PUBLISHED; RESOLVED, CLOSED -> RETIRED (the cause is
 *              fixed: nothing left to work around); OPEN with a row -> DRAFT (root cause in doubt again)
 * Published rows get review_by = the later of (created + the kind's default) and now + 30 days, so
 * an old database does not wake up with every item overdue at once.
 */
export class Migration20261212300000_knowledge_lifecycle extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table knowledge_items (
      kind varchar(12) not null check (kind in ('WORKAROUND','KNOWN_ERROR','MODEL')),
      item_id uuid not null,
      state varchar(12) not null check (state in ('DRAFT','IN_REVIEW','PUBLISHED','NEEDS_REVIEW','RETIRED')),
      -- null: the subject's fallback owner (knowledge_subjects), e.g. the problem's owner.
      owner_id uuid references users (id) on delete set null,
      review_by timestamptz,
      reviewed_at timestamptz,
      reviewed_service_id uuid,
      reviewed_category_id uuid,
      state_changed_at timestamptz not null default now(),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      -- A single-column key for the audit log (the guard records the row a mutation returns by id).
      id uuid not null unique default gen_random_uuid(),
      primary key (kind, item_id)
    );`);
    this.addSql(`create index knowledge_items_owner on knowledge_items (owner_id) where state <> 'RETIRED';`);

    // What each item is about: title, service, category, team, and the owner it falls back to while
    // its lifecycle row names none. A workaround takes those of the problem it was first linked to;
    // a model its current version's matching hints (and no fallback owner). `ref` addresses it in
    // the web app (a problem by its number).
    this.addSql(`create view knowledge_subjects as
      select 'WORKAROUND'::varchar(12) as kind, w.id as item_id, w.title::text as title, fp.service_id, fp.category_id, fp.team_id,
             fp.owner_id as fallback_owner_id, w.created_at, w.id::text as ref
        from workarounds w
        left join lateral (select p.service_id, p.category_id, p.team_id, p.owner_id
                             from problem_workarounds pw join problems p on p.id = pw.problem_id
                            where pw.workaround_id = w.id order by pw.linked_at, p.id limit 1) fp on true
      union all
      select 'KNOWN_ERROR', p.id, p.title, p.service_id, p.category_id, p.team_id, p.owner_id, p.created_at,
             'PRB-' || case when p.number >= 10000 then p.number::text else lpad(p.number::text, 5, '0') end
        from problems p where p.root_cause is not null and p.status <> 'OPEN' or exists (
          select 1 from knowledge_items k where k.kind = 'KNOWN_ERROR' and k.item_id = p.id)
      union all
      select 'MODEL', m.id, m.name, v.match_service_id, v.match_category_id, v.default_team_id, null::uuid, m.created_at, m.id::text
        from incident_models m join incident_model_versions v on v.model_id = m.id and v.version = m.current_version;`);

    this.addSql(`create function knowledge_default_days(k varchar) returns integer language sql immutable as $$
      select case k when 'KNOWN_ERROR' then 365 else 180 end $$;`);

    // Moves the lifecycle row to where the item's own status says, unless it is already in a state
    // that status allows (ACTIVE allows PUBLISHED and NEEDS_REVIEW; DRAFT allows DRAFT and IN_REVIEW).
    this.addSql(`create function knowledge_follow_status(k varchar, id uuid, target varchar, allowed varchar[]) returns void
      language plpgsql as $$
      begin
        insert into knowledge_items (kind, item_id, state, review_by, reviewed_at, reviewed_service_id, reviewed_category_id)
          select k, id, target,
                 case when target = 'PUBLISHED' then now() + make_interval(days => knowledge_default_days(k)) end,
                 case when target = 'PUBLISHED' then now() end,
                 s.service_id, s.category_id
            from (select 1) one left join knowledge_subjects s on s.kind = k and s.item_id = knowledge_follow_status.id
        on conflict (kind, item_id) do update
          set state = excluded.state, state_changed_at = now(), updated_at = now(),
              review_by = case when excluded.state = 'PUBLISHED' then coalesce(knowledge_items.review_by, excluded.review_by)
                               else knowledge_items.review_by end
          where not (knowledge_items.state = any(allowed));
      end $$;`);

    this.addSql(`create function knowledge_workaround_sync() returns trigger language plpgsql as $$
      begin
        if tg_op = 'UPDATE' and new.status = old.status then return new; end if;
        perform knowledge_follow_status('WORKAROUND', new.id,
          case new.status when 'ACTIVE' then 'PUBLISHED' when 'RETIRED' then 'RETIRED' else 'DRAFT' end,
          case new.status when 'ACTIVE' then array['PUBLISHED','NEEDS_REVIEW'] when 'RETIRED' then array['RETIRED']
               else array['DRAFT','IN_REVIEW'] end::varchar[]);
        return new;
      end $$;`);
    this.addSql(`create trigger knowledge_workaround_sync after insert or update of status on workarounds
      for each row execute function knowledge_workaround_sync();`);

    this.addSql(`create function knowledge_model_sync() returns trigger language plpgsql as $$
      begin
        if tg_op = 'UPDATE' and new.status = old.status then return new; end if;
        perform knowledge_follow_status('MODEL', new.id,
          case new.status when 'ACTIVE' then 'PUBLISHED' else 'RETIRED' end,
          case new.status when 'ACTIVE' then array['PUBLISHED','NEEDS_REVIEW'] else array['RETIRED','DRAFT','IN_REVIEW'] end::varchar[]);
        return new;
      end $$;`);
    this.addSql(`create trigger knowledge_model_sync after insert or update of status on incident_models
      for each row execute function knowledge_model_sync();`);

    this.addSql(`create function knowledge_problem_sync() returns trigger language plpgsql as $$
      begin
        if tg_op = 'UPDATE' and new.status = old.status then return new; end if;
        if new.status in ('KNOWN_ERROR','FIX_IN_PROGRESS') then
          perform knowledge_follow_status('KNOWN_ERROR', new.id, 'PUBLISHED', array['PUBLISHED','NEEDS_REVIEW','IN_REVIEW']::varchar[]);
        elsif new.status in ('RESOLVED','CLOSED') and (new.root_cause is not null
              or exists (select 1 from knowledge_items k where k.kind = 'KNOWN_ERROR' and k.item_id = new.id)) then
          perform knowledge_follow_status('KNOWN_ERROR', new.id, 'RETIRED', array['RETIRED']::varchar[]);
        elsif new.status = 'OPEN' and exists (select 1 from knowledge_items k where k.kind = 'KNOWN_ERROR' and k.item_id = new.id) then
          perform knowledge_follow_status('KNOWN_ERROR', new.id, 'DRAFT', array['DRAFT','IN_REVIEW','RETIRED']::varchar[]);
        end if;
        return new;
      end $$;`);
    this.addSql(`create trigger knowledge_problem_sync after insert or update of status on problems
      for each row execute function knowledge_problem_sync();`);

    // A workaround is about the problem it was first linked to: the first link records that
    // problem's service and category as reviewed, so later changes to them are seen.
    this.addSql(`create function knowledge_workaround_linked() returns trigger language plpgsql as $$
      begin
        update knowledge_items k set reviewed_service_id = p.service_id, reviewed_category_id = p.category_id
          from problems p
         where p.id = new.problem_id and k.kind = 'WORKAROUND' and k.item_id = new.workaround_id
           and k.reviewed_service_id is null and k.reviewed_category_id is null;
        return new;
      end $$;`);
    this.addSql(`create trigger knowledge_workaround_linked after insert on problem_workarounds
      for each row execute function knowledge_workaround_linked();`);

    // Backfill with the same mapping; review dates no earlier than a month from now (see above).
    this.addSql(`insert into knowledge_items (kind, item_id, state, review_by, reviewed_at, reviewed_service_id,
                   reviewed_category_id, state_changed_at, created_at)
      select s.kind, s.item_id, m.state,
             case when m.state = 'PUBLISHED'
                  then greatest(s.created_at + make_interval(days => knowledge_default_days(s.kind)), now() + interval '30 days') end,
             case when m.state = 'PUBLISHED' then now() end,
             s.service_id, s.category_id, now(), s.created_at
        from knowledge_subjects s
        left join workarounds w on s.kind = 'WORKAROUND' and w.id = s.item_id
        left join incident_models im on s.kind = 'MODEL' and im.id = s.item_id
        left join problems p on s.kind = 'KNOWN_ERROR' and p.id = s.item_id
        cross join lateral (select case
          when s.kind = 'WORKAROUND' then case w.status when 'ACTIVE' then 'PUBLISHED' when 'RETIRED' then 'RETIRED' else 'DRAFT' end
          when s.kind = 'MODEL' then case im.status when 'ACTIVE' then 'PUBLISHED' else 'RETIRED' end
          else case when p.status in ('KNOWN_ERROR','FIX_IN_PROGRESS') then 'PUBLISHED' else 'RETIRED' end
        end as state) m
      on conflict do nothing;`);

    // One vote per person, item and incident (no incident: one per person and item); a new vote replaces it.
    this.addSql(`create table knowledge_feedback (
      id uuid primary key,
      kind varchar(12) not null check (kind in ('WORKAROUND','KNOWN_ERROR','MODEL')),
      item_id uuid not null,
      incident_id uuid references incidents (id) on delete cascade,
      user_id uuid not null references users (id) on delete cascade,
      helpful boolean not null,
      reason text check (length(reason) <= 500),
      context varchar(16) not null check (context in ('APPLIED','SEARCH_RESULT')),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );`);
    this.addSql(`create unique index knowledge_feedback_one on knowledge_feedback
      (kind, item_id, user_id, coalesce(incident_id, '00000000-0000-0000-0000-000000000000'::uuid));`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table knowledge_feedback;`);
    this.addSql(`drop trigger knowledge_workaround_linked on problem_workarounds;`);
    this.addSql(`drop function knowledge_workaround_linked();`);
    this.addSql(`drop trigger knowledge_problem_sync on problems;`);
    this.addSql(`drop trigger knowledge_model_sync on incident_models;`);
    this.addSql(`drop trigger knowledge_workaround_sync on workarounds;`);
    this.addSql(`drop function knowledge_problem_sync();`);
    this.addSql(`drop function knowledge_model_sync();`);
    this.addSql(`drop function knowledge_workaround_sync();`);
    this.addSql(`drop function knowledge_follow_status(varchar, uuid, varchar, varchar[]);`);
    this.addSql(`drop function knowledge_default_days(varchar);`);
    this.addSql(`drop view knowledge_subjects;`);
    this.addSql(`drop table knowledge_items;`);
  }
}
