import { Migration } from '@mikro-orm/migrations';

/**
 * A problem is worked by a team as well as owned by a person (ITIL's assignment group): problem
 * lists are handed to teams in bulk ("assign these to Team Payments"), so the team is a field of its own.
 */
export class Migration20261209040000_problem_team extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table problems add column team_id uuid references teams (id) deferrable initially deferred;`);
    this.addSql(`create index problems_team_idx on problems (team_id) where team_id is not null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table problems drop column team_id;`);
  }
}
