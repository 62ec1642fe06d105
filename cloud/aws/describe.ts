import { paginateDescribeAlarms } from "@aws-sdk/client-cloudwatch";
import {
  DescribeAddressesCommand,
  DescribeTransitGatewayAttachmentsCommand,
  SearchTransitGatewayRoutesCommand,
  paginateDescribeFlowLogs,
  paginateDescribeInstances,
  paginateDescribeInternetGateways,
  paginateDescribeNatGateways,
  paginateDescribeNetworkAcls,
  paginateDescribeNetworkInterfaces,
  paginateDescribeRouteTables,
  paginateDescribeSecurityGroups,
  paginateDescribeSubnets,
  paginateDescribeTransitGatewayRouteTables,
  paginateDescribeTransitGatewayVpcAttachments,
  paginateDescribeTransitGateways,
  paginateDescribeVpcEndpoints,
  paginateDescribeVpcs,
  paginateGetTransitGatewayRouteTablePropagations,
  type Filter,
} from "@aws-sdk/client-ec2";
import { DescribeTargetHealthCommand, paginateDescribeListeners, paginateDescribeLoadBalancers, paginateDescribeTargetGroups } from "@aws-sdk/client-elastic-load-balancing-v2";
import { GetHostedZoneCommand, ListResourceRecordSetsCommand, ListTagsForResourceCommand, paginateListHostedZones, type ResourceRecordSet } from "@aws-sdk/client-route-53";
import type { AwsDescribeOutputs } from "../../network/from-aws-describe";
import type { AwsClients } from "./clients";
import { LAB_TAG } from "./resolve";

/** Collects every page of a paginator into one list. */
async function all<P, T>(pages: AsyncIterable<P>, pick: (p: P) => T[] | undefined): Promise<T[]> {
  const out: T[] = [];
  for await (const page of pages) out.push(...(pick(page) ?? []));
  return out;
}

/**
 * The lab's network as describe calls return it: VPCs (and EIPs, TGWs) by the lab tag, then what those
 * VPCs contain, all pages, calls in parallel. This is also what `lab snapshot save` writes.
 */
export async function describeLab(c: AwsClients, lab: string): Promise<AwsDescribeOutputs> {
  const ec2 = { client: c.ec2 };
  const labTag: Filter[] = [{ Name: `tag:${LAB_TAG}`, Values: [lab] }];
  const vpcs = await all(paginateDescribeVpcs(ec2, { Filters: labTag }), (p) => p.Vpcs);
  const vpcIds = vpcs.map((v) => v.VpcId ?? "");
  const inVpcs: Filter[] = [{ Name: "vpc-id", Values: vpcIds }];
  if (!vpcIds.length) return { Vpcs: { Vpcs: [] } };
  const [subnets, routeTables, acls, sgs, reservations, enis, addresses, igws, nats, endpoints, flowLogs, tgws] = await Promise.all([
    all(paginateDescribeSubnets(ec2, { Filters: inVpcs }), (p) => p.Subnets),
    all(paginateDescribeRouteTables(ec2, { Filters: inVpcs }), (p) => p.RouteTables),
    all(paginateDescribeNetworkAcls(ec2, { Filters: inVpcs }), (p) => p.NetworkAcls),
    all(paginateDescribeSecurityGroups(ec2, { Filters: inVpcs }), (p) => p.SecurityGroups),
    all(paginateDescribeInstances(ec2, { Filters: inVpcs }), (p) => p.Reservations),
    all(paginateDescribeNetworkInterfaces(ec2, { Filters: inVpcs }), (p) => p.NetworkInterfaces),
    c.ec2.send(new DescribeAddressesCommand({ Filters: labTag })).then((r) => r.Addresses ?? []),
    all(paginateDescribeInternetGateways(ec2, { Filters: [{ Name: "attachment.vpc-id", Values: vpcIds }] }), (p) => p.InternetGateways),
    all(paginateDescribeNatGateways(ec2, { Filter: inVpcs }), (p) => p.NatGateways),
    all(paginateDescribeVpcEndpoints(ec2, { Filters: inVpcs }), (p) => p.VpcEndpoints),
    all(paginateDescribeFlowLogs(ec2, { Filter: [{ Name: "resource-id", Values: vpcIds }] }), (p) => p.FlowLogs),
    all(paginateDescribeTransitGateways(ec2, { Filters: labTag }), (p) => p.TransitGateways),
  ]);
  const tgwIds = tgws.map((t) => t.TransitGatewayId ?? "");
  const byTgw: Filter[] = [{ Name: "transit-gateway-id", Values: tgwIds }];
  const [tgwAttachments, tgwAttachmentInfo, tgwTables, lbs, tgs, zones, alarms] = await Promise.all([
    tgwIds.length ? all(paginateDescribeTransitGatewayVpcAttachments(ec2, { Filters: byTgw }), (p) => p.TransitGatewayVpcAttachments) : [],
    tgwIds.length ? c.ec2.send(new DescribeTransitGatewayAttachmentsCommand({ Filters: byTgw })).then((r) => r.TransitGatewayAttachments ?? []) : [],
    tgwIds.length ? all(paginateDescribeTransitGatewayRouteTables(ec2, { Filters: byTgw }), (p) => p.TransitGatewayRouteTables) : [],
    all(paginateDescribeLoadBalancers({ client: c.elbv2 }, {}), (p) => p.LoadBalancers).then((l) => l.filter((x) => vpcIds.includes(x.VpcId ?? ""))),
    all(paginateDescribeTargetGroups({ client: c.elbv2 }, {}), (p) => p.TargetGroups).then((l) => l.filter((x) => vpcIds.includes(x.VpcId ?? ""))),
    describeZones(c, lab, vpcIds),
    all(paginateDescribeAlarms({ client: c.cloudwatch }, {}), (p) => p.MetricAlarms),
  ]);
  const instanceIds = new Set(reservations.flatMap((r) => r.Instances ?? []).map((i) => i.InstanceId));
  const tableIds = tgwTables.map((t) => t.TransitGatewayRouteTableId ?? "");
  const [propagations, staticRoutes, listeners, health] = await Promise.all([
    Promise.all(tableIds.map(async (id) => ({ TransitGatewayRouteTableId: id, TransitGatewayRouteTablePropagations: await all(paginateGetTransitGatewayRouteTablePropagations(ec2, { TransitGatewayRouteTableId: id }), (p) => p.TransitGatewayRouteTablePropagations) }))),
    Promise.all(
      tableIds.map(async (id) => ({
        TransitGatewayRouteTableId: id,
        Routes: (await c.ec2.send(new SearchTransitGatewayRoutesCommand({ TransitGatewayRouteTableId: id, Filters: [{ Name: "type", Values: ["static", "propagated"] }], MaxResults: 1000 }))).Routes ?? [],
      })),
    ),
    Promise.all(lbs.map(async (lb) => ({ LoadBalancerArn: lb.LoadBalancerArn, Listeners: await all(paginateDescribeListeners({ client: c.elbv2 }, { LoadBalancerArn: lb.LoadBalancerArn }), (p) => p.Listeners) }))),
    Promise.all(tgs.map(async (tg) => ({ TargetGroupArn: tg.TargetGroupArn, TargetHealthDescriptions: (await c.elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: tg.TargetGroupArn }))).TargetHealthDescriptions ?? [] }))),
  ]);
  return {
    Vpcs: { Vpcs: vpcs },
    Subnets: { Subnets: subnets },
    RouteTables: { RouteTables: routeTables },
    NetworkAcls: { NetworkAcls: acls },
    SecurityGroups: { SecurityGroups: sgs },
    Reservations: { Reservations: reservations },
    NetworkInterfaces: { NetworkInterfaces: enis },
    Addresses: { Addresses: addresses },
    InternetGateways: { InternetGateways: igws },
    NatGateways: { NatGateways: nats.filter((n) => n.State !== "deleted") },
    VpcEndpoints: { VpcEndpoints: endpoints },
    TransitGateways: { TransitGateways: tgws },
    TransitGatewayVpcAttachments: { TransitGatewayVpcAttachments: tgwAttachments },
    TransitGatewayAttachments: { TransitGatewayAttachments: tgwAttachmentInfo },
    TransitGatewayRouteTables: { TransitGatewayRouteTables: tgwTables },
    TransitGatewayStaticRoutes: { TransitGatewayStaticRoutes: staticRoutes },
    TransitGatewayPropagations: { TransitGatewayPropagations: propagations },
    LoadBalancers: { LoadBalancers: lbs },
    LoadBalancerListeners: { LoadBalancerListeners: listeners },
    TargetGroups: { TargetGroups: tgs },
    LoadBalancerTargetHealth: { LoadBalancerTargetHealth: health },
    HostedZones: { HostedZones: zones },
    FlowLogs: { FlowLogs: flowLogs },
    MetricAlarms: { MetricAlarms: alarms.filter((a) => a.Dimensions?.some((d) => d.Name === "InstanceId" && instanceIds.has(d.Value))) },
  };
}

/** Private zones tagged for the lab, with their VPCs and records (Route 53 has no tag filter on list). */
async function describeZones(c: AwsClients, lab: string, vpcIds: string[]): Promise<NonNullable<NonNullable<AwsDescribeOutputs["HostedZones"]>["HostedZones"]>> {
  const zones = await all(paginateListHostedZones({ client: c.route53 }, {}), (p) => p.HostedZones);
  const out: NonNullable<NonNullable<AwsDescribeOutputs["HostedZones"]>["HostedZones"]> = [];
  for (const z of zones.filter((x) => x.Config?.PrivateZone)) {
    const id = (z.Id ?? "").replace(/^\/hostedzone\//, "");
    const tags = (await c.route53.send(new ListTagsForResourceCommand({ ResourceType: "hostedzone", ResourceId: id }))).ResourceTagSet?.Tags ?? [];
    const detail = await c.route53.send(new GetHostedZoneCommand({ Id: id }));
    const mine = tags.some((t) => t.Key === LAB_TAG && t.Value === lab) || (detail.VPCs ?? []).some((v) => vpcIds.includes(v.VPCId ?? ""));
    if (!mine) continue;
    const records: ResourceRecordSet[] = [];
    let start: { StartRecordName?: string; StartRecordType?: ResourceRecordSet["Type"]; StartRecordIdentifier?: string } = {};
    for (;;) {
      const page = await c.route53.send(new ListResourceRecordSetsCommand({ HostedZoneId: id, ...start }));
      records.push(...(page.ResourceRecordSets ?? []));
      if (!page.IsTruncated) break;
      start = { StartRecordName: page.NextRecordName, StartRecordType: page.NextRecordType, StartRecordIdentifier: page.NextRecordIdentifier };
    }
    out.push({ HostedZone: detail.HostedZone ?? z, VPCs: detail.VPCs ?? [], ResourceRecordSets: records, Tags: tags });
  }
  return out;
}
