import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { BlockList, isIP } from 'node:net';

/** Set by the web app's server on each request it makes for a browser, with PROXY_SECRET. */
export const CLIENT_ADDRESS_HEADER = 'x-ikb-client-address';
export const PROXY_SECRET_HEADER = 'x-ikb-proxy-secret';

/** `::ffff:127.0.0.1` (an IPv4 client on a dual-stack socket) is 127.0.0.1. */
const plain = (address: string) => (address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address);

export function isAddressOrRange(entry: string): boolean {
  const [address, bits, extra] = entry.split('/');
  const family = isIP(address ?? '');
  if (!family || extra !== undefined) return false;
  if (bits === undefined) return true;
  const n = Number(bits);
  return /^\d{1,3}$/.test(bits) && n <= (family === 4 ? 32 : 128);
}

export interface ClientAddressOptions {
  /** PROXY_SECRET: the web app's server proves with it that its X-IKB-Client-Address can be believed. */
  proxySecret?: string;
  /** TRUSTED_PROXIES: load balancers whose X-Forwarded-For is believed. */
  trustedProxies?: string[];
}

/**
 * Who a request is from, for rate limits and the audit log: the socket's address, unless the
 * request came through a hop that is trusted to say who it forwards. Anything a client could
 * write itself (X-Forwarded-For from an untrusted address, the web app's header without the
 * secret) is ignored, so a caller cannot pick a fresh rate-limit bucket for every request.
 */
export function clientAddressResolver(opts: ClientAddressOptions): (req: IncomingMessage) => string {
  const secret = opts.proxySecret ? Buffer.from(opts.proxySecret) : undefined;
  const trusted = new BlockList();
  for (const entry of opts.trustedProxies ?? []) {
    const [address, bits] = entry.split('/') as [string, string | undefined];
    const type = isIP(address) === 6 ? 'ipv6' : 'ipv4';
    if (bits === undefined) trusted.addAddress(address, type);
    else trusted.addSubnet(address, Number(bits), type);
  }
  const isTrusted = (address: string) => {
    const family = isIP(address);
    return family !== 0 && trusted.check(address, family === 6 ? 'ipv6' : 'ipv4');
  };
  const hasTrusted = (opts.trustedProxies ?? []).length > 0;

  return (req) => {
    const socket = plain(req.socket.remoteAddress ?? 'unknown');
    if (secret) {
      const given = req.headers[PROXY_SECRET_HEADER];
      const claimed = req.headers[CLIENT_ADDRESS_HEADER];
      const proof = typeof given === 'string' ? Buffer.from(given) : undefined;
      if (proof && typeof claimed === 'string' && proof.length === secret.length && timingSafeEqual(proof, secret)) {
        const address = plain(claimed.trim());
        if (isIP(address)) return address;
      }
    }
    if (hasTrusted && isTrusted(socket)) {
      const forwarded = req.headers['x-forwarded-for'];
      const hops = (Array.isArray(forwarded) ? forwarded.join(',') : (forwarded ?? '')).split(',').map((h) => plain(h.trim()));
      // Right to left: the nearest hop a trusted proxy saw is the first one that is not itself trusted.
      for (let i = hops.length - 1; i >= 0; i--) {
        const hop = hops[i]!;
        if (!isIP(hop)) break;
        if (!isTrusted(hop)) return hop;
      }
    }
    return socket;
  };
}
