import type {
  Address,
  FlowLog,
  InternetGateway,
  NatGateway,
  NetworkAcl,
  NetworkInterface,
  Reservation,
  RouteTable,
  SecurityGroup,
  Subnet,
  Tag,
  TransitGateway,
  TransitGatewayAttachment,
  TransitGatewayRoute,
  TransitGatewayRouteTable,
  TransitGatewayRouteTablePropagation,
  TransitGatewayVpcAttachment,
  Vpc,
  VpcEndpoint,
} from "@aws-sdk/client-ec2";
import type { Listener, LoadBalancer, TargetGroup, TargetHealthDescription } from "@aws-sdk/client-elastic-load-balancing-v2";
import type { HostedZone, ResourceRecordSet, VPC } from "@aws-sdk/client-route-53";
import type { AlarmHistoryItem, MetricAlarm } from "@aws-sdk/client-cloudwatch";
import { describeFileProblem } from "./describe-schema";
import { emptySnapshot, type EndpointInterfaceModel, type InstanceState, type RouteTarget, type SgRuleModel, type Snapshot, type Tags } from "./snapshot";

/**
 * Saved or live describe outputs, keyed by file base name, each exactly the API's response shape
 * (Batfish's AWS snapshot layout). Absent keys mean "none of these".
 */
export interface AwsDescribeOutputs {
  Vpcs?: { Vpcs?: Vpc[] };
  Subnets?: { Subnets?: Subnet[] };
  RouteTables?: { RouteTables?: RouteTable[] };
  SecurityGroups?: { SecurityGroups?: SecurityGroup[] };
  NetworkAcls?: { NetworkAcls?: NetworkAcl[] };
  Reservations?: { Reservations?: Reservation[] };
  NetworkInterfaces?: { NetworkInterfaces?: NetworkInterface[] };
  Addresses?: { Addresses?: Address[] };
  InternetGateways?: { InternetGateways?: InternetGateway[] };
  NatGateways?: { NatGateways?: NatGateway[] };
  VpcEndpoints?: { VpcEndpoints?: VpcEndpoint[] };
  TransitGateways?: { TransitGateways?: TransitGateway[] };
  TransitGatewayVpcAttachments?: { TransitGatewayVpcAttachments?: TransitGatewayVpcAttachment[] };
  TransitGatewayAttachments?: { TransitGatewayAttachments?: TransitGatewayAttachment[] };
  TransitGatewayRouteTables?: { TransitGatewayRouteTables?: TransitGatewayRouteTable[] };
  /** Per table: SearchTransitGatewayRoutes (type static, or all) results. */
  TransitGatewayStaticRoutes?: { TransitGatewayStaticRoutes?: { TransitGatewayRouteTableId?: string; Routes?: TransitGatewayRoute[] }[] };
  /** Per table: GetTransitGatewayRouteTablePropagations results. */
  TransitGatewayPropagations?: { TransitGatewayPropagations?: { TransitGatewayRouteTableId?: string; TransitGatewayRouteTablePropagations?: TransitGatewayRouteTablePropagation[] }[] };
  LoadBalancers?: { LoadBalancers?: LoadBalancer[] };
  LoadBalancerListeners?: { LoadBalancerListeners?: { LoadBalancerArn?: string; Listeners?: Listener[] }[] };
  TargetGroups?: { TargetGroups?: TargetGroup[] };
  LoadBalancerTargetHealth?: { LoadBalancerTargetHealth?: { TargetGroupArn?: string; TargetHealthDescriptions?: TargetHealthDescription[] }[] };
  /** netlab's own shape: each private zone with its VPCs (GetHostedZone) and records (ListResourceRecordSets). */
  HostedZones?: { HostedZones?: { HostedZone: HostedZone; VPCs?: VPC[]; ResourceRecordSets?: ResourceRecordSet[]; Tags?: Tag[] }[] };
  FlowLogs?: { FlowLogs?: FlowLog[] };
  MetricAlarms?: { MetricAlarms?: MetricAlarm[] };
  /** DescribeAlarmHistory (HistoryItemType StateUpdate) of the lab's alarms: when each last entered ALARM. */
  AlarmHistory?: { AlarmHistoryItems?: AlarmHistoryItem[] };
}

export type AwsDescribeKey = keyof AwsDescribeOutputs;

/** The inner list key of each file: `Vpcs.json` holds `{ "Vpcs": [...] }`. */
export const DESCRIBE_LIST_KEYS: Record<AwsDescribeKey, string> = {
  Vpcs: "Vpcs",
  Subnets: "Subnets",
  RouteTables: "RouteTables",
  SecurityGroups: "SecurityGroups",
  NetworkAcls: "NetworkAcls",
  Reservations: "Reservations",
  NetworkInterfaces: "NetworkInterfaces",
  Addresses: "Addresses",
  InternetGateways: "InternetGateways",
  NatGateways: "NatGateways",
  VpcEndpoints: "VpcEndpoints",
  TransitGateways: "TransitGateways",
  TransitGatewayVpcAttachments: "TransitGatewayVpcAttachments",
  TransitGatewayAttachments: "TransitGatewayAttachments",
  TransitGatewayRouteTables: "TransitGatewayRouteTables",
  TransitGatewayStaticRoutes: "TransitGatewayStaticRoutes",
  TransitGatewayPropagations: "TransitGatewayPropagations",
  LoadBalancers: "LoadBalancers",
  LoadBalancerListeners: "LoadBalancerListeners",
  TargetGroups: "TargetGroups",
  LoadBalancerTargetHealth: "LoadBalancerTargetHealth",
  HostedZones: "HostedZones",
  FlowLogs: "FlowLogs",
  MetricAlarms: "MetricAlarms",
  AlarmHistory: "AlarmHistoryItems",
};

/** A describe output that does not have the shape AWS gives. Names the file and the field. */
export class DescribeShapeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DescribeShapeError";
  }
}

/**
 * Checks every output that is there (absent = "none of these"): its top level, each entry's type and the ids
 * the model needs. Throws a DescribeShapeError naming the file and the path inside it.
 */
export function validateDescribeOutputs(outputs: AwsDescribeOutputs, fileOf: (key: AwsDescribeKey) => string = (key) => `${key}.json`): void {
  for (const key of Object.keys(DESCRIBE_LIST_KEYS) as AwsDescribeKey[]) {
    if (!(key in outputs) || outputs[key] === undefined) continue;
    const problem = describeFileProblem(key, DESCRIBE_LIST_KEYS[key], outputs[key], fileOf(key));
    if (problem) throw new DescribeShapeError(problem);
  }
}

/** The list inside one file (validated by `validateDescribeOutputs`). */
export function listOf<T>(outputs: AwsDescribeOutputs, key: AwsDescribeKey): T[] {
  const file = outputs[key] as Record<string, unknown> | undefined;
  const inner = file?.[DESCRIBE_LIST_KEYS[key]];
  return Array.isArray(inner) ? (inner as T[]) : [];
}

function tagsOf(tags: Tag[] | undefined): Tags {
  const out: Record<string, string> = {};
  for (const t of tags ?? []) if (t.Key) out[t.Key] = t.Value ?? "";
  return out;
}

const nameOr = (tags: Tags, id: string): string => tags.Name || id;

const PROTOCOLS: Record<string, string> = { "-1": "-1", "6": "tcp", "17": "udp", "1": "icmp", tcp: "tcp", udp: "udp", icmp: "icmp", all: "-1" };

function protocolName(p: string | undefined): string {
  return PROTOCOLS[String(p ?? "-1").toLowerCase()] ?? String(p);
}

function sgRules(perms: SecurityGroup["IpPermissions"]): SgRuleModel[] {
  const out: SgRuleModel[] = [];
  for (const p of perms ?? []) {
    const protocol = protocolName(p.IpProtocol);
    const base = { protocol, fromPort: protocol === "-1" ? -1 : p.FromPort ?? -1, toPort: protocol === "-1" ? -1 : p.ToPort ?? -1 };
    for (const r of p.IpRanges ?? []) out.push({ ...base, cidr: r.CidrIp, ...(r.Description ? { description: r.Description } : {}) });
    // IPv6 sources are kept (the analyzer's IPv4 paths ignore them; an audit of ::/0 needs them).
    for (const r of p.Ipv6Ranges ?? []) out.push({ ...base, cidr: r.CidrIpv6, ...(r.Description ? { description: r.Description } : {}) });
    for (const g of p.UserIdGroupPairs ?? []) out.push({ ...base, peerSecurityGroupId: g.GroupId, ...(g.Description ? { description: g.Description } : {}) });
    for (const l of p.PrefixListIds ?? []) out.push({ ...base, prefixListId: l.PrefixListId, ...(l.Description ? { description: l.Description } : {}) });
  }
  return out;
}

function routeTarget(r: NonNullable<RouteTable["Routes"]>[number]): RouteTarget {
  if (r.NatGatewayId) return { kind: "nat-gateway", id: r.NatGatewayId };
  if (r.TransitGatewayId) return { kind: "tgw", id: r.TransitGatewayId };
  if (r.NetworkInterfaceId) return { kind: "eni", id: r.NetworkInterfaceId, ...(r.InstanceId ? { instanceId: r.InstanceId } : {}) };
  if (r.InstanceId) return { kind: "eni", id: r.InstanceId, instanceId: r.InstanceId };
  if (r.VpcPeeringConnectionId) return { kind: "peering", id: r.VpcPeeringConnectionId };
  const gw = r.GatewayId ?? "";
  if (gw === "local") return { kind: "local" };
  if (gw.startsWith("igw-")) return { kind: "igw", id: gw };
  if (gw.startsWith("vgw-")) return { kind: "vgw", id: gw };
  if (gw.startsWith("vpce-")) return { kind: "vpc-endpoint", id: gw };
  return { kind: "other", id: gw || r.CarrierGatewayId || r.LocalGatewayId || r.EgressOnlyInternetGatewayId || "unknown" };
}

/** The interfaces AWS manages for a service (endpoint, load balancer), from DescribeNetworkInterfaces. */
function serviceInterfaces(enis: readonly NetworkInterface[], belongs: (n: NetworkInterface) => boolean): EndpointInterfaceModel[] {
  return enis.filter(belongs).flatMap((n) => (n.NetworkInterfaceId && n.SubnetId && n.PrivateIpAddress ? [{ id: n.NetworkInterfaceId, subnetId: n.SubnetId, privateIp: n.PrivateIpAddress }] : []));
}

function nodesOf(enis: readonly NetworkInterface[], arn: string): { nodes?: EndpointInterfaceModel[] } {
  const suffix = arn.split(":loadbalancer/")[1];
  if (!suffix) return {};
  const nodes = serviceInterfaces(enis, (n) => n.Description === `ELB ${suffix}`);
  return nodes.length ? { nodes } : {};
}

export interface FromDescribeOptions {
  lab: string;
  region: string;
  source: "aws" | "aws-configs";
  /** How errors name a file: its path on disk for saved snapshots. @default `<Key>.json` */
  fileOf?: (key: AwsDescribeKey) => string;
}

/** The one mapping from AWS API shapes to the snapshot model, shared by the live backend and saved snapshots. */
export function snapshotFromDescribe(outputs: AwsDescribeOutputs, options: FromDescribeOptions): Snapshot {
  const fileOf = options.fileOf ?? ((key: AwsDescribeKey) => `${key}.json`);
  validateDescribeOutputs(outputs, fileOf);
  const s = emptySnapshot(options.lab, options.region, options.source);
  for (const v of listOf<Vpc>(outputs, "Vpcs")) {
    // DescribeVpcs does not return the DNS attributes (DescribeVpcAttribute does, one per call): a live VPC
    // is presumed to have both on, as the lab deploys them, so that the analyzer does not invent a DNS fault.
    const tags = tagsOf(v.Tags);
    const secondary = (v.CidrBlockAssociationSet ?? []).map((a) => a.CidrBlock ?? "").filter((c) => c && c !== v.CidrBlock);
    s.vpcs.push({ id: v.VpcId ?? "", name: nameOr(tags, v.VpcId ?? ""), cidr: v.CidrBlock ?? "", ...(secondary.length ? { secondaryCidrs: secondary } : {}), dnsSupport: true, dnsHostnames: true, tags });
  }
  for (const x of listOf<Subnet>(outputs, "Subnets")) {
    const tags = tagsOf(x.Tags);
    s.subnets.push({ id: x.SubnetId ?? "", name: nameOr(tags, x.SubnetId ?? ""), vpcId: x.VpcId ?? "", cidr: x.CidrBlock ?? "", az: x.AvailabilityZone ?? "", mapPublicIpOnLaunch: x.MapPublicIpOnLaunch ?? false, tags });
  }
  for (const t of listOf<RouteTable>(outputs, "RouteTables")) {
    const tags = tagsOf(t.Tags);
    s.routeTables.push({
      id: t.RouteTableId ?? "",
      name: nameOr(tags, t.RouteTableId ?? ""),
      vpcId: t.VpcId ?? "",
      main: (t.Associations ?? []).some((a) => a.Main),
      subnetIds: (t.Associations ?? []).filter((a) => a.SubnetId).map((a) => a.SubnetId as string),
      routes: (t.Routes ?? [])
        .filter((r) => r.DestinationCidrBlock || r.DestinationPrefixListId)
        .map((r) => ({ destination: r.DestinationCidrBlock ?? (r.DestinationPrefixListId as string), target: routeTarget(r), state: r.State === "blackhole" ? "blackhole" : "active" })),
      tags,
    });
  }
  for (const a of listOf<NetworkAcl>(outputs, "NetworkAcls")) {
    const tags = tagsOf(a.Tags);
    s.networkAcls.push({
      id: a.NetworkAclId ?? "",
      name: nameOr(tags, a.NetworkAclId ?? ""),
      vpcId: a.VpcId ?? "",
      isDefault: a.IsDefault ?? false,
      subnetIds: (a.Associations ?? []).map((x) => x.SubnetId ?? "").filter(Boolean),
      entries: (a.Entries ?? [])
        .filter((e) => e.CidrBlock)
        .map((e) => ({
          ruleNumber: e.RuleNumber ?? 32767,
          egress: e.Egress ?? false,
          protocol: protocolName(e.Protocol),
          action: e.RuleAction === "allow" ? ("allow" as const) : ("deny" as const),
          cidr: e.CidrBlock as string,
          ...(e.PortRange ? { fromPort: e.PortRange.From, toPort: e.PortRange.To } : {}),
        })),
      tags,
    });
  }
  for (const g of listOf<SecurityGroup>(outputs, "SecurityGroups")) {
    const tags = tagsOf(g.Tags);
    s.securityGroups.push({ id: g.GroupId ?? "", name: tags.Name || g.GroupName || (g.GroupId ?? ""), groupName: g.GroupName ?? "", vpcId: g.VpcId ?? "", ingress: sgRules(g.IpPermissions), egress: sgRules(g.IpPermissionsEgress), tags });
  }
  const enis = listOf<NetworkInterface>(outputs, "NetworkInterfaces");
  const subnetIds = new Set(s.subnets.map((x) => x.id));
  for (const [ri, r] of listOf<Reservation>(outputs, "Reservations").entries()) {
    for (const [ii, i] of (r.Instances ?? []).entries()) {
      const tags = tagsOf(i.Tags);
      const primary = (i.NetworkInterfaces ?? []).find((n) => n.Attachment?.DeviceIndex === 0) ?? i.NetworkInterfaces?.[0];
      const eni = enis.find((n) => n.NetworkInterfaceId === primary?.NetworkInterfaceId);
      const id = i.InstanceId ?? "";
      const subnetId = i.SubnetId ?? primary?.SubnetId;
      const gone = i.State?.Name === "terminated" || i.State?.Name === "shutting-down";
      // A terminated instance keeps no subnet; any other needs one the snapshot has.
      if (subnetId ? !subnetIds.has(subnetId) : !gone) {
        throw new DescribeShapeError(
          `${fileOf("Reservations")}: Reservations[${ri}].Instances[${ii}] (${id}) ${subnetId ? `is in subnet ${subnetId}, which ${fileOf("Subnets")} does not have` : "has no SubnetId but is not terminated"}; save the snapshot again.`,
        );
      }
      s.instances.push({
        id,
        name: nameOr(tags, id),
        vpcId: i.VpcId ?? primary?.VpcId ?? "",
        subnetId: i.SubnetId ?? primary?.SubnetId ?? "",
        privateIp: i.PrivateIpAddress ?? primary?.PrivateIpAddress ?? "",
        ...(i.PublicIpAddress ? { publicIp: i.PublicIpAddress } : {}),
        eniId: primary?.NetworkInterfaceId ?? `eni-of-${id}`,
        securityGroupIds: (i.SecurityGroups ?? primary?.Groups ?? []).map((g) => g.GroupId ?? ""),
        sourceDestCheck: i.SourceDestCheck ?? primary?.SourceDestCheck ?? eni?.SourceDestCheck ?? true,
        state: (i.State?.Name ?? "running") as InstanceState,
        tags,
      });
    }
  }
  for (const a of listOf<Address>(outputs, "Addresses")) {
    const tags = tagsOf(a.Tags);
    s.elasticIps.push({
      allocationId: a.AllocationId ?? a.PublicIp ?? "",
      name: nameOr(tags, a.AllocationId ?? a.PublicIp ?? ""),
      publicIp: a.PublicIp ?? "",
      ...(a.InstanceId ? { instanceId: a.InstanceId } : {}),
      ...(a.NetworkInterfaceId ? { eniId: a.NetworkInterfaceId } : {}),
      ...(a.PrivateIpAddress ? { privateIp: a.PrivateIpAddress } : {}),
      tags,
    });
  }
  for (const g of listOf<InternetGateway>(outputs, "InternetGateways")) {
    const tags = tagsOf(g.Tags);
    s.internetGateways.push({ id: g.InternetGatewayId ?? "", name: nameOr(tags, g.InternetGatewayId ?? ""), vpcId: g.Attachments?.find((a) => a.VpcId)?.VpcId, tags });
  }
  for (const n of listOf<NatGateway>(outputs, "NatGateways")) {
    const tags = tagsOf(n.Tags);
    const address = n.NatGatewayAddresses?.find((a) => a.IsPrimary !== false) ?? n.NatGatewayAddresses?.[0];
    s.natGateways.push({
      id: n.NatGatewayId ?? "",
      name: nameOr(tags, n.NatGatewayId ?? ""),
      vpcId: n.VpcId ?? "",
      subnetId: n.SubnetId ?? "",
      connectivity: n.ConnectivityType === "private" ? "private" : "public",
      state: (n.State ?? "available") as "available",
      privateIp: address?.PrivateIp ?? "",
      ...(address?.PublicIp ? { publicIp: address.PublicIp } : {}),
      tags,
    });
  }
  for (const e of listOf<VpcEndpoint>(outputs, "VpcEndpoints")) {
    const tags = tagsOf(e.Tags);
    // The endpoint's interfaces and their addresses are in NetworkInterfaces.json (interface type vpc_endpoint).
    const interfaces = serviceInterfaces(enis, (n) => (e.NetworkInterfaceIds ?? []).includes(n.NetworkInterfaceId ?? "") || (n.InterfaceType === "vpc_endpoint" && n.Description === `VPC Endpoint Interface ${e.VpcEndpointId}`));
    s.vpcEndpoints.push({
      id: e.VpcEndpointId ?? "",
      name: nameOr(tags, e.VpcEndpointId ?? ""),
      vpcId: e.VpcId ?? "",
      type: e.VpcEndpointType ?? "Gateway",
      serviceName: e.ServiceName ?? "",
      subnetIds: e.SubnetIds ?? [],
      securityGroupIds: (e.Groups ?? []).map((g) => g.GroupId ?? ""),
      routeTableIds: e.RouteTableIds ?? [],
      privateDns: e.PrivateDnsEnabled ?? false,
      ...(interfaces.length ? { networkInterfaces: interfaces } : {}),
      tags,
    });
  }
  for (const t of listOf<TransitGateway>(outputs, "TransitGateways")) {
    const tags = tagsOf(t.Tags);
    // Security group referencing: off unless the gateway says enable (AWS's default; older gateways predate it).
    const referencing = t.Options?.SecurityGroupReferencingSupport === "enable";
    s.transitGateways.push({ id: t.TransitGatewayId ?? "", name: nameOr(tags, t.TransitGatewayId ?? ""), ...(referencing ? { securityGroupReferencing: true } : {}), tags });
  }
  for (const a of listOf<TransitGatewayVpcAttachment>(outputs, "TransitGatewayVpcAttachments")) {
    const tags = tagsOf(a.Tags);
    const referencing = a.Options?.SecurityGroupReferencingSupport;
    s.tgwAttachments.push({
      id: a.TransitGatewayAttachmentId ?? "",
      name: nameOr(tags, a.TransitGatewayAttachmentId ?? ""),
      tgwId: a.TransitGatewayId ?? "",
      vpcId: a.VpcId ?? "",
      subnetIds: a.SubnetIds ?? [],
      state: a.State ?? "available",
      // The attachment-level option defaults to enable: only an explicit disable is recorded.
      ...(referencing === "disable" ? { securityGroupReferencing: false } : {}),
      tags,
    });
  }
  const attachmentInfo = listOf<TransitGatewayAttachment>(outputs, "TransitGatewayAttachments");
  for (const t of listOf<TransitGatewayRouteTable>(outputs, "TransitGatewayRouteTables")) {
    const tags = tagsOf(t.Tags);
    const id = t.TransitGatewayRouteTableId ?? "";
    const associations = attachmentInfo.filter((a) => a.Association?.TransitGatewayRouteTableId === id && a.Association.State !== "disassociated").map((a) => a.TransitGatewayAttachmentId ?? "");
    const propagations = (listOf<{ TransitGatewayRouteTableId?: string; TransitGatewayRouteTablePropagations?: TransitGatewayRouteTablePropagation[] }>(outputs, "TransitGatewayPropagations").find((p) => p.TransitGatewayRouteTableId === id)?.TransitGatewayRouteTablePropagations ?? [])
      .filter((p) => p.State !== "disabled")
      .map((p) => p.TransitGatewayAttachmentId ?? "");
    const routes = (listOf<{ TransitGatewayRouteTableId?: string; Routes?: TransitGatewayRoute[] }>(outputs, "TransitGatewayStaticRoutes").find((r) => r.TransitGatewayRouteTableId === id)?.Routes ?? [])
      .filter((r) => r.DestinationCidrBlock)
      .map((r) => ({
        destination: r.DestinationCidrBlock as string,
        ...(r.TransitGatewayAttachments?.[0]?.TransitGatewayAttachmentId ? { attachmentId: r.TransitGatewayAttachments[0].TransitGatewayAttachmentId } : {}),
        type: r.Type === "propagated" ? ("propagated" as const) : ("static" as const),
        state: r.State === "blackhole" ? ("blackhole" as const) : ("active" as const),
      }));
    s.tgwRouteTables.push({ id, name: nameOr(tags, id), tgwId: t.TransitGatewayId ?? "", associations, propagations, routes, tags });
  }
  const listeners = listOf<{ LoadBalancerArn?: string; Listeners?: Listener[] }>(outputs, "LoadBalancerListeners");
  for (const lb of listOf<LoadBalancer>(outputs, "LoadBalancers")) {
    s.loadBalancers.push({
      arn: lb.LoadBalancerArn ?? "",
      name: lb.LoadBalancerName ?? "",
      type: lb.Type ?? "application",
      scheme: lb.Scheme === "internal" ? "internal" : "internet-facing",
      vpcId: lb.VpcId ?? "",
      subnetIds: (lb.AvailabilityZones ?? []).map((z) => z.SubnetId ?? "").filter(Boolean),
      securityGroupIds: lb.SecurityGroups ?? [],
      dnsName: lb.DNSName ?? "",
      // Each node is an ENI described "ELB app/<name>/<id>" (or net/…) in NetworkInterfaces.json.
      ...nodesOf(enis, lb.LoadBalancerArn ?? ""),
      listeners: (listeners.find((l) => l.LoadBalancerArn === lb.LoadBalancerArn)?.Listeners ?? []).map((l) => ({
        port: l.Port ?? 0,
        protocol: l.Protocol ?? "",
        targetGroupArn: l.DefaultActions?.find((a) => a.TargetGroupArn)?.TargetGroupArn ?? "",
      })),
      tags: {},
    });
  }
  const health = listOf<{ TargetGroupArn?: string; TargetHealthDescriptions?: TargetHealthDescription[] }>(outputs, "LoadBalancerTargetHealth");
  for (const tg of listOf<TargetGroup>(outputs, "TargetGroups")) {
    s.targetGroups.push({
      arn: tg.TargetGroupArn ?? "",
      name: tg.TargetGroupName ?? "",
      vpcId: tg.VpcId ?? "",
      protocol: tg.Protocol ?? "",
      port: tg.Port ?? 0,
      healthCheck: {
        protocol: tg.HealthCheckProtocol ?? "HTTP",
        path: tg.HealthCheckPath ?? "/",
        port: !tg.HealthCheckPort || tg.HealthCheckPort === "traffic-port" ? "traffic-port" : Number(tg.HealthCheckPort),
        intervalSeconds: tg.HealthCheckIntervalSeconds ?? 30,
        timeoutSeconds: tg.HealthCheckTimeoutSeconds ?? 5,
        healthyThreshold: tg.HealthyThresholdCount ?? 5,
        unhealthyThreshold: tg.UnhealthyThresholdCount ?? 2,
        matcher: tg.Matcher?.HttpCode ?? "200",
      },
      targets: (health.find((h) => h.TargetGroupArn === tg.TargetGroupArn)?.TargetHealthDescriptions ?? []).map((d) => ({
        instanceId: d.Target?.Id ?? "",
        port: d.Target?.Port ?? tg.Port ?? 0,
        ...(d.TargetHealth?.State ? { observed: { state: d.TargetHealth.State, ...(d.TargetHealth.Reason ? { reason: d.TargetHealth.Reason } : {}) } } : {}),
      })),
      tags: {},
    });
  }
  for (const z of listOf<{ HostedZone: HostedZone; VPCs?: VPC[]; ResourceRecordSets?: ResourceRecordSet[]; Tags?: Tag[] }>(outputs, "HostedZones")) {
    s.hostedZones.push({
      id: (z.HostedZone.Id ?? "").replace(/^\/hostedzone\//, ""),
      name: (z.HostedZone.Name ?? "").replace(/\.$/, ""),
      private: z.HostedZone.Config?.PrivateZone ?? false,
      vpcIds: (z.VPCs ?? []).map((v) => v.VPCId ?? ""),
      records: (z.ResourceRecordSets ?? []).map((r) => ({
        name: (r.Name ?? "").replace(/\.$/, ""),
        type: r.Type ?? "A",
        values: (r.ResourceRecords ?? []).map((x) => x.Value ?? ""),
        ...(r.AliasTarget?.DNSName ? { aliasTarget: r.AliasTarget.DNSName.replace(/\.$/, "").replace(/^dualstack\./, "") } : {}),
      })),
      tags: tagsOf(z.Tags),
    });
  }
  for (const f of listOf<FlowLog>(outputs, "FlowLogs")) {
    s.flowLogs.push({
      id: f.FlowLogId ?? "",
      resourceId: f.ResourceId ?? "",
      logGroupName: f.LogGroupName ?? (f.LogDestination?.split(":log-group:")[1] ?? f.LogDestination ?? ""),
      trafficType: (f.TrafficType ?? "ALL") as "ALL",
      status: f.FlowLogStatus ?? "ACTIVE",
      tags: tagsOf(f.Tags),
    });
  }
  const alarmEntries = listOf<AlarmHistoryItem>(outputs, "AlarmHistory");
  for (const a of listOf<MetricAlarm>(outputs, "MetricAlarms")) {
    s.alarms.push({
      name: a.AlarmName ?? "",
      metricName: a.MetricName ?? "",
      namespace: a.Namespace ?? "",
      ...(a.Dimensions?.find((d) => d.Name === "InstanceId")?.Value ? { instanceId: a.Dimensions.find((d) => d.Name === "InstanceId")?.Value } : {}),
      threshold: a.Threshold ?? 0,
      state: (a.StateValue ?? "INSUFFICIENT_DATA") as "OK",
      ...lastAlarmAt(a, alarmEntries),
      actions: a.AlarmActions ?? [],
      tags: {},
    });
  }
  return s;
}

/** The newState of a StateUpdate history item: its HistoryData JSON, else its summary ("Alarm updated from OK to ALARM"). */
export function enteredAlarm(item: AlarmHistoryItem): boolean {
  if (item.HistoryItemType && item.HistoryItemType !== "StateUpdate") return false;
  try {
    const data = JSON.parse(item.HistoryData ?? "") as { newState?: { stateValue?: string } };
    if (data.newState?.stateValue) return data.newState.stateValue === "ALARM";
  } catch {
    // Not JSON: fall back to the summary.
  }
  return / to ALARM$/.test(item.HistorySummary ?? "");
}

/**
 * When the alarm last entered ALARM. DescribeAlarms gives StateUpdatedTimestamp for the current state
 * only, so once an alarm is back to OK its last ALARM is read from its history, which CloudWatch keeps
 * for 30 days: https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_DescribeAlarmHistory.html
 */
function lastAlarmAt(a: MetricAlarm, history: readonly AlarmHistoryItem[]): { lastAlarmAt?: string } {
  const times = history
    .filter((h) => h.AlarmName === a.AlarmName && h.Timestamp && enteredAlarm(h))
    .map((h) => new Date(h.Timestamp as Date).getTime());
  if (a.StateValue === "ALARM" && a.StateUpdatedTimestamp) times.push(new Date(a.StateUpdatedTimestamp).getTime());
  return times.length ? { lastAlarmAt: new Date(Math.max(...times)).toISOString() } : {};
}
