import {
  AuthorizeSecurityGroupEgressCommand,
  AuthorizeSecurityGroupIngressCommand,
  CreateFlowLogsCommand,
  CreateRouteCommand,
  CreateTagsCommand,
  DeleteFlowLogsCommand,
  DeleteRouteCommand,
  DeleteTagsCommand,
  DescribeFlowLogsCommand,
  DescribeInstancesCommand,
  DescribeRouteTablesCommand,
  DescribeSecurityGroupsCommand,
  DescribeTransitGatewaysCommand,
  DescribeVpcsCommand,
  ModifyInstanceAttributeCommand,
  ReplaceRouteCommand,
  RevokeSecurityGroupEgressCommand,
  RevokeSecurityGroupIngressCommand,
  StartInstancesCommand,
  StopInstancesCommand,
} from "@aws-sdk/client-ec2";
import { DeregisterTargetsCommand, DescribeTagsCommand, DescribeTargetGroupsCommand, RegisterTargetsCommand } from "@aws-sdk/client-elastic-load-balancing-v2";
import { AssociateVPCWithHostedZoneCommand, DisassociateVPCFromHostedZoneCommand, ListHostedZonesByNameCommand, ListTagsForResourceCommand } from "@aws-sdk/client-route-53";
import { GetParameterCommand, PutParameterCommand, SendCommandCommand } from "@aws-sdk/client-ssm";
import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { AwsLabCloud } from "../../cloud/aws/aws-cloud";
import { applyChange } from "../../cloud/aws/apply";
import { ScopeError } from "../../cloud/aws/errors";
import { CHANGE_KINDS, type Change } from "../../cloud/change";
import { inject } from "../../lifecycle/inject";
import { findScenario } from "../../scenarios";
import { mockEveryClient } from "../helpers/mocked-clients";

const { ec2, ssm, elbv2, route53, sts, clients } = mockEveryClient();
const MUTATIONS = [
  DeleteRouteCommand, CreateRouteCommand, ReplaceRouteCommand, StopInstancesCommand, StartInstancesCommand, ModifyInstanceAttributeCommand, AuthorizeSecurityGroupIngressCommand,
  RevokeSecurityGroupIngressCommand, AuthorizeSecurityGroupEgressCommand, RevokeSecurityGroupEgressCommand, DeleteFlowLogsCommand, CreateFlowLogsCommand, CreateTagsCommand, DeleteTagsCommand,
];

/** Every resource in the account carries the right Name, but only `labOfTags` in its netlab:lab tag. */
function accountWhereEverythingIsTaggedFor(labOfTags: string | undefined) {
  const tags = (name: string) => [{ Key: "Name", Value: name }, ...(labOfTags ? [{ Key: "netlab:lab", Value: labOfTags }] : [])];
  ec2.on(DescribeRouteTablesCommand).callsFake(async (i) => ({ RouteTables: [{ RouteTableId: "rtb-x", Tags: tags(i.Filters[0].Values[0]) }] }));
  ec2.on(DescribeSecurityGroupsCommand).callsFake(async (i) => ({ SecurityGroups: [{ GroupId: "sg-x", Tags: tags(i.Filters[0].Values[0]) }] }));
  ec2.on(DescribeInstancesCommand).callsFake(async (i) => ({ Reservations: [{ Instances: [{ InstanceId: "i-x", State: { Name: "running" }, NetworkInterfaces: [{ NetworkInterfaceId: "eni-x", Attachment: { DeviceIndex: 0 } }], Tags: tags(i.Filters?.[0]?.Values?.[0] ?? "") }] }] }));
  ec2.on(DescribeTransitGatewaysCommand).callsFake(async (i) => ({ TransitGateways: [{ TransitGatewayId: "tgw-x", Tags: tags(i.Filters[0].Values[0]) }] }));
  ec2.on(DescribeVpcsCommand).callsFake(async (i) => ({ Vpcs: [{ VpcId: "vpc-x", Tags: tags(i.Filters[0].Values[0]) }] }));
  ec2.on(DescribeFlowLogsCommand).resolves({ FlowLogs: [{ FlowLogId: "fl-x", Tags: tags("flow") }] });
  elbv2.on(DescribeTargetGroupsCommand).resolves({ TargetGroups: [{ TargetGroupArn: "arn:tg" }] });
  elbv2.on(DescribeTagsCommand).resolves({ TagDescriptions: [{ ResourceArn: "arn:tg", Tags: tags("DMZVPC-TG-web") }] });
  route53.on(ListHostedZonesByNameCommand).resolves({ HostedZones: [{ Id: "/hostedzone/Z1", Name: "netlab.internal.", CallerReference: "x", Config: { PrivateZone: true } }] });
  route53.on(ListTagsForResourceCommand).resolves({ ResourceTagSet: { Tags: tags("netlab.internal") } });
  sts.on(GetCallerIdentityCommand).resolves({ Account: "123456789012" });
}

/** One change of every kind, on the lab's names. */
const ONE_OF_EACH: Change[] = [
  { kind: "delete-route", routeTable: "VPC02-Private-Subnet-A-RT", destination: "0.0.0.0/0" },
  { kind: "create-route", routeTable: "VPC02-Private-Subnet-A-RT", destination: "0.0.0.0/0", target: { kind: "tgw", name: "netlab-tgw" } },
  { kind: "replace-route", routeTable: "VPC02-Private-Subnet-A-RT", destination: "0.0.0.0/0", target: { kind: "tgw", name: "netlab-tgw" } },
  { kind: "stop-instance", instance: "DMZVPC-Private-B-10.11.24.102" },
  { kind: "start-instance", instance: "DMZVPC-Private-B-10.11.24.102" },
  { kind: "set-source-dest-check", instance: "NAT-Instance", enabled: true },
  { kind: "revoke-sg-rule", securityGroup: "DMZVPC-PrivateSG", direction: "ingress", rule: { protocol: "tcp", fromPort: 80, toPort: 80, cidr: "10.0.0.0/8" } },
  { kind: "authorize-sg-rule", securityGroup: "DMZVPC-PrivateSG", direction: "ingress", rule: { protocol: "tcp", fromPort: 22, toPort: 22, cidr: "0.0.0.0/0" } },
  { kind: "revoke-sg-rule", securityGroup: "DMZVPC-PrivateSG", direction: "egress", rule: { protocol: "-1", fromPort: -1, toPort: -1, cidr: "0.0.0.0/0" } },
  { kind: "authorize-sg-rule", securityGroup: "DMZVPC-PrivateSG", direction: "egress", rule: { protocol: "tcp", fromPort: 443, toPort: 443, cidr: "0.0.0.0/0" } },
  { kind: "deregister-target", targetGroup: "DMZVPC-TG-web", instance: "DMZVPC-Private-A-10.11.20.102", port: 80 },
  { kind: "register-target", targetGroup: "DMZVPC-TG-web", instance: "DMZVPC-Private-A-10.11.20.102", port: 8080 },
  { kind: "disassociate-zone", zone: "netlab.internal", vpc: "VPC02" },
  { kind: "associate-zone", zone: "netlab.internal", vpc: "VPC02" },
  { kind: "delete-flow-log", vpc: "VPC02" },
  { kind: "create-flow-log", vpc: "VPC02", logGroup: "/aws/vpc/flowlogs", trafficType: "ALL" },
  { kind: "set-os-state", instance: "NAT-Instance", key: "masquerade", value: false },
];

beforeEach(() => [ec2, ssm, elbv2, route53, sts].forEach((m) => m.reset()));

describe("R08 scope: every kind of mutation is refused on resources without the lab's tag", () => {
  it("R08 covers every change kind", () => {
    expect(new Set(ONE_OF_EACH.map((c) => c.kind))).toEqual(new Set(CHANGE_KINDS));
  });

  /** Both ways a resource can be foreign: another lab's tag, or no netlab:lab tag at all. */
  const OWNERS = [
    ["another lab's tag (s02)", "s02"],
    ["no netlab:lab tag at all", undefined],
  ] as const;
  const cases = OWNERS.flatMap(([owner, labOfTags]) => ONE_OF_EACH.map((c) => [`${c.kind}${"direction" in c ? ` (${c.direction})` : ""}`, owner, labOfTags, c] as const));

  it.each(cases)("R08 %s on a resource whose Name matches but which has %s", async (_kind, _owner, labOfTags, change) => {
    // GIVEN an account where every Name matches, but every resource belongs to lab s02, or to no lab
    accountWhereEverythingIsTaggedFor(labOfTags);
    // WHEN lab s01 applies the change / THEN it is refused, and no mutating call was made
    await expect(applyChange(clients, change, { lab: "s01", region: "ap-northeast-2" })).rejects.toThrow(ScopeError);
    for (const m of MUTATIONS) expect(ec2.commandCalls(m as typeof DeleteRouteCommand)).toHaveLength(0);
    for (const m of [RegisterTargetsCommand, DeregisterTargetsCommand]) expect(elbv2).not.toHaveReceivedCommand(m);
    for (const m of [AssociateVPCWithHostedZoneCommand, DisassociateVPCFromHostedZoneCommand]) expect(route53).not.toHaveReceivedCommand(m);
    expect(ssm).not.toHaveReceivedCommand(SendCommandCommand);
  });
});

describe("R02 crash safety on AWS: the ledger is written before any change", () => {
  it("R02 an API failure on the first change leaves the ledger entry in Parameter Store, written before the failed call", async () => {
    // GIVEN a lab whose route deletion fails
    accountWhereEverythingIsTaggedFor("s01");
    ec2.on(DescribeRouteTablesCommand).resolves({ RouteTables: [{ RouteTableId: "rtb-x", Tags: [{ Key: "netlab:lab", Value: "s01" }], Routes: [] }] });
    ssm.on(GetParameterCommand).rejects(Object.assign(new Error("nf"), { name: "ParameterNotFound" }));
    const order: string[] = [];
    ssm.on(PutParameterCommand).callsFake(async () => void order.push("ledger"));
    ec2.on(DeleteRouteCommand).callsFake(async () => {
      order.push("delete-route");
      throw Object.assign(new Error("boom"), { name: "InternalError" });
    });
    const cloud = new AwsLabCloud("s01", "ap-northeast-2", clients, { clients });
    const snapshot = (await import("../helpers/lab")).labSnapshot;
    cloud.snapshot = snapshot;
    // WHEN injected
    const out = await inject(cloud, findScenario("tgw-default-route"), { by: "t" });
    // THEN the entry was written first, and the inject reports the partial state for reset
    expect(order).toEqual(["ledger", "delete-route"]);
    expect(out.status).toBe("partial");
  });
});

describe("R09 a config pointing at the wrong account", () => {
  it("R09 fails before changing anything when no VPC carries the lab's tag", async () => {
    sts.on(GetCallerIdentityCommand).resolves({ Account: "999999999999" });
    ec2.on(DescribeVpcsCommand).resolves({ Vpcs: [] });
    const { createAwsCloud } = await import("../../cloud/aws/aws-cloud");
    await expect(createAwsCloud({ id: "s01" }, "ap-northeast-2", { clients })).rejects.toThrow("Lab s01 is not deployed in account 999999999999 (ap-northeast-2)");
    for (const m of MUTATIONS) expect(ec2.commandCalls(m as typeof DeleteRouteCommand)).toHaveLength(0);
    expect(ssm).not.toHaveReceivedCommand(PutParameterCommand);
  });
});
