import {
  AuthorizeSecurityGroupEgressCommand,
  AuthorizeSecurityGroupIngressCommand,
  CreateFlowLogsCommand,
  CreateRouteCommand,
  DeleteFlowLogsCommand,
  DeleteRouteCommand,
  DescribeInstancesCommand,
  ModifyInstanceAttributeCommand,
  ReplaceRouteCommand,
  RevokeSecurityGroupEgressCommand,
  RevokeSecurityGroupIngressCommand,
  StartInstancesCommand,
  StopInstancesCommand,
  type IpPermission,
  type UnsuccessfulItem,
} from "@aws-sdk/client-ec2";
import { DeregisterTargetsCommand, RegisterTargetsCommand } from "@aws-sdk/client-elastic-load-balancing-v2";
import { AssociateVPCWithHostedZoneCommand, DisassociateVPCFromHostedZoneCommand, type VPCRegion } from "@aws-sdk/client-route-53";
import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { LAB_TOPOLOGY } from "../../topology/lab";
import { describeChange, type Change, type SgRuleRef } from "../change";
import { ChangeNotMadeError } from "../port";
import type { AwsClients } from "./clients";
import { ScopeError } from "./errors";
import {
  flowLogsOf,
  LAB_TAG,
  resolveInstance,
  resolveInternetGateway,
  resolveNatGateway,
  resolvePrivateZone,
  resolveRouteTable,
  resolveSecurityGroup,
  resolveTargetGroup,
  resolveTransitGateway,
  resolveVpc,
} from "./resolve";
import { runScript, type RunOptions } from "./run-command";

export interface ApplyContext {
  lab: string;
  region: string;
  run?: RunOptions;
  /** Polls while an instance reaches its state. @default 60 */
  maxStatePolls?: number;
}

/**
 * The rule as EC2 wants it. A revoke must name the rule exactly as it was authorized (protocol, ports,
 * and the one CIDR or group), or nothing is revoked.
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_RevokeSecurityGroupIngress.html
 */
async function permission(c: AwsClients, lab: string, rule: SgRuleRef): Promise<IpPermission> {
  const all = rule.protocol === "-1";
  return {
    IpProtocol: rule.protocol,
    ...(all ? {} : { FromPort: rule.fromPort, ToPort: rule.toPort }),
    ...(rule.cidr !== undefined ? { IpRanges: [{ CidrIp: rule.cidr, ...(rule.description ? { Description: rule.description } : {}) }] } : {}),
    ...(rule.peerSecurityGroup !== undefined
      ? { UserIdGroupPairs: [{ GroupId: await resolveSecurityGroup(c, lab, rule.peerSecurityGroup), ...(rule.description ? { Description: rule.description } : {}) }] }
      : {}),
  };
}

/**
 * Start and stop return at once, with the instance `pending` / `stopping`; the change is done when it is
 * `running` / `stopped`. https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/ec2-instance-lifecycle.html
 */
async function waitForState(c: AwsClients, instanceId: string, want: "running" | "stopped", ctx: ApplyContext): Promise<void> {
  const sleep = ctx.run?.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  for (let i = 0; i < (ctx.maxStatePolls ?? 60); i++) {
    const out = await c.ec2.send(new DescribeInstancesCommand({ InstanceIds: [instanceId] }));
    if (out.Reservations?.[0]?.Instances?.[0]?.State?.Name === want) return;
    await sleep(ctx.run?.pollIntervalMs ?? 5000);
  }
  throw new Error(`${instanceId} did not reach "${want}" in time; look at it in the EC2 console.`);
}

/**
 * The line a set-os-state script prints as its last act. Run Command's "Success" says only that the
 * document ran; an invocation that ran nothing (an emulator, an agent that lost the script) also ends
 * "Success" with empty output. The change counts as made only when its own script says so.
 */
export function osStateConfirmation(key: "masquerade" | "cpuLoad", value: boolean): string {
  return `netlab-os-state-set: ${key}=${value}`;
}

/**
 * How long the cpu-alarm scenario's CPU load runs at most (then it stops by itself): long enough for the
 * alarm (one 300 s period on basic monitoring) to see a whole loaded period, whenever the load starts in
 * it, with minutes to spare for the delay before EC2's 5-minute data points reach CloudWatch.
 * https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/manage-detailed-monitoring.html
 */
export const CPU_LOAD_SECONDS = 1800;

/** The shell that a set-os-state change runs inside the instance, by Run Command. */
export function osStateScript(key: "masquerade" | "cpuLoad", value: boolean): string {
  // The change runs in a subshell, so that its own early `exit 0` (nothing to do) still reaches the confirmation,
  // and a failure (set -e) stops the script before it.
  return `set -e\n(\n${osStateChange(key, value)}\n)\necho "${osStateConfirmation(key, value)}"`;
}

function osStateChange(key: "masquerade" | "cpuLoad", value: boolean): string {
  if (key === "masquerade") {
    const change = value
      ? `iptables -t nat -C POSTROUTING -o "$IF" -j MASQUERADE 2>/dev/null || iptables -t nat -A POSTROUTING -o "$IF" -j MASQUERADE`
      : `while iptables -t nat -D POSTROUTING -o "$IF" -j MASQUERADE 2>/dev/null; do :; done`;
    // Saved either way: the fault survives a reboot, so only a saved repair is a repair.
    return `set -e\nIF=$(ip route show default | awk '/default/ {print $5; exit}')\n${change}\niptables-save > /etc/sysconfig/iptables`;
  }
  return value
    ? `set -e\n[ -f /run/netlab-cpu-load.pid ] && kill -0 "$(cat /run/netlab-cpu-load.pid)" 2>/dev/null && exit 0\nnohup timeout ${CPU_LOAD_SECONDS} sh -c 'for i in $(seq $(nproc)); do (while :; do :; done) & done; wait' >/dev/null 2>&1 &\necho $! > /run/netlab-cpu-load.pid`
    : `if [ -f /run/netlab-cpu-load.pid ]; then pkill -P "$(cat /run/netlab-cpu-load.pid)" 2>/dev/null; kill "$(cat /run/netlab-cpu-load.pid)" 2>/dev/null; rm -f /run/netlab-cpu-load.pid; fi; true`;
}

/** The IAM role that delivers the lab's flow logs: copied from another flow log of the lab, else by its name. */
async function flowLogRole(c: AwsClients, lab: string, vpcName: string, vpcId: string, account: string): Promise<string> {
  const plan = LAB_TOPOLOGY.vpcs.find((v) => v.name === vpcName);
  const existing = (await flowLogsOf(c, lab, vpcId)).find((f) => f.tagged && f.roleArn);
  return existing?.roleArn ?? `arn:aws:iam::${account}:role/netlab-${lab}-flowlogs-${plan?.stack ?? "core"}`;
}

/** Applies one change with the SDK, after resolving every name among the lab's tagged resources. */
export async function applyChange(c: AwsClients, change: Change, ctx: ApplyContext): Promise<void> {
  const { lab } = ctx;
  switch (change.kind) {
    case "delete-route":
      await c.ec2.send(new DeleteRouteCommand({ RouteTableId: await resolveRouteTable(c, lab, change.routeTable), DestinationCidrBlock: change.destination }));
      return;
    case "create-route":
    case "replace-route": {
      // One target parameter per route: TransitGatewayId, GatewayId (internet gateway), NatGatewayId, or
      // NetworkInterfaceId (an instance's ENI). https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateRoute.html
      // https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ReplaceRoute.html
      const RouteTableId = await resolveRouteTable(c, lab, change.routeTable);
      const t = change.target;
      const target =
        t.kind === "tgw"
          ? { TransitGatewayId: await resolveTransitGateway(c, lab, t.name) }
          : t.kind === "igw"
            ? { GatewayId: await resolveInternetGateway(c, lab, t.name) }
            : t.kind === "nat-gateway"
              ? { NatGatewayId: await resolveNatGateway(c, lab, t.name) }
              : { NetworkInterfaceId: (await resolveInstance(c, lab, t.instance)).eniId };
      const input = { RouteTableId, DestinationCidrBlock: change.destination, ...target };
      await c.ec2.send(change.kind === "create-route" ? new CreateRouteCommand(input) : new ReplaceRouteCommand(input));
      return;
    }
    case "stop-instance":
    case "start-instance": {
      const { id } = await resolveInstance(c, lab, change.instance);
      if (change.kind === "stop-instance") await c.ec2.send(new StopInstancesCommand({ InstanceIds: [id] }));
      else await c.ec2.send(new StartInstancesCommand({ InstanceIds: [id] }));
      await waitForState(c, id, change.kind === "stop-instance" ? "stopped" : "running", ctx);
      return;
    }
    case "set-source-dest-check": {
      const { id } = await resolveInstance(c, lab, change.instance);
      await c.ec2.send(new ModifyInstanceAttributeCommand({ InstanceId: id, SourceDestCheck: { Value: change.enabled } }));
      return;
    }
    case "revoke-sg-rule":
    case "authorize-sg-rule": {
      const GroupId = await resolveSecurityGroup(c, lab, change.securityGroup);
      const IpPermissions = [await permission(c, lab, change.rule)];
      const ingress = change.direction === "ingress";
      if (change.kind === "authorize-sg-rule" && ingress) await c.ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId, IpPermissions }));
      else if (change.kind === "authorize-sg-rule") await c.ec2.send(new AuthorizeSecurityGroupEgressCommand({ GroupId, IpPermissions }));
      else if (ingress) await c.ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId, IpPermissions }));
      else await c.ec2.send(new RevokeSecurityGroupEgressCommand({ GroupId, IpPermissions }));
      return;
    }
    case "deregister-target":
    case "register-target": {
      const TargetGroupArn = await resolveTargetGroup(c, lab, change.targetGroup);
      const { id } = await resolveInstance(c, lab, change.instance);
      const Targets = [{ Id: id, Port: change.port }];
      await c.elbv2.send(change.kind === "register-target" ? new RegisterTargetsCommand({ TargetGroupArn, Targets }) : new DeregisterTargetsCommand({ TargetGroupArn, Targets }));
      return;
    }
    case "disassociate-zone":
    case "associate-zone": {
      const HostedZoneId = await resolvePrivateZone(c, lab, change.zone);
      const VPC = { VPCId: await resolveVpc(c, lab, change.vpc), VPCRegion: ctx.region as VPCRegion };
      await c.route53.send(change.kind === "associate-zone" ? new AssociateVPCWithHostedZoneCommand({ HostedZoneId, VPC }) : new DisassociateVPCFromHostedZoneCommand({ HostedZoneId, VPC }));
      return;
    }
    case "delete-flow-log": {
      const vpcId = await resolveVpc(c, lab, change.vpc);
      const logs = await flowLogsOf(c, lab, vpcId);
      const foreign = logs.filter((l) => !l.tagged);
      if (foreign.length && !logs.some((l) => l.tagged)) throw new ScopeError(`Refused: the flow logs of ${change.vpc} (${foreign.map((l) => l.id).join(", ")}) do not carry ${LAB_TAG}=${lab}.`);
      const mine = logs.filter((l) => l.tagged).map((l) => l.id);
      if (!mine.length) throw new Error(`Cannot ${describeChange(change)}: ${change.vpc} has no flow log of lab ${lab}.`);
      const deleted = await c.ec2.send(new DeleteFlowLogsCommand({ FlowLogIds: mine }));
      failIfUnsuccessful(change, deleted.Unsuccessful);
      return;
    }
    case "create-flow-log": {
      const vpcId = await resolveVpc(c, lab, change.vpc);
      const account = (await c.sts.send(new GetCallerIdentityCommand({}))).Account;
      if (!account) throw new Error("STS returned no account id.");
      const created = await c.ec2.send(
        new CreateFlowLogsCommand({
          ResourceIds: [vpcId],
          ResourceType: "VPC",
          TrafficType: change.trafficType,
          LogDestinationType: "cloud-watch-logs",
          // The log group by its ARN, as the stacks create the flow log, so that a reset puts back the same flow log.
          // https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateFlowLogs.html (LogDestination)
          LogDestination: `arn:aws:logs:${ctx.region}:${account}:log-group:${change.logGroup}`,
          DeliverLogsPermissionArn: await flowLogRole(c, lab, change.vpc, vpcId, account),
          MaxAggregationInterval: 60,
          TagSpecifications: [{ ResourceType: "vpc-flow-log", Tags: [{ Key: "Name", Value: `${change.vpc}-flowlog` }, { Key: LAB_TAG, Value: lab }, { Key: "netlab:managed", Value: "true" }] }],
        }),
      );
      failIfUnsuccessful(change, created.Unsuccessful);
      if (!created.FlowLogIds?.length) throw new Error(`Cannot ${describeChange(change)}: EC2 created no flow log and gave no reason.`);
      return;
    }
    case "set-os-state": {
      const { id } = await resolveInstance(c, lab, change.instance);
      const outcome = (await runScript(c, [id], osStateScript(change.key, change.value), ctx.run)).get(id);
      if (outcome && !outcome.ran && outcome.notSent) throw new ChangeNotMadeError(`Cannot ${describeChange(change)}: ${outcome.reason}; no command was sent.`);
      if (!outcome || !outcome.ran) throw new Error(`Cannot ${describeChange(change)}: ${outcome && !outcome.ran ? outcome.reason : "no invocation"}.`);
      if (outcome.status !== "Success") throw new Error(`Cannot ${describeChange(change)}: the command failed on ${change.instance}: ${outcome.stderr.trim() || outcome.stdout.trim()}`);
      if (!outcome.stdout.split("\n").some((l) => l.trim() === osStateConfirmation(change.key, change.value))) {
        const printed = outcome.stdout.trim() ? `it printed only: ${outcome.stdout.trim().slice(0, 200)}` : "it printed nothing";
        throw new Error(`Cannot confirm that ${describeChange(change)} was made: Run Command reported Success on ${change.instance}, but the script never said it was done (${printed}).`);
      }
      return;
    }
  }
}

/**
 * CreateFlowLogs and DeleteFlowLogs report a failure per resource in `Unsuccessful` (e.g.
 * FlowLogAlreadyExists) and still answer 200, so a call that did not throw may have done nothing.
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateFlowLogs.html
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DeleteFlowLogs.html
 */
function failIfUnsuccessful(change: Change, unsuccessful: UnsuccessfulItem[] | undefined): void {
  if (!unsuccessful?.length) return;
  const why = unsuccessful.map((u) => `${u.ResourceId ?? "?"}: ${u.Error?.Code ?? "error"} (${u.Error?.Message ?? "no message"})`).join("; ");
  throw new Error(`Cannot ${describeChange(change)}: EC2 refused it for ${why}.`);
}
