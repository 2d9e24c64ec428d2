import { CERTS_TIME_POSTMORTEMS } from './certs-time';
import { CLOUD_SAAS_POSTMORTEMS } from './cloud-saas';
import { DATABASE_POSTMORTEMS } from './databases';
import { NETWORK_POSTMORTEMS } from './network';
import { PLATFORM_POSTMORTEMS } from './platform';
import { QUEUE_CACHE_POSTMORTEMS } from './queues-caches';
import type { Postmortem } from './types';

export { KNOWN_ERRORS } from './knowledge';
export type { KnownError, Postmortem } from './types';

/** Every postmortem of the corpus, in reference order. */
export const POSTMORTEMS: Postmortem[] = [
  ...DATABASE_POSTMORTEMS,
  ...NETWORK_POSTMORTEMS,
  ...CERTS_TIME_POSTMORTEMS,
  ...PLATFORM_POSTMORTEMS,
  ...QUEUE_CACHE_POSTMORTEMS,
  ...CLOUD_SAAS_POSTMORTEMS,
];
