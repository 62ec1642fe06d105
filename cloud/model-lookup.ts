import type {
  HostedZoneModel,
  InstanceModel,
  RouteTableModel,
  SecurityGroupModel,
  Snapshot,
  TargetGroupModel,
  VpcModel,
} from "../network/snapshot";

/** A name that the lab does not have. Says what exists instead. */
export class UnknownResourceError extends Error {
  constructor(kind: string, name: string, valid: readonly string[]) {
    super(`The lab has no ${kind} named "${name}"; it has: ${valid.length ? valid.join(", ") : "none"}.`);
    this.name = "UnknownResourceError";
  }
}

function byNameOrId<T extends { name: string }>(items: readonly T[], idOf: (t: T) => string, kind: string, ref: string): T {
  const found = items.find((t) => t.name === ref) ?? items.find((t) => idOf(t) === ref);
  if (!found) throw new UnknownResourceError(kind, ref, items.map((t) => t.name));
  return found;
}

export const findVpc = (s: Snapshot, ref: string): VpcModel => byNameOrId(s.vpcs, (v) => v.id, "VPC", ref);
export const findInstance = (s: Snapshot, ref: string): InstanceModel => byNameOrId(s.instances, (i) => i.id, "instance", ref);
export const findRouteTable = (s: Snapshot, ref: string): RouteTableModel => byNameOrId(s.routeTables, (t) => t.id, "route table", ref);
export const findSecurityGroup = (s: Snapshot, ref: string): SecurityGroupModel => byNameOrId(s.securityGroups, (g) => g.id, "security group", ref);
export const findTargetGroup = (s: Snapshot, ref: string): TargetGroupModel => byNameOrId(s.targetGroups, (g) => g.arn, "target group", ref);
export const findZone = (s: Snapshot, ref: string): HostedZoneModel =>
  byNameOrId(s.hostedZones, (z) => z.id, "hosted zone", ref.replace(/\.$/, ""));

/** The name of whatever owns this id, for messages and route-target references. */
export function nameOfId(s: Snapshot, id: string): string {
  const all: { id: string; name: string }[] = [
    ...s.vpcs,
    ...s.subnets,
    ...s.routeTables,
    ...s.securityGroups,
    ...s.instances,
    ...s.internetGateways,
    ...s.natGateways,
    ...s.transitGateways,
    ...s.tgwAttachments,
    ...s.vpcEndpoints,
  ];
  return all.find((x) => x.id === id)?.name ?? id;
}
