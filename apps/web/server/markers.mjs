// Names shared by server.mjs and the app code it serves (lib/upstream.ts).

/** Request header holding the browser's address, set by server.mjs only. */
export const CLIENT_ADDRESS_HEADER = 'x-ikb-client-address';
/** Sent to the API with the address: PROXY_SECRET, which proves the address comes from us. */
export const PROXY_SECRET_HEADER = 'x-ikb-proxy-secret';
/**
 * Set on globalThis by server.mjs (Next runs the app in the same process): without it, nothing
 * overwrote a browser's own x-ikb-client-address, so the app must not pass it on.
 */
export const SERVED_BY_OWN_SERVER = Symbol.for('ikb.web.served-by-own-server');
