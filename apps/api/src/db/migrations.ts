import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261127000000_initial } from '../migrations/Migration20261127000000_initial';
import { Migration20261127010000_sla } from '../migrations/Migration20261127010000_sla';
import { Migration20261127020000_knowledge } from '../migrations/Migration20261127020000_knowledge';
import { Migration20261127030000_reviews } from '../migrations/Migration20261127030000_reviews';
import { Migration20261127040000_search } from '../migrations/Migration20261127040000_search';
import { Migration20261127050000_analytics } from '../migrations/Migration20261127050000_analytics';
import { Migration20261127060000_imports } from '../migrations/Migration20261127060000_imports';
import { Migration20261127070000_auth } from '../migrations/Migration20261127070000_auth';
import { Migration20261127080000_directory } from '../migrations/Migration20261127080000_directory';
import { Migration20261127090000_sla_pending } from '../migrations/Migration20261127090000_sla_pending';
import { Migration20261205000000_sign_in_throttles } from '../migrations/Migration20261205000000_sign_in_throttles';
import { Migration20261205010000_setup_tokens } from '../migrations/Migration20261205010000_setup_tokens';
import { Migration20261205030000_import_history } from '../migrations/Migration20261205030000_import_history';
import { Migration20261206000000_search_ranking } from '../migrations/Migration20261206000000_search_ranking';
import { Migration20261206010000_search_synonyms } from '../migrations/Migration20261206010000_search_synonyms';
import { Migration20261207000000_servicenow_pulls } from '../migrations/Migration20261207000000_servicenow_pulls';
import { Migration20261207020000_alert_identity } from '../migrations/Migration20261207020000_alert_identity';
import { Migration20261208010000_search_spelling_evidence } from '../migrations/Migration20261208010000_search_spelling_evidence';
import { Migration20261208020000_major_review_template } from '../migrations/Migration20261208020000_major_review_template';
import { Migration20261208060000_saved_views } from '../migrations/Migration20261208060000_saved_views';
import { Migration20261208080000_sla_policy_retire } from '../migrations/Migration20261208080000_sla_policy_retire';

/** Every migration in order. Listed by hand so the migrator needs no file globbing at run time. */
export const MIGRATIONS: MigrationObject[] = [
  { name: 'Migration20261127000000_initial', class: Migration20261127000000_initial },
  { name: 'Migration20261127010000_sla', class: Migration20261127010000_sla },
  { name: 'Migration20261127020000_knowledge', class: Migration20261127020000_knowledge },
  { name: 'Migration20261127030000_reviews', class: Migration20261127030000_reviews },
  { name: 'Migration20261127040000_search', class: Migration20261127040000_search },
  { name: 'Migration20261127050000_analytics', class: Migration20261127050000_analytics },
  { name: 'Migration20261127060000_imports', class: Migration20261127060000_imports },
  { name: 'Migration20261127070000_auth', class: Migration20261127070000_auth },
  { name: 'Migration20261127080000_directory', class: Migration20261127080000_directory },
  { name: 'Migration20261127090000_sla_pending', class: Migration20261127090000_sla_pending },
  { name: 'Migration20261205000000_sign_in_throttles', class: Migration20261205000000_sign_in_throttles },
  { name: 'Migration20261205010000_setup_tokens', class: Migration20261205010000_setup_tokens },
  { name: 'Migration20261205030000_import_history', class: Migration20261205030000_import_history },
  { name: 'Migration20261206000000_search_ranking', class: Migration20261206000000_search_ranking },
  { name: 'Migration20261206010000_search_synonyms', class: Migration20261206010000_search_synonyms },
  { name: 'Migration20261207000000_servicenow_pulls', class: Migration20261207000000_servicenow_pulls },
  { name: 'Migration20261207020000_alert_identity', class: Migration20261207020000_alert_identity },
  { name: 'Migration20261208010000_search_spelling_evidence', class: Migration20261208010000_search_spelling_evidence },
  { name: 'Migration20261208020000_major_review_template', class: Migration20261208020000_major_review_template },
  { name: 'Migration20261208060000_saved_views', class: Migration20261208060000_saved_views },
  { name: 'Migration20261208080000_sla_policy_retire', class: Migration20261208080000_sla_policy_retire },
];
