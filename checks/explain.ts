import { reach, resolveInVpc } from "../network/analyzer";
import type { Destination, Hop, ReachOptions } from "../network/reach-types";
import type { OsState, Snapshot } from "../network/snapshot";
import { targetHealth } from "../network/target-health";
import type { CheckSpec } from "./types";

/**
 * The instructor's side of a failing check: what the lab's model, on the snapshot the checks read,
 * says about the cause. Never shown to the student (the hint is theirs), so it may name the answer.
 */

type HttpCheck = Extract<CheckSpec, { kind: "http" }>;
type OsKey = keyof Pick<OsState, "ipForward" | "masquerade" | "masqueradeSaved" | "cpuLoad">;

const instanceOf = (s: Snapshot, ref: string) => s.instances.find((i) => i.name === ref || i.id === ref);
const vpcName = (s: Snapshot, id: string) => s.vpcs.find((v) => v.id === id)?.name ?? id;

/** The destination and options of a probe check's path (http, tcp, icmp), as the analyzer traces it. */
export function destinationOf(check: CheckSpec): [Destination, ReachOptions] | undefined {
  if (check.kind === "http") {
    if (check.probe.to === "internet") return [{ kind: "internet" }, { protocol: "tcp", port: 443 }];
    if (check.probe.to === "alb") return [{ kind: "load-balancer" }, { protocol: "tcp", port: 80 }];
    const [ip, port] = check.probe.to.split(":");
    return [{ kind: "address", ip }, { protocol: "tcp", port: port ? Number(port) : 80 }];
  }
  if (check.kind === "tcp") return [{ kind: "address", ip: check.host }, { protocol: "tcp", port: check.port }];
  if (check.kind === "icmp") return [{ kind: "address", ip: check.host }, { protocol: "icmp" }];
  return undefined;
}

/** Where the analyzer says a probe's path is blocked (http, tcp, icmp), or that it finds it open. */
export function explainPath(s: Snapshot, check: CheckSpec): string | undefined {
  const dest = destinationOf(check);
  if (!dest || !("from" in check)) return undefined;
  try {
    const r = reach(s, check.from, dest[0], dest[1]);
    if (r.blockedBy) return `blocked at ${r.blockedBy.component} (${r.blockedBy.reason}): ${r.blockedBy.detail}`;
    return r.reachable ? `the analyzer finds the path open (${r.hops.map((h) => h.component).join(" → ")}); the fault is beyond what the model sees` : undefined;
  } catch (e) {
    return `the analyzer could not trace the path: ${(e as Error).message}`;
  }
}

/** A name that does not resolve (or not to the expected address): the zone association, the record, the VPC's resolver. */
export function explainDns(s: Snapshot, check: Extract<CheckSpec, { kind: "dns" }>): string {
  const inst = instanceOf(s, check.from);
  if (!inst) return `the lab has no instance named ${check.from}`;
  const vpc = s.vpcs.find((v) => v.id === inst.vpcId);
  if (vpc && !vpc.dnsSupport) return `${vpc.name} has DNS resolution (enableDnsSupport) turned off, so the Route 53 Resolver does not answer ${inst.name}`;
  try {
    const r = reach(s, inst.name, { kind: "dns", name: check.name }, { protocol: "tcp", port: 80 });
    if (r.blockedBy?.reason === "DNS_NO_ANSWER") return `blocked at ${r.blockedBy.component} (${r.blockedBy.reason}): ${r.blockedBy.detail}`;
  } catch {
    // The resolution below still says what the zones hold.
  }
  const r = resolveInVpc(s, inst.vpcId, check.name);
  if (!r.addresses.includes(check.expectIp)) {
    return `private zone ${r.zone ?? "?"} answers ${check.name} in ${vpcName(s, inst.vpcId)} with ${r.addresses.join(", ") || "no address"}, not ${check.expectIp}: the record was changed`;
  }
  return `the analyzer resolves ${check.name} to ${check.expectIp} in ${vpcName(s, inst.vpcId)} (private zone ${r.zone}); the fault is beyond what the model sees (the instance's own resolver settings?)`;
}

const OS_SENTENCES: Record<OsKey, (value: boolean) => string> = {
  ipForward: (v) => (v ? "IPv4 forwarding is on" : "IPv4 forwarding is off (net.ipv4.ip_forward=0), so it drops the packets it should route"),
  masquerade: (v) =>
    v ? "POSTROUTING masquerades" : "no MASQUERADE rule in POSTROUTING, so packets leave with their private source address and no reply comes back",
  masqueradeSaved: (v) =>
    v
      ? "the MASQUERADE rule is saved"
      : "the MASQUERADE rule is not saved (in /etc/sysconfig/iptables, with iptables.service enabled), so it is gone after the next reboot",
  cpuLoad: (v) => (v ? "a CPU load generator is running, which keeps CPUUtilization above the alarm's threshold" : "no CPU load generator runs"),
};

/** An OS state that differs from the expected one, from the instance's OS model. */
export function explainOs(s: Snapshot, check: Extract<CheckSpec, { kind: "os-state" }>): string {
  const inst = instanceOf(s, check.instance);
  if (!inst) return `the lab has no instance named ${check.instance}`;
  if (!inst.os) return `the control plane cannot see inside ${inst.name}'s OS, so the probe's reading is the only evidence`;
  const os = inst.os;
  const keys = Object.keys(check.expect) as OsKey[];
  const wrong = keys.filter((k) => os[k] !== check.expect[k]);
  if (!wrong.length) {
    return `the lab's model of ${inst.name}'s OS shows ${keys.map((k) => `${k}=${os[k]}`).join(", ")} as expected; the difference is inside the instance, beyond what the model sees`;
  }
  return `${inst.name}'s OS, as the lab's model has it: ${wrong.map((k) => OS_SENTENCES[k](os[k])).join("; ")}`;
}

/** Why an ALB serves fewer distinct instances than expected: the health of its targets, with reason codes. */
export function explainServers(s: Snapshot): string {
  const lb = s.loadBalancers[0];
  if (!lb) return "the lab has no load balancer";
  const groups = s.targetGroups.filter((g) => lb.listeners.some((l) => l.targetGroupArn === g.arn));
  if (!groups.length) return `${lb.name} forwards to no target group`;
  return groups
    .map((tg) => {
      const states = tg.targets.map((t) => ({ t, h: targetHealth(s, tg, t), name: instanceOf(s, t.instanceId)?.name ?? t.instanceId }));
      const out = states.filter(({ h }) => h.state !== "healthy");
      const healthy = states.length - out.length;
      if (!out.length) return `all ${states.length} targets of ${tg.name} are healthy in the lab's model; the fault is beyond what the model sees`;
      const shown = out.map(({ t, h, name }) => `${name}:${t.port} ${h.state}${h.reason ? ` (${h.reason}${h.detail ? `: ${h.detail}` : ""})` : ""}`).join("; ");
      return `${tg.name} has ${healthy} of ${states.length} targets healthy, and only healthy targets get requests; not serving: ${shown}`;
    })
    .join(". ");
}

const EXITS: readonly Hop["kind"][] = ["nat-gateway", "nat-instance", "internet-gateway"];

/** Where the analyzer's path leaves to the internet, and with which public address, for an egress-IP mismatch. */
export function explainEgress(s: Snapshot, check: HttpCheck, label: string, addresses: readonly string[]): string {
  try {
    const r = reach(s, check.from, { kind: "internet" }, { protocol: "tcp", port: 443 });
    if (r.blockedBy) return `blocked at ${r.blockedBy.component} (${r.blockedBy.reason}): ${r.blockedBy.detail}`;
    const exits = r.hops.filter((h) => EXITS.includes(h.kind)).map((h) => `${h.component} (${h.kind})`);
    const via = exits.length ? `through ${exits.join(" and ")}` : "directly";
    const verdict = r.egressIp && addresses.includes(r.egressIp) ? `which is one of ${label}: the probe took another way out than the model` : `which is not one of ${label} (${addresses.join(", ") || "none found"})`;
    return `the analyzer's path from ${check.from} leaves to the internet ${via} with egress IP ${r.egressIp ?? "unknown"}, ${verdict}`;
  } catch (e) {
    return `the analyzer could not trace the path: ${(e as Error).message}`;
  }
}
