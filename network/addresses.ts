import { cidrSize, formatIp, isCidr, parseCidr } from "../topology/cidr";

/**
 * The first host of a subnet from `.start` on that is not in `taken` (AWS reserves the first four and the
 * last address; it picks others at random, the offline model picks deterministically). Undefined when full.
 */
export function firstFreeHost(cidr: string, taken: ReadonlySet<string>, start = 10): string | undefined {
  if (!isCidr(cidr)) return undefined;
  const c = parseCidr(cidr);
  const size = cidrSize(c);
  for (let offset = Math.min(start, Math.max(4, size - 2)); offset < size - 1; offset++) {
    const ip = formatIp(c.network + offset);
    if (offset >= 4 && !taken.has(ip)) return ip;
  }
  return undefined;
}

/** The regional DNS name of an AWS service endpoint: `com.amazonaws.us-east-1.ssm` → `ssm.us-east-1.amazonaws.com`. */
export function servicePrivateDnsName(serviceName: string): string | undefined {
  const m = /^com\.amazonaws\.([a-z0-9-]+)\.(.+)$/.exec(serviceName);
  return m ? `${m[2]}.${m[1]}.amazonaws.com` : undefined;
}
