import { ListTagsForResourceCommand as ListLogTagsCommand, paginateDescribeLogGroups } from "@aws-sdk/client-cloudwatch-logs";
import {
  DescribeAddressesCommand,
  paginateDescribeInstances,
  paginateDescribeNatGateways,
  paginateDescribeNetworkInterfaces,
  paginateDescribeTransitGatewayAttachments,
  paginateDescribeTransitGateways,
  paginateDescribeVpcEndpoints,
  paginateDescribeVpcs,
} from "@aws-sdk/client-ec2";
import { DescribeTagsCommand, paginateDescribeLoadBalancers } from "@aws-sdk/client-elastic-load-balancing-v2";
import type { AwsClients } from "../cloud/aws/clients";
import { labPrivateZones } from "../cloud/aws/describe";
import { chunks, collect, mapBounded } from "../cloud/aws/paging";
import { LAB_TAG, tagMap } from "../cloud/aws/resolve";
import { pricesFor } from "./prices";

export interface Leftover {
  kind: string;
  id: string;
  name?: string;
  /** USD per hour while it stays (0 for things billed by use, such as log storage, or by the month). */
  perHour: number;
  /** USD per month, for what AWS bills monthly rather than hourly (a hosted zone). */
  perMonth?: number;
}

export interface LeftoversResult {
  lab: string;
  leftovers: Leftover[];
  perHour: number;
  /** Monthly charges on top of the hourly ones (hosted zones). */
  perMonth: number;
  ok: boolean;
}

/** ELBv2 DescribeTags takes up to 20 resource ARNs a call. https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_DescribeTags.html */
export const ELB_TAGS_PER_CALL = 20;
/** Reads of tags done a few at a time (one call per log group, per 20 load balancers). */
const PARALLEL_READS = 3;

const tagged = (lab: string) => [{ Name: `tag:${LAB_TAG}`, Values: [lab] }];

/** Everything billable still tagged with the lab, or inside its VPCs, after `cdktf destroy`; every list read to its last page. */
export async function findLeftovers(c: AwsClients, lab: string, region: string, instanceHour = 0.013): Promise<LeftoversResult> {
  const p = pricesFor(region);
  const ec2 = { client: c.ec2 };
  const [vpcs, eips, nats, endpoints, instances, tgws, attachments] = await Promise.all([
    collect(paginateDescribeVpcs(ec2, { Filters: tagged(lab) }), (r) => r.Vpcs),
    // DescribeAddresses has no pagination: one answer holds every match.
    // https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeAddresses.html
    c.ec2.send(new DescribeAddressesCommand({ Filters: tagged(lab) })).then((r) => r.Addresses ?? []),
    collect(paginateDescribeNatGateways(ec2, { Filter: tagged(lab) }), (r) => r.NatGateways).then((l) => l.filter((n) => n.State !== "deleted")),
    collect(paginateDescribeVpcEndpoints(ec2, { Filters: tagged(lab) }), (r) => r.VpcEndpoints).then((l) => l.filter((e) => String(e.State).toLowerCase() !== "deleted")),
    collect(paginateDescribeInstances(ec2, { Filters: [...tagged(lab), { Name: "instance-state-name", Values: ["pending", "running", "stopping", "stopped"] }] }), (r) => r.Reservations).then((l) => l.flatMap((x) => x.Instances ?? [])),
    collect(paginateDescribeTransitGateways(ec2, { Filters: tagged(lab) }), (r) => r.TransitGateways).then((l) => l.filter((t) => t.State !== "deleted")),
    collect(paginateDescribeTransitGatewayAttachments(ec2, { Filters: tagged(lab) }), (r) => r.TransitGatewayAttachments).then((l) => l.filter((a) => a.State !== "deleted")),
  ]);
  const vpcIds = vpcs.map((v) => v.VpcId ?? "");
  const [enis, lbs, groups, zones] = await Promise.all([
    vpcIds.length ? collect(paginateDescribeNetworkInterfaces(ec2, { Filters: [{ Name: "vpc-id", Values: vpcIds }] }), (r) => r.NetworkInterfaces) : [],
    collect(paginateDescribeLoadBalancers({ client: c.elbv2 }, {}), (r) => r.LoadBalancers),
    collect(paginateDescribeLogGroups({ client: c.logs }, { logGroupNamePrefix: "/aws/vpc/flowlogs" }), (r) => r.logGroups),
    labPrivateZones(c, lab, vpcIds),
  ]);
  const lbTags = (await mapBounded(chunks(lbs.map((l) => l.LoadBalancerArn ?? ""), ELB_TAGS_PER_CALL), PARALLEL_READS, async (ResourceArns) => (await c.elbv2.send(new DescribeTagsCommand({ ResourceArns }))).TagDescriptions ?? [])).flat();
  const labLbs = lbs.filter((l) => vpcIds.includes(l.VpcId ?? "") || tagMap(lbTags.find((t) => t.ResourceArn === l.LoadBalancerArn)?.Tags)[LAB_TAG] === lab);
  const groupTags = await mapBounded(groups, PARALLEL_READS, async (g) => (await c.logs.send(new ListLogTagsCommand({ resourceArn: (g.arn ?? "").replace(/:\*$/, "") }))).tags ?? {});
  const labGroups = groups.filter((_, i) => groupTags[i][LAB_TAG] === lab).map((g) => g.logGroupName ?? "");
  // A public IPv4 address is billed once: an Elastic IP (a NAT gateway's, the NAT instance's) is also the
  // public IP of the network interface it is attached to, and is counted as the Elastic IP.
  // https://aws.amazon.com/vpc/pricing/ (public IPv4 address, per hour, whether attached or not)
  const countedIps = new Set(eips.map((e) => e.PublicIp).filter(Boolean));
  const name = (tags: { Key?: string; Value?: string }[] | undefined) => tagMap(tags).Name;
  const leftovers: Leftover[] = [
    ...vpcs.map((v) => ({ kind: "VPC", id: v.VpcId ?? "", name: name(v.Tags), perHour: 0 })),
    ...eips.map((e) => ({ kind: "Elastic IP", id: e.AllocationId ?? e.PublicIp ?? "", name: name(e.Tags), perHour: p.publicIpv4Hour })),
    ...nats.map((n) => ({ kind: "NAT gateway", id: n.NatGatewayId ?? "", name: name(n.Tags), perHour: p.natGatewayHour })),
    ...endpoints.map((e) => ({ kind: `VPC endpoint (${e.VpcEndpointType})`, id: e.VpcEndpointId ?? "", name: name(e.Tags), perHour: e.VpcEndpointType === "Interface" ? p.interfaceEndpointAzHour * Math.max(1, e.SubnetIds?.length ?? 1) : 0 })),
    ...instances.map((i) => ({ kind: `instance (${i.State?.Name})`, id: i.InstanceId ?? "", name: name(i.Tags), perHour: i.State?.Name === "stopped" ? 0 : (p.instanceHour[i.InstanceType ?? ""] ?? instanceHour) })),
    ...tgws.map((t) => ({ kind: "transit gateway", id: t.TransitGatewayId ?? "", name: name(t.Tags), perHour: 0 })),
    ...attachments.map((a) => ({ kind: "TGW attachment", id: a.TransitGatewayAttachmentId ?? "", name: name(a.Tags), perHour: p.tgwAttachmentHour })),
    ...enis.map((n) => {
      const ip = n.Association?.PublicIp;
      return { kind: ip && countedIps.has(ip) ? `network interface (its public IP ${ip} is the Elastic IP above)` : "network interface", id: n.NetworkInterfaceId ?? "", perHour: ip && !countedIps.has(ip) ? p.publicIpv4Hour : 0 };
    }),
    ...labLbs.map((l) => ({ kind: "load balancer", id: l.LoadBalancerArn ?? "", name: l.LoadBalancerName, perHour: p.albHour })),
    ...labGroups.map((g) => ({ kind: "log group (billed by stored GB)", id: g, perHour: 0 })),
    // A hosted zone is billed by the month, not by the hour. https://aws.amazon.com/route53/pricing/
    ...zones.map((z) => ({ kind: "private hosted zone (billed per month)", id: z.id, name: z.zone.Name, perHour: 0, perMonth: p.hostedZoneMonth })),
  ];
  const sum = (f: (l: Leftover) => number) => Math.round(leftovers.reduce((s, l) => s + f(l), 0) * 10000) / 10000;
  return { lab, leftovers, perHour: sum((l) => l.perHour), perMonth: sum((l) => l.perMonth ?? 0), ok: leftovers.length === 0 };
}
