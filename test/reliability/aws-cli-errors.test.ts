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
import { DescribeInstanceInformationCommand, GetParameterCommand, GetParametersByPathCommand, ListCommandInvocationsCommand, SendCommandCommand } from "@aws-sdk/client-ssm";
import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { bufferIo } from "../../cli/io";
import { run } from "../../cli/run";
import { snapshotToDescribe } from "../../network/to-aws-describe";
import { labSnapshot } from "../helpers/lab";
import { mockEveryClient } from "../helpers/mocked-clients";

// The `lab` CLI, run(argv) as a user runs it, on AWS (no --offline): every SDK client is mocked at its
// class, so the clients the CLI builds from the config answer from here. Nothing reaches AWS.
const { ec2, ssm, elbv2, route53, cw, sts, all: ALL } = mockEveryClient();
afterAll(() => ALL.forEach((m) => m.restore()));

/** Every command any client was sent, by name. */
const sent = () => ALL.flatMap((m) => m.calls().map((c) => (c.args[0] as { constructor: { name: string } }).constructor.name));
/** Commands that change an account (SendCommand is looked at separately: it also runs the read-only probes). */
const MUTATING = /^(Create|Delete|Put|Start|Stop|Modify|Authorize|Revoke|Register|Deregister|Associate|Disassociate|Reboot|Terminate|Replace|Update|Cancel)\w*Command$/;

/** An account that holds lab s01 as synthesized, answering every describe the backend makes. */
async function accountWithTheLab(): Promise<void> {
  ALL.forEach((m) => m.reset());
  const lab = await labSnapshot();
  const d = snapshotToDescribe(lab);
  sts.on(GetCallerIdentityCommand).resolves({ Account: "123456789012", Arn: "arn:aws:iam::123456789012:user/teacher" });
  ec2.on(DescribeVpcsCommand).resolves(d.Vpcs ?? {});
  ec2.on(DescribeSubnetsCommand).resolves(d.Subnets ?? {});
  ec2.on(DescribeRouteTablesCommand).resolves(d.RouteTables ?? {});
  ec2.on(DescribeNetworkAclsCommand).resolves(d.NetworkAcls ?? {});
  ec2.on(DescribeSecurityGroupsCommand).resolves(d.SecurityGroups ?? {});
  ec2.on(DescribeInstancesCommand).resolves(d.Reservations ?? {});
  ec2.on(DescribeNetworkInterfacesCommand).resolves({ NetworkInterfaces: [] });
  ec2.on(DescribeAddressesCommand).resolves(d.Addresses ?? {});
  ec2.on(DescribeInternetGatewaysCommand).resolves(d.InternetGateways ?? {});
  ec2.on(DescribeNatGatewaysCommand).resolves(d.NatGateways ?? {});
  ec2.on(DescribeVpcEndpointsCommand).resolves(d.VpcEndpoints ?? {});
  ec2.on(DescribeFlowLogsCommand).resolves(d.FlowLogs ?? {});
  ec2.on(DescribeTransitGatewaysCommand).resolves(d.TransitGateways ?? {});
  ec2.on(DescribeTransitGatewayVpcAttachmentsCommand).resolves(d.TransitGatewayVpcAttachments ?? {});
  ec2.on(DescribeTransitGatewayAttachmentsCommand).resolves(d.TransitGatewayAttachments ?? {});
  ec2.on(DescribeTransitGatewayRouteTablesCommand).resolves(d.TransitGatewayRouteTables ?? {});
  ec2.on(GetTransitGatewayRouteTablePropagationsCommand).callsFake(async (i: { TransitGatewayRouteTableId: string }) => d.TransitGatewayPropagations?.TransitGatewayPropagations?.find((p) => p.TransitGatewayRouteTableId === i.TransitGatewayRouteTableId) ?? {});
  ec2.on(SearchTransitGatewayRoutesCommand).callsFake(async (i: { TransitGatewayRouteTableId: string }) => ({ Routes: d.TransitGatewayStaticRoutes?.TransitGatewayStaticRoutes?.find((p) => p.TransitGatewayRouteTableId === i.TransitGatewayRouteTableId)?.Routes ?? [] }));
  elbv2.on(DescribeLoadBalancersCommand).resolves(d.LoadBalancers ?? {});
  elbv2.on(DescribeTargetGroupsCommand).resolves(d.TargetGroups ?? {});
  elbv2.on(DescribeListenersCommand).resolves({ Listeners: d.LoadBalancerListeners?.LoadBalancerListeners?.[0]?.Listeners ?? [] });
  elbv2.on(DescribeTargetHealthCommand).callsFake(async (i: { TargetGroupArn: string }) => ({ TargetHealthDescriptions: d.LoadBalancerTargetHealth?.LoadBalancerTargetHealth?.find((h) => h.TargetGroupArn === i.TargetGroupArn)?.TargetHealthDescriptions ?? [] }));
  const zones = d.HostedZones?.HostedZones ?? [];
  route53.on(ListHostedZonesCommand).resolves({ HostedZones: zones.map((z) => z.HostedZone), IsTruncated: false });
  route53.on(ListTagsForResourceCommand).resolves({ ResourceTagSet: { Tags: zones[0]?.Tags ?? [] } });
  route53.on(GetHostedZoneCommand).resolves({ HostedZone: zones[0]?.HostedZone, VPCs: zones[0]?.VPCs });
  route53.on(ListResourceRecordSetsCommand).resolves({ ResourceRecordSets: zones[0]?.ResourceRecordSets ?? [], IsTruncated: false });
  cw.on(DescribeAlarmsCommand).resolves(d.MetricAlarms ?? {});
  cw.on(DescribeAlarmHistoryCommand).resolves(d.AlarmHistory ?? {});
  ssm.on(GetParameterCommand).rejects(Object.assign(new Error("none"), { name: "ParameterNotFound" }));
  ssm.on(GetParametersByPathCommand).resolves({ Parameters: [] });
  ssm.on(DescribeInstanceInformationCommand).resolves({ InstanceInformationList: lab.instances.map((i) => ({ InstanceId: i.id, PingStatus: "Online" })) });
  ssm.on(SendCommandCommand).resolves({ Command: { CommandId: "c-1" } });
}

/** Runs `lab …` in a project whose config reaches lab s01 by a profile. */
async function lab(args: string[], sleep?: (ms: number) => Promise<void>) {
  const cwd = mkdtempSync(join(tmpdir(), "netlab-aws-cli-"));
  writeFileSync(join(cwd, "netlab.config.json"), JSON.stringify({ participants: [{ id: "s01", profile: "netlab-class-s01" }] }));
  const io = bufferIo({ cwd, ...(sleep ? { sleep } : {}) });
  const code = await run(args, io);
  return { code, out: io.stdout, err: io.stderr };
}

const awsError = (name: string, message: string) => Object.assign(new Error(message), { name, $fault: "client", $metadata: { httpStatusCode: 400 } });

/** Nothing in the account was changed: no mutating call, and every SendCommand ran a probe script. */
function expectNothingChanged(): void {
  expect(sent().filter((n) => MUTATING.test(n))).toEqual([]);
  for (const c of ssm.commandCalls(SendCommandCommand)) expect(c.args[0].input.Parameters?.commands?.[0]).toMatch(/^emit\(\) \{ printf 'NETLAB-RESULT /);
}

describe("the lab CLI against AWS errors: one sentence, the exit code, nothing changed", () => {
  it("B35 access denied while injecting: exit 2, says which permission is missing, nothing changed", async () => {
    // GIVEN an account where the identity may not describe EC2
    await accountWithTheLab();
    ec2.on(DescribeVpcsCommand).rejects(awsError("UnauthorizedOperation", "You are not authorized to perform this operation. User: arn:aws:iam::123456789012:user/teacher is not authorized to perform: ec2:DescribeVpcs"));
    // WHEN an inject is tried
    const r = await lab(["inject", "tgw-default-route", "--lab", "s01"]);
    // THEN exit 2 and one sentence naming the account's problem; no ledger entry, no route deleted
    expect(r.code).toBe(2);
    expect(r.err).toContain("lab s01: error: Access denied in lab s01's account: the identity used needs the netlab instructor permissions");
    expect(r.err).toContain("ec2:DescribeVpcs");
    expectNothingChanged();
  });

  it("B36 expired credentials while resetting: exit 2, says to refresh them, nothing changed", async () => {
    // GIVEN credentials that STS no longer accepts
    await accountWithTheLab();
    sts.on(GetCallerIdentityCommand).rejects(awsError("ExpiredToken", "The security token included in the request is expired"));
    // WHEN a reset is tried
    const r = await lab(["reset", "tgw-default-route", "--lab", "s01"]);
    // THEN exit 2, the way out, and no call beyond the identity check
    expect(r.code).toBe(2);
    expect(r.err).toContain("lab s01: error: The AWS credentials for lab s01 have expired or are not valid: refresh them (aws sso login, or new keys) and run the command again. (ExpiredToken)");
    expect(sent()).toEqual(["GetCallerIdentityCommand"]);
  });

  it("B37 a throttling storm during check: the lab is inconclusive (exit 3), not failed, nothing changed", async () => {
    // GIVEN an account that throttles the route table describe after every SDK retry
    await accountWithTheLab();
    ec2.on(DescribeRouteTablesCommand).rejects(awsError("RequestLimitExceeded", "Request limit exceeded."));
    // WHEN the lab is checked
    const r = await lab(["check", "tgw-default-route", "--lab", "s01"]);
    // THEN exit 3: the lab was not graded, and the sentence says what to do
    expect(r.code).toBe(3);
    expect(r.err).toContain("lab s01: inconclusive, not graded: AWS kept throttling lab s01 after every retry; run the command again for this lab (--lab s01), or lower \"concurrency\" in netlab.config.json.");
    expect(r.out).not.toContain("FAIL");
    expectNothingChanged();
  });

  it("B38 SSM instances not Online: the probes are inconclusive (exit 3), no command is sent", async () => {
    // GIVEN a deployed lab whose instances lost their SSM connection
    await accountWithTheLab();
    const instances = (await labSnapshot()).instances;
    ssm.on(DescribeInstanceInformationCommand).resolves({ InstanceInformationList: instances.map((i) => ({ InstanceId: i.id, PingStatus: "ConnectionLost" })) });
    // WHEN checked (waits are instant here, and counted)
    const waited: number[] = [];
    const r = await lab(["check", "tgw-default-route", "--lab", "s01"], async (ms) => void waited.push(ms));
    // THEN it waited the default 300 s for them, said so, and then both checks are inconclusive with the ping status and the wait
    expect(waited.reduce((a, b) => a + b, 0)).toBe(300_000);
    expect(r.err).toContain("lab s01: waiting up to 300 s for");
    expect(r.code).toBe(3);
    expect(r.out).toContain("INCONCLUSIVE vpc02-a-reaches-internet-via-dmz-nat");
    expect(r.out).toContain("the probe could not run on VPC02-Private-A-10.2.20.101: the instance is not Online in Systems Manager (ping status: ConnectionLost), still after netlab waited 300 s for it (--wait-online)");
    // AND nothing was sent to the instances
    expect(ssm).not.toHaveReceivedCommand(SendCommandCommand);
    expectNothingChanged();
  });

  describe("right after a deploy: check waits, within --wait-online, for the SSM agents to register", () => {
    /** The lab's instances, Online from the given poll of DescribeInstanceInformation on (not registered before). */
    async function agentsOnlineFrom(poll: number): Promise<void> {
      await accountWithTheLab();
      const instances = (await labSnapshot()).instances;
      let polls = 0;
      ssm.on(DescribeInstanceInformationCommand).callsFake(async () => ({ InstanceInformationList: ++polls >= poll ? instances.map((i) => ({ InstanceId: i.id, PingStatus: "Online" })) : [] }));
      // Every probe answers as the lab, as deployed, would: HTTP 200 from the egress IP of its VPC's way out (the
      // NAT instance's EIP in its VPC, a DMZ NAT gateway's elsewhere). Each command gets its own id and answers
      // for its own instances (the checks' and the steady state's probes are separate commands).
      const lab = await labSnapshot();
      const natInstance = lab.instances.find((i) => i.name === "NAT-Instance")!;
      const natInstanceIp = lab.elasticIps.find((e) => e.instanceId === natInstance.id || e.eniId === natInstance.eniId)?.publicIp ?? natInstance.publicIp;
      const egressOf = (id: string) => (lab.instances.find((i) => i.id === id)?.vpcId === natInstance.vpcId ? natInstanceIp : lab.natGateways[0].publicIp);
      let sent = 0;
      ssm.on(SendCommandCommand).callsFake(async () => ({ Command: { CommandId: `c-${++sent}` } }));
      ssm.on(ListCommandInvocationsCommand).callsFake(async (i: { CommandId?: string }) => {
        const call = ssm.commandCalls(SendCommandCommand)[Number(i.CommandId?.slice(2)) - 1];
        return {
          CommandInvocations: (call?.args[0].input.InstanceIds ?? []).map((InstanceId) => ({ InstanceId, Status: "Success", StatusDetails: "Success", CommandPlugins: [{ Output: `NETLAB-RESULT {"httpStatus":200,"egressIp":"${egressOf(InstanceId)}"}\n` }] })),
        };
      });
    }

    it("B40 agents that register at the 4th poll: the lab is graded (exit 0) after 30 s of waiting, not inconclusive", async () => {
      // GIVEN a lab just deployed, whose agents register 30 s later
      await agentsOnlineFrom(4);
      const waited: number[] = [];
      // WHEN checked with the default bound
      const r = await lab(["check", "tgw-default-route", "--lab", "s01"], async (ms) => void waited.push(ms));
      // THEN it waited 3 × 10 s, said so on stderr, and graded the lab
      expect(r.err).toMatch(/^lab s01: waiting up to 300 s for \d+ instance\(s\) to come Online in Systems Manager/m);
      expect(waited.filter((ms) => ms === 10_000)).toHaveLength(3);
      expect(r.out).not.toContain("INCONCLUSIVE");
      expect(r.out).toContain("PASS vpc02-a-reaches-internet-via-dmz-nat");
      expect(r.code).toBe(0);
      expectNothingChanged();
    });

    it("B41 agents that never register: inconclusive (exit 3) once the bound given by --wait-online has passed, never a fail", async () => {
      // GIVEN agents that do not register within the run
      await agentsOnlineFrom(Number.POSITIVE_INFINITY);
      const waited: number[] = [];
      // WHEN checked with a 45 s bound
      const r = await lab(["check", "tgw-default-route", "--lab", "s01", "--wait-online", "45"], async (ms) => void waited.push(ms));
      // THEN it waited exactly 45 s, then answered inconclusive, naming the wait
      expect(waited.filter((ms) => ms <= 10_000).reduce((a, b) => a + b, 0)).toBe(45_000);
      expect(r.code).toBe(3);
      expect(r.out).toContain("the instance is not Online in Systems Manager (ping status: not registered), still after netlab waited 45 s for it (--wait-online)");
      expect(r.out).not.toContain("FAIL");
      expect(ssm).not.toHaveReceivedCommand(SendCommandCommand);
    });

    it("B42 --wait-online 0 asks once and answers at once", async () => {
      // GIVEN agents that have not registered  WHEN checked with --wait-online 0
      await agentsOnlineFrom(Number.POSITIVE_INFINITY);
      const waited: number[] = [];
      const r = await lab(["check", "tgw-default-route", "--lab", "s01", "--wait-online", "0"], async (ms) => void waited.push(ms));
      // THEN no wait at all, and inconclusive at once
      expect(waited).toEqual([]);
      expect(r.code).toBe(3);
      expect(r.out).toContain("the instance is not Online in Systems Manager (ping status: not registered)\n");
      expect(r.err).not.toContain("waiting up to");
    });

    it("B43 stopped instances are not waited for: they never come Online", async () => {
      // GIVEN a lab whose instances are all stopped and not Online
      await accountWithTheLab();
      const d = snapshotToDescribe(await labSnapshot());
      const stopped = structuredClone(d.Reservations ?? {});
      for (const res of stopped.Reservations ?? []) for (const i of res.Instances ?? []) i.State = { Name: "stopped", Code: 80 };
      ec2.on(DescribeInstancesCommand).resolves(stopped);
      ssm.on(DescribeInstanceInformationCommand).resolves({ InstanceInformationList: [] });
      const waited: number[] = [];
      // WHEN checked with the default bound
      const r = await lab(["check", "tgw-default-route", "--lab", "s01"], async (ms) => void waited.push(ms));
      // THEN no wait: the probes are inconclusive at once, and the grade fails (exit 1), because instances that
      // were running at baseline are stopped: collateral damage the control plane shows (see B23)
      expect(waited.filter((ms) => ms === 10_000)).toEqual([]);
      expect(r.err).not.toContain("waiting up to");
      expect(r.out).toContain("INCONCLUSIVE vpc02-a-reaches-internet-via-dmz-nat");
      expect(r.out).toContain("(INSTANCE_NOT_RUNNING)");
      expect(r.code).toBe(1);
    });

    it.each(["-5", "abc", "1.5", "3601"])("B44 --wait-online %s is bad input: exit 2, the value named, nothing called", async (value) => {
      await accountWithTheLab();
      const r = await lab(["check", "tgw-default-route", "--lab", "s01", "--wait-online", value]);
      expect(r.code).toBe(2);
      expect(r.err).toContain(`--wait-online must be a whole number of seconds from 0 to 3600; got "${value}".`);
      expect(sent()).toEqual([]);
    });
  });

  it("B39 truncated probe output: inconclusive (exit 3), the instructor sees the raw text, nothing changed", async () => {
    // GIVEN probes whose output comes back cut short
    await accountWithTheLab();
    ssm.on(ListCommandInvocationsCommand).callsFake(async () => ({
      CommandInvocations: (ssm.commandCalls(SendCommandCommand)[0]?.args[0].input.InstanceIds ?? []).map((InstanceId) => ({ InstanceId, Status: "Success", StatusDetails: "Success", CommandPlugins: [{ Output: 'NETLAB-RESULT {"httpStatus":200,"egressIp":"13.12' }] })),
    }));
    // WHEN checked
    const r = await lab(["check", "tgw-default-route", "--lab", "s01"]);
    // THEN inconclusive, never a fail, and the evidence quotes what the probe printed
    expect(r.code).toBe(3);
    expect(r.out).toContain("INCONCLUSIVE vpc02-b-reaches-internet-via-dmz-nat");
    expect(r.out).toContain('the probe\'s output could not be read: the result line is not valid JSON (truncated output?); it printed: NETLAB-RESULT {"httpStatus":200,"egressIp":"13.12');
    expect(r.out).not.toContain("FAIL");
    expectNothingChanged();
  });
});
