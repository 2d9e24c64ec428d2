// Server side only: the API's address for the snippets shown with a new token (curl, Alertmanager).
// The web app has no setting for the API's public address yet: this is API_URL (where this web
// server reaches the API) without its /graphql path, which may differ from the address people and
// tools outside use when the API sits behind a proxy or load balancer; the pages say so.
import { apiUrl } from '@/lib/api-url';

export function apiBase(): string {
  return apiUrl()
    .replace(/\/graphql\/?$/, '')
    .replace(/\/+$/, '');
}
