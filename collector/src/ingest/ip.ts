/**
 * Client IP anonymization: IPv4 keeps its /24, IPv6 its /48 (the rest is zeroed). Where a /48
 * holds a whole IPv4 address — 6to4, `2002:AABB:CCDD::/48` is IPv4 AA.BB.CC.DD's — that address
 * is masked to its /24 as well. Other IPv4-embedding forms keep theirs outside the /48 (Teredo's
 * client in the last 32 bits, NAT64 `64:ff9b::/96`, IPv4-compatible `::a.b.c.d`).
 */
import { isIPv4, isIPv6 } from 'node:net';

/** Anonymizes a valid IP address; '' for anything that is not one. */
export function anonymizeIp(ip: string): string {
  const mapped = ip.toLowerCase().startsWith('::ffff:') ? ip.slice(7) : ip;
  if (isIPv4(mapped)) return `${mapped.slice(0, mapped.lastIndexOf('.'))}.0`;
  const bare = ip.split('%')[0] ?? '';
  if (!isIPv6(bare)) return '';
  const [first = '0', second = '0', third = '0'] = expandIpv6(bare);
  // 6to4: the third group is the IPv4 address's last two octets; keep the first of them.
  const kept = first === '2002' ? (Number.parseInt(third, 16) & 0xff00).toString(16) : third;
  return `${first}:${second}:${kept}::`;
}

/** A valid IP address as given (IPv4-mapped IPv6 shown as IPv4), '' for anything else. */
export function normalizeIp(ip: string): string {
  const mapped = ip.toLowerCase().startsWith('::ffff:') ? ip.slice(7) : ip;
  if (isIPv4(mapped)) return mapped;
  const bare = ip.split('%')[0] ?? '';
  return isIPv6(bare) ? bare.toLowerCase() : '';
}

/** The eight 16-bit groups of a valid IPv6 address, lowercase, without leading zeros. */
function expandIpv6(ip: string): string[] {
  let text = ip.toLowerCase();
  // An embedded IPv4 tail (::1.2.3.4) counts as two groups.
  const v4 = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (v4) {
    const [a, b, c, d] = v4.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, v4.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  const middle = tail === undefined ? [] : Array(8 - left.length - right.length).fill('0');
  return [...left, ...middle, ...right].map((g) => Number.parseInt(g, 16).toString(16));
}

/**
 * The address an event is stored with: `context.ip` when valid (server libraries forward the end
 * user's), else the request's; anonymized unless `keep`. Every event of a request shares the
 * request's address, so its answer is remembered for the next event.
 */
let lastRequestIp: string | undefined;
let lastRequestIpNormalized = '';
let lastRequestIpAnonymized = '';

export function storedIp(contextIp: string | undefined, requestIp: string, keep: boolean): string {
  const fromContext = contextIp === undefined ? '' : normalizeIp(contextIp);
  if (fromContext !== '') return keep ? fromContext : anonymizeIp(fromContext);
  if (requestIp !== lastRequestIp) {
    lastRequestIp = requestIp;
    lastRequestIpNormalized = normalizeIp(requestIp);
    lastRequestIpAnonymized = anonymizeIp(lastRequestIpNormalized);
  }
  return keep ? lastRequestIpNormalized : lastRequestIpAnonymized;
}
