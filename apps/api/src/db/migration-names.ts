/**
 * The names of every migration, in order: what a start compares with mikro_orm_migrations to know
 * that nothing is pending without loading @mikro-orm/migrations and the migration classes (a
 * noticeable part of every start of the API and of the command line). migrations.ts lists the classes;
 * migrations.test.ts checks that both lists agree.
 */
export const MIGRATION_NAMES: readonly string[] = [
  'Migration20261127000000_initial',
  'Migration20261127010000_sla',
  'Migration20261127020000_knowledge',
  'Migration20261127030000_reviews',
  'Migration20261127040000_search',
  'Migration20261127050000_analytics',
  'Migration20261127060000_imports',
  'Migration20261127070000_auth',
  'Migration20261127080000_directory',
  'Migration20261127090000_sla_pending',
  'Migration20261205000000_sign_in_throttles',
  'Migration20261205010000_setup_tokens',
  'Migration20261205030000_import_history',
  'Migration20261206000000_search_ranking',
  'Migration20261206010000_search_synonyms',
  'Migration20261207000000_servicenow_pulls',
  'Migration20261207020000_alert_identity',
  'Migration20261208010000_search_spelling_evidence',
  'Migration20261208020000_major_review_template',
  'Migration20261208060000_saved_views',
  'Migration20261208080000_sla_policy_retire',
  'Migration20261209000000_rate_limit_buckets',
  'Migration20261209005000_read_positions',
  'Migration20261209040000_problem_team',
  'Migration20261210000000_notify',
  'Migration20261211000000_notify_people',
  'Migration20261211100000_status_page',
  'Migration20261211200000_notify_records',
  'Migration20261211300000_notify_channel_lease',
  'Migration20261212000000_sso',
  'Migration20261212100000_trackers',
  'Migration20261212200000_workload',
  'Migration20261212300000_knowledge_lifecycle',
  'Migration20261212400000_search_log',
  'Migration20261212500000_search_log_months',
  'Migration20261212600000_workload_indexes',
];
