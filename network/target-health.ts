import { cidrSize, formatIp, parseCidr } from "../topology/cidr";
import { traceEndpoint, type Endpoint } from "./analyzer";
import type { TargetHealth } from "./reach-types";
import type { Snapshot, TargetGroupModel, TargetModel } from "./snapshot";

/**
 * A target's health as ELBv2 would report it. Reason codes:
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_TargetHealth.html
 * - a stopped instance is `unused` / `Target.InvalidState` (not `unhealthy`);
 * - a health check that gets no answer (SG, NACL or route drop) is `unhealthy` / `Target.Timeout`;
 * - an answer that is not the expected one (nothing listening) is `unhealthy` / `Target.FailedHealthChecks`.
 * A target with an observed state (from AWS) keeps it.
 */
export function targetHealth(s: Snapshot, tg: TargetGroupModel, target: TargetModel): TargetHealth {
  if (target.observed) return { state: target.observed.state as TargetHealth["state"], ...(target.observed.reason ? { reason: target.observed.reason } : {}) };
  const inst = s.instances.find((i) => i.id === target.instanceId);
  if (!inst) return { state: "unavailable", reason: "Target.NotRegistered", detail: `${target.instanceId} is not an instance of the lab` };
  if (inst.state !== "running") return { state: "unused", reason: "Target.InvalidState", detail: `${inst.name} is ${inst.state}` };
  const lb = s.loadBalancers.find((l) => l.listeners.some((x) => x.targetGroupArn === tg.arn));
  if (!lb) return { state: "unused", reason: "Target.NotInUse", detail: `${tg.name} is not used by any load balancer` };
  const port = tg.healthCheck.port === "traffic-port" ? target.port : tg.healthCheck.port;
  const node = albNode(s, lb.subnetIds, lb.securityGroupIds, lb.name, inst.subnetId);
  if (!node) return { state: "unavailable", reason: "Elb.InternalError", detail: `${lb.name} has no subnet` };
  const r = traceEndpoint(s, node, inst.privateIp, { protocol: "tcp", port }, inst.securityGroupIds);
  if (r.reachable) return { state: "healthy" };
  if (r.blockedBy?.reason === "SERVICE_DOWN") return { state: "unhealthy", reason: "Target.FailedHealthChecks", detail: r.blockedBy.detail };
  return { state: "unhealthy", reason: "Target.Timeout", detail: r.blockedBy ? `${r.blockedBy.component}: ${r.blockedBy.detail}` : "no answer" };
}

/** The ALB node that health-checks a target: in the ALB's subnet of the target's AZ, else its first. */
function albNode(s: Snapshot, subnetIds: readonly string[], sgIds: string[], name: string, targetSubnetId: string): Endpoint | undefined {
  const az = s.subnets.find((x) => x.id === targetSubnetId)?.az;
  const subnets = subnetIds.map((id) => s.subnets.find((x) => x.id === id)).filter((x) => x !== undefined);
  const subnet = subnets.find((x) => x.az === az) ?? subnets[0];
  if (!subnet) return undefined;
  const c = parseCidr(subnet.cidr);
  // An address inside the subnet (past AWS's four reserved ones) stands for the node's ENI.
  const ip = formatIp(c.network + Math.min(10, cidrSize(c) - 2));
  return { name, kind: "load-balancer", ip, subnetId: subnet.id, vpcId: subnet.vpcId, sgIds };
}
