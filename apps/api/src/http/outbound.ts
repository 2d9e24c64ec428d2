// Requests the server makes to addresses people configured (webhook and chat channels; later trackers and
// identity providers) go through here, so an admin's URL cannot make the server call into its own network:
// loopback, private, link-local (cloud metadata at 169.254.169.254) and other special ranges are refused
// unless OUTBOUND_ALLOW_PRIVATE names them. The check runs on the addresses the connection actually uses
// (a lookup hook), so a name that resolves to a public address when saved and to 10.0.0.5 when sent is
// refused too (DNS rebinding). Fetch-compatible, so openid-client's customFetch can take it.
import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { BlockList, isIP, type LookupFunction } from 'node:net';

/** Ranges never reached unless allowed: RFC 6890 special-purpose blocks, multicast and reserved space. */
const SPECIAL: [string, number, 'ipv4' | 'ipv6'][] = [
  ['0.0.0.0', 8, 'ipv4'],
  ['10.0.0.0', 8, 'ipv4'],
  ['100.64.0.0', 10, 'ipv4'],
  ['127.0.0.0', 8, 'ipv4'],
  ['169.254.0.0', 16, 'ipv4'],
  ['172.16.0.0', 12, 'ipv4'],
  ['192.0.0.0', 24, 'ipv4'],
  ['192.0.2.0', 24, 'ipv4'],
  ['192.88.99.0', 24, 'ipv4'],
  ['192.168.0.0', 16, 'ipv4'],
  ['198.18.0.0', 15, 'ipv4'],
  ['198.51.100.0', 24, 'ipv4'],
  ['203.0.113.0', 24, 'ipv4'],
  ['224.0.0.0', 3, 'ipv4'],
  ['::', 128, 'ipv6'],
  ['::1', 128, 'ipv6'],
  ['64:ff9b:1::', 48, 'ipv6'],
  ['100::', 64, 'ipv6'],
  ['2001::', 23, 'ipv6'],
  ['2001:db8::', 32, 'ipv6'],
  ['fc00::', 7, 'ipv6'],
  ['fe80::', 10, 'ipv6'],
  ['ff00::', 8, 'ipv6'],
];

export class OutboundRefused extends Error {
  readonly code = 'OUTBOUND_REFUSED';
}

export interface OutboundPolicy {
  /** CIDR ranges or single addresses reached even though special; `*` allows every address. */
  allowPrivate: readonly string[];
  /** Largest answer body read, in bytes (default 5 MB); a longer one fails the request. */
  maxResponseBytes?: number;
}

export type OutboundFetch = (url: string | URL, init?: RequestInit) => Promise<Response>;

function toSubnet(entry: string): { address: string; prefix: number; family: 'ipv4' | 'ipv6' } | null {
  const [address, bits, extra] = entry.split('/');
  const v = isIP(address ?? '');
  if (!v || extra !== undefined) return null;
  const max = v === 4 ? 32 : 128;
  const prefix = bits === undefined ? max : /^\d{1,3}$/.test(bits) ? Number(bits) : NaN;
  if (!(prefix >= 0 && prefix <= max)) return null;
  return { address: address!, prefix, family: v === 4 ? 'ipv4' : 'ipv6' };
}

/** Why the server may not connect to `address`, or null when it may. */
export function addressGuard(policy: Pick<OutboundPolicy, 'allowPrivate'>): (address: string) => string | null {
  const special = new BlockList();
  for (const [a, p, f] of SPECIAL) special.addSubnet(a, p, f);
  const allowed = new BlockList();
  const all = policy.allowPrivate.includes('*');
  for (const entry of policy.allowPrivate) {
    const s = entry === '*' ? null : toSubnet(entry);
    if (s) allowed.addSubnet(s.address, s.prefix, s.family);
  }
  return (address) => {
    const v = isIP(address);
    if (!v) return `${address} is not an IP address`;
    if (all) return null;
    // BlockList judges an IPv4-mapped IPv6 address (::ffff:a00:5) by the IPv4 rules too.
    const family = v === 4 ? 'ipv4' : 'ipv6';
    if (!special.check(address, family) || allowed.check(address, family)) return null;
    return `${address} is a private or special-purpose address; set OUTBOUND_ALLOW_PRIVATE to let the server reach it`;
  };
}

function guardedLookup(refuse: (address: string) => string | null): LookupFunction {
  return (hostname, options, callback) => {
    dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, '', 0);
      const ok = addresses.filter((a) => !refuse(a.address));
      if (!ok.length) {
        const why = addresses.length ? refuse(addresses[0]!.address)! : `${hostname} has no address`;
        return callback(new OutboundRefused(`${hostname}: ${why}`), '', 0);
      }
      if (options.all) (callback as unknown as (e: null, a: dns.LookupAddress[]) => void)(null, ok);
      else callback(null, ok[0]!.address, ok[0]!.family);
    });
  };
}

function requestBody(body: RequestInit['body'], headers: Headers): Buffer | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string') return Buffer.from(body);
  if (body instanceof URLSearchParams) {
    if (!headers.has('content-type')) headers.set('content-type', 'application/x-www-form-urlencoded;charset=UTF-8');
    return Buffer.from(body.toString());
  }
  if (body instanceof ArrayBuffer) return Buffer.from(body);
  if (ArrayBuffer.isView(body)) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  throw new TypeError('outbound requests take a string, URLSearchParams or bytes as their body');
}

const NO_BODY = new Set([101, 103, 204, 205, 304]);

/**
 * A fetch for configured addresses: http(s) only, redirects returned as they are (never followed),
 * every address checked by `policy`, answers read up to `maxResponseBytes`. Aborts with init.signal.
 */
export function createOutboundFetch(policy: OutboundPolicy): OutboundFetch {
  const refuse = addressGuard(policy);
  const lookup = guardedLookup(refuse);
  const maxBytes = policy.maxResponseBytes ?? 5_000_000;
  const agents = { 'http:': new http.Agent({ keepAlive: true }), 'https:': new https.Agent({ keepAlive: true }) };
  return async (input, init = {}) => {
    const url = new URL(String(input));
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new OutboundRefused(`${url.protocol} addresses are not reached`);
    const host = url.hostname.replace(/^\[|\]$/g, '');
    // A literal address is connected to without a lookup, so it is judged here.
    const literal = isIP(host) ? refuse(host) : null;
    if (literal) throw new OutboundRefused(literal);
    const headers = new Headers(init.headers);
    const body = requestBody(init.body, headers);
    if (body) headers.set('content-length', String(body.length));
    const signal = init.signal ?? undefined;
    signal?.throwIfAborted();
    return new Promise<Response>((resolve, reject) => {
      const req = (url.protocol === 'https:' ? https : http).request(url, {
        method: init.method ?? 'GET',
        headers: Object.fromEntries(headers),
        agent: agents[url.protocol as 'http:' | 'https:'],
        lookup,
        signal,
      });
      // As fetch does: a network failure is TypeError('fetch failed') with the cause (ECONNREFUSED, a refusal) inside.
      req.on('error', (err) => reject(signal?.aborted ? signal.reason : new TypeError('fetch failed', { cause: err })));
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size <= maxBytes) return void chunks.push(chunk);
          // Settled first, so the request's own error from the destroy below does not name it.
          reject(new Error(`the answer is longer than ${maxBytes} bytes`));
          res.destroy();
        });
        res.on('error', (err) => reject(signal?.aborted ? signal.reason : err));
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          if (status < 200 || status > 599) return reject(new Error(`the server answered with status ${status}`));
          const out = new Headers();
          for (let i = 0; i + 1 < res.rawHeaders.length; i += 2) {
            try {
              out.append(res.rawHeaders[i]!, res.rawHeaders[i + 1]!);
            } catch {
              // A header the Fetch standard refuses is dropped rather than failing the whole answer.
            }
          }
          try {
            resolve(new Response(NO_BODY.has(status) ? null : Buffer.concat(chunks), { status, headers: out }));
          } catch (err) {
            reject(err instanceof Error ? err : new Error(String(err)));
          }
        });
      });
      req.end(body);
    });
  };
}

let current: OutboundFetch = createOutboundFetch({ allowPrivate: [] });
let currentGuard = addressGuard({ allowPrivate: [] });

/** Sets the policy of `outboundFetch` for this process (startApp, from OUTBOUND_ALLOW_PRIVATE). */
export function configureOutbound(policy: OutboundPolicy): void {
  current = createOutboundFetch(policy);
  currentGuard = addressGuard(policy);
}

/**
 * Why a URL's host is refused by the process's policy when it is known without a lookup (an address,
 * or a localhost name), for a clear error when the URL is saved; null otherwise. Names are judged
 * again by their addresses when the request is made.
 */
export function refusedHost(hostname: string): string | null {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (isIP(host)) return currentGuard(host);
  if ((host === 'localhost' || host.endsWith('.localhost')) && currentGuard('127.0.0.1'))
    return `${host} is this machine; set OUTBOUND_ALLOW_PRIVATE to let the server reach it`;
  return null;
}

/** The process's outbound fetch: strict until configureOutbound says otherwise. */
export const outboundFetch: OutboundFetch = (url, init) => current(url, init);

/** Whether `err` (or its cause) is a refusal of the address policy: retrying it cannot help. */
export function isOutboundRefusal(err: unknown): err is OutboundRefused {
  const e = err as { code?: string; cause?: { code?: string } } | null;
  return e?.code === 'OUTBOUND_REFUSED' || e?.cause?.code === 'OUTBOUND_REFUSED';
}
