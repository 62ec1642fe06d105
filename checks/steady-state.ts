import type { ProbeRequest } from "../cloud/port";
import { reach } from "../network/analyzer";
import { resolveInVpc } from "../network/dns";
import type { ReachResult, ReasonCode } from "../network/reach-types";
import { ssmPath } from "../network/ssm-path";
import type { InstanceModel, Snapshot } from "../network/snapshot";
import { targetHealth, withHealthMemo } from "../network/target-health";

/**
 * The lab's steady state, in the sense of Chaos Toolkit's steady-state hypothesis: what is true of a
 * healthy lab, derived from the lab itself (its instances, target groups, zones, alarms, VPCs), never
 * listed by hand. Facts are keyed by names (what students see), so that a live lab's state compares
 * with the state of its synthesized plan, whose ids and public addresses differ.
 */

export type SteadyFactKind =
  /** An instance pings another (ICMP, which every lab SG admits from the lab). */
  | "reach"
  /** An instance reaches the internet over HTTPS; the value names where it leaves (NAT gateway, NAT instance, IGW). */
  | "internet"
  /** An instance gets an answer from the ALB's listener. */
  | "alb"
  /** A registered target of a load-balanced target group, with its port and health. */
  | "web-target"
  /** The SSM agent of an instance reaches ssm, ssmmessages and ec2messages. */
  | "ssm"
  /** What a VPC's Resolver answers for a name of a private zone. */
  | "dns"
  /** An alarm's configuration: metric, instance, threshold, actions (not its state). */
  | "alarm"
  /** A VPC's flow logs. */
  | "flow-log";

export const STEADY_FACT_KINDS: readonly SteadyFactKind[] = ["reach", "internet", "alb", "web-target", "ssm", "dns", "alarm", "flow-log"];

/** Where and why a fact does not hold: explain's component and reason code (or NO_FLOW_LOG). */
export interface FactCause {
  component: string;
  reason: ReasonCode | "NO_FLOW_LOG";
  detail: string;
}

export interface SteadyFact {
  /** `kind|from|to`: unique in a steady state. */
  key: string;
  kind: SteadyFactKind;
  /** Who: an instance (reach, internet, alb, ssm), a target group (web-target), a VPC (dns, flow-log), an alarm. */
  from: string;
  /** What: an instance (reach, web-target), a name (dns); empty when the kind has none. */
  to: string;
  /** It works as a healthy lab needs (reachable, healthy, answered, active); undefined when it could not be known. */
  ok: boolean | undefined;
  /** What is compared with the baseline: "reachable", "via DMZVPC-NATGW-A", "10.1.20.101", "blocked"… */
  value: string;
  /** Where and why it does not work, as the analyzer (explain) says it. */
  blockedBy?: FactCause;
  /** More for people: the egress IP, the health reason, the alarm's threshold. */
  detail?: string;
  /**
   * The control plane cannot tell (a path through an instance whose OS it cannot see, on a live lab): the
   * probe that can. Until it runs, `ok` is undefined (inconclusive, never a pass).
   */
  probe?: ProbeRequest;
  /** With `probe`: the instance on the path whose OS the control plane cannot see (the NAT instance). */
  opaque?: string;
}

/** Changes whenever the facts a snapshot yields could change: a kept baseline steady state of another version is derived again. */
export const STEADY_STATE_VERSION = 1;

export interface SteadyState {
  lab: string;
  source: Snapshot["source"];
  facts: SteadyFact[];
}

const keyOf = (kind: SteadyFactKind, from: string, to: string) => `${kind}|${from}|${to}`;

function fact(kind: SteadyFactKind, from: string, to: string, rest: Omit<SteadyFact, "key" | "kind" | "from" | "to">): SteadyFact {
  return { key: keyOf(kind, from, to), kind, from, to, ...rest };
}

/** Where a path leaves for the internet: the last NAT gateway, NAT instance or internet gateway on it. */
function exitOf(r: ReachResult): string | undefined {
  const exits = r.hops.filter((h) => h.kind === "nat-gateway" || h.kind === "nat-instance" || h.kind === "internet-gateway");
  return exits.find((h) => h.kind !== "internet-gateway")?.component ?? exits[0]?.component;
}

/** On a live snapshot, a path through an instance whose OS the control plane cannot see is not known: that instance. */
function unknownOsOn(s: Snapshot, r: ReachResult): string | undefined {
  return r.hops.find((h) => h.kind === "nat-instance" && !s.instances.find((i) => i.name === h.component)?.os)?.component;
}

function traced(s: Snapshot, kind: "reach" | "internet" | "alb", from: InstanceModel, to: string, r: ReachResult, probe: ProbeRequest): SteadyFact {
  // The analyzer presumes the unseen OS forwards: a path it finds blocked (by the control plane: a route, an SG,
  // the source/dest check) is blocked whatever that OS does; only an open one depends on the OS.
  const opaque = unknownOsOn(s, r);
  if (opaque && r.reachable) return fact(kind, from.name, to, { ok: undefined, value: "unknown", detail: `the control plane cannot see inside ${opaque}, on the path`, probe, opaque });
  if (r.blockedBy?.reason === "UNMODELED_TARGET") return fact(kind, from.name, to, { ok: undefined, value: "unknown", detail: r.blockedBy.detail, probe });
  if (!r.reachable) return fact(kind, from.name, to, { ok: false, value: "blocked", ...(r.blockedBy ? { blockedBy: r.blockedBy } : {}) });
  if (kind === "internet") return fact(kind, from.name, to, { ok: true, value: `via ${exitOf(r) ?? "?"}`, ...(r.egressIp ? { detail: `egress IP ${r.egressIp}` } : {}) });
  return fact(kind, from.name, to, { ok: true, value: "reachable" });
}

function safely(fn: () => ReachResult): ReachResult {
  try {
    return fn();
  } catch (e) {
    return { reachable: false, hops: [], blockedBy: { component: "?", reason: "UNKNOWN_DESTINATION", detail: (e as Error).message }, egressIp: null };
  }
}

/** The instances' reachability: each to every other (ping), to the internet (HTTPS) and to the ALB (its listener). */
function reachability(s: Snapshot): SteadyFact[] {
  const out: SteadyFact[] = [];
  const hasLb = s.loadBalancers.length === 1;
  for (const a of s.instances) {
    for (const b of s.instances) {
      if (a === b) continue;
      const r = safely(() => reach(s, a.id, { kind: "instance", ref: b.id }, { protocol: "icmp" }));
      out.push(traced(s, "reach", a, b.name, r, { from: a.name, spec: { kind: "icmp", host: b.privateIp } }));
    }
    const net = safely(() => reach(s, a.id, { kind: "internet" }, { protocol: "tcp", port: 443 }));
    out.push(traced(s, "internet", a, "internet", net, { from: a.name, spec: { kind: "http", to: "internet" } }));
    if (hasLb) {
      const lb = s.loadBalancers[0];
      const r = safely(() => reach(s, a.id, { kind: "load-balancer" }));
      out.push(traced(s, "alb", a, lb.name, r, { from: a.name, spec: { kind: "http", to: "alb" } }));
    }
  }
  return out;
}

/** Each registered target of a target group a load balancer forwards to: its port(s) and health. */
function webTargets(s: Snapshot): SteadyFact[] {
  const used = s.targetGroups.filter((tg) => s.loadBalancers.some((lb) => lb.listeners.some((l) => l.targetGroupArn === tg.arn)));
  return used.flatMap((tg) => {
    const byInstance = new Map<string, typeof tg.targets>();
    for (const t of tg.targets) byInstance.set(t.instanceId, [...(byInstance.get(t.instanceId) ?? []), t]);
    return [...byInstance].map(([id, targets]) => {
      const name = s.instances.find((i) => i.id === id)?.name ?? id;
      const states = targets.map((t) => ({ t, h: targetHealth(s, tg, t) })).sort((x, y) => x.t.port - y.t.port);
      const ok = states.every(({ h }) => h.state === "healthy");
      const value = states.map(({ t, h }) => `port ${t.port} ${h.state}`).join(", ");
      const bad = states.find(({ h }) => h.state !== "healthy");
      const blockedBy: FactCause | undefined = bad
        ? (bad.h.blockedBy ?? { component: name, reason: bad.h.state === "unused" ? "INSTANCE_NOT_RUNNING" : "NO_HEALTHY_TARGET", detail: `${name}:${bad.t.port} is ${bad.h.state}${bad.h.reason ? ` (${bad.h.reason}${bad.h.detail ? `: ${bad.h.detail}` : ""})` : ""}` })
        : undefined;
      return fact("web-target", tg.name, name, { ok, value, ...(blockedBy ? { blockedBy } : {}), ...(bad?.h.reason ? { detail: bad.h.reason } : {}) });
    });
  });
}

function sessionManager(s: Snapshot): SteadyFact[] {
  return s.instances.map((inst) => {
    try {
      const p = ssmPath(s, inst.id);
      return p.ok
        ? fact("ssm", inst.name, "", { ok: true, value: `reachable via ${p.via}` })
        : fact("ssm", inst.name, "", { ok: false, value: "blocked", ...(p.blockedBy ? { blockedBy: p.blockedBy } : {}), ...(p.service ? { detail: `the agent's HTTPS to ${p.service}` } : {}) });
    } catch (e) {
      return fact("ssm", inst.name, "", { ok: false, value: "blocked", blockedBy: { component: inst.name, reason: "UNKNOWN_DESTINATION", detail: (e as Error).message } });
    }
  });
}

/** What each VPC's Resolver answers for every name of the lab's private zones. */
function dnsAnswers(s: Snapshot): SteadyFact[] {
  const names = [...new Set(s.hostedZones.filter((z) => z.private).flatMap((z) => z.records.filter((r) => r.type === "A" || r.aliasTarget !== undefined).map((r) => r.name.replace(/\.$/, "").toLowerCase())))].sort();
  return s.vpcs.flatMap((vpc) =>
    names.map((name) => {
      const r = resolveInVpc(s, vpc.id, name);
      if (r.kind === "no-answer") {
        const component = r.blockedAt ?? r.zone ?? vpc.name;
        return fact("dns", vpc.name, name, { ok: false, value: "no answer", blockedBy: { component, reason: "DNS_NO_ANSWER", detail: r.detail ?? `no answer for ${name}` } });
      }
      const value = r.kind === "load-balancer" && r.loadBalancer ? `alias ${r.loadBalancer.name}` : r.kind === "public" ? "public" : [...r.addresses].sort().join(", ");
      return fact("dns", vpc.name, name, { ok: true, value });
    }),
  );
}

function alarms(s: Snapshot): SteadyFact[] {
  return s.alarms.map((a) => {
    const instance = a.instanceId ? (s.instances.find((i) => i.id === a.instanceId)?.name ?? a.instanceId) : "no instance";
    return fact("alarm", a.name, "", { ok: true, value: `${a.namespace} ${a.metricName} of ${instance} > ${a.threshold}, ${a.actions.length} action(s)` });
  });
}

function flowLogs(s: Snapshot): SteadyFact[] {
  return s.vpcs.map((vpc) => {
    const logs = s.flowLogs.filter((f) => f.resourceId === vpc.id);
    const active = logs.filter((f) => f.status === "ACTIVE");
    const value = active.map((f) => `${f.trafficType} to ${f.logGroupName}`).sort().join(", ") || "none";
    return active.length
      ? fact("flow-log", vpc.name, "", { ok: true, value })
      : fact("flow-log", vpc.name, "", { ok: false, value, blockedBy: { component: vpc.name, reason: "NO_FLOW_LOG", detail: `${vpc.name} has no active flow log${logs.length ? ` (${logs.map((f) => f.status).join(", ")})` : ""}` } });
  });
}

/**
 * The steady state of a lab as its snapshot shows it: the analyzer's answers (offline, and on AWS for
 * what the control plane tells), facts with a `probe` where it cannot tell.
 */
export function steadyState(s: Snapshot): SteadyState {
  const facts = withHealthMemo(s, () => [...reachability(s), ...webTargets(s), ...sessionManager(s), ...dnsAnswers(s), ...alarms(s), ...flowLogs(s)]);
  return { lab: s.lab, source: s.source, facts };
}
