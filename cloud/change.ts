/**
 * A change is one typed, reversible mutation of a lab, as data. Scenarios return changes; backends
 * apply them. Resources are named by their Name tag (what students see), never by id: the backend
 * resolves names among the lab's tagged resources only.
 */

/** Where a created route points, named the way a scenario knows it. */
export type RouteTargetRef =
  | { kind: "tgw"; name: string }
  | { kind: "igw"; name: string }
  | { kind: "nat-gateway"; name: string }
  /** The primary ENI of the named instance. */
  | { kind: "instance-eni"; instance: string };

/** An SG rule, with the peer group named rather than identified. */
export interface SgRuleRef {
  protocol: "-1" | "tcp" | "udp" | "icmp";
  fromPort: number;
  toPort: number;
  cidr?: string;
  /** Name of a security group of the same lab. */
  peerSecurityGroup?: string;
  description?: string;
}

export type OsStateKey = "masquerade" | "cpuLoad";

export type Change =
  | { kind: "delete-route"; routeTable: string; destination: string }
  | { kind: "create-route"; routeTable: string; destination: string; target: RouteTargetRef }
  /** Points an existing route at another target (the console's "Edit routes"). */
  | { kind: "replace-route"; routeTable: string; destination: string; target: RouteTargetRef }
  | { kind: "stop-instance"; instance: string }
  | { kind: "start-instance"; instance: string }
  | { kind: "set-source-dest-check"; instance: string; enabled: boolean }
  | { kind: "revoke-sg-rule"; securityGroup: string; direction: "ingress" | "egress"; rule: SgRuleRef }
  | { kind: "authorize-sg-rule"; securityGroup: string; direction: "ingress" | "egress"; rule: SgRuleRef }
  | { kind: "deregister-target"; targetGroup: string; instance: string; port: number }
  | { kind: "register-target"; targetGroup: string; instance: string; port: number }
  | { kind: "disassociate-zone"; zone: string; vpc: string }
  | { kind: "associate-zone"; zone: string; vpc: string }
  | { kind: "delete-flow-log"; vpc: string }
  | { kind: "create-flow-log"; vpc: string; logGroup: string; trafficType: "ACCEPT" | "REJECT" | "ALL" }
  /** Inside the OS, by SSM on AWS: the NAT instance's MASQUERADE rule, a bounded CPU load. */
  | { kind: "set-os-state"; instance: string; key: OsStateKey; value: boolean };

export type ChangeKind = Change["kind"];

export const CHANGE_KINDS: readonly ChangeKind[] = [
  "delete-route",
  "create-route",
  "replace-route",
  "stop-instance",
  "start-instance",
  "set-source-dest-check",
  "revoke-sg-rule",
  "authorize-sg-rule",
  "deregister-target",
  "register-target",
  "disassociate-zone",
  "associate-zone",
  "delete-flow-log",
  "create-flow-log",
  "set-os-state",
];

function describeRule(rule: SgRuleRef): string {
  const ports = rule.protocol === "-1" ? "all traffic" : rule.fromPort === rule.toPort ? `${rule.protocol}/${rule.fromPort}` : `${rule.protocol}/${rule.fromPort}-${rule.toPort}`;
  return `${ports} ${rule.cidr ?? `SG ${rule.peerSecurityGroup}`}`;
}

/** A route target in words: "tgw netlab-tgw", "the ENI of NAT-Instance". */
export function describeRouteTarget(t: RouteTargetRef): string {
  return t.kind === "instance-eni" ? `the ENI of ${t.instance}` : `${t.kind} ${t.name}`;
}

/** One line a person can read: what the change does to which resource. */
export function describeChange(c: Change): string {
  switch (c.kind) {
    case "delete-route":
      return `delete route ${c.destination} from ${c.routeTable}`;
    case "create-route":
      return `create route ${c.destination} → ${describeRouteTarget(c.target)} in ${c.routeTable}`;
    case "replace-route":
      return `replace route ${c.destination} in ${c.routeTable}: → ${describeRouteTarget(c.target)}`;
    case "stop-instance":
      return `stop instance ${c.instance}`;
    case "start-instance":
      return `start instance ${c.instance}`;
    case "set-source-dest-check":
      return `turn source/dest check ${c.enabled ? "on" : "off"} on ${c.instance}`;
    case "revoke-sg-rule":
      return `revoke ${c.direction} ${describeRule(c.rule)} from ${c.securityGroup}`;
    case "authorize-sg-rule":
      return `authorize ${c.direction} ${describeRule(c.rule)} on ${c.securityGroup}`;
    case "deregister-target":
      return `deregister ${c.instance}:${c.port} from ${c.targetGroup}`;
    case "register-target":
      return `register ${c.instance}:${c.port} in ${c.targetGroup}`;
    case "disassociate-zone":
      return `disassociate private zone ${c.zone} from ${c.vpc}`;
    case "associate-zone":
      return `associate private zone ${c.zone} with ${c.vpc}`;
    case "delete-flow-log":
      return `delete the flow log of ${c.vpc}`;
    case "create-flow-log":
      return `create a flow log of ${c.vpc} (${c.trafficType}) to ${c.logGroup}`;
    case "set-os-state":
      return `${c.value ? "start" : "stop"} ${c.key === "masquerade" ? "the MASQUERADE rule" : "the CPU load"} on ${c.instance}`;
  }
}
