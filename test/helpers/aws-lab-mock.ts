import { CloudWatchClient, DescribeAlarmsCommand } from "@aws-sdk/client-cloudwatch";
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
  CreateRouteCommand,
  DeleteRouteCommand,
  EC2Client,
  GetTransitGatewayRouteTablePropagationsCommand,
  SearchTransitGatewayRoutesCommand,
} from "@aws-sdk/client-ec2";
import { DescribeListenersCommand, DescribeLoadBalancersCommand, DescribeTargetGroupsCommand, DescribeTargetHealthCommand, ElasticLoadBalancingV2Client } from "@aws-sdk/client-elastic-load-balancing-v2";
import { GetHostedZoneCommand, ListHostedZonesCommand, ListResourceRecordSetsCommand, ListTagsForResourceCommand, Route53Client } from "@aws-sdk/client-route-53";
import {
  DeleteParameterCommand,
  DescribeInstanceInformationCommand,
  GetCommandInvocationCommand,
  GetParameterCommand,
  GetParametersByPathCommand,
  ListCommandInvocationsCommand,
  PutParameterCommand,
  SendCommandCommand,
  SSMClient,
} from "@aws-sdk/client-ssm";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import { ServiceQuotasClient } from "@aws-sdk/client-service-quotas";
import { mockClient } from "aws-sdk-client-mock";
import type { AwsClients } from "../../cloud/aws/clients";
import type { AwsDescribeOutputs } from "../../network/from-aws-describe";
import type { Snapshot } from "../../network/snapshot";
import { snapshotToDescribe } from "../../network/to-aws-describe";
import { applyToSnapshot } from "../../cloud/model-apply";
import { reach } from "../../network/analyzer";

export interface MockedAccount {
  clients: AwsClients;
  /** Calls made, by command name. */
  calls: Map<string, number>;
  /** Most SendCommands in flight at once. */
  sent: { commandId: string; at: number; instanceIds: string[] }[];
  restore(): void;
}

/**
 * Every client of an account mocked to describe `lab` (a snapshot, e.g. the synthesized lab) and to
 * answer each SSM command `latencyMs` after it was sent, with the result line a healthy lab prints.
 */
export function mockLabAccount(lab: Snapshot, options: { latencyMs: number; now?: () => number }): MockedAccount {
  const now = options.now ?? (() => Date.now());
  // The account's state is `lab`: mutations change it, every describe reads it afresh.
  let d: AwsDescribeOutputs = snapshotToDescribe(lab);
  const refresh = () => (d = snapshotToDescribe(lab));
  const calls = new Map<string, number>();
  const count = (name: string) => calls.set(name, (calls.get(name) ?? 0) + 1);
  const ec2 = mockClient(EC2Client);
  const ssm = mockClient(SSMClient);
  const elbv2 = mockClient(ElasticLoadBalancingV2Client);
  const route53 = mockClient(Route53Client);
  const cw = mockClient(CloudWatchClient);
  const sts = mockClient(STSClient);
  const answer = <T>(name: string, value: () => T) => async (input?: { Filters?: { Name?: string; Values?: string[] }[] }) => {
    count(name);
    const out = value() as Record<string, unknown>;
    const byName = input?.Filters?.find((f) => f.Name === "tag:Name")?.Values?.[0];
    if (!byName || !out) return out;
    // Honour the tag:Name filter the way EC2 does, on every list in the answer.
    const named = (x: { Tags?: { Key?: string; Value?: string }[] }) => (x.Tags ?? []).some((t) => t.Key === "Name" && t.Value === byName);
    return Object.fromEntries(
      Object.entries(out).map(([k, v]) => [k, k === "Reservations" ? (v as { Instances?: unknown[] }[]).map((r) => ({ ...r, Instances: (r.Instances ?? []).filter((i) => named(i as never)) })).filter((r) => r.Instances.length) : Array.isArray(v) ? v.filter((x) => named(x as never)) : v]),
    );
  };
  ec2
    .on(DescribeVpcsCommand).callsFake(answer("DescribeVpcs", () => d.Vpcs))
    .on(DescribeSubnetsCommand).callsFake(answer("DescribeSubnets", () => d.Subnets))
    .on(DescribeRouteTablesCommand).callsFake(answer("DescribeRouteTables", () => d.RouteTables))
    .on(DescribeNetworkAclsCommand).callsFake(answer("DescribeNetworkAcls", () => d.NetworkAcls))
    .on(DescribeSecurityGroupsCommand).callsFake(answer("DescribeSecurityGroups", () => d.SecurityGroups))
    .on(DescribeInstancesCommand).callsFake(answer("DescribeInstances", () => d.Reservations))
    .on(DescribeNetworkInterfacesCommand).callsFake(answer("DescribeNetworkInterfaces", () => ({ NetworkInterfaces: [] })))
    .on(DescribeAddressesCommand).callsFake(answer("DescribeAddresses", () => d.Addresses))
    .on(DescribeInternetGatewaysCommand).callsFake(answer("DescribeInternetGateways", () => d.InternetGateways))
    .on(DescribeNatGatewaysCommand).callsFake(answer("DescribeNatGateways", () => d.NatGateways))
    .on(DescribeVpcEndpointsCommand).callsFake(answer("DescribeVpcEndpoints", () => d.VpcEndpoints))
    .on(DescribeFlowLogsCommand).callsFake(answer("DescribeFlowLogs", () => d.FlowLogs))
    .on(DescribeTransitGatewaysCommand).callsFake(answer("DescribeTransitGateways", () => d.TransitGateways))
    .on(DescribeTransitGatewayVpcAttachmentsCommand).callsFake(answer("DescribeTransitGatewayVpcAttachments", () => d.TransitGatewayVpcAttachments))
    .on(DescribeTransitGatewayAttachmentsCommand).callsFake(answer("DescribeTransitGatewayAttachments", () => d.TransitGatewayAttachments))
    .on(DescribeTransitGatewayRouteTablesCommand).callsFake(answer("DescribeTransitGatewayRouteTables", () => d.TransitGatewayRouteTables))
    .on(GetTransitGatewayRouteTablePropagationsCommand).callsFake(async (input: { TransitGatewayRouteTableId: string }) => {
      count("GetTransitGatewayRouteTablePropagations");
      return d.TransitGatewayPropagations?.TransitGatewayPropagations?.find((p) => p.TransitGatewayRouteTableId === input.TransitGatewayRouteTableId) ?? {};
    })
    .on(DeleteRouteCommand).callsFake(async (input: { RouteTableId: string; DestinationCidrBlock: string }) => {
      count("DeleteRoute");
      const table = lab.routeTables.find((t) => t.id === input.RouteTableId);
      applyToSnapshot(lab, { kind: "delete-route", routeTable: table?.name ?? input.RouteTableId, destination: input.DestinationCidrBlock });
      refresh();
      return {};
    })
    .on(CreateRouteCommand).callsFake(async (input: { RouteTableId: string; DestinationCidrBlock: string; TransitGatewayId?: string }) => {
      count("CreateRoute");
      const table = lab.routeTables.find((t) => t.id === input.RouteTableId);
      const tgw = lab.transitGateways.find((t) => t.id === input.TransitGatewayId);
      applyToSnapshot(lab, { kind: "create-route", routeTable: table?.name ?? input.RouteTableId, destination: input.DestinationCidrBlock, target: { kind: "tgw", name: tgw?.name ?? "" } });
      refresh();
      return {};
    })
    .on(SearchTransitGatewayRoutesCommand).callsFake(async (input: { TransitGatewayRouteTableId: string }) => {
      count("SearchTransitGatewayRoutes");
      return { Routes: d.TransitGatewayStaticRoutes?.TransitGatewayStaticRoutes?.find((p) => p.TransitGatewayRouteTableId === input.TransitGatewayRouteTableId)?.Routes ?? [] };
    });
  elbv2
    .on(DescribeLoadBalancersCommand).callsFake(answer("DescribeLoadBalancers", () => d.LoadBalancers))
    .on(DescribeTargetGroupsCommand).callsFake(answer("DescribeTargetGroups", () => d.TargetGroups))
    .on(DescribeListenersCommand).callsFake(answer("DescribeListeners", () => ({ Listeners: d.LoadBalancerListeners?.LoadBalancerListeners?.[0]?.Listeners ?? [] })))
    .on(DescribeTargetHealthCommand).callsFake(async (input: { TargetGroupArn: string }) => {
      count("DescribeTargetHealth");
      return { TargetHealthDescriptions: d.LoadBalancerTargetHealth?.LoadBalancerTargetHealth?.find((h) => h.TargetGroupArn === input.TargetGroupArn)?.TargetHealthDescriptions ?? [] };
    });
  const zones = d.HostedZones?.HostedZones ?? [];
  route53
    .on(ListHostedZonesCommand).callsFake(answer("ListHostedZones", () => ({ HostedZones: zones.map((z) => z.HostedZone), IsTruncated: false })))
    .on(ListTagsForResourceCommand).callsFake(answer("ListTagsForResource", () => ({ ResourceTagSet: { Tags: zones[0]?.Tags ?? [] } })))
    .on(GetHostedZoneCommand).callsFake(answer("GetHostedZone", () => ({ HostedZone: zones[0]?.HostedZone, VPCs: zones[0]?.VPCs })))
    .on(ListResourceRecordSetsCommand).callsFake(answer("ListResourceRecordSets", () => ({ ResourceRecordSets: zones[0]?.ResourceRecordSets ?? [], IsTruncated: false })));
  cw.on(DescribeAlarmsCommand).callsFake(answer("DescribeAlarms", () => d.MetricAlarms));
  sts.on(GetCallerIdentityCommand).callsFake(answer("GetCallerIdentity", () => ({ Account: "123456789012" })));
  const sent: MockedAccount["sent"] = [];
  const parameters = new Map<string, string>();
  ssm
    .on(DescribeInstanceInformationCommand).callsFake(answer("DescribeInstanceInformation", () => ({ InstanceInformationList: lab.instances.map((i) => ({ InstanceId: i.id, PingStatus: "Online" })) })))
    .on(GetParameterCommand).callsFake(async (input: { Name: string }) => {
      const value = parameters.get(input.Name);
      if (value === undefined) throw Object.assign(new Error("not found"), { name: "ParameterNotFound" });
      return { Parameter: { Name: input.Name, Value: value } };
    })
    .on(PutParameterCommand).callsFake(async (input: { Name: string; Value: string; Overwrite?: boolean }) => {
      count("PutParameter");
      if (parameters.has(input.Name) && !input.Overwrite) throw Object.assign(new Error("exists"), { name: "ParameterAlreadyExists" });
      parameters.set(input.Name, input.Value);
      return {};
    })
    .on(GetParametersByPathCommand).callsFake(async (input: { Path: string }) => ({ Parameters: [...parameters].filter(([k]) => k.startsWith(input.Path)).map(([Name, Value]) => ({ Name, Value })) }))
    .on(DeleteParameterCommand).callsFake(async (input: { Name: string }) => {
      parameters.delete(input.Name);
      return {};
    })
    .on(SendCommandCommand).callsFake(async (input: { InstanceIds: string[]; Parameters: { commands: string[] } }) => {
      count("SendCommand");
      const commandId = `cmd-${sent.length}`;
      sent.push({ commandId, at: now(), instanceIds: input.InstanceIds });
      (sent[sent.length - 1] as { script?: string }).script = input.Parameters.commands[0];
      return { Command: { CommandId: commandId } };
    })
    .on(GetCommandInvocationCommand).callsFake(async (input: { CommandId: string; InstanceId: string }) => {
      count("GetCommandInvocation");
      const r = invocation(input.CommandId, input.InstanceId);
      return r.Status === "Success" ? { Status: "Success", StandardOutputContent: r.output, StandardErrorContent: "" } : { Status: r.Status };
    })
    .on(ListCommandInvocationsCommand).callsFake(async (input: { CommandId: string }) => {
      count("ListCommandInvocations");
      const cmd = sent.find((x) => x.commandId === input.CommandId);
      return {
        CommandInvocations: (cmd?.instanceIds ?? []).map((id) => {
          const r = invocation(input.CommandId, id);
          return { CommandId: input.CommandId, InstanceId: id, Status: r.Status, StatusDetails: r.Status, CommandPlugins: r.Status === "Success" ? [{ Name: "aws:runShellScript", Status: "Success", Output: r.output }] : [] };
        }),
      };
    });
  /** What an instance's invocation shows now: in progress until `latencyMs`, then the analyzer's answer. */
  function invocation(commandId: string, instanceId: string): { Status: "InProgress" | "Success"; output?: string } {
    const cmd = sent.find((x) => x.commandId === commandId) as { at: number; script?: string };
    if (now() - cmd.at < options.latencyMs) return { Status: "InProgress" };
    // What the instance would see, from the analyzer on the account's current state.
    const r = reach(lab, instanceId, { kind: "internet" });
    const line = cmd.script?.includes("checkip") ? (r.reachable ? `{"httpStatus":200,"egressIp":"${r.egressIp}"}` : `{"httpStatus":0,"error":"curl exit 28"}`) : `{"connected":true}`;
    return { Status: "Success", output: `NETLAB-RESULT ${line}\n` };
  }
  const mocks = [ec2, ssm, elbv2, route53, cw, sts];
  return {
    clients: {
      ec2: new EC2Client({ region: lab.region }),
      ssm: new SSMClient({ region: lab.region }),
      elbv2: new ElasticLoadBalancingV2Client({ region: lab.region }),
      route53: new Route53Client({ region: lab.region }),
      cloudwatch: new CloudWatchClient({ region: lab.region }),
      logs: new CloudWatchLogsClient({ region: lab.region }),
      sts: new STSClient({ region: lab.region }),
      quotas: new ServiceQuotasClient({ region: lab.region }),
    },
    calls,
    sent,
    restore: () => mocks.forEach((m) => m.restore()),
  };
}
