/**
 * The lab plan as typed, readonly data. Stacks, scenarios, checks and the simulator all read it;
 * nothing here knows about Terraform or AWS APIs.
 */

/** The two availability zones of the lab: the region's first two AZs. */
export type AzKey = "A" | "B";

/** Which CDKTF stack of a participant a resource belongs to. */
export type StackVariant = "core" | "natinstance";

export type SubnetTier = "public" | "private";

/** Where a route sends traffic, named in plan terms (resolved to ids by the stacks). */
export type RouteTargetPlan =
  | { readonly kind: "igw" }
  | { readonly kind: "tgw" }
  /** The NAT gateway of the given AZ in the same VPC. */
  | { readonly kind: "nat-gateway"; readonly az: AzKey }
  /** The primary ENI of the named instance (aws_route has no instance_id). */
  | { readonly kind: "instance-eni"; readonly instance: string };

export interface RoutePlan {
  readonly destination: string;
  readonly target: RouteTargetPlan;
}

export interface RouteTablePlan {
  /** The Name tag students see, e.g. `VPC02-Private-Subnet-A-RT`. */
  readonly name: string;
  readonly routes: readonly RoutePlan[];
}

export interface SubnetPlan {
  /** The Name tag, e.g. `VPC02-PrivateSubnetA`. */
  readonly name: string;
  readonly tier: SubnetTier;
  readonly az: AzKey;
  readonly cidr: string;
  /** Name of the route table (in the same VPC) this subnet is associated with. */
  readonly routeTable: string;
  /** True when a TGW attachment ENI lives in this subnet. */
  readonly tgwAttachment?: boolean;
  /** True when the VPC's SSM interface endpoints live in this subnet. */
  readonly endpoints?: boolean;
}

export type SgProtocol = "tcp" | "udp" | "icmp" | "-1";

/** One SG rule: exactly one of `cidr` or `peerSecurityGroup`. */
export interface SgRulePlan {
  readonly protocol: SgProtocol;
  /** First port (for icmp: the ICMP type, -1 for all). */
  readonly fromPort: number;
  /** Last port (for icmp: the ICMP code, -1 for all). */
  readonly toPort: number;
  readonly cidr?: string;
  /** Name of a security group in the same VPC. */
  readonly peerSecurityGroup?: string;
  readonly description: string;
}

export interface SecurityGroupPlan {
  /** The Name tag and group name, e.g. `VPC02-PrivateSG`. */
  readonly name: string;
  readonly description: string;
  readonly ingress: readonly SgRulePlan[];
  /** Explicit: Terraform removes AWS's default allow-all egress rule. */
  readonly egress: readonly SgRulePlan[];
}

export interface VpcPlan {
  /** The Name tag, e.g. `VPC02`. */
  readonly name: string;
  readonly cidr: string;
  readonly stack: StackVariant;
  readonly subnets: readonly SubnetPlan[];
  readonly routeTables: readonly RouteTablePlan[];
  readonly securityGroups: readonly SecurityGroupPlan[];
  /** Name tag of the internet gateway, when the VPC has one. */
  readonly internetGateway?: string;
  /** One NAT gateway per listed AZ, placed in the public subnet of that AZ. */
  readonly natGateways?: readonly { readonly name: string; readonly az: AzKey }[];
  /** SSM interface endpoints (ssm, ssmmessages, ec2messages) + an S3 gateway endpoint. */
  readonly ssmEndpoints: boolean;
}

export type InstanceRole = "web" | "nat" | "workstation" | "probe";

export interface InstancePlan {
  /** The Name tag, e.g. `VPC02-Private-A-10.2.20.101`. */
  readonly name: string;
  readonly vpc: string;
  readonly subnet: string;
  readonly privateIp: string;
  readonly role: InstanceRole;
  readonly securityGroups: readonly string[];
  /** Label in the private zone (`<dnsLabel>.<zone>`). */
  readonly dnsLabel: string;
  /** An Elastic IP is attached (NAT instance). */
  readonly elasticIp?: boolean;
  /** A public IP is assigned at launch (workstation). */
  readonly publicIp?: boolean;
  /** @default true */
  readonly sourceDestCheck?: boolean;
  readonly instanceType: string;
}

export interface HealthCheckPlan {
  readonly path: string;
  readonly intervalSeconds: number;
  readonly timeoutSeconds: number;
  readonly healthyThreshold: number;
  readonly unhealthyThreshold: number;
  readonly matcher: string;
}

export interface AlbPlan {
  readonly name: string;
  readonly vpc: string;
  /** Public subnets the ALB spans. */
  readonly subnets: readonly string[];
  readonly securityGroup: string;
  readonly listenerPort: number;
  readonly targetGroup: {
    readonly name: string;
    readonly port: number;
    readonly healthCheck: HealthCheckPlan;
    /** Names of the instances registered as targets. */
    readonly targets: readonly string[];
  };
  /** Label in the private zone for the ALB (alias record). */
  readonly dnsLabel: string;
}

export interface TgwRouteTablePlan {
  readonly name: string;
  /** VPCs whose attachments are associated with this table. */
  readonly associations: readonly string[];
  /** VPCs whose attachments propagate their CIDR into this table. */
  readonly propagations: readonly string[];
  /** Static routes to a VPC's attachment. */
  readonly staticRoutes: readonly { readonly destination: string; readonly vpc: string }[];
}

export interface TgwPlan {
  readonly name: string;
  readonly amazonSideAsn: number;
  /** VPCs attached (in the subnets marked `tgwAttachment`). */
  readonly attachments: readonly string[];
  readonly routeTables: readonly TgwRouteTablePlan[];
}

export interface DnsPlan {
  readonly zoneName: string;
}

export interface MonitoringPlan {
  readonly flowLogGroup: string;
  readonly flowLogRetentionDays: number;
  readonly cpuAlarm: {
    readonly name: string;
    readonly instance: string;
    readonly thresholdPercent: number;
    readonly periodSeconds: number;
    readonly evaluationPeriods: number;
    readonly topicName: string;
  };
}

export interface Topology {
  readonly defaultRegion: string;
  readonly vpcs: readonly VpcPlan[];
  readonly instances: readonly InstancePlan[];
  readonly alb: AlbPlan;
  readonly tgw: TgwPlan;
  readonly dns: DnsPlan;
  readonly monitoring: MonitoringPlan;
}
