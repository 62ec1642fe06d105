import { findInstanceRef, reach } from "./analyzer";
import { resolveInVpc } from "./dns";
import type { BlockedBy } from "./reach-types";
import type { Snapshot } from "./snapshot";

/**
 * The services the SSM agent must reach over HTTPS, at their regional names: through the VPC's interface
 * endpoints when they have private DNS on, else through the internet.
 * https://docs.aws.amazon.com/systems-manager/latest/userguide/setup-create-vpc.html
 */
export const SSM_SERVICES = ["ssm", "ssmmessages", "ec2messages"] as const;

export interface SsmPath {
  /** The agent reaches all three services (and gets their replies). */
  ok: boolean;
  /**
   * How: `vpc-endpoint` when all three resolve to the VPC's interface endpoints, `internet` when any goes out
   * through NAT / an IGW. When not ok, the path of the service that failed; null when none was tried
   * (the instance is not running) or the name got no answer.
   */
  via: "vpc-endpoint" | "internet" | null;
  /** What blocks the first service that fails, as `reach` says it. */
  blockedBy: BlockedBy | null;
  /** The service that failed (`ssm`, `ssmmessages` or `ec2messages`). */
  service?: string;
}

/**
 * Can Session Manager reach this instance? Traces the agent's outbound HTTPS to each SSM service with
 * `reach` (DNS as the VPC's Resolver answers it, SGs, NACLs both ways, routes, NAT). IAM and the agent
 * itself are not modelled. Throws UnknownEndpointError for an unknown instance, listing the valid ones.
 */
export function ssmPath(s: Snapshot, instance: string): SsmPath {
  const inst = findInstanceRef(s, instance);
  if (inst.state !== "running") {
    return { ok: false, via: null, blockedBy: { component: inst.name, id: inst.id, reason: "INSTANCE_NOT_RUNNING", detail: `${inst.name} is ${inst.state}, so its SSM agent is not running` } };
  }
  let via: SsmPath["via"] = "vpc-endpoint";
  for (const service of SSM_SERVICES) {
    const name = `${service}.${s.region}.amazonaws.com`;
    const resolution = resolveInVpc(s, inst.vpcId, name);
    const path = resolution.kind === "vpc-endpoint" ? "vpc-endpoint" : resolution.kind === "public" ? "internet" : null;
    const r = reach(s, inst.id, { kind: "dns", name }, { protocol: "tcp", port: 443 });
    if (!r.reachable) return { ok: false, via: path, blockedBy: r.blockedBy, service };
    if (path !== "vpc-endpoint") via = "internet";
  }
  return { ok: true, via, blockedBy: null };
}
