import { DescribeAlarmHistoryCommand, DescribeAlarmsCommand } from "@aws-sdk/client-cloudwatch";
import {
  DescribeAddressesCommand,
  DescribeFlowLogsCommand,
  DescribeInstancesCommand,
  DescribeInternetGatewaysCommand,
  DescribeNatGatewaysCommand,
  DescribeNetworkAclsCommand,
  DescribeNetworkInterfacesCommand,
  DescribeRouteTablesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeTransitGatewayAttachmentsCommand,
  DescribeTransitGatewayRouteTablesCommand,
  DescribeTransitGatewaysCommand,
  DescribeTransitGatewayVpcAttachmentsCommand,
  DescribeVpcEndpointsCommand,
  DescribeVpcsCommand,
  GetTransitGatewayRouteTablePropagationsCommand,
  SearchTransitGatewayRoutesCommand,
} from "@aws-sdk/client-ec2";
import { DescribeListenersCommand, DescribeLoadBalancersCommand, DescribeTargetGroupsCommand, DescribeTargetHealthCommand } from "@aws-sdk/client-elastic-load-balancing-v2";
import { GetHostedZoneCommand, ListHostedZonesCommand, ListResourceRecordSetsCommand, ListTagsForResourceCommand } from "@aws-sdk/client-route-53";
import { describeLab, ROUTE53_PARALLEL } from "../../../cloud/aws/describe";
import type { AwsDescribeOutputs } from "../../../network/from-aws-describe";
import { EC2_TOKENS, ELB_TOKENS, PAGE_2, twoPages } from "../../helpers/paged-mock";
import { mockEveryClient } from "../../helpers/mocked-clients";

const { ec2, elbv2, route53, cw, clients } = mockEveryClient();
const labTag = [{ Key: "netlab:lab", Value: "s01" }];
const two = <T>(make: (n: number) => T): [T[], T[]] => [[make(1)], [make(2)]];

/** An account in which every list describeLab reads comes in two pages. */
function accountInTwoPages(): void {
  for (const m of [ec2, elbv2, route53, cw]) m.reset();
  const ec2Lists: [unknown, string, (n: number) => object][] = [
    [DescribeVpcsCommand, "Vpcs", (n) => ({ VpcId: `vpc-${n}` })],
    [DescribeSubnetsCommand, "Subnets", (n) => ({ SubnetId: `subnet-${n}` })],
    [DescribeRouteTablesCommand, "RouteTables", (n) => ({ RouteTableId: `rtb-${n}` })],
    [DescribeNetworkAclsCommand, "NetworkAcls", (n) => ({ NetworkAclId: `acl-${n}` })],
    [DescribeSecurityGroupsCommand, "SecurityGroups", (n) => ({ GroupId: `sg-${n}` })],
    [DescribeInstancesCommand, "Reservations", (n) => ({ Instances: [{ InstanceId: `i-${n}` }] })],
    [DescribeNetworkInterfacesCommand, "NetworkInterfaces", (n) => ({ NetworkInterfaceId: `eni-${n}` })],
    [DescribeInternetGatewaysCommand, "InternetGateways", (n) => ({ InternetGatewayId: `igw-${n}` })],
    [DescribeNatGatewaysCommand, "NatGateways", (n) => ({ NatGatewayId: `nat-${n}`, State: "available" })],
    [DescribeVpcEndpointsCommand, "VpcEndpoints", (n) => ({ VpcEndpointId: `vpce-${n}` })],
    [DescribeFlowLogsCommand, "FlowLogs", (n) => ({ FlowLogId: `fl-${n}` })],
    [DescribeTransitGatewaysCommand, "TransitGateways", (n) => ({ TransitGatewayId: `tgw-${n}` })],
    [DescribeTransitGatewayVpcAttachmentsCommand, "TransitGatewayVpcAttachments", (n) => ({ TransitGatewayAttachmentId: `tgw-attach-${n}` })],
    [DescribeTransitGatewayAttachmentsCommand, "TransitGatewayAttachments", (n) => ({ TransitGatewayAttachmentId: `tgw-attach-${n}` })],
    [DescribeTransitGatewayRouteTablesCommand, "TransitGatewayRouteTables", (n) => ({ TransitGatewayRouteTableId: `tgw-rtb-${n}` })],
    [GetTransitGatewayRouteTablePropagationsCommand, "TransitGatewayRouteTablePropagations", (n) => ({ TransitGatewayAttachmentId: `tgw-attach-${n}` })],
    [SearchTransitGatewayRoutesCommand, "Routes", (n) => ({ DestinationCidrBlock: `10.${n}.0.0/16` })],
  ];
  for (const [command, key, make] of ec2Lists) twoPages(ec2, command, EC2_TOKENS, key, ...two(make));
  // DescribeAddresses has no pages in the API: one answer.
  ec2.on(DescribeAddressesCommand).resolves({ Addresses: [{ AllocationId: "eipalloc-1" }] });
  twoPages(elbv2, DescribeLoadBalancersCommand, ELB_TOKENS, "LoadBalancers", ...two((n) => ({ LoadBalancerArn: `arn:lb-${n}`, VpcId: "vpc-1" })));
  twoPages(elbv2, DescribeTargetGroupsCommand, ELB_TOKENS, "TargetGroups", ...two((n) => ({ TargetGroupArn: `arn:tg-${n}`, VpcId: "vpc-2" })));
  twoPages(elbv2, DescribeListenersCommand, ELB_TOKENS, "Listeners", ...two((n) => ({ ListenerArn: `arn:listener-${n}` })));
  elbv2.on(DescribeTargetHealthCommand).resolves({ TargetHealthDescriptions: [{ Target: { Id: "i-1", Port: 80 } }] });
  twoPages(route53, ListHostedZonesCommand, ELB_TOKENS, "HostedZones", ...two((n) => ({ Id: `/hostedzone/Z${n}`, Name: "netlab.internal.", CallerReference: `r${n}`, Config: { PrivateZone: true } })), { first: { IsTruncated: true }, second: { IsTruncated: false } });
  route53.on(ListTagsForResourceCommand).resolves({ ResourceTagSet: { Tags: labTag } });
  route53.on(GetHostedZoneCommand).callsFake(async (input: { Id: string }) => ({ HostedZone: { Id: `/hostedzone/${input.Id}`, Name: "netlab.internal.", CallerReference: "r" }, VPCs: [{ VPCId: "vpc-1" }] }));
  route53.on(ListResourceRecordSetsCommand).callsFake(async (input: { StartRecordName?: string }) =>
    input.StartRecordName === PAGE_2
      ? { ResourceRecordSets: [{ Name: "b.netlab.internal.", Type: "A" }], IsTruncated: false }
      : { ResourceRecordSets: [{ Name: "a.netlab.internal.", Type: "A" }], IsTruncated: true, NextRecordName: PAGE_2, NextRecordType: "A" },
  );
  twoPages(cw, DescribeAlarmsCommand, EC2_TOKENS, "MetricAlarms", ...two((n) => ({ AlarmName: `alarm-${n}`, Dimensions: [{ Name: "InstanceId", Value: `i-${n}` }] })));
  // Newest first: the first page holds only the return to OK, the second the entry into ALARM.
  const change = (alarm: string, to: string, at: string) => ({ AlarmName: alarm, Timestamp: new Date(at), HistoryItemType: "StateUpdate", HistoryData: JSON.stringify({ oldState: { stateValue: to === "OK" ? "ALARM" : "OK" }, newState: { stateValue: to } }) });
  cw.on(DescribeAlarmHistoryCommand).callsFake(async (input: { AlarmName: string; NextToken?: string }) =>
    input.NextToken === PAGE_2
      ? { AlarmHistoryItems: [change(input.AlarmName, "ALARM", "2026-11-24T10:00:00Z")] }
      : { AlarmHistoryItems: [change(input.AlarmName, "OK", "2026-11-24T10:20:00Z")], NextToken: PAGE_2 },
  );
}

type Rows = [string, (d: AwsDescribeOutputs) => unknown[], unknown[]][];
const ids = <T>(list: T[] | undefined, key: keyof T) => (list ?? []).map((x) => x[key]);
const ROWS: Rows = [
  ["VPCs", (d) => ids(d.Vpcs?.Vpcs, "VpcId"), ["vpc-1", "vpc-2"]],
  ["subnets", (d) => ids(d.Subnets?.Subnets, "SubnetId"), ["subnet-1", "subnet-2"]],
  ["route tables", (d) => ids(d.RouteTables?.RouteTables, "RouteTableId"), ["rtb-1", "rtb-2"]],
  ["network ACLs", (d) => ids(d.NetworkAcls?.NetworkAcls, "NetworkAclId"), ["acl-1", "acl-2"]],
  ["security groups", (d) => ids(d.SecurityGroups?.SecurityGroups, "GroupId"), ["sg-1", "sg-2"]],
  ["instances", (d) => (d.Reservations?.Reservations ?? []).flatMap((r) => ids(r.Instances, "InstanceId")), ["i-1", "i-2"]],
  ["network interfaces", (d) => ids(d.NetworkInterfaces?.NetworkInterfaces, "NetworkInterfaceId"), ["eni-1", "eni-2"]],
  ["internet gateways", (d) => ids(d.InternetGateways?.InternetGateways, "InternetGatewayId"), ["igw-1", "igw-2"]],
  ["NAT gateways", (d) => ids(d.NatGateways?.NatGateways, "NatGatewayId"), ["nat-1", "nat-2"]],
  ["VPC endpoints", (d) => ids(d.VpcEndpoints?.VpcEndpoints, "VpcEndpointId"), ["vpce-1", "vpce-2"]],
  ["flow logs", (d) => ids(d.FlowLogs?.FlowLogs, "FlowLogId"), ["fl-1", "fl-2"]],
  ["transit gateways", (d) => ids(d.TransitGateways?.TransitGateways, "TransitGatewayId"), ["tgw-1", "tgw-2"]],
  ["TGW VPC attachments", (d) => ids(d.TransitGatewayVpcAttachments?.TransitGatewayVpcAttachments, "TransitGatewayAttachmentId"), ["tgw-attach-1", "tgw-attach-2"]],
  ["TGW attachments", (d) => ids(d.TransitGatewayAttachments?.TransitGatewayAttachments, "TransitGatewayAttachmentId"), ["tgw-attach-1", "tgw-attach-2"]],
  ["TGW route tables", (d) => ids(d.TransitGatewayRouteTables?.TransitGatewayRouteTables, "TransitGatewayRouteTableId"), ["tgw-rtb-1", "tgw-rtb-2"]],
  ["TGW propagations, per table", (d) => (d.TransitGatewayPropagations?.TransitGatewayPropagations ?? []).map((t) => ids(t.TransitGatewayRouteTablePropagations, "TransitGatewayAttachmentId")), [["tgw-attach-1", "tgw-attach-2"], ["tgw-attach-1", "tgw-attach-2"]]],
  ["TGW routes, per table", (d) => (d.TransitGatewayStaticRoutes?.TransitGatewayStaticRoutes ?? []).map((t) => ids(t.Routes, "DestinationCidrBlock")), [["10.1.0.0/16", "10.2.0.0/16"], ["10.1.0.0/16", "10.2.0.0/16"]]],
  ["load balancers", (d) => ids(d.LoadBalancers?.LoadBalancers, "LoadBalancerArn"), ["arn:lb-1", "arn:lb-2"]],
  ["listeners, per load balancer", (d) => (d.LoadBalancerListeners?.LoadBalancerListeners ?? []).map((l) => ids(l.Listeners, "ListenerArn")), [["arn:listener-1", "arn:listener-2"], ["arn:listener-1", "arn:listener-2"]]],
  ["target groups", (d) => ids(d.TargetGroups?.TargetGroups, "TargetGroupArn"), ["arn:tg-1", "arn:tg-2"]],
  ["hosted zones", (d) => (d.HostedZones?.HostedZones ?? []).map((z) => z.HostedZone.Id), ["/hostedzone/Z1", "/hostedzone/Z2"]],
  ["record sets, per zone", (d) => (d.HostedZones?.HostedZones ?? []).map((z) => ids(z.ResourceRecordSets, "Name")), [["a.netlab.internal.", "b.netlab.internal."], ["a.netlab.internal.", "b.netlab.internal."]]],
  ["alarms", (d) => ids(d.MetricAlarms?.MetricAlarms, "AlarmName"), ["alarm-1", "alarm-2"]],
  ["alarm history, per alarm, to its last entry into ALARM", (d) => (d.AlarmHistory?.AlarmHistoryItems ?? []).map((h) => [h.AlarmName, h.Timestamp?.toISOString()]), [["alarm-1", "2026-11-24T10:00:00.000Z"], ["alarm-2", "2026-11-24T10:00:00.000Z"]]],
];

describe("describeLab reads every page of every list", () => {
  it.each(ROWS)("%s", async (_name, pick, expected) => {
    // GIVEN an account whose every list comes in two pages / WHEN the lab is described
    accountInTwoPages();
    const d = await describeLab(clients, "s01");
    // THEN both pages are in the answer
    expect(pick(d)).toEqual(expected);
  });

  it("asks by the lab's tag, then by the lab's VPCs and transit gateways", async () => {
    // GIVEN the same account / WHEN described
    accountInTwoPages();
    await describeLab(clients, "s01");
    // THEN the filters sent scope every describe to the lab
    const tag = [{ Name: "tag:netlab:lab", Values: ["s01"] }];
    const vpcs = [{ Name: "vpc-id", Values: ["vpc-1", "vpc-2"] }];
    const tgws = [{ Name: "transit-gateway-id", Values: ["tgw-1", "tgw-2"] }];
    for (const command of [DescribeVpcsCommand, DescribeAddressesCommand, DescribeTransitGatewaysCommand]) expect(ec2).toHaveReceivedCommandWith(command, { Filters: tag });
    for (const command of [DescribeSubnetsCommand, DescribeRouteTablesCommand, DescribeNetworkAclsCommand, DescribeSecurityGroupsCommand, DescribeInstancesCommand, DescribeNetworkInterfacesCommand, DescribeVpcEndpointsCommand]) {
      expect(ec2).toHaveReceivedCommandWith(command, { Filters: vpcs });
    }
    expect(ec2).toHaveReceivedCommandWith(DescribeNatGatewaysCommand, { Filter: vpcs });
    expect(ec2).toHaveReceivedCommandWith(DescribeInternetGatewaysCommand, { Filters: [{ Name: "attachment.vpc-id", Values: ["vpc-1", "vpc-2"] }] });
    expect(ec2).toHaveReceivedCommandWith(DescribeFlowLogsCommand, { Filter: [{ Name: "resource-id", Values: ["vpc-1", "vpc-2"] }] });
    for (const command of [DescribeTransitGatewayVpcAttachmentsCommand, DescribeTransitGatewayAttachmentsCommand, DescribeTransitGatewayRouteTablesCommand]) expect(ec2).toHaveReceivedCommandWith(command, { Filters: tgws });
    expect(ec2).toHaveReceivedCommandWith(SearchTransitGatewayRoutesCommand, { TransitGatewayRouteTableId: "tgw-rtb-1", Filters: [{ Name: "type", Values: ["static", "propagated"] }] });
  });

  it("refuses a transit gateway route table that AWS answered only in part", async () => {
    // GIVEN a route search that says more routes exist, with no token to read them
    accountInTwoPages();
    ec2.on(SearchTransitGatewayRoutesCommand).resolves({ Routes: [{ DestinationCidrBlock: "10.1.0.0/16" }], AdditionalRoutesAvailable: true });
    // WHEN described / THEN it is refused with the table's name, not read as if whole
    await expect(describeLab(clients, "s01")).rejects.toThrow(
      "Transit gateway route table tgw-rtb-1 holds more routes than AWS returned (1), and AWS gave no way to read the rest; netlab will not grade the lab from part of the table.",
    );
  });

  it("reads the private zones a few at a time, not one after another and not all at once", async () => {
    // GIVEN 10 private zones whose reads take a moment
    accountInTwoPages();
    route53.on(ListHostedZonesCommand).resolves({ HostedZones: Array.from({ length: 10 }, (_, i) => ({ Id: `/hostedzone/Z${i}`, Name: `z${i}.internal.`, CallerReference: `${i}`, Config: { PrivateZone: true } })), IsTruncated: false });
    let active = 0;
    let peak = 0;
    route53.on(GetHostedZoneCommand).callsFake(async (input: { Id: string }) => {
      peak = Math.max(peak, ++active);
      await new Promise((r) => setImmediate(r));
      active--;
      return { HostedZone: { Id: input.Id, Name: "z.", CallerReference: "r" }, VPCs: [] };
    });
    // WHEN described
    await describeLab(clients, "s01");
    // THEN every zone was read, with at most ROUTE53_PARALLEL reads at once, and more than one
    expect(route53).toHaveReceivedCommandTimes(GetHostedZoneCommand, 10);
    expect(peak).toBe(ROUTE53_PARALLEL);
  });
});
