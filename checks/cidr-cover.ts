/**
 * Whether a set of CIDRs, together, covers another: 0.0.0.0/1 + 128.0.0.0/1 admit the whole IPv4
 * internet as surely as 0.0.0.0/0 does. IPv4 and IPv6 (security group rules take both).
 */

export interface AddressRange {
  family: 4 | 6;
  start: bigint;
  end: bigint;
}

const BITS = { 4: 32n, 6: 128n } as const;

function parseIpv4(text: string): bigint | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (!m) return undefined;
  const octets = m.slice(1).map(Number);
  if (octets.some((o) => o > 255)) return undefined;
  return octets.reduce((acc, o) => (acc << 8n) | BigInt(o), 0n);
}

function parseIpv6(text: string): bigint | undefined {
  const halves = text.split("::");
  if (halves.length > 2) return undefined;
  const groupsOf = (part: string) => (part === "" ? [] : part.split(":"));
  const head = groupsOf(halves[0]);
  const tail = halves.length === 2 ? groupsOf(halves[1]) : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  const groups = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill("0"), ...tail];
  if (!groups.every((g) => /^[0-9a-f]{1,4}$/i.test(g))) return undefined;
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n);
}

/** The addresses of an IPv4 or IPv6 CIDR (host bits ignored), or undefined if it is neither. */
export function parseAnyCidr(text: string): AddressRange | undefined {
  const [ip, len, ...rest] = text.split("/");
  if (rest.length || len === undefined || !/^\d{1,3}$/.test(len)) return undefined;
  const family = ip.includes(":") ? 6 : 4;
  const address = family === 6 ? parseIpv6(ip) : parseIpv4(ip);
  const prefix = BigInt(len);
  if (address === undefined || prefix > BITS[family]) return undefined;
  const size = 1n << (BITS[family] - prefix);
  const start = (address / size) * size;
  return { family, start, end: start + size - 1n };
}

/** True when the union of `ranges` (of any family) holds every address of `target`. */
export function coversRange(ranges: readonly AddressRange[], target: AddressRange): boolean {
  const parts = ranges
    .filter((r) => r.family === target.family && r.end >= target.start && r.start <= target.end)
    .sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  let next = target.start;
  for (const r of parts) {
    if (r.start > next) return false;
    if (r.end + 1n > next) next = r.end + 1n;
    if (next > target.end) return true;
  }
  return next > target.end;
}

/** Whether `range` shares an address with `target`. */
export function overlaps(range: AddressRange, target: AddressRange): boolean {
  return range.family === target.family && range.end >= target.start && range.start <= target.end;
}
