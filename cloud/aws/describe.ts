import { paginateDescribeAlarmHistory, paginateDescribeAlarms, type AlarmHistoryItem } from "@aws-sdk/client-cloudwatch";
import {
  DescribeAddressesCommand,
  paginateDescribeFlowLogs,
  paginateDescribeInstances,
  paginateDescribeInternetGateways,
  paginateDescribeNatGateways,
  paginateDescribeNetworkAcls,
  paginateDescribeNetworkInterfaces,
  paginateDescribeRouteTables,
  paginateDescribeSecurityGroups,
  paginateDescribeSubnets,
  paginateDescribeTransitGatewayAttachments,
  paginateDescribeTransitGatewayRouteTables,
  paginateDescribeTransitGatewayVpcAttachments,
  paginateDescribeTransitGateways,
  paginateDescribeVpcEndpoints,
  paginateDescribeVpcs,
  paginateGetTransitGatewayRouteTablePropagations,
  paginateSearchTransitGatewayRoutes,
  type Filter,
  type TransitGatewayRoute,
} from "@aws-sdk/client-ec2";
import { DescribeTargetHealthCommand, paginateDescribeListeners, paginateDescribeLoadBalancers, paginateDescribeTargetGroups } from "@aws-sdk/client-elastic-load-balancing-v2";
import {
  GetHostedZoneCommand,
  ListResourceRecordSetsCommand,
  ListTagsForResourceCommand,
  paginateListHostedZones,
  type HostedZone,
  type ResourceRecordSet,
  type Tag,
  type VPC,
} from "@aws-sdk/client-route-53";
import { enteredAlarm, type AwsDescribeOutputs } from "../../network/from-aws-describe";
import type { AwsClients } from "./clients";
import { IncompleteDescribeError } from "./errors";
import { collect as all, mapBounded } from "./paging";
import { LAB_TAG } from "./resolve";

/**
 * Route 53 answers five API requests a second per account: zones are read a few at a time (the SDK
 * retries the occasional throttle). https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/DNSLimitations.html
 */
export const ROUTE53_PARALLEL = 3;

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
    // DescribeAddresses has no pagination: it returns every match in one answer.
    // https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeAddresses.html
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
    tgwIds.length ? all(paginateDescribeTransitGatewayAttachments(ec2, { Filters: byTgw }), (p) => p.TransitGatewayAttachments) : [],
    tgwIds.length ? all(paginateDescribeTransitGatewayRouteTables(ec2, { Filters: byTgw }), (p) => p.TransitGatewayRouteTables) : [],
    all(paginateDescribeLoadBalancers({ client: c.elbv2 }, {}), (p) => p.LoadBalancers).then((l) => l.filter((x) => vpcIds.includes(x.VpcId ?? ""))),
    all(paginateDescribeTargetGroups({ client: c.elbv2 }, {}), (p) => p.TargetGroups).then((l) => l.filter((x) => vpcIds.includes(x.VpcId ?? ""))),
    describeZones(c, lab, vpcIds),
    all(paginateDescribeAlarms({ client: c.cloudwatch }, {}), (p) => p.MetricAlarms),
  ]);
  const instanceIds = new Set(reservations.flatMap((r) => r.Instances ?? []).map((i) => i.InstanceId));
  const tableIds = tgwTables.map((t) => t.TransitGatewayRouteTableId ?? "");
  const labAlarms = alarms.filter((a) => a.Dimensions?.some((d) => d.Name === "InstanceId" && instanceIds.has(d.Value)));
  const [propagations, staticRoutes, listeners, health, alarmHistory] = await Promise.all([
    Promise.all(tableIds.map(async (id) => ({ TransitGatewayRouteTableId: id, TransitGatewayRouteTablePropagations: await all(paginateGetTransitGatewayRouteTablePropagations(ec2, { TransitGatewayRouteTableId: id }), (p) => p.TransitGatewayRouteTablePropagations) }))),
    Promise.all(tableIds.map(async (id) => ({ TransitGatewayRouteTableId: id, Routes: await tgwRoutes(c, id) }))),
    Promise.all(lbs.map(async (lb) => ({ LoadBalancerArn: lb.LoadBalancerArn, Listeners: await all(paginateDescribeListeners({ client: c.elbv2 }, { LoadBalancerArn: lb.LoadBalancerArn }), (p) => p.Listeners) }))),
    Promise.all(tgs.map(async (tg) => ({ TargetGroupArn: tg.TargetGroupArn, TargetHealthDescriptions: (await c.elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: tg.TargetGroupArn }))).TargetHealthDescriptions ?? [] }))),
    Promise.all(labAlarms.map((a) => lastAlarmTransition(c, a.AlarmName ?? ""))).then((items) => items.flat()),
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
    MetricAlarms: { MetricAlarms: labAlarms },
    AlarmHistory: { AlarmHistoryItems: alarmHistory },
  };
}

/**
 * The alarm's latest state change into ALARM, if its history (30 days) has one. DescribeAlarms gives the
 * time of the current state only; a check that the alarm fired after an inject needs the last ALARM even
 * once the alarm is back to OK. Newest first, so the walk stops at the first page that holds one.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_DescribeAlarmHistory.html
 */
async function lastAlarmTransition(c: AwsClients, alarmName: string): Promise<AlarmHistoryItem[]> {
  const pages = paginateDescribeAlarmHistory({ client: c.cloudwatch }, { AlarmName: alarmName, HistoryItemType: "StateUpdate", ScanBy: "TimestampDescending", MaxRecords: 100 });
  for await (const page of pages) {
    const hit = (page.AlarmHistoryItems ?? []).find(enteredAlarm);
    if (hit) return [hit];
  }
  return [];
}

/**
 * Every static and propagated route of a transit gateway route table. SearchTransitGatewayRoutes
 * returns at most 1000 routes per call and says AdditionalRoutesAvailable when there are more; the
 * current API also returns a NextToken, which the SDK paginator follows. A table that stays truncated
 * (more routes and no token) is refused rather than read as if it were whole.
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_SearchTransitGatewayRoutes.html
 */
async function tgwRoutes(c: AwsClients, tableId: string): Promise<TransitGatewayRoute[]> {
  const routes: TransitGatewayRoute[] = [];
  let truncated = false;
  for await (const page of paginateSearchTransitGatewayRoutes({ client: c.ec2 }, { TransitGatewayRouteTableId: tableId, Filters: [{ Name: "type", Values: ["static", "propagated"] }], MaxResults: 1000 })) {
    routes.push(...(page.Routes ?? []));
    truncated = Boolean(page.AdditionalRoutesAvailable) && !page.NextToken;
  }
  if (truncated) {
    throw new IncompleteDescribeError(
      `Transit gateway route table ${tableId} holds more routes than AWS returned (${routes.length}), and AWS gave no way to read the rest; netlab will not grade the lab from part of the table. Remove the extra routes from the table, or look at it in the VPC console.`,
    );
  }
  return routes;
}

export interface LabZone {
  id: string;
  zone: HostedZone;
  vpcs: VPC[];
  tags: Tag[];
}

/**
 * The private hosted zones tagged for the lab or associated with one of its VPCs (Route 53 has no tag
 * filter on list: each private zone's tags and VPCs are read, a few zones at a time).
 */
export async function labPrivateZones(c: AwsClients, lab: string, vpcIds: readonly string[]): Promise<LabZone[]> {
  const zones = (await all(paginateListHostedZones({ client: c.route53 }, {}), (p) => p.HostedZones)).filter((z) => z.Config?.PrivateZone);
  const read = await mapBounded(zones, ROUTE53_PARALLEL, async (z): Promise<LabZone> => {
    const id = (z.Id ?? "").replace(/^\/hostedzone\//, "");
    const [tags, detail] = await Promise.all([
      c.route53.send(new ListTagsForResourceCommand({ ResourceType: "hostedzone", ResourceId: id })).then((r) => r.ResourceTagSet?.Tags ?? []),
      c.route53.send(new GetHostedZoneCommand({ Id: id })),
    ]);
    return { id, zone: detail.HostedZone ?? z, vpcs: detail.VPCs ?? [], tags };
  });
  return read.filter((z) => z.tags.some((t) => t.Key === LAB_TAG && t.Value === lab) || z.vpcs.some((v) => vpcIds.includes(v.VPCId ?? "")));
}

/** The lab's private zones with their VPCs and every record. */
async function describeZones(c: AwsClients, lab: string, vpcIds: string[]): Promise<NonNullable<NonNullable<AwsDescribeOutputs["HostedZones"]>["HostedZones"]>> {
  return mapBounded(await labPrivateZones(c, lab, vpcIds), ROUTE53_PARALLEL, async (z) => {
    const records: ResourceRecordSet[] = [];
    let start: { StartRecordName?: string; StartRecordType?: ResourceRecordSet["Type"]; StartRecordIdentifier?: string } = {};
    for (;;) {
      const page = await c.route53.send(new ListResourceRecordSetsCommand({ HostedZoneId: z.id, ...start }));
      records.push(...(page.ResourceRecordSets ?? []));
      if (!page.IsTruncated) break;
      start = { StartRecordName: page.NextRecordName, StartRecordType: page.NextRecordType, StartRecordIdentifier: page.NextRecordIdentifier };
    }
    return { HostedZone: z.zone, VPCs: z.vpcs, ResourceRecordSets: records, Tags: z.tags };
  });
}
