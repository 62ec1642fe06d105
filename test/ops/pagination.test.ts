import { DescribeLogGroupsCommand, ListTagsForResourceCommand as ListLogTagsCommand } from "@aws-sdk/client-cloudwatch-logs";
import {
  DescribeAddressesCommand,
  DescribeInstancesCommand,
  DescribeInternetGatewaysCommand,
  DescribeNatGatewaysCommand,
  DescribeNetworkInterfacesCommand,
  DescribeTransitGatewayAttachmentsCommand,
  DescribeTransitGatewaysCommand,
  DescribeVpcEndpointsCommand,
  DescribeVpcsCommand,
} from "@aws-sdk/client-ec2";
import { DescribeLoadBalancersCommand, DescribeTagsCommand } from "@aws-sdk/client-elastic-load-balancing-v2";
import { GetHostedZoneCommand, ListHostedZonesCommand, ListTagsForResourceCommand } from "@aws-sdk/client-route-53";
import { GetServiceQuotaCommand } from "@aws-sdk/client-service-quotas";
import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { findLeftovers } from "../../ops/leftovers";
import { labNeeds, preflight } from "../../ops/preflight";
import { LAB_TOPOLOGY } from "../../topology/lab";
import { EC2_TOKENS, ELB_TOKENS, twoPages } from "../helpers/paged-mock";
import { mockEveryClient } from "../helpers/mocked-clients";

const { ec2, elbv2, logs, route53, sts, quotas, clients } = mockEveryClient();
const two = <T>(make: (n: number) => T): [T[], T[]] => [[make(1)], [make(2)]];
const labTag = [{ Key: "netlab:lab", Value: "s01" }];

beforeEach(() => [ec2, elbv2, logs, route53, sts, quotas].forEach((m) => m.reset()));

describe("lab leftovers reads every page of every list", () => {
  /** An account after a destroy that left two of everything, each list in two pages. */
  function leftInTwoPages(): void {
    twoPages(ec2, DescribeVpcsCommand, EC2_TOKENS, "Vpcs", ...two((n) => ({ VpcId: `vpc-${n}` })));
    ec2.on(DescribeAddressesCommand).resolves({ Addresses: [{ AllocationId: "eipalloc-1", PublicIp: "203.0.113.1" }] });
    twoPages(ec2, DescribeNatGatewaysCommand, EC2_TOKENS, "NatGateways", ...two((n) => ({ NatGatewayId: `nat-${n}`, State: "available" })));
    twoPages(ec2, DescribeVpcEndpointsCommand, EC2_TOKENS, "VpcEndpoints", ...two((n) => ({ VpcEndpointId: `vpce-${n}`, VpcEndpointType: "Interface", SubnetIds: ["s"] })));
    twoPages(ec2, DescribeInstancesCommand, EC2_TOKENS, "Reservations", ...two((n) => ({ Instances: [{ InstanceId: `i-${n}`, State: { Name: "running" }, InstanceType: "t3.micro" }] })));
    twoPages(ec2, DescribeTransitGatewaysCommand, EC2_TOKENS, "TransitGateways", ...two((n) => ({ TransitGatewayId: `tgw-${n}`, State: "available" })));
    twoPages(ec2, DescribeTransitGatewayAttachmentsCommand, EC2_TOKENS, "TransitGatewayAttachments", ...two((n) => ({ TransitGatewayAttachmentId: `tgw-attach-${n}`, State: "available" })));
    twoPages(ec2, DescribeNetworkInterfacesCommand, EC2_TOKENS, "NetworkInterfaces", ...two((n) => ({ NetworkInterfaceId: `eni-${n}` })));
    twoPages(elbv2, DescribeLoadBalancersCommand, ELB_TOKENS, "LoadBalancers", ...two((n) => ({ LoadBalancerArn: `arn:lb-${n}`, VpcId: "vpc-1" })));
    elbv2.on(DescribeTagsCommand).resolves({ TagDescriptions: [] });
    twoPages(logs, DescribeLogGroupsCommand, { in: "nextToken", out: "nextToken" }, "logGroups", ...two((n) => ({ logGroupName: `/aws/vpc/flowlogs-${n}`, arn: `arn:lg-${n}:*` })));
    logs.on(ListLogTagsCommand).resolves({ tags: { "netlab:lab": "s01" } });
    twoPages(route53, ListHostedZonesCommand, ELB_TOKENS, "HostedZones", ...two((n) => ({ Id: `/hostedzone/Z${n}`, Name: "netlab.internal.", CallerReference: `${n}`, Config: { PrivateZone: true } })), { first: { IsTruncated: true }, second: { IsTruncated: false } });
    route53.on(ListTagsForResourceCommand).resolves({ ResourceTagSet: { Tags: labTag } });
    route53.on(GetHostedZoneCommand).resolves({ VPCs: [] });
  }

  it.each([
    ["VPCs", "VPC", ["vpc-1", "vpc-2"]],
    ["NAT gateways", "NAT gateway", ["nat-1", "nat-2"]],
    ["VPC endpoints", "VPC endpoint (Interface)", ["vpce-1", "vpce-2"]],
    ["instances", "instance (running)", ["i-1", "i-2"]],
    ["transit gateways", "transit gateway", ["tgw-1", "tgw-2"]],
    ["TGW attachments", "TGW attachment", ["tgw-attach-1", "tgw-attach-2"]],
    ["network interfaces", "network interface", ["eni-1", "eni-2"]],
    ["load balancers", "load balancer", ["arn:lb-1", "arn:lb-2"]],
    ["log groups", "log group (billed by stored GB)", ["/aws/vpc/flowlogs-1", "/aws/vpc/flowlogs-2"]],
    ["private hosted zones", "private hosted zone (billed per month)", ["Z1", "Z2"]],
  ])("%s", async (_name, kind, expected) => {
    // GIVEN an account whose every list comes in two pages / WHEN its leftovers are listed
    leftInTwoPages();
    const r = await findLeftovers(clients, "s01", "ap-northeast-2");
    // THEN both pages are counted
    expect(r.leftovers.filter((l) => l.kind === kind).map((l) => l.id)).toEqual(expected);
  });

  it("asks by the lab's tag, and for network interfaces by the lab's VPCs", async () => {
    leftInTwoPages();
    await findLeftovers(clients, "s01", "ap-northeast-2");
    const tag = [{ Name: "tag:netlab:lab", Values: ["s01"] }];
    for (const command of [DescribeVpcsCommand, DescribeAddressesCommand, DescribeVpcEndpointsCommand, DescribeTransitGatewaysCommand, DescribeTransitGatewayAttachmentsCommand]) expect(ec2).toHaveReceivedCommandWith(command, { Filters: tag });
    expect(ec2).toHaveReceivedCommandWith(DescribeNatGatewaysCommand, { Filter: tag });
    expect(ec2).toHaveReceivedCommandWith(DescribeInstancesCommand, { Filters: [...tag, { Name: "instance-state-name", Values: ["pending", "running", "stopping", "stopped"] }] });
    expect(ec2).toHaveReceivedCommandWith(DescribeNetworkInterfacesCommand, { Filters: [{ Name: "vpc-id", Values: ["vpc-1", "vpc-2"] }] });
    expect(logs).toHaveReceivedCommandWith(DescribeLogGroupsCommand, { logGroupNamePrefix: "/aws/vpc/flowlogs" });
  });
});

describe("lab preflight counts every page against the quotas", () => {
  it("counts VPCs, internet gateways and transit gateways of every page", async () => {
    // GIVEN an account whose VPCs, IGWs and TGWs come in two pages, and default quotas
    sts.on(GetCallerIdentityCommand).resolves({ Account: "123456789012", Arn: "arn:aws:iam::123456789012:user/t" });
    quotas.on(GetServiceQuotaCommand).rejects(Object.assign(new Error("denied"), { name: "AccessDeniedException" }));
    twoPages(ec2, DescribeVpcsCommand, EC2_TOKENS, "Vpcs", ...two((n) => ({ VpcId: `vpc-${n}` })));
    twoPages(ec2, DescribeInternetGatewaysCommand, EC2_TOKENS, "InternetGateways", ...two((n) => ({ InternetGatewayId: `igw-${n}` })));
    twoPages(ec2, DescribeTransitGatewaysCommand, EC2_TOKENS, "TransitGateways", ...two((n) => ({ TransitGatewayId: `tgw-${n}`, State: "available" })));
    ec2.on(DescribeAddressesCommand).resolves({ Addresses: [{ AllocationId: "eipalloc-1" }] });
    // WHEN checked
    const r = await preflight(clients, "s01", "ap-northeast-2", labNeeds(LAB_TOPOLOGY, ["core", "natinstance"]));
    // THEN the region's whole use is counted
    expect(r.quotas.map((q) => [q.name, q.inUse])).toEqual([
      ["VPCs per Region", 2],
      ["EC2-VPC Elastic IPs", 1],
      ["Internet gateways per Region", 2],
      ["Transit gateways per account", 2],
    ]);
  });
});
