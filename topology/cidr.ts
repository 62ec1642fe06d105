/** IPv4 and CIDR arithmetic on 32-bit unsigned integers. */

export interface Cidr {
  readonly network: number;
  readonly prefix: number;
}

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/**
 * Parsed addresses and CIDRs, by text: the analyzer parses the same few hundred strings on every hop of every
 * trace (a class's steady state traces thousands). Bounded; only valid inputs are kept.
 */
const MEMO_LIMIT = 50_000;
const ips = new Map<string, number>();
const cidrs = new Map<string, Cidr>();

function remember<T>(memo: Map<string, T>, key: string, value: T): T {
  if (memo.size >= MEMO_LIMIT) memo.clear();
  memo.set(key, value);
  return value;
}

export function parseIp(text: string): number {
  const hit = ips.get(text);
  return hit !== undefined ? hit : remember(ips, text, parseIpText(text));
}

function parseIpText(text: string): number {
  const m = IPV4.exec(text);
  if (!m) throw new Error(`"${text}" is not an IPv4 address (expected a.b.c.d).`);
  const octets = m.slice(1, 5).map(Number);
  if (octets.some((o) => o > 255)) throw new Error(`"${text}" is not an IPv4 address: each part must be 0–255.`);
  return (((octets[0] << 24) >>> 0) + (octets[1] << 16) + (octets[2] << 8) + octets[3]) >>> 0;
}

export function isIp(text: string): boolean {
  try {
    parseIp(text);
    return true;
  } catch {
    return false;
  }
}

export function formatIp(value: number): string {
  return [24, 16, 8, 0].map((shift) => (value >>> shift) & 255).join(".");
}

function maskOf(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

export function parseCidr(text: string): Cidr {
  return cidrs.get(text) ?? remember(cidrs, text, parseCidrText(text));
}

function parseCidrText(text: string): Cidr {
  const [ip, len, ...rest] = text.split("/");
  const prefix = Number(len);
  if (rest.length > 0 || len === undefined || !/^\d{1,2}$/.test(len) || prefix > 32) {
    throw new Error(`"${text}" is not an IPv4 CIDR (expected a.b.c.d/n with n from 0 to 32).`);
  }
  const address = parseIp(ip);
  const network = (address & maskOf(prefix)) >>> 0;
  if (network !== address) {
    throw new Error(`"${text}" is not a network address: did you mean ${formatIp(network)}/${prefix}?`);
  }
  return { network, prefix };
}

export function isCidr(text: string): boolean {
  try {
    parseCidr(text);
    return true;
  } catch {
    return false;
  }
}

export function cidrSize(c: Cidr): number {
  return 2 ** (32 - c.prefix);
}

export function lastAddress(c: Cidr): number {
  return (c.network + cidrSize(c) - 1) >>> 0;
}

export function cidrContainsIp(c: Cidr | string, ip: number | string): boolean {
  const cidr = typeof c === "string" ? parseCidr(c) : c;
  const value = typeof ip === "string" ? parseIp(ip) : ip;
  return ((value & maskOf(cidr.prefix)) >>> 0) === cidr.network;
}

/** True when `inner` lies entirely inside `outer`. */
export function cidrContains(outer: Cidr | string, inner: Cidr | string): boolean {
  const o = typeof outer === "string" ? parseCidr(outer) : outer;
  const i = typeof inner === "string" ? parseCidr(inner) : inner;
  return i.prefix >= o.prefix && cidrContainsIp(o, i.network);
}

export function cidrsOverlap(a: Cidr | string, b: Cidr | string): boolean {
  return cidrContains(a, b) || cidrContains(b, a);
}

/**
 * AWS reserves the first four addresses and the last one of every subnet.
 * https://docs.aws.amazon.com/vpc/latest/userguide/subnet-sizing.html
 */
export function isReservedInSubnet(subnet: Cidr | string, ip: number | string): boolean {
  const c = typeof subnet === "string" ? parseCidr(subnet) : subnet;
  const value = typeof ip === "string" ? parseIp(ip) : ip;
  return value - c.network < 4 || value === lastAddress(c);
}

/** Longest-prefix match: the entry whose CIDR holds `ip` with the longest prefix, or undefined. */
export function longestPrefixMatch<T>(entries: readonly T[], cidrOf: (e: T) => string, ip: string | number): T | undefined {
  const value = typeof ip === "string" ? parseIp(ip) : ip;
  let best: T | undefined;
  let bestPrefix = -1;
  for (const e of entries) {
    const c = parseCidr(cidrOf(e));
    if (c.prefix > bestPrefix && cidrContainsIp(c, value)) {
      best = e;
      bestPrefix = c.prefix;
    }
  }
  return best;
}
