// Which address a request comes from, for the API's per-address rate limit. Next.js does not
// expose the socket to route handlers, and fills x-forwarded-for only when the request has none
// (so a browser could name any address it likes): the web server works it out here, from the
// socket, or from X-Forwarded-For only as far as that list was written by proxies we trust.
import { BlockList, isIP } from 'node:net';

/** A bare IP address in canonical form (IPv4-mapped IPv6 as IPv4, no zone), or null. */
export function normaliseAddress(value) {
  if (typeof value !== 'string') return null;
  let v = value.trim();
  const zone = v.indexOf('%');
  if (zone > 0) v = v.slice(0, zone);
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(v);
  if (mapped) v = mapped[1];
  const family = isIP(v);
  if (family === 4) return v;
  if (family === 6) return v.toLowerCase();
  return null;
}

/** One X-Forwarded-For entry: an address, possibly quoted or with a port ("[2001:db8::1]:443", "198.51.100.1:5555"). */
function hopAddress(entry) {
  let v = entry.trim().replace(/^"|"$/g, '');
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(v);
  if (bracketed) v = bracketed[1];
  else if (/^\d{1,3}(?:\.\d{1,3}){3}:\d+$/.test(v)) v = v.slice(0, v.lastIndexOf(':'));
  return normaliseAddress(v);
}

/**
 * TRUSTED_PROXIES: comma-separated IP addresses or CIDR ranges of the load balancers in front of
 * the web app. Throws naming the variable on an entry that is neither.
 */
export function parseTrustedProxies(list) {
  const blocks = new BlockList();
  let size = 0;
  for (const raw of String(list ?? '').split(',')) {
    const entry = raw.trim();
    if (!entry) continue;
    const [addr, prefix, extra] = entry.split('/');
    const ip = normaliseAddress(addr);
    const family = ip ? isIP(ip) : 0;
    const bits = prefix === undefined ? null : /^\d{1,3}$/.test(prefix) ? Number(prefix) : NaN;
    if (!ip || extra !== undefined || (bits !== null && !(bits <= (family === 4 ? 32 : 128)))) {
      throw new Error(`TRUSTED_PROXIES: "${entry}" is not an IP address or a CIDR range (e.g. 10.0.0.0/8)`);
    }
    const type = family === 4 ? 'ipv4' : 'ipv6';
    if (bits === null) blocks.addAddress(ip, type);
    else blocks.addSubnet(ip, bits, type);
    size++;
  }
  return {
    size,
    has(address) {
      const ip = normaliseAddress(address);
      return ip !== null && blocks.check(ip, isIP(ip) === 4 ? 'ipv4' : 'ipv6');
    },
  };
}

/**
 * The client's address: the socket's peer, unless that peer is a trusted proxy; then the
 * right-most X-Forwarded-For entry that is not itself a trusted proxy (entries to the left of it
 * were written by the client and prove nothing). An entry that is not an address stops the walk
 * at the last trusted hop. Never null: '0.0.0.0' when even the socket has no address (closed).
 */
export function clientAddress(socketAddress, forwardedFor, trusted) {
  let address = normaliseAddress(socketAddress);
  if (address === null) return '0.0.0.0';
  if (!trusted.size || !trusted.has(address) || !forwardedFor) return address;
  const hops = (Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor).split(',');
  for (let i = hops.length - 1; i >= 0; i--) {
    if (!hops[i].trim()) continue;
    const hop = hopAddress(hops[i]);
    if (hop === null) return address;
    address = hop;
    if (!trusted.has(hop)) return hop;
  }
  return address;
}
