import { DescribeLogGroupsCommand, ListTagsForResourceCommand as ListLogTagsCommand } from "@aws-sdk/client-cloudwatch-logs";
import {
  DescribeAddressesCommand,
  DescribeInstancesCommand,
  DescribeNatGatewaysCommand,
  DescribeNetworkInterfacesCommand,
  DescribeTransitGatewayAttachmentsCommand,
  DescribeTransitGatewaysCommand,
  DescribeVpcEndpointsCommand,
  DescribeVpcsCommand,
} from "@aws-sdk/client-ec2";
import { DescribeLoadBalancersCommand, DescribeTagsCommand } from "@aws-sdk/client-elastic-load-balancing-v2";
import type { AwsClients } from "../cloud/aws/clients";
import { LAB_TAG, tagMap } from "../cloud/aws/resolve";
import { pricesFor } from "./prices";

export interface Leftover {
  kind: string;
  id: string;
  name?: string;
  /** USD per hour while it stays (0 for things billed by use, such as log storage). */
  perHour: number;
}

export interface LeftoversResult {
  lab: string;
  leftovers: Leftover[];
  perHour: number;
  ok: boolean;
}

const tagged = (lab: string) => [{ Name: `tag:${LAB_TAG}`, Values: [lab] }];

/** Everything billable still tagged with the lab, or inside its VPCs, after `cdktf destroy`. */
export async function findLeftovers(c: AwsClients, lab: string, region: string, instanceHour = 0.013): Promise<LeftoversResult> {
  const p = pricesFor(region);
  const [vpcs, eips, nats, endpoints, instances, tgws, attachments] = await Promise.all([
    c.ec2.send(new DescribeVpcsCommand({ Filters: tagged(lab) })).then((r) => r.Vpcs ?? []),
    c.ec2.send(new DescribeAddressesCommand({ Filters: tagged(lab) })).then((r) => r.Addresses ?? []),
    c.ec2.send(new DescribeNatGatewaysCommand({ Filter: tagged(lab) })).then((r) => (r.NatGateways ?? []).filter((n) => n.State !== "deleted")),
    c.ec2.send(new DescribeVpcEndpointsCommand({ Filters: tagged(lab) })).then((r) => (r.VpcEndpoints ?? []).filter((e) => String(e.State).toLowerCase() !== "deleted")),
    c.ec2.send(new DescribeInstancesCommand({ Filters: [...tagged(lab), { Name: "instance-state-name", Values: ["pending", "running", "stopping", "stopped"] }] })).then((r) => (r.Reservations ?? []).flatMap((x) => x.Instances ?? [])),
    c.ec2.send(new DescribeTransitGatewaysCommand({ Filters: tagged(lab) })).then((r) => (r.TransitGateways ?? []).filter((t) => t.State !== "deleted")),
    c.ec2.send(new DescribeTransitGatewayAttachmentsCommand({ Filters: tagged(lab) })).then((r) => (r.TransitGatewayAttachments ?? []).filter((a) => a.State !== "deleted")),
  ]);
  const vpcIds = vpcs.map((v) => v.VpcId ?? "");
  const enis = vpcIds.length ? ((await c.ec2.send(new DescribeNetworkInterfacesCommand({ Filters: [{ Name: "vpc-id", Values: vpcIds }] }))).NetworkInterfaces ?? []) : [];
  const lbs = (await c.elbv2.send(new DescribeLoadBalancersCommand({}))).LoadBalancers ?? [];
  const lbTags = lbs.length ? ((await c.elbv2.send(new DescribeTagsCommand({ ResourceArns: lbs.map((l) => l.LoadBalancerArn ?? "").slice(0, 20) }))).TagDescriptions ?? []) : [];
  const labLbs = lbs.filter((l) => vpcIds.includes(l.VpcId ?? "") || tagMap(lbTags.find((t) => t.ResourceArn === l.LoadBalancerArn)?.Tags)[LAB_TAG] === lab);
  const groups = (await c.logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: "/aws/vpc/flowlogs" }))).logGroups ?? [];
  const labGroups: string[] = [];
  for (const g of groups) {
    const tags = (await c.logs.send(new ListLogTagsCommand({ resourceArn: (g.arn ?? "").replace(/:\*$/, "") }))).tags ?? {};
    if (tags[LAB_TAG] === lab) labGroups.push(g.logGroupName ?? "");
  }
  const name = (tags: { Key?: string; Value?: string }[] | undefined) => tagMap(tags).Name;
  const leftovers: Leftover[] = [
    ...vpcs.map((v) => ({ kind: "VPC", id: v.VpcId ?? "", name: name(v.Tags), perHour: 0 })),
    ...eips.map((e) => ({ kind: "Elastic IP", id: e.AllocationId ?? e.PublicIp ?? "", name: name(e.Tags), perHour: p.publicIpv4Hour })),
    ...nats.map((n) => ({ kind: "NAT gateway", id: n.NatGatewayId ?? "", name: name(n.Tags), perHour: p.natGatewayHour })),
    ...endpoints.map((e) => ({ kind: `VPC endpoint (${e.VpcEndpointType})`, id: e.VpcEndpointId ?? "", name: name(e.Tags), perHour: e.VpcEndpointType === "Interface" ? p.interfaceEndpointAzHour * Math.max(1, e.SubnetIds?.length ?? 1) : 0 })),
    ...instances.map((i) => ({ kind: `instance (${i.State?.Name})`, id: i.InstanceId ?? "", name: name(i.Tags), perHour: i.State?.Name === "stopped" ? 0 : (p.instanceHour[i.InstanceType ?? ""] ?? instanceHour) })),
    ...tgws.map((t) => ({ kind: "transit gateway", id: t.TransitGatewayId ?? "", name: name(t.Tags), perHour: 0 })),
    ...attachments.map((a) => ({ kind: "TGW attachment", id: a.TransitGatewayAttachmentId ?? "", name: name(a.Tags), perHour: p.tgwAttachmentHour })),
    ...enis.map((n) => ({ kind: "network interface", id: n.NetworkInterfaceId ?? "", perHour: n.Association?.PublicIp ? p.publicIpv4Hour : 0 })),
    ...labLbs.map((l) => ({ kind: "load balancer", id: l.LoadBalancerArn ?? "", name: l.LoadBalancerName, perHour: p.albHour })),
    ...labGroups.map((g) => ({ kind: "log group (billed by stored GB)", id: g, perHour: 0 })),
  ];
  const perHour = Math.round(leftovers.reduce((s, l) => s + l.perHour, 0) * 10000) / 10000;
  return { lab, leftovers, perHour, ok: leftovers.length === 0 };
}
