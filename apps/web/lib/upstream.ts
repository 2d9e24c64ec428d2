// What the web server tells the API about the browser it is asking for. The API rate-limits (and
// audits) per client address, and without this it would see only the web server's own address,
// one bucket for every browser. The address comes from server.mjs, which computes it from the
// socket (or trusted proxies) and overwrites whatever the browser sent under that name; the API
// believes it only with PROXY_SECRET, which it shares with the web app.
import { CLIENT_ADDRESS_HEADER, PROXY_SECRET_HEADER, SERVED_BY_OWN_SERVER } from '@/server/markers.mjs';

export { CLIENT_ADDRESS_HEADER, PROXY_SECRET_HEADER };

type HeaderSource = { get(name: string): string | null };

/**
 * x-ikb-client-address and x-ikb-proxy-secret for a request to the API, or nothing: when
 * PROXY_SECRET is unset, or when the app runs without server.mjs (`next start`, where the header
 * would be whatever the browser chose to send).
 */
export function clientAddressHeaders(incoming: HeaderSource): Record<string, string> {
  const secret = process.env.PROXY_SECRET?.trim();
  const address = incoming.get(CLIENT_ADDRESS_HEADER);
  if (!secret || !address || (globalThis as Record<symbol, unknown>)[SERVED_BY_OWN_SERVER] !== true) return {};
  return { [CLIENT_ADDRESS_HEADER]: address, [PROXY_SECRET_HEADER]: secret };
}
