/** The analyzer's vocabulary, shared by the checks, the CLI and every snapshot source. */

export type ReasonCode =
  | "NO_ROUTE"
  | "BLACKHOLE_ROUTE"
  | "SG_EGRESS_DENY"
  | "SG_INGRESS_DENY"
  | "NACL_DENY"
  | "TGW_NO_ROUTE"
  | "TGW_NO_ATTACHMENT_IN_AZ"
  | "NO_PUBLIC_IP"
  | "SOURCE_DEST_CHECK"
  | "NAT_NOT_FORWARDING"
  | "INSTANCE_NOT_RUNNING"
  | "SERVICE_DOWN"
  | "DNS_NO_ANSWER"
  | "NO_HEALTHY_TARGET"
  | "UNKNOWN_DESTINATION"
  /** The path uses something the analyzer does not model (VPN gateway, peering…): it cannot say. */
  | "UNMODELED_TARGET";

/** Every reason code, for exhaustive tests and docs. */
export const REASON_CODES: readonly ReasonCode[] = [
  "NO_ROUTE",
  "BLACKHOLE_ROUTE",
  "SG_EGRESS_DENY",
  "SG_INGRESS_DENY",
  "NACL_DENY",
  "TGW_NO_ROUTE",
  "TGW_NO_ATTACHMENT_IN_AZ",
  "NO_PUBLIC_IP",
  "SOURCE_DEST_CHECK",
  "NAT_NOT_FORWARDING",
  "INSTANCE_NOT_RUNNING",
  "SERVICE_DOWN",
  "DNS_NO_ANSWER",
  "NO_HEALTHY_TARGET",
  "UNKNOWN_DESTINATION",
  "UNMODELED_TARGET",
];

/** A verdict the analyzer cannot give: the CLI exits 3 (inconclusive) instead of 1. */
export function isInconclusive(blockedBy: BlockedBy | null): boolean {
  return blockedBy?.reason === "UNMODELED_TARGET";
}

export type HopKind =
  | "instance"
  | "security-group"
  | "network-acl"
  | "route-table"
  | "tgw-attachment"
  | "tgw-route-table"
  | "transit-gateway"
  | "nat-gateway"
  | "nat-instance"
  | "internet-gateway"
  | "vpc-endpoint"
  | "load-balancer"
  | "target-group"
  | "internet"
  | "dns";

export interface Hop {
  /** Name tag, else id. */
  component: string;
  kind: HopKind;
}

export interface BlockedBy {
  component: string;
  reason: ReasonCode;
  /** A sentence for the instructor: "no route matches 0.0.0.0/0". */
  detail: string;
}

export interface ReachResult {
  reachable: boolean;
  hops: Hop[];
  blockedBy: BlockedBy | null;
  /** The public address the destination sees, for traffic that leaves to the internet. */
  egressIp: string | null;
}

/** Where to go: the internet, an instance (Name or id), an address, a DNS name, or the lab's ALB. */
export type Destination =
  | { kind: "internet"; ip?: string }
  | { kind: "instance"; ref: string }
  | { kind: "address"; ip: string }
  | { kind: "dns"; name: string }
  | { kind: "load-balancer"; ref?: string };

export interface ReachOptions {
  protocol?: "tcp" | "udp" | "icmp";
  /**
   * Destination port (tcp/udp). @default 443 to the internet, the first listener's port for a load
   * balancer, else 80. A port given for a load balancer must be one of its listeners'.
   */
  port?: number;
}

export type TargetHealthState = "healthy" | "unhealthy" | "unused" | "initial" | "draining" | "unavailable";

export interface TargetHealth {
  state: TargetHealthState;
  /** ELBv2 reason code, e.g. `Target.InvalidState`, `Target.Timeout`, `Target.FailedHealthChecks`. */
  reason?: string;
  detail?: string;
  /** Where the analyzer finds the health check blocked (the sim's derived health). */
  blockedBy?: BlockedBy;
}
