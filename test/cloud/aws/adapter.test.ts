import {
  AuthorizeSecurityGroupEgressCommand,
  AuthorizeSecurityGroupIngressCommand,
  CreateFlowLogsCommand,
  CreateRouteCommand,
  DeleteFlowLogsCommand,
  DeleteRouteCommand,
  DescribeFlowLogsCommand,
  DescribeInstancesCommand,
  DescribeInternetGatewaysCommand,
  DescribeNatGatewaysCommand,
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
import {
  DeleteParameterCommand,
  DescribeInstanceInformationCommand,
  ListCommandInvocationsCommand,
  GetParameterCommand,
  GetParametersByPathCommand,
  PutParameterCommand,
  SendCommandCommand,
} from "@aws-sdk/client-ssm";
import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { spawnSync } from "node:child_process";
import { applyChange, osStateConfirmation, osStateScript } from "../../../cloud/aws/apply";
import { AwsConfigError, classifyAwsError, ScopeError } from "../../../cloud/aws/errors";
import { CorruptLedgerError, ParameterStoreLedger } from "../../../cloud/aws/ledger";
import type { Change } from "../../../cloud/change";
import { LedgerConflictError, type LedgerEntry } from "../../../cloud/port";
import { mockEveryClient } from "../../helpers/mocked-clients";

const { ec2, ssm, elbv2, route53, sts, clients } = mockEveryClient();
const noWait = { sleep: async () => undefined, pollIntervalMs: 1000 };
const ctx = { lab: "s01", region: "ap-northeast-2", run: noWait, maxStatePolls: 3 };
const labTags = (name: string, lab = "s01") => [{ Key: "Name", Value: name }, { Key: "netlab:lab", Value: lab }];

beforeEach(() => {
  for (const m of [ec2, ssm, elbv2, route53, sts]) m.reset();
  ec2.on(DescribeRouteTablesCommand).resolves({ RouteTables: [{ RouteTableId: "rtb-1", Tags: labTags("VPC02-Private-Subnet-A-RT") }] });
  ec2.on(DescribeTransitGatewaysCommand).resolves({ TransitGateways: [{ TransitGatewayId: "tgw-1", Tags: labTags("netlab-tgw") }] });
  ec2.on(DescribeSecurityGroupsCommand, { Filters: [{ Name: "tag:Name", Values: ["DMZVPC-PrivateSG"] }] }).resolves({ SecurityGroups: [{ GroupId: "sg-web", Tags: labTags("DMZVPC-PrivateSG") }] });
  ec2.on(DescribeSecurityGroupsCommand, { Filters: [{ Name: "tag:Name", Values: ["DMZVPC-ALB-SG"] }] }).resolves({ SecurityGroups: [{ GroupId: "sg-alb", Tags: labTags("DMZVPC-ALB-SG") }] });
  ec2.on(DescribeInstancesCommand).resolves({ Reservations: [{ Instances: [{ InstanceId: "i-1", State: { Name: "stopped" }, NetworkInterfaces: [{ NetworkInterfaceId: "eni-1", Attachment: { DeviceIndex: 0 } }], Tags: labTags("NAT-Instance") }] }] });
  ec2.on(DescribeVpcsCommand).resolves({ Vpcs: [{ VpcId: "vpc-2", Tags: labTags("VPC02") }] });
  ec2.on(DescribeInternetGatewaysCommand).resolves({ InternetGateways: [{ InternetGatewayId: "igw-1", Tags: labTags("DMZVPC-IGW") }] });
  ec2.on(DescribeNatGatewaysCommand).resolves({ NatGateways: [{ NatGatewayId: "nat-1", State: "available", Tags: labTags("DMZVPC-NATGW-A") }] });
  sts.on(GetCallerIdentityCommand).resolves({ Account: "123456789012" });
});

describe("changes as SDK requests", () => {
  it.each<[string, Change, () => void]>([
    ["delete-route", { kind: "delete-route", routeTable: "VPC02-Private-Subnet-A-RT", destination: "0.0.0.0/0" }, () => expect(ec2).toHaveReceivedCommandWith(DeleteRouteCommand, { RouteTableId: "rtb-1", DestinationCidrBlock: "0.0.0.0/0" })],
    ["create-route to the TGW", { kind: "create-route", routeTable: "VPC02-Private-Subnet-A-RT", destination: "0.0.0.0/0", target: { kind: "tgw", name: "netlab-tgw" } }, () => expect(ec2).toHaveReceivedCommandWith(CreateRouteCommand, { RouteTableId: "rtb-1", DestinationCidrBlock: "0.0.0.0/0", TransitGatewayId: "tgw-1" })],
    ["create-route to an internet gateway", { kind: "create-route", routeTable: "VPC02-Private-Subnet-A-RT", destination: "0.0.0.0/0", target: { kind: "igw", name: "DMZVPC-IGW" } }, () => expect(ec2).toHaveReceivedCommandWith(CreateRouteCommand, { RouteTableId: "rtb-1", DestinationCidrBlock: "0.0.0.0/0", GatewayId: "igw-1" })],
    ["create-route to a NAT gateway", { kind: "create-route", routeTable: "VPC02-Private-Subnet-A-RT", destination: "0.0.0.0/0", target: { kind: "nat-gateway", name: "DMZVPC-NATGW-A" } }, () => expect(ec2).toHaveReceivedCommandWith(CreateRouteCommand, { RouteTableId: "rtb-1", DestinationCidrBlock: "0.0.0.0/0", NatGatewayId: "nat-1" })],
    ["create-route to an instance's ENI", { kind: "create-route", routeTable: "VPC02-Private-Subnet-A-RT", destination: "0.0.0.0/0", target: { kind: "instance-eni", instance: "NAT-Instance" } }, () => expect(ec2).toHaveReceivedCommandWith(CreateRouteCommand, { RouteTableId: "rtb-1", NetworkInterfaceId: "eni-1" })],
    ["replace-route to an instance's ENI", { kind: "replace-route", routeTable: "VPC02-Private-Subnet-A-RT", destination: "0.0.0.0/0", target: { kind: "instance-eni", instance: "NAT-Instance" } }, () => expect(ec2).toHaveReceivedCommandWith(ReplaceRouteCommand, { RouteTableId: "rtb-1", DestinationCidrBlock: "0.0.0.0/0", NetworkInterfaceId: "eni-1" })],
    ["set-source-dest-check", { kind: "set-source-dest-check", instance: "NAT-Instance", enabled: true }, () => expect(ec2).toHaveReceivedCommandWith(ModifyInstanceAttributeCommand, { InstanceId: "i-1", SourceDestCheck: { Value: true } })],
    ["authorize-sg-rule with a peer group", { kind: "authorize-sg-rule", securityGroup: "DMZVPC-PrivateSG", direction: "ingress", rule: { protocol: "tcp", fromPort: 80, toPort: 80, peerSecurityGroup: "DMZVPC-ALB-SG", description: "HTTP from the ALB" } }, () =>
      expect(ec2).toHaveReceivedCommandWith(AuthorizeSecurityGroupIngressCommand, { GroupId: "sg-web", IpPermissions: [{ IpProtocol: "tcp", FromPort: 80, ToPort: 80, UserIdGroupPairs: [{ GroupId: "sg-alb", Description: "HTTP from the ALB" }] }] })],
    ["authorize an egress rule", { kind: "authorize-sg-rule", securityGroup: "DMZVPC-PrivateSG", direction: "egress", rule: { protocol: "tcp", fromPort: 443, toPort: 443, cidr: "0.0.0.0/0", description: "HTTPS out" } }, () =>
      expect(ec2).toHaveReceivedCommandWith(AuthorizeSecurityGroupEgressCommand, { GroupId: "sg-web", IpPermissions: [{ IpProtocol: "tcp", FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: "0.0.0.0/0", Description: "HTTPS out" }] }] })],
    ["revoke an ingress rule", { kind: "revoke-sg-rule", securityGroup: "DMZVPC-PrivateSG", direction: "ingress", rule: { protocol: "tcp", fromPort: 22, toPort: 22, cidr: "0.0.0.0/0" } }, () =>
      expect(ec2).toHaveReceivedCommandWith(RevokeSecurityGroupIngressCommand, { GroupId: "sg-web", IpPermissions: [{ IpProtocol: "tcp", FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: "0.0.0.0/0" }] }] })],
    ["revoke an egress rule for all traffic", { kind: "revoke-sg-rule", securityGroup: "DMZVPC-PrivateSG", direction: "egress", rule: { protocol: "-1", fromPort: -1, toPort: -1, cidr: "0.0.0.0/0" } }, () =>
      expect(ec2).toHaveReceivedCommandWith(RevokeSecurityGroupEgressCommand, { GroupId: "sg-web", IpPermissions: [{ IpProtocol: "-1", IpRanges: [{ CidrIp: "0.0.0.0/0" }] }] })],
  ])("%s", async (_name, change, expectRequest) => {
    await applyChange(clients, change, ctx);
    expectRequest();
  });

  it("stops an instance and waits until it is stopped", async () => {
    await applyChange(clients, { kind: "stop-instance", instance: "NAT-Instance" }, ctx);
    expect(ec2).toHaveReceivedCommandWith(StopInstancesCommand, { InstanceIds: ["i-1"] });
  });

  it("starts an instance and waits until it is running", async () => {
    // GIVEN a stopped instance that is running at the second look
    ec2.on(DescribeInstancesCommand, { InstanceIds: ["i-1"] }).resolvesOnce({ Reservations: [{ Instances: [{ InstanceId: "i-1", State: { Name: "pending" } }] }] }).resolves({ Reservations: [{ Instances: [{ InstanceId: "i-1", State: { Name: "running" } }] }] });
    // WHEN started / THEN StartInstances with its id, then two looks at its state
    await applyChange(clients, { kind: "start-instance", instance: "NAT-Instance" }, ctx);
    expect(ec2).toHaveReceivedCommandWith(StartInstancesCommand, { InstanceIds: ["i-1"] });
    expect(ec2.commandCalls(DescribeInstancesCommand, { InstanceIds: ["i-1"] })).toHaveLength(2);
  });

  it("says so when an instance does not reach its state in time", async () => {
    await expect(applyChange(clients, { kind: "start-instance", instance: "NAT-Instance" }, ctx)).rejects.toThrow('i-1 did not reach "running" in time; look at it in the EC2 console.');
  });

  it("registers and deregisters targets on a port, in a target group tagged for the lab", async () => {
    elbv2.on(DescribeTargetGroupsCommand).resolves({ TargetGroups: [{ TargetGroupArn: "arn:tg" }] });
    elbv2.on(DescribeTagsCommand).resolves({ TagDescriptions: [{ ResourceArn: "arn:tg", Tags: labTags("DMZVPC-TG-web") }] });
    await applyChange(clients, { kind: "register-target", targetGroup: "DMZVPC-TG-web", instance: "NAT-Instance", port: 8080 }, ctx);
    await applyChange(clients, { kind: "deregister-target", targetGroup: "DMZVPC-TG-web", instance: "NAT-Instance", port: 80 }, ctx);
    expect(elbv2).toHaveReceivedCommandWith(RegisterTargetsCommand, { TargetGroupArn: "arn:tg", Targets: [{ Id: "i-1", Port: 8080 }] });
    expect(elbv2).toHaveReceivedCommandWith(DeregisterTargetsCommand, { TargetGroupArn: "arn:tg", Targets: [{ Id: "i-1", Port: 80 }] });
  });

  it("associates and disassociates the lab's private zone", async () => {
    route53.on(ListHostedZonesByNameCommand).resolves({ HostedZones: [{ Id: "/hostedzone/Z1", Name: "netlab.internal.", CallerReference: "x", Config: { PrivateZone: true } }] });
    route53.on(ListTagsForResourceCommand).resolves({ ResourceTagSet: { Tags: labTags("netlab.internal") } });
    await applyChange(clients, { kind: "disassociate-zone", zone: "netlab.internal", vpc: "VPC02" }, ctx);
    await applyChange(clients, { kind: "associate-zone", zone: "netlab.internal", vpc: "VPC02" }, ctx);
    expect(route53).toHaveReceivedCommandWith(DisassociateVPCFromHostedZoneCommand, { HostedZoneId: "Z1", VPC: { VPCId: "vpc-2", VPCRegion: "ap-northeast-2" } });
    expect(route53).toHaveReceivedCommandWith(AssociateVPCWithHostedZoneCommand, { HostedZoneId: "Z1", VPC: { VPCId: "vpc-2", VPCRegion: "ap-northeast-2" } });
  });

  it("deletes the lab's flow log and recreates it with the lab's delivery role and tags", async () => {
    ec2.on(DescribeFlowLogsCommand).resolves({ FlowLogs: [{ FlowLogId: "fl-1", LogGroupName: "/aws/vpc/flowlogs", DeliverLogsPermissionArn: "arn:aws:iam::123456789012:role/netlab-s01-flowlogs-core", Tags: labTags("VPC02-flowlog") }] });
    ec2.on(DeleteFlowLogsCommand).resolves({ Unsuccessful: [] });
    ec2.on(CreateFlowLogsCommand).resolves({ FlowLogIds: ["fl-2"], Unsuccessful: [] });
    await applyChange(clients, { kind: "delete-flow-log", vpc: "VPC02" }, ctx);
    expect(ec2).toHaveReceivedCommandWith(DeleteFlowLogsCommand, { FlowLogIds: ["fl-1"] });
    ec2.on(DescribeFlowLogsCommand).resolves({ FlowLogs: [] });
    await applyChange(clients, { kind: "create-flow-log", vpc: "VPC02", logGroup: "/aws/vpc/flowlogs", trafficType: "ALL" }, ctx);
    expect(ec2).toHaveReceivedCommandWith(CreateFlowLogsCommand, {
      ResourceIds: ["vpc-2"],
      ResourceType: "VPC",
      TrafficType: "ALL",
      LogDestinationType: "cloud-watch-logs",
      LogDestination: "arn:aws:logs:ap-northeast-2:123456789012:log-group:/aws/vpc/flowlogs",
      DeliverLogsPermissionArn: "arn:aws:iam::123456789012:role/netlab-s01-flowlogs-core",
    });
  });

  it("fails a flow log change that EC2 answered 200 but listed as Unsuccessful", async () => {
    // GIVEN EC2 refusing the create and the delete per resource, inside a successful answer
    ec2.on(DescribeFlowLogsCommand).resolves({ FlowLogs: [{ FlowLogId: "fl-1", LogGroupName: "/aws/vpc/flowlogs", DeliverLogsPermissionArn: "arn:aws:iam::123456789012:role/netlab-s01-flowlogs-core", Tags: labTags("VPC02-flowlog") }] });
    ec2.on(CreateFlowLogsCommand).resolves({ FlowLogIds: [], Unsuccessful: [{ ResourceId: "vpc-2", Error: { Code: "FlowLogAlreadyExists", Message: "This flow log already exists." } }] });
    ec2.on(DeleteFlowLogsCommand).resolves({ Unsuccessful: [{ ResourceId: "fl-1", Error: { Code: "InvalidFlowLogId.NotFound", Message: "Flow log fl-1 does not exist" } }] });
    // WHEN the changes are applied / THEN each throws with EC2's code, so the ledger step is not counted as done
    await expect(applyChange(clients, { kind: "create-flow-log", vpc: "VPC02", logGroup: "/aws/vpc/flowlogs", trafficType: "ALL" }, ctx)).rejects.toThrow("EC2 refused it for vpc-2: FlowLogAlreadyExists (This flow log already exists.)");
    await expect(applyChange(clients, { kind: "delete-flow-log", vpc: "VPC02" }, ctx)).rejects.toThrow("EC2 refused it for fl-1: InvalidFlowLogId.NotFound");
  });

  it("changes OS state by Run Command and fails when the command fails", async () => {
    ssm.on(DescribeInstanceInformationCommand).resolves({ InstanceInformationList: [{ InstanceId: "i-1", PingStatus: "Online" }] });
    ssm.on(SendCommandCommand).resolves({ Command: { CommandId: "c1" } });
    ssm.on(ListCommandInvocationsCommand).resolves({ CommandInvocations: [{ InstanceId: "i-1", Status: "Success", StatusDetails: "Success", CommandPlugins: [{ Output: `${osStateConfirmation("masquerade", false)}\n` }] }] });
    await applyChange(clients, { kind: "set-os-state", instance: "NAT-Instance", key: "masquerade", value: false }, ctx);
    const sent = ssm.commandCalls(SendCommandCommand)[0].args[0].input;
    expect(sent.DocumentName).toBe("AWS-RunShellScript");
    expect(sent.Parameters?.commands?.[0]).toContain("iptables -t nat -D POSTROUTING");
    expect(sent.Parameters?.commands?.[0]).toContain("iptables-save > /etc/sysconfig/iptables");
    ssm.on(ListCommandInvocationsCommand).resolves({ CommandInvocations: [{ InstanceId: "i-1", Status: "Failed", StatusDetails: "Failed", CommandPlugins: [{ Output: "iptables: not found" }] }] });
    await expect(applyChange(clients, { kind: "set-os-state", instance: "NAT-Instance", key: "cpuLoad", value: true }, ctx)).rejects.toThrow("the command failed on NAT-Instance: iptables: not found");
  });
});

describe("an OS change that Run Command reports as Success", () => {
  it.each([
    ["printed nothing (an emulator, or an agent that ran nothing)", "", "it printed nothing"],
    ["printed something else", "sh: iptables-save: command not found\n", "it printed only: sh: iptables-save: command not found"],
    ["confirmed the opposite value", `${osStateConfirmation("masquerade", true)}\n`, "it printed only: netlab-os-state-set: masquerade=true"],
  ])("is not counted as made when the script %s", async (_what, output, printed) => {
    // GIVEN an Online instance whose invocation ends Success with this output
    ssm.on(DescribeInstanceInformationCommand).resolves({ InstanceInformationList: [{ InstanceId: "i-1", PingStatus: "Online" }] });
    ssm.on(SendCommandCommand).resolves({ Command: { CommandId: "c1" } });
    ssm.on(ListCommandInvocationsCommand).resolves({ CommandInvocations: [{ InstanceId: "i-1", Status: "Success", StatusDetails: "Success", CommandPlugins: [{ Output: output }] }] });
    // WHEN the NAT rule is flushed THEN the change throws (the inject stops; its inverse is already in the ledger), saying what was printed
    await expect(applyChange(clients, { kind: "set-os-state", instance: "NAT-Instance", key: "masquerade", value: false }, ctx)).rejects.toThrow(
      `Cannot confirm that stop the MASQUERADE rule on NAT-Instance was made: Run Command reported Success on NAT-Instance, but the script never said it was done (${printed}).`,
    );
  });
});

describe("scope: only the lab's tagged resources", () => {
  it("refuses a resource whose Name matches but that lacks the lab's tag", async () => {
    // GIVEN a route table with the right Name in the account, tagged for another lab
    ec2.on(DescribeRouteTablesCommand).resolves({ RouteTables: [{ RouteTableId: "rtb-foreign", Tags: labTags("VPC02-Private-Subnet-A-RT", "s02") }] });
    // WHEN a change names it / THEN it is refused and nothing is deleted
    await expect(applyChange(clients, { kind: "delete-route", routeTable: "VPC02-Private-Subnet-A-RT", destination: "0.0.0.0/0" }, ctx)).rejects.toThrow(ScopeError);
    await expect(applyChange(clients, { kind: "delete-route", routeTable: "VPC02-Private-Subnet-A-RT", destination: "0.0.0.0/0" }, ctx)).rejects.toThrow(
      'Refused: the route table named "VPC02-Private-Subnet-A-RT" (rtb-foreign) does not carry the tag netlab:lab=s01',
    );
    expect(ec2).not.toHaveReceivedCommand(DeleteRouteCommand);
  });

  it("refuses an untagged target group and an ambiguous name", async () => {
    elbv2.on(DescribeTargetGroupsCommand).resolves({ TargetGroups: [{ TargetGroupArn: "arn:tg" }] });
    elbv2.on(DescribeTagsCommand).resolves({ TagDescriptions: [{ ResourceArn: "arn:tg", Tags: [{ Key: "Name", Value: "DMZVPC-TG-web" }] }] });
    await expect(applyChange(clients, { kind: "register-target", targetGroup: "DMZVPC-TG-web", instance: "NAT-Instance", port: 80 }, ctx)).rejects.toThrow(ScopeError);
    expect(elbv2).not.toHaveReceivedCommand(RegisterTargetsCommand);
    ec2.on(DescribeRouteTablesCommand).resolves({ RouteTables: [{ RouteTableId: "rtb-a", Tags: labTags("X") }, { RouteTableId: "rtb-b", Tags: labTags("X") }] });
    await expect(applyChange(clients, { kind: "delete-route", routeTable: "X", destination: "0.0.0.0/0" }, ctx)).rejects.toThrow('Several route tables named "X" carry netlab:lab=s01 (rtb-a, rtb-b)');
  });
});

describe("the ledger in Parameter Store", () => {
  const entry: LedgerEntry = { scenario: "cpu-alarm", lab: "s01", injectedAt: "2026-11-24T00:00:00Z", by: "t@h", changes: [{ kind: "stop-instance", instance: "X" }], inverses: [{ kind: "start-instance", instance: "X" }] };
  const ledger = () => new ParameterStoreLedger(clients, "s01");

  it("creates the entry with Overwrite false; the second instructor gets a conflict", async () => {
    ssm.on(PutParameterCommand).resolvesOnce({}).rejectsOnce(Object.assign(new Error("exists"), { name: "ParameterAlreadyExists" }));
    await ledger().create(entry);
    expect(ssm).toHaveReceivedCommandWith(PutParameterCommand, { Name: "/netlab/s01/ledger/cpu-alarm", Overwrite: false, Type: "String", Tier: "Standard" });
    await expect(ledger().create(entry)).rejects.toThrow(LedgerConflictError);
  });

  it("uses the advanced tier past 4 KB and refuses past 8 KB", async () => {
    ssm.on(PutParameterCommand).resolves({});
    const big = { ...entry, by: "x".repeat(5000) };
    await ledger().create(big);
    expect(ssm).toHaveReceivedCommandWith(PutParameterCommand, { Tier: "Advanced" });
    await expect(ledger().create({ ...entry, by: "x".repeat(9000) })).rejects.toThrow("over Parameter Store's 8192-byte limit");
  });

  it("lists every page, reads a missing entry as none, and names a corrupt one", async () => {
    ssm.on(GetParametersByPathCommand).resolvesOnce({ Parameters: [{ Name: "/netlab/s01/ledger/a", Value: JSON.stringify({ ...entry, scenario: "a" }) }], NextToken: "t" }).resolvesOnce({ Parameters: [{ Name: "/netlab/s01/ledger/b", Value: JSON.stringify({ ...entry, scenario: "b" }) }] });
    expect((await ledger().list()).map((e) => e.scenario)).toEqual(["a", "b"]);
    ssm.on(GetParameterCommand).rejects(Object.assign(new Error("nf"), { name: "ParameterNotFound" }));
    expect(await ledger().get("cpu-alarm")).toBeUndefined();
    ssm.on(GetParameterCommand).resolves({ Parameter: { Value: '{"scenario":"cpu-alarm"}' } });
    await expect(ledger().get("cpu-alarm")).rejects.toThrow(CorruptLedgerError);
    await expect(ledger().get("cpu-alarm")).rejects.toThrow("The ledger entry /netlab/s01/ledger/cpu-alarm cannot be read (not a netlab ledger entry)");
    ssm.on(DeleteParameterCommand).rejects(Object.assign(new Error("nf"), { name: "ParameterNotFound" }));
    await expect(ledger().remove("cpu-alarm")).resolves.toBeUndefined();
  });
});

describe("AWS errors in one sentence", () => {
  it.each([
    [Object.assign(new Error("Could not load credentials from any providers"), { name: "CredentialsProviderError" }), 2, "No AWS credentials for lab s01"],
    [Object.assign(new Error("expired"), { name: "ExpiredToken" }), 2, "have expired or are not valid"],
    [Object.assign(new Error("not authorized to perform ec2:DeleteRoute"), { name: "UnauthorizedOperation" }), 2, "Access denied in lab s01's account"],
    [Object.assign(new Error("Rate exceeded"), { name: "ThrottlingException" }), 3, "AWS kept throttling lab s01 after every retry"],
    [new AwsConfigError("Lab s01 is not deployed"), 2, "Lab s01 is not deployed"],
    [Object.assign(new Error("boom"), { name: "InternalError" }), 3, "AWS error in lab s01: InternalError: boom"],
  ])("%s", (err, code, message) => {
    const r = classifyAwsError(err, "s01");
    expect(r.exitCode).toBe(code);
    expect(r.message).toContain(message);
  });
});

describe("the OS change scripts, run by a shell", () => {
  it("confirm even when there is nothing to do: stopping a CPU load that does not run prints the confirmation", () => {
    // GIVEN the script that stops the CPU load, on a machine where none runs (no pid file)
    const script = osStateScript("cpuLoad", false);
    // WHEN a shell runs it
    const r = spawnSync("bash", ["-c", script], { encoding: "utf8" });
    // THEN it succeeds and its last line is the confirmation the adapter looks for
    expect(r.status).toBe(0);
    expect(r.stdout.trim().split("\n").pop()).toBe(osStateConfirmation("cpuLoad", false));
  });

  it("do not confirm a change that failed", () => {
    // GIVEN the MASQUERADE script on a machine where iptables cannot run (PATH without it)
    const r = spawnSync("/bin/bash", ["-c", osStateScript("masquerade", true)], { encoding: "utf8", env: { PATH: "/nonexistent" } });
    // THEN it fails, and prints no confirmation
    expect(r.status).not.toBe(0);
    expect(r.stdout).not.toContain(osStateConfirmation("masquerade", true));
  });
});
