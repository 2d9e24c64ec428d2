export const DEFAULT_API_URL = 'http://localhost:4000/graphql';

/** Where the web server reaches the API (server side only; the browser goes through /graphql). */
export function apiUrl(): string {
  return process.env.API_URL || DEFAULT_API_URL;
}
