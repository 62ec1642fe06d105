import { isIp } from "../topology/cidr";
import { indexSnapshot } from "./analyzer-index";
import { reachLoadBalancer } from "./analyzer-lb";
import { instanceEndpoint, INTERNET_PROBE_IP, peerSgIdsOf, Trace, traceFrom, type Endpoint } from "./analyzer-trace";
import { resolveInVpc } from "./dns";
import type { Destination, ReachOptions, ReachResult } from "./reach-types";
import type { InstanceModel, LoadBalancerModel, Snapshot } from "./snapshot";

export { INTERNET_PROBE_IP, type Endpoint } from "./analyzer-trace";
export { resolveInVpc, type Resolution } from "./dns";

/** The user named an instance or destination the snapshot does not have. */
export class UnknownEndpointError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UnknownEndpointError";
  }
}

/** Finds an instance by Name tag or id; the error lists the valid names. */
export function findInstanceRef(s: Snapshot, ref: string): InstanceModel {
  const ix = indexSnapshot(s);
  const inst = ix.instanceByName.get(ref) ?? ix.instances.get(ref);
  if (!inst) {
    throw new UnknownEndpointError(`Unknown instance "${ref}"; valid instances: ${s.instances.map((i) => i.name).sort().join(", ") || "none"}.`);
  }
  return inst;
}

function findLoadBalancer(s: Snapshot, ref?: string): LoadBalancerModel {
  const lbs = s.loadBalancers;
  const lb = ref ? lbs.find((l) => l.name === ref || l.arn === ref || l.dnsName === ref) : lbs[0];
  if (!lb || (!ref && lbs.length > 1)) {
    throw new UnknownEndpointError(`${ref ? `Unknown load balancer "${ref}"` : "Which load balancer?"}; valid load balancers: ${lbs.map((l) => l.name).join(", ") || "none"}.`);
  }
  return lb;
}

/**
 * Can `from` reach `to`, and if not, which component blocks it? Traffic to the internet, an
 * instance, an address, a DNS name or a load balancer; the reply path is checked too (NACLs on every
 * port the requester may have picked). `blockedBy.reason` UNMODELED_TARGET means the analyzer cannot say.
 */
export function reach(s: Snapshot, from: string, to: Destination, options: ReachOptions = {}): ReachResult {
  const src = instanceEndpoint(findInstanceRef(s, from));
  const protocol = options.protocol ?? "tcp";
  const opts = { protocol, port: options.port ?? (to.kind === "internet" ? 443 : 80) };
  const t = new Trace(s);
  t.hop(src.name, "instance");
  if (src.instance && src.instance.state !== "running") {
    return t.result(!t.block(src.name, "INSTANCE_NOT_RUNNING", `${src.name} is ${src.instance.state}, so it sends nothing`));
  }
  switch (to.kind) {
    case "internet":
      return t.result(traceFrom(t, src, to.ip ?? INTERNET_PROBE_IP, opts));
    case "instance": {
      const dst = findInstanceRef(s, to.ref);
      return t.result(traceFrom(t, src, dst.privateIp, opts, dst.securityGroupIds));
    }
    case "address": {
      if (!isIp(to.ip)) throw new UnknownEndpointError(`"${to.ip}" is not an IPv4 address.`);
      return t.result(traceFrom(t, src, to.ip, opts, peerSgIdsOf(t, src.vpcId, to.ip)));
    }
    case "dns": {
      const r = resolveInVpc(s, src.vpcId, to.name);
      t.hop(to.name, "dns");
      switch (r.kind) {
        case "load-balancer":
          return reachLoadBalancer(t, src, r.loadBalancer as LoadBalancerModel, options.port);
        case "no-answer":
          return t.result(!t.block(r.blockedAt ?? r.zone ?? to.name, "DNS_NO_ANSWER", r.detail ?? `no answer for ${to.name}`));
        case "public":
          // A public name: an internet host, reached through the VPC's way out (NAT, IGW).
          return t.result(traceFrom(t, src, INTERNET_PROBE_IP, opts));
        case "vpc-endpoint": {
          // The Resolver answers with every interface of the endpoint; a client uses the one of its own AZ when there is one.
          const az = t.ix.subnets.get(src.subnetId)?.az;
          const eni = r.endpointInterfaces?.find((n) => t.ix.subnets.get(n.subnetId)?.az === az) ?? r.endpointInterfaces?.[0];
          if (!eni) return t.result(!t.block(r.endpoint?.name ?? to.name, "DNS_NO_ANSWER", `${r.endpoint?.name ?? to.name} has no network interface to answer ${to.name} with`));
          return t.result(traceFrom(t, src, eni.privateIp, opts, r.endpoint?.securityGroupIds ?? []));
        }
        case "private-zone":
          return t.result(traceFrom(t, src, r.addresses[0], opts, peerSgIdsOf(t, src.vpcId, r.addresses[0])));
      }
      break;
    }
    case "load-balancer":
      return reachLoadBalancer(t, src, findLoadBalancer(s, to.ref), options.port);
  }
  throw new UnknownEndpointError(`Unknown destination kind "${(to as { kind: string }).kind}".`);
}

/** Turns the CLI's `--to` text into a destination; unknown names list the valid ones. */
export function parseDestination(text: string, s: Snapshot): Destination {
  const value = text.trim();
  if (value === "internet") return { kind: "internet" };
  if (value === "alb" || s.loadBalancers.some((l) => l.name === value || l.dnsName === value)) return { kind: "load-balancer", ...(value === "alb" ? {} : { ref: value }) };
  const ix = indexSnapshot(s);
  if (ix.instanceByName.has(value) || ix.instances.has(value)) return { kind: "instance", ref: value };
  const [ip] = value.split(":");
  if (isIp(ip)) return { kind: "address", ip };
  if (/^[a-z0-9-]+(\.[a-z0-9-]+)+\.?$/i.test(value) && !/^\d+(\.\d+)*$/.test(value)) return { kind: "dns", name: value };
  throw new UnknownEndpointError(
    `Unknown destination "${text}"; give internet, alb, an ip[:port], a DNS name, or an instance: ${s.instances.map((i) => i.name).sort().join(", ")}.`,
  );
}

/** Traces from any endpoint (a load balancer node for health checks) to an address and back. */
export function traceEndpoint(s: Snapshot, src: Endpoint, dstIp: string, options: { protocol: "tcp" | "udp" | "icmp"; port: number }, peerSgIds: readonly string[] = []): ReachResult {
  const t = new Trace(s);
  t.hop(src.name, src.kind);
  return t.result(traceFrom(t, src, dstIp, options, peerSgIds));
}
