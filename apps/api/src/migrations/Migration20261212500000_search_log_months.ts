import { Migration } from '@mikro-orm/migrations';

/**
 * Coarser rollups of the search log (decision 0011): per query and UTC month, and per UTC day over
 * every query. Top queries and content gaps read whole months of a range from the first and only
 * the edge days from the daily rollup; MRR over time reads the day totals. At 10M searches of
 * 5,000 distinct queries the daily rollup holds ~900k rows for 180 days, all of which the figures
 * summed. Filled from the daily rollup; the recorder keeps all three in its write statements.
 */
export class Migration20261212500000_search_log_months extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table search_log.monthly (
      month date not null,
      query text not null,
      searches integer not null default 0,
      zero_hits integer not null default 0,
      opened integer not null default 0,
      rr_sum double precision not null default 0,
      last_day date not null,
      primary key (month, query)
    );`);
    this.addSql(`create table search_log.day_totals (
      day date primary key,
      searches integer not null default 0,
      opened integer not null default 0,
      rr_sum double precision not null default 0
    );`);
    this.addSql(`insert into search_log.monthly (month, query, searches, zero_hits, opened, rr_sum, last_day)
      select date_trunc('month', day::timestamp)::date, query, sum(searches), sum(zero_hits), sum(opened), sum(rr_sum), max(day)
        from search_log.daily group by 1, 2;`);
    this.addSql(`insert into search_log.day_totals (day, searches, opened, rr_sum)
      select day, sum(searches), sum(opened), sum(rr_sum) from search_log.daily group by 1;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table search_log.day_totals;`);
    this.addSql(`drop table search_log.monthly;`);
  }
}
