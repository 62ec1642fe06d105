import {
  DescribeFlowLogsCommand,
  DescribeInstancesCommand,
  DescribeInternetGatewaysCommand,
  DescribeNatGatewaysCommand,
  DescribeRouteTablesCommand,
  DescribeSecurityGroupsCommand,
  DescribeTransitGatewaysCommand,
  DescribeVpcsCommand,
  type Instance,
  type Tag,
} from "@aws-sdk/client-ec2";
import { DescribeTagsCommand, DescribeTargetGroupsCommand } from "@aws-sdk/client-elastic-load-balancing-v2";
import { ListHostedZonesByNameCommand, ListTagsForResourceCommand } from "@aws-sdk/client-route-53";
import { UnknownResourceError } from "../model-lookup";
import type { AwsClients } from "./clients";
import { ScopeError } from "./errors";

/** Every lab resource carries it (provider default tags); nothing without it is ever changed. */
export const LAB_TAG = "netlab:lab";

export interface TaggedResource {
  id: string;
  tags: Record<string, string>;
}

export function tagMap(tags: readonly Tag[] | undefined): Record<string, string> {
  return Object.fromEntries((tags ?? []).filter((t) => t.Key).map((t) => [t.Key as string, t.Value ?? ""]));
}

/**
 * EC2 describe filters take `tag:<key>`: resources are found by their Name tag, then kept only if they
 * carry the lab's tag. https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/Using_Tags.html#Using_Tags_CLI
 */
const byName = (name: string) => [{ Name: "tag:Name", Values: [name] }];

/**
 * The one resource named `name` that carries `netlab:lab=<lab>`. A resource with the Name but not the
 * tag is refused (ScopeError), whatever its Name; two tagged ones are ambiguous.
 */
export function pickLabResource(kind: string, name: string, lab: string, found: readonly TaggedResource[]): string {
  const mine = found.filter((r) => r.tags[LAB_TAG] === lab);
  if (mine.length === 1) return mine[0].id;
  if (mine.length > 1) throw new ScopeError(`Several ${kind}s named "${name}" carry ${LAB_TAG}=${lab} (${mine.map((r) => r.id).join(", ")}); rename or tag them so that one remains.`);
  if (found.length) {
    throw new ScopeError(`Refused: the ${kind} named "${name}" (${found.map((r) => r.id).join(", ")}) does not carry the tag ${LAB_TAG}=${lab}, so it is not lab ${lab}'s to change.`);
  }
  throw new UnknownResourceError(kind, name, []);
}

export async function resolveVpc(c: AwsClients, lab: string, name: string): Promise<string> {
  const out = await c.ec2.send(new DescribeVpcsCommand({ Filters: byName(name) }));
  return pickLabResource("VPC", name, lab, (out.Vpcs ?? []).map((v) => ({ id: v.VpcId ?? "", tags: tagMap(v.Tags) })));
}

export async function resolveRouteTable(c: AwsClients, lab: string, name: string): Promise<string> {
  const out = await c.ec2.send(new DescribeRouteTablesCommand({ Filters: byName(name) }));
  return pickLabResource("route table", name, lab, (out.RouteTables ?? []).map((t) => ({ id: t.RouteTableId ?? "", tags: tagMap(t.Tags) })));
}

export async function resolveSecurityGroup(c: AwsClients, lab: string, name: string): Promise<string> {
  const out = await c.ec2.send(new DescribeSecurityGroupsCommand({ Filters: byName(name) }));
  return pickLabResource("security group", name, lab, (out.SecurityGroups ?? []).map((g) => ({ id: g.GroupId ?? "", tags: tagMap(g.Tags) })));
}

/** The instance (not terminated) and its primary network interface. */
export async function resolveInstance(c: AwsClients, lab: string, name: string): Promise<{ id: string; eniId: string; state: string }> {
  const out = await c.ec2.send(new DescribeInstancesCommand({ Filters: [...byName(name), { Name: "instance-state-name", Values: ["pending", "running", "stopping", "stopped"] }] }));
  const instances: Instance[] = (out.Reservations ?? []).flatMap((r) => r.Instances ?? []);
  const id = pickLabResource("instance", name, lab, instances.map((i) => ({ id: i.InstanceId ?? "", tags: tagMap(i.Tags) })));
  const inst = instances.find((i) => i.InstanceId === id) as Instance;
  const eni = (inst.NetworkInterfaces ?? []).find((n) => n.Attachment?.DeviceIndex === 0) ?? inst.NetworkInterfaces?.[0];
  return { id, eniId: eni?.NetworkInterfaceId ?? "", state: inst.State?.Name ?? "unknown" };
}

export async function resolveTransitGateway(c: AwsClients, lab: string, name: string): Promise<string> {
  const out = await c.ec2.send(new DescribeTransitGatewaysCommand({ Filters: byName(name) }));
  return pickLabResource("transit gateway", name, lab, (out.TransitGateways ?? []).map((t) => ({ id: t.TransitGatewayId ?? "", tags: tagMap(t.Tags) })));
}

export async function resolveInternetGateway(c: AwsClients, lab: string, name: string): Promise<string> {
  const out = await c.ec2.send(new DescribeInternetGatewaysCommand({ Filters: byName(name) }));
  return pickLabResource("internet gateway", name, lab, (out.InternetGateways ?? []).map((g) => ({ id: g.InternetGatewayId ?? "", tags: tagMap(g.Tags) })));
}

export async function resolveNatGateway(c: AwsClients, lab: string, name: string): Promise<string> {
  const out = await c.ec2.send(new DescribeNatGatewaysCommand({ Filter: byName(name) }));
  return pickLabResource("NAT gateway", name, lab, (out.NatGateways ?? []).filter((n) => n.State !== "deleted").map((n) => ({ id: n.NatGatewayId ?? "", tags: tagMap(n.Tags) })));
}

/** The lab's flow logs of a VPC (flow logs carry the provider's default tags). */
export async function flowLogsOf(c: AwsClients, lab: string, vpcId: string): Promise<{ id: string; logGroupName: string; trafficType: string; roleArn?: string; tagged: boolean }[]> {
  const out = await c.ec2.send(new DescribeFlowLogsCommand({ Filter: [{ Name: "resource-id", Values: [vpcId] }] }));
  return (out.FlowLogs ?? []).map((f) => ({
    id: f.FlowLogId ?? "",
    logGroupName: f.LogGroupName ?? "",
    trafficType: f.TrafficType ?? "ALL",
    ...(f.DeliverLogsPermissionArn ? { roleArn: f.DeliverLogsPermissionArn } : {}),
    tagged: tagMap(f.Tags)[LAB_TAG] === lab,
  }));
}

export async function resolveTargetGroup(c: AwsClients, lab: string, name: string): Promise<string> {
  let groups;
  try {
    groups = (await c.elbv2.send(new DescribeTargetGroupsCommand({ Names: [name] }))).TargetGroups ?? [];
  } catch (e) {
    if ((e as { name?: string }).name === "TargetGroupNotFoundException") throw new UnknownResourceError("target group", name, []);
    throw e;
  }
  const arns = groups.map((g) => g.TargetGroupArn ?? "");
  const tags = arns.length ? ((await c.elbv2.send(new DescribeTagsCommand({ ResourceArns: arns }))).TagDescriptions ?? []) : [];
  return pickLabResource("target group", name, lab, arns.map((arn) => ({ id: arn, tags: tagMap(tags.find((t) => t.ResourceArn === arn)?.Tags) })));
}

/** A private hosted zone by name, tagged for the lab (Route 53 tags are read per zone). */
export async function resolvePrivateZone(c: AwsClients, lab: string, name: string): Promise<string> {
  const dnsName = name.endsWith(".") ? name : `${name}.`;
  const out = await c.route53.send(new ListHostedZonesByNameCommand({ DNSName: dnsName, MaxItems: 100 }));
  const zones = (out.HostedZones ?? []).filter((z) => z.Name === dnsName && z.Config?.PrivateZone);
  const found: TaggedResource[] = [];
  for (const z of zones) {
    const id = (z.Id ?? "").replace(/^\/hostedzone\//, "");
    const tags = await c.route53.send(new ListTagsForResourceCommand({ ResourceType: "hostedzone", ResourceId: id }));
    found.push({ id, tags: tagMap(tags.ResourceTagSet?.Tags) });
  }
  return pickLabResource("private hosted zone", name, lab, found);
}
