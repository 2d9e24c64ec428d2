// Server side only: the API's address as tools outside reach it, for the snippets shown with a new
// alert-source token (curl, Alertmanager) and the trackers' webhook URLs. PUBLIC_API_URL names it
// when the API sits behind a proxy or load balancer; else API_URL (where this web server reaches the
// API) without its /graphql path, which the pages say may be an internal address.
import { apiUrl } from '@/lib/api-url';

export function apiBase(): string {
  return (process.env.PUBLIC_API_URL || apiUrl()).replace(/\/graphql\/?$/, '').replace(/\/+$/, '');
}
