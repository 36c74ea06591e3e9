// Outbound requests to addresses the user chose (webhook targets) must not reach the server's own
// network: loopback, private ranges, link-local (cloud metadata at 169.254.169.254), and the
// special-purpose ranges. Every address a name resolves to is checked, and the connection is made
// to an address that was checked (see `guardedLookup`), so DNS rebinding between the check and the
// connection gains nothing. An allow-list (IPs or CIDRs) opens specific private targets.
import dns from 'node:dns';
import net from 'node:net';

const V4_BLOCKED: [string, number][] = [
  ['0.0.0.0', 8], // "this network"
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, cloud metadata
  ['172.16.0.0', 12],
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.0.2.0', 24], // TEST-NET-1
  ['192.88.99.0', 24], // 6to4 relay anycast
  ['192.168.0.0', 16],
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24], // TEST-NET-2
  ['203.0.113.0', 24], // TEST-NET-3
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
];

const V6_BLOCKED: [string, number][] = [
  ['::', 128], // unspecified
  ['::1', 128], // loopback
  ['100::', 64], // discard
  ['2001::', 23], // IETF protocol assignments (Teredo, ORCHID, …)
  ['2001:db8::', 32], // documentation
  ['2002::', 16], // 6to4 (embeds an IPv4 address we cannot vouch for)
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['fec0::', 10], // site-local (deprecated)
  ['ff00::', 8], // multicast
];

const blocked = new net.BlockList();
for (const [a, p] of V4_BLOCKED) blocked.addSubnet(a, p, 'ipv4');
for (const [a, p] of V6_BLOCKED) blocked.addSubnet(a, p, 'ipv6');

/** Expands an IPv6 address to eight 16-bit groups. */
function v6Groups(address: string): number[] | null {
  let a = address.split('%')[0];
  // A trailing dotted IPv4 (::ffff:1.2.3.4) becomes two groups.
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(a);
  if (dotted) {
    const o = dotted[1].split('.').map(Number);
    a = a.slice(0, -dotted[1].length) + `${((o[0] << 8) | o[1]).toString(16)}:${((o[2] << 8) | o[3]).toString(16)}`;
  }
  const [head, tail] = a.split('::');
  const h = head ? head.split(':') : [];
  const t = tail !== undefined ? (tail ? tail.split(':') : []) : [];
  const fill = a.includes('::') ? 8 - h.length - t.length : 0;
  const groups = [...h, ...Array(Math.max(0, fill)).fill('0'), ...t].map((g) => parseInt(g, 16));
  return groups.length === 8 && groups.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff) ? groups : null;
}

/**
 * IPv4 embedded in IPv6 forms that route to that IPv4 address (mapped ::ffff:a.b.c.d, compatible
 * ::a.b.c.d, NAT64 64:ff9b::a.b.c.d) — judged as the IPv4 address.
 */
function embeddedV4(address: string): string | null {
  const g = v6Groups(address);
  if (!g) return null;
  const v4 = () => `${g[6] >> 8}.${g[6] & 0xff}.${g[7] >> 8}.${g[7] & 0xff}`;
  const zero = (from: number, to: number) => g.slice(from, to).every((x) => x === 0);
  if (zero(0, 5) && g[5] === 0xffff) return v4();
  if (zero(0, 6) && (g[6] !== 0 || g[7] > 1)) return v4();
  if (g[0] === 0x64 && g[1] === 0xff9b && zero(2, 6)) return v4();
  return null;
}

export type AllowList = net.BlockList;

/** `['127.0.0.1', '10.0.0.0/8', '::1']` -> a matcher. Throws on an entry that is not an IP or CIDR. */
export function allowListOf(entries: readonly string[] = []): AllowList {
  const list = new net.BlockList();
  for (const raw of entries) {
    const entry = raw.trim();
    const [addr, bits] = entry.split('/');
    const type = net.isIP(addr);
    if (!type) throw new Error(`webhook allow-list entry ${JSON.stringify(raw)} is not an IP address or CIDR range`);
    const family = type === 4 ? 'ipv4' : 'ipv6';
    if (bits === undefined) list.addAddress(addr, family);
    else {
      const prefix = Number(bits);
      if (!Number.isInteger(prefix) || prefix < 0 || prefix > (type === 4 ? 32 : 128)) throw new Error(`webhook allow-list entry ${JSON.stringify(raw)} has a bad prefix length`);
      list.addSubnet(addr, prefix, family);
    }
  }
  return list;
}

/** True when the address is loopback, private, link-local or otherwise not a public unicast address. */
export function isPrivateAddress(address: string): boolean {
  const type = net.isIP(address.split('%')[0]);
  if (type === 4) return blocked.check(address, 'ipv4');
  if (type === 6) {
    const v4 = embeddedV4(address);
    if (v4) return blocked.check(v4, 'ipv4');
    return blocked.check(address.split('%')[0], 'ipv6');
  }
  return true; // not an IP at all: refuse
}

function allowed(address: string, allow: AllowList): boolean {
  const a = address.split('%')[0];
  const type = net.isIP(a);
  if (!type) return false;
  if (!isPrivateAddress(a)) return true;
  if (allow.check(a, type === 4 ? 'ipv4' : 'ipv6')) return true;
  const v4 = type === 6 ? embeddedV4(a) : null;
  return v4 !== null && allow.check(v4, 'ipv4');
}

export class BlockedAddressError extends Error {
  readonly code = 'EBLOCKEDADDRESS';
  constructor(
    readonly host: string,
    readonly address: string,
  ) {
    super(`${host} resolves to ${address}, a private, loopback or link-local address; webhooks may not target it`);
  }
}

/** URL host without IPv6 brackets. */
export function hostOf(url: URL): string {
  return url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
}

type LookupAll = (host: string) => Promise<{ address: string; family: number }[]>;
const systemLookup: LookupAll = (host) => dns.promises.lookup(host, { all: true, verbatim: true });

/**
 * Resolves a host and checks every address; throws BlockedAddressError if any is not allowed
 * (a name with one public and one private address is refused: the client could pick either).
 */
export async function resolveAllowed(host: string, allow: AllowList, lookup: LookupAll = systemLookup): Promise<{ address: string; family: number }[]> {
  if (net.isIP(host)) {
    if (!allowed(host, allow)) throw new BlockedAddressError(host, host);
    return [{ address: host, family: net.isIP(host) }];
  }
  const addresses = await lookup(host);
  if (addresses.length === 0) throw Object.assign(new Error(`${host} does not resolve`), { code: 'ENOTFOUND' });
  for (const a of addresses) if (!allowed(a.address, allow)) throw new BlockedAddressError(host, a.address);
  return addresses;
}

/**
 * A `lookup` for http.request / net.connect that only ever hands back checked addresses: the
 * socket connects to exactly what was vetted.
 */
export function guardedLookup(allow: AllowList, lookup: LookupAll = systemLookup): net.LookupFunction {
  return ((hostname: string, options: dns.LookupOptions, callback: (err: NodeJS.ErrnoException | null, address: string | dns.LookupAddress[], family?: number) => void) => {
    resolveAllowed(hostname, allow, lookup).then(
      (addresses) => {
        const wanted = options?.family === 4 || options?.family === 6 ? addresses.filter((a) => a.family === options.family) : addresses;
        if (wanted.length === 0) return callback(Object.assign(new Error(`${hostname} has no IPv${options.family} address`), { code: 'ENOTFOUND' }), '', 0);
        if (options?.all) return callback(null, wanted.map((a) => ({ address: a.address, family: a.family })));
        return callback(null, wanted[0].address, wanted[0].family);
      },
      (err: NodeJS.ErrnoException) => callback(err, '', 0),
    );
  }) as net.LookupFunction;
}
