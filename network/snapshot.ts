/**
 * The network model of one lab at one moment. Built from the synthesized Terraform (sim), from live
 * describe calls (aws) or from saved describe outputs (aws-configs); read by the analyzer, the checks
 * and the diagram. Plain JSON-serializable data: the sim persists it as is.
 *
 * Every resource has an `id` (AWS id, or a deterministic fake one) and a `name` (the Name tag, else the id).
 */

export type Tags = Readonly<Record<string, string>>;

export interface VpcModel {
  id: string;
  name: string;
  cidr: string;
  /** Secondary CIDR blocks, when any. */
  secondaryCidrs?: string[];
  dnsSupport: boolean;
  dnsHostnames: boolean;
  tags: Tags;
}

export interface SubnetModel {
  id: string;
  name: string;
  vpcId: string;
  cidr: string;
  /** Availability zone name, e.g. `ap-northeast-2a`. */
  az: string;
  mapPublicIpOnLaunch: boolean;
  tags: Tags;
}

export type RouteTarget =
  | { kind: "local" }
  | { kind: "igw"; id: string }
  | { kind: "nat-gateway"; id: string }
  | { kind: "tgw"; id: string }
  /** A network interface: a NAT instance's ENI. `instanceId` when the ENI belongs to an instance. */
  | { kind: "eni"; id: string; instanceId?: string }
  | { kind: "vpc-endpoint"; id: string }
  | { kind: "peering"; id: string }
  | { kind: "vgw"; id: string }
  | { kind: "other"; id: string };

export interface RouteModel {
  /** IPv4 CIDR. (Prefix-list destinations are stored as `pl-…` and never match an address.) */
  destination: string;
  target: RouteTarget;
  /** AWS marks a route `blackhole` when its target is gone (deleted NAT gateway, detached ENI). */
  state: "active" | "blackhole";
}

export interface RouteTableModel {
  id: string;
  name: string;
  vpcId: string;
  /** The VPC's main table: subnets with no explicit association use it. */
  main: boolean;
  /** Subnets explicitly associated. */
  subnetIds: string[];
  routes: RouteModel[];
  tags: Tags;
}

export type Protocol = "-1" | "tcp" | "udp" | "icmp";

export interface NaclEntryModel {
  ruleNumber: number;
  egress: boolean;
  protocol: Protocol | string;
  action: "allow" | "deny";
  cidr: string;
  fromPort?: number;
  toPort?: number;
}

export interface NetworkAclModel {
  id: string;
  name: string;
  vpcId: string;
  isDefault: boolean;
  subnetIds: string[];
  entries: NaclEntryModel[];
  tags: Tags;
}

export interface SgRuleModel {
  /** `sgr-…` on AWS; deterministic on the sim. */
  id?: string;
  protocol: Protocol | string;
  /** -1 with protocol -1. For icmp: type (-1 = all). */
  fromPort: number;
  /** For icmp: code (-1 = all). */
  toPort: number;
  cidr?: string;
  /** A security group id (same VPC, or a peered one). */
  peerSecurityGroupId?: string;
  /** A prefix list id. */
  prefixListId?: string;
  description?: string;
}

export interface SecurityGroupModel {
  id: string;
  /** Name tag, else the group name. */
  name: string;
  groupName: string;
  vpcId: string;
  ingress: SgRuleModel[];
  egress: SgRuleModel[];
  tags: Tags;
}

/** What runs inside an instance: the part of its state that the control plane cannot see. */
export interface OsState {
  /** net.ipv4.ip_forward */
  ipForward: boolean;
  /** iptables -t nat POSTROUTING MASQUERADE on the egress interface. */
  masquerade: boolean;
  /** The MASQUERADE rule is saved and loaded at boot (/etc/sysconfig/iptables, iptables.service enabled). */
  masqueradeSaved: boolean;
  /** TCP ports with a listening service (e.g. 80 for the web tier). */
  listeningPorts: number[];
  /** A CPU load generator is running. */
  cpuLoad: boolean;
}

export type InstanceState = "pending" | "running" | "stopping" | "stopped" | "shutting-down" | "terminated";

export interface InstanceModel {
  id: string;
  name: string;
  vpcId: string;
  subnetId: string;
  privateIp: string;
  publicIp?: string;
  /**
   * The primary interface gets a new auto-assigned public IPv4 address at each start (it had one that
   * was not an EIP when it stopped). Set by the simulator, which releases the address on stop.
   */
  autoPublicIp?: boolean;
  /** Primary network interface. */
  eniId: string;
  securityGroupIds: string[];
  sourceDestCheck: boolean;
  state: InstanceState;
  /** Unknown (undefined) when the snapshot comes from the control plane only. */
  os?: OsState;
  tags: Tags;
}

export interface InternetGatewayModel {
  id: string;
  name: string;
  /** Attached VPC, if any. */
  vpcId?: string;
  tags: Tags;
}

export interface NatGatewayModel {
  id: string;
  name: string;
  vpcId: string;
  subnetId: string;
  connectivity: "public" | "private";
  state: "pending" | "available" | "deleting" | "deleted" | "failed";
  privateIp: string;
  /** The EIP the internet sees (public NAT gateways). */
  publicIp?: string;
  tags: Tags;
}

export interface ElasticIpModel {
  allocationId: string;
  name: string;
  publicIp: string;
  instanceId?: string;
  eniId?: string;
  privateIp?: string;
  tags: Tags;
}

export interface TransitGatewayModel {
  id: string;
  name: string;
  /**
   * Security group referencing across the VPCs attached to it (inbound rules only). Off unless set:
   * AWS's default at the transit gateway level is `disable`.
   * https://docs.aws.amazon.com/vpc/latest/tgw/tgw-vpc-attachments.html
   */
  securityGroupReferencing?: boolean;
  tags: Tags;
}

export interface TgwAttachmentModel {
  id: string;
  name: string;
  tgwId: string;
  vpcId: string;
  /** One subnet per AZ: traffic from an AZ without one cannot enter the TGW. */
  subnetIds: string[];
  state: "available" | "pending" | "deleted" | string;
  /** The attachment's own security group referencing option; AWS's default at this level is `enable` (undefined = on). */
  securityGroupReferencing?: boolean;
  tags: Tags;
}

export interface TgwRouteModel {
  destination: string;
  /** Undefined for a blackhole route. */
  attachmentId?: string;
  type: "static" | "propagated";
  state: "active" | "blackhole";
}

export interface TgwRouteTableModel {
  id: string;
  name: string;
  tgwId: string;
  /** Attachments associated with (i.e. looking up in) this table. */
  associations: string[];
  /** Attachments propagating their VPC CIDR into this table. */
  propagations: string[];
  /** Static routes (and, from AWS, propagated ones already resolved). */
  routes: TgwRouteModel[];
  tags: Tags;
}

export interface VpcEndpointModel {
  id: string;
  name: string;
  vpcId: string;
  type: "Interface" | "Gateway" | string;
  /** e.g. `com.amazonaws.ap-northeast-2.ssm` */
  serviceName: string;
  subnetIds: string[];
  securityGroupIds: string[];
  routeTableIds: string[];
  privateDns: boolean;
  /**
   * The endpoint's network interfaces (Interface endpoints: one per subnet). From NetworkInterfaces.json on
   * AWS; a deterministic address in each subnet offline. Undefined: the analyzer derives them the same way.
   */
  networkInterfaces?: EndpointInterfaceModel[];
  tags: Tags;
}

/** A network interface that AWS manages for a service (endpoint or load balancer node) in one subnet. */
export interface EndpointInterfaceModel {
  id: string;
  subnetId: string;
  privateIp: string;
}

export interface ListenerModel {
  port: number;
  protocol: string;
  targetGroupArn: string;
}

export interface LoadBalancerModel {
  arn: string;
  name: string;
  type: "application" | "network" | string;
  scheme: "internet-facing" | "internal";
  vpcId: string;
  subnetIds: string[];
  securityGroupIds: string[];
  dnsName: string;
  listeners: ListenerModel[];
  /** One node (network interface) per subnet. Undefined: the analyzer derives an address in each subnet. */
  nodes?: EndpointInterfaceModel[];
  tags: Tags;
}

export interface HealthCheckModel {
  protocol: string;
  path: string;
  /** `traffic-port` or a port number. */
  port: "traffic-port" | number;
  intervalSeconds: number;
  timeoutSeconds: number;
  healthyThreshold: number;
  unhealthyThreshold: number;
  matcher: string;
}

export interface TargetModel {
  instanceId: string;
  port: number;
  /** Observed health (from AWS); the sim derives it with `targetHealth`. */
  observed?: { state: string; reason?: string };
}

export interface TargetGroupModel {
  arn: string;
  name: string;
  vpcId: string;
  protocol: string;
  port: number;
  healthCheck: HealthCheckModel;
  targets: TargetModel[];
  tags: Tags;
}

export interface DnsRecordModel {
  /** Fully qualified, without the trailing dot. */
  name: string;
  type: string;
  values: string[];
  /** Alias to a load balancer (its DNS name). */
  aliasTarget?: string;
}

export interface HostedZoneModel {
  id: string;
  /** Without the trailing dot. */
  name: string;
  private: boolean;
  vpcIds: string[];
  records: DnsRecordModel[];
  tags: Tags;
}

export interface FlowLogModel {
  id: string;
  /** The VPC (or subnet / ENI) id it captures. */
  resourceId: string;
  logGroupName: string;
  trafficType: "ACCEPT" | "REJECT" | "ALL";
  status: "ACTIVE" | string;
  tags: Tags;
}

export interface AlarmModel {
  name: string;
  metricName: string;
  namespace: string;
  instanceId?: string;
  threshold: number;
  state: "OK" | "ALARM" | "INSUFFICIENT_DATA";
  /** When the alarm last entered ALARM (ISO time), if ever. */
  lastAlarmAt?: string;
  actions: string[];
  tags: Tags;
}

export type SnapshotSource = "terraform" | "aws" | "aws-configs";

export interface Snapshot {
  /** Participant id, or a label for foreign networks. */
  lab: string;
  region: string;
  source: SnapshotSource;
  vpcs: VpcModel[];
  subnets: SubnetModel[];
  routeTables: RouteTableModel[];
  networkAcls: NetworkAclModel[];
  securityGroups: SecurityGroupModel[];
  instances: InstanceModel[];
  internetGateways: InternetGatewayModel[];
  natGateways: NatGatewayModel[];
  elasticIps: ElasticIpModel[];
  transitGateways: TransitGatewayModel[];
  tgwAttachments: TgwAttachmentModel[];
  tgwRouteTables: TgwRouteTableModel[];
  vpcEndpoints: VpcEndpointModel[];
  loadBalancers: LoadBalancerModel[];
  targetGroups: TargetGroupModel[];
  hostedZones: HostedZoneModel[];
  flowLogs: FlowLogModel[];
  alarms: AlarmModel[];
}

export function emptySnapshot(lab: string, region: string, source: SnapshotSource): Snapshot {
  return {
    lab,
    region,
    source,
    vpcs: [],
    subnets: [],
    routeTables: [],
    networkAcls: [],
    securityGroups: [],
    instances: [],
    internetGateways: [],
    natGateways: [],
    elasticIps: [],
    transitGateways: [],
    tgwAttachments: [],
    tgwRouteTables: [],
    vpcEndpoints: [],
    loadBalancers: [],
    targetGroups: [],
    hostedZones: [],
    flowLogs: [],
    alarms: [],
  };
}

/** The OS state of a freshly booted lab instance of the given role, as its user data leaves it. */
export function defaultOsState(role: "web" | "nat" | "workstation" | "probe" | "unknown"): OsState {
  return {
    ipForward: role === "nat",
    masquerade: role === "nat",
    masqueradeSaved: role === "nat",
    listeningPorts: role === "web" ? [80] : [],
    cpuLoad: false,
  };
}
