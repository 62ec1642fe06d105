import { reach, resolveInVpc } from "../../network/analyzer";
import { isInconclusive, type Destination, type ReachOptions, type ReachResult } from "../../network/reach-types";
import { ssmPath } from "../../network/ssm-path";
import type { InstanceModel, Snapshot } from "../../network/snapshot";
import { defaultOsState } from "../../network/snapshot";
import { targetHealth } from "../../network/target-health";
import { findInstance } from "../model-lookup";
import type { ProbeObservation, ProbeRequest, ProbeResult } from "../port";

const TIMEOUT_ERROR = "timed out (no answer)";

/** A path through something the simulator does not model: what a real probe would see is unknown. */
class UnmodeledPathError extends Error {}

/** `reach`, except that a path the analyzer cannot follow (UNMODELED_TARGET) is not an answer. */
function traced(s: Snapshot, from: string, to: Destination, options: ReachOptions): ReachResult {
  const r = reach(s, from, to, options);
  if (isInconclusive(r.blockedBy)) throw new UnmodeledPathError(`the simulator cannot tell what the probe would see: ${r.blockedBy?.detail}`);
  return r;
}

function blockedText(r: ReachResult): string {
  return r.blockedBy ? `${TIMEOUT_ERROR}: blocked at ${r.blockedBy.component} (${r.blockedBy.reason})` : TIMEOUT_ERROR;
}

function addressDestination(target: string): { destination: Destination; port?: number } {
  const [ip, port] = target.split(":");
  return { destination: { kind: "address", ip }, port: port === undefined ? undefined : Number(port) };
}

/**
 * What the instance's resolver answers, as the analyzer resolves it (private zones, endpoint private DNS).
 * An alias to the internet-facing ALB answers with its public addresses; the sim has none to give but the name.
 */
function resolveName(s: Snapshot, vpcId: string, name: string): string[] {
  const r = resolveInVpc(s, vpcId, name);
  return r.kind === "load-balancer" && r.loadBalancer ? [`alb:${r.loadBalancer.name}`] : r.addresses;
}

/** The web tier's page (stacks/user-data/web.ts) as the target that served the last request renders it. */
function webPage(s: Snapshot, instanceId: string): string {
  const inst = s.instances.find((i) => i.id === instanceId);
  const az = s.subnets.find((x) => x.id === inst?.subnetId)?.az ?? "";
  return `<h1>netlab web</h1>\n<p>instance-id: ${instanceId}</p>\n<p>availability-zone: ${az}</p>\n<p>private-ip: ${inst?.privateIp ?? ""}</p>\n`;
}

/**
 * What a client gets from an ALB none of whose targets is healthy (ALB troubleshooting:
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-troubleshooting.html):
 * - no target in service (none registered, or all stopped: `unused`): 503 Service Unavailable;
 * - every registered target unhealthy: the ALB fails open and forwards anyway
 *   (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/target-group-health-checks.html);
 *   a target it cannot connect to within 10 s gives 504 Gateway Timeout, one that refuses gives 502 Bad Gateway.
 */
function noHealthyTarget(s: Snapshot, r: ReachResult): ProbeObservation {
  const states = s.targetGroups
    .filter((tg) => s.loadBalancers.some((lb) => lb.listeners.some((l) => l.targetGroupArn === tg.arn)))
    .flatMap((tg) => tg.targets.map((t) => targetHealth(s, tg, t)))
    .filter((h) => h.state === "unhealthy");
  if (!states.length) return { httpStatus: 503, error: `503 Service Unavailable: ${blockedText(r)}` };
  const refused = states.every((h) => h.reason === "Target.FailedHealthChecks");
  return refused
    ? { httpStatus: 502, error: `502 Bad Gateway: every target is unhealthy, so the ALB fails open, and the target refuses the connection` }
    : { httpStatus: 504, error: `504 Gateway Timeout: every target is unhealthy, so the ALB fails open, and the target does not answer within 10 s (${states[0].detail ?? states[0].reason})` };
}

function answer(s: Snapshot, request: ProbeRequest): ProbeObservation {
  const from = request.from;
  const spec = request.spec;
  switch (spec.kind) {
    case "http": {
      if (spec.to === "internet") {
        const r = traced(s, from, { kind: "internet" }, { protocol: "tcp", port: 443 });
        return r.reachable ? { httpStatus: 200, egressIp: r.egressIp ?? undefined } : { httpStatus: 0, error: blockedText(r) };
      }
      if (spec.to === "alb") {
        const r = traced(s, from, { kind: "load-balancer" }, { protocol: "tcp", port: 80 });
        if (!r.reachable) return r.blockedBy?.reason === "NO_HEALTHY_TARGET" ? noHealthyTarget(s, r) : { httpStatus: 0, error: blockedText(r) };
        const healthy = s.targetGroups
          .flatMap((tg) => tg.targets.map((t) => ({ tg, t })))
          .filter(({ tg, t }) => targetHealth(s, tg, t).state === "healthy")
          .map(({ t }) => t.instanceId);
        const count = spec.requests ?? 1;
        // Round robin, as an ALB spreads requests over its healthy targets.
        const servedBy = Array.from({ length: count }, (_, i) => healthy[i % healthy.length]);
        return { httpStatus: 200, servedBy, body: webPage(s, servedBy[servedBy.length - 1]) };
      }
      const { destination, port } = addressDestination(spec.to);
      const r = traced(s, from, destination, { protocol: "tcp", port: port ?? 80 });
      return r.reachable ? { httpStatus: 200 } : { httpStatus: 0, error: blockedText(r) };
    }
    case "dns": {
      const inst = findInstance(s, from);
      const addresses = resolveName(s, inst.vpcId, spec.name);
      return addresses.length ? { addresses } : { addresses: [], error: `${spec.name}: NXDOMAIN` };
    }
    case "tcp":
    case "icmp": {
      const options: ReachOptions = spec.kind === "tcp" ? { protocol: "tcp", port: spec.port } : { protocol: "icmp" };
      const r = traced(s, from, { kind: "address", ip: spec.host }, options);
      return r.reachable ? { connected: true } : { connected: false, error: blockedText(r) };
    }
    case "os-state": {
      const inst = findInstance(s, from);
      const os = inst.os ?? defaultOsState("unknown");
      return { os: { ipForward: os.ipForward, masquerade: os.masquerade, masqueradeSaved: os.masqueradeSaved, cpuLoad: os.cpuLoad } };
    }
  }
}

/**
 * Why Session Manager could not run a probe on the instance, as on AWS (inconclusive, never a fail),
 * or undefined when it could. Each reason is one clause here (the lab `_s` is there for reasons read
 * from the network, such as the instance's path to the SSM endpoints).
 */
function whyProbeCannotRun(s: Snapshot, inst: InstanceModel): string | undefined {
  if (inst.state !== "running") return `${inst.name} is ${inst.state}, so Session Manager cannot run the probe on it.`;
  // The agent must reach ssm, ssmmessages and ec2messages over HTTPS; on AWS the instance would drop out of "Online".
  const path = ssmPath(s, inst.id);
  if (!path.ok && path.blockedBy) {
    return `Session Manager cannot reach ${inst.name}: its agent's HTTPS to ${path.service}.${s.region}.amazonaws.com is blocked at ${path.blockedBy.component} (${path.blockedBy.reason}).`;
  }
  return undefined;
}

/** Answers probes with the analyzer, as SSM-run scripts would on AWS. */
export function answerProbes(s: Snapshot, requests: readonly ProbeRequest[]): ProbeResult[] {
  return requests.map((request): ProbeResult => {
    const reason = whyProbeCannotRun(s, findInstance(s, request.from));
    if (reason) return { request, ran: false, reason };
    try {
      return { request, ran: true, observation: answer(s, request) };
    } catch (e) {
      if (e instanceof UnmodeledPathError) return { request, ran: false, reason: e.message };
      throw e;
    }
  });
}
