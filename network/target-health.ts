import { indexSnapshot } from "./analyzer-index";
import { Trace, traceFrom, type Endpoint } from "./analyzer-trace";
import { ELB_PORTS } from "./ports";
import type { TargetHealth } from "./reach-types";
import type { LoadBalancerModel, Snapshot, TargetGroupModel, TargetModel } from "./snapshot";

/**
 * A target's health as ELBv2 would report it. Reason codes:
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_TargetHealth.html
 * - a stopped instance is `unused` / `Target.InvalidState` (not `unhealthy`);
 * - a health check that gets no answer (SG, NACL or route drop) is `unhealthy` / `Target.Timeout`;
 * - an answer that is not the expected one (nothing listening) is `unhealthy` / `Target.FailedHealthChecks`.
 * A target with an observed state (from AWS) keeps it.
 */
export function targetHealth(s: Snapshot, tg: TargetGroupModel, target: TargetModel): TargetHealth {
  if (memo?.snapshot !== s) return deriveHealth(s, tg, target);
  const key = `${tg.arn}|${target.instanceId}|${target.port}`;
  let h = memo.health.get(key);
  if (!h) memo.health.set(key, (h = deriveHealth(s, tg, target)));
  return h;
}

let memo: { snapshot: Snapshot; health: Map<string, TargetHealth> } | undefined;

/**
 * Runs `fn` with each target's health of `s` derived once: many paths to a load balancer ask for the same
 * health checks. Only for a snapshot nobody changes while `fn` runs (it is synchronous).
 */
export function withHealthMemo<T>(s: Snapshot, fn: () => T): T {
  const outer = memo;
  memo = { snapshot: s, health: new Map() };
  try {
    return fn();
  } finally {
    memo = outer;
  }
}

function deriveHealth(s: Snapshot, tg: TargetGroupModel, target: TargetModel): TargetHealth {
  if (target.observed) return { state: target.observed.state as TargetHealth["state"], ...(target.observed.reason ? { reason: target.observed.reason } : {}) };
  const inst = s.instances.find((i) => i.id === target.instanceId);
  if (!inst) return { state: "unavailable", reason: "Target.NotRegistered", detail: `${target.instanceId} is not an instance of the lab` };
  if (inst.state !== "running") return { state: "unused", reason: "Target.InvalidState", detail: `${inst.name} is ${inst.state}` };
  const lb = s.loadBalancers.find((l) => l.listeners.some((x) => x.targetGroupArn === tg.arn));
  if (!lb) return { state: "unused", reason: "Target.NotInUse", detail: `${tg.name} is not used by any load balancer` };
  const port = tg.healthCheck.port === "traffic-port" ? target.port : tg.healthCheck.port;
  const node = healthCheckNode(s, lb, inst.subnetId);
  if (!node) return { state: "unavailable", reason: "Elb.InternalError", detail: `${lb.name} has no subnet` };
  // Health checks come from the node's address on ELB's source ports; the reply must pass the NACLs for all of them.
  const t = new Trace(s);
  t.hop(node.name, node.kind);
  const r = t.result(traceFrom(t, node, inst.privateIp, { protocol: "tcp", port }, inst.securityGroupIds));
  if (r.reachable) return { state: "healthy" };
  const blockedBy = r.blockedBy ? { blockedBy: r.blockedBy } : {};
  if (r.blockedBy?.reason === "SERVICE_DOWN") return { state: "unhealthy", reason: "Target.FailedHealthChecks", detail: r.blockedBy.detail, ...blockedBy };
  return { state: "unhealthy", reason: "Target.Timeout", detail: r.blockedBy ? `${r.blockedBy.component}: ${r.blockedBy.detail}` : "no answer", ...blockedBy };
}

/** The node that health-checks a target: the load balancer's node in the target's AZ, else its first. */
function healthCheckNode(s: Snapshot, lb: LoadBalancerModel, targetSubnetId: string): Endpoint | undefined {
  const ix = indexSnapshot(s);
  const az = ix.subnets.get(targetSubnetId)?.az;
  const nodes = ix.loadBalancerNodes.get(lb.arn) ?? [];
  const node = nodes.find((n) => ix.subnets.get(n.subnetId)?.az === az) ?? nodes[0];
  if (!node) return undefined;
  return { name: lb.name, kind: "load-balancer", ip: node.privateIp, subnetId: node.subnetId, vpcId: lb.vpcId, sgIds: lb.securityGroupIds, ports: ELB_PORTS };
}
