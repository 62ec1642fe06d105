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
  type Instance,
  type NetworkInterface,
} from "@aws-sdk/client-ec2";
import { onRead, type Account, type Router } from "./account";
import { awsError } from "./errors";
import { matchesFilters, type Ec2Filter } from "./filters";

type Item = Record<string, unknown>;
interface DescribeInput {
  Filters?: Ec2Filter[];
  /** DescribeNatGateways and DescribeFlowLogs call their filters `Filter`. */
  Filter?: Ec2Filter[];
}

/** The items that pass the filters, and the ids asked for (an unknown id is an error, as in EC2). */
function pick<T>(items: readonly T[] | undefined, input: DescribeInput, ids?: { asked?: string[]; key: string; notFound: string }): T[] {
  let out = (items ?? []).filter((x) => matchesFilters(x as Item, input.Filters ?? input.Filter));
  if (ids?.asked?.length) {
    const missing = ids.asked.filter((id) => !(items ?? []).some((x) => (x as Item)[ids.key] === id));
    if (missing.length) throw awsError(ids.notFound, `The ID '${missing.join(", ")}' does not exist`);
    out = out.filter((x) => ids.asked?.includes((x as Item)[ids.key] as string));
  }
  return structuredClone(out);
}

/** The primary network interface of every instance, as DescribeNetworkInterfaces lists it (not tagged: EC2 created it). */
function interfacesOf(instances: readonly Instance[]): NetworkInterface[] {
  return instances.flatMap((i) =>
    (i.NetworkInterfaces ?? []).map((n) => ({
      NetworkInterfaceId: n.NetworkInterfaceId,
      VpcId: i.VpcId,
      SubnetId: i.SubnetId,
      PrivateIpAddress: i.PrivateIpAddress,
      SourceDestCheck: i.SourceDestCheck,
      Groups: i.SecurityGroups,
      Status: "in-use" as const,
      InterfaceType: "interface" as const,
      Attachment: { InstanceId: i.InstanceId, DeviceIndex: n.Attachment?.DeviceIndex ?? 0, Status: "attached" as const },
      TagSet: [],
    })),
  );
}

/** EC2's describe calls, answered from the account's state with EC2's filter semantics. */
export function installEc2Describe(ec2: Router, account: Account): void {
  const d = () => account.describe();
  const on = <I extends DescribeInput>(command: { name: string }, answer: (input: I) => object) => onRead<I>(ec2, account, command, answer);
  on<DescribeInput & { VpcIds?: string[] }>(DescribeVpcsCommand, (i) => ({ Vpcs: pick(d().Vpcs?.Vpcs, i, { asked: i.VpcIds, key: "VpcId", notFound: "InvalidVpcID.NotFound" }) }));
  on<DescribeInput & { SubnetIds?: string[] }>(DescribeSubnetsCommand, (i) => ({ Subnets: pick(d().Subnets?.Subnets, i, { asked: i.SubnetIds, key: "SubnetId", notFound: "InvalidSubnetID.NotFound" }) }));
  on<DescribeInput & { RouteTableIds?: string[] }>(DescribeRouteTablesCommand, (i) => ({
    RouteTables: pick(d().RouteTables?.RouteTables, i, { asked: i.RouteTableIds, key: "RouteTableId", notFound: "InvalidRouteTableID.NotFound" }),
  }));
  on(DescribeNetworkAclsCommand, (i) => ({ NetworkAcls: pick(d().NetworkAcls?.NetworkAcls, i) }));
  on<DescribeInput & { GroupIds?: string[] }>(DescribeSecurityGroupsCommand, (i) => ({
    SecurityGroups: pick(d().SecurityGroups?.SecurityGroups, i, { asked: i.GroupIds, key: "GroupId", notFound: "InvalidGroup.NotFound" }),
  }));
  on<DescribeInput & { InstanceIds?: string[] }>(DescribeInstancesCommand, (i) => {
    account.settleInstances();
    const all = (d().Reservations?.Reservations ?? []).flatMap((r) => r.Instances ?? []);
    const found = pick(all, i, { asked: i.InstanceIds, key: "InstanceId", notFound: "InvalidInstanceID.NotFound" });
    return { Reservations: found.map((inst) => ({ ReservationId: `r-${(inst.InstanceId ?? "").slice(2)}`, OwnerId: account.accountId, Instances: [inst] })) };
  });
  on(DescribeNetworkInterfacesCommand, (i) => ({ NetworkInterfaces: pick(interfacesOf((d().Reservations?.Reservations ?? []).flatMap((r) => r.Instances ?? [])), i) }));
  on(DescribeAddressesCommand, (i) => ({ Addresses: pick(d().Addresses?.Addresses, i) }));
  on(DescribeInternetGatewaysCommand, (i) => ({ InternetGateways: pick(d().InternetGateways?.InternetGateways, i) }));
  on(DescribeNatGatewaysCommand, (i) => ({ NatGateways: pick(d().NatGateways?.NatGateways, i) }));
  on(DescribeVpcEndpointsCommand, (i) => ({ VpcEndpoints: pick(d().VpcEndpoints?.VpcEndpoints, i) }));
  on(DescribeFlowLogsCommand, (i) => ({ FlowLogs: pick(d().FlowLogs?.FlowLogs, i) }));
  on(DescribeTransitGatewaysCommand, (i) => ({ TransitGateways: pick(d().TransitGateways?.TransitGateways, i) }));
  on(DescribeTransitGatewayVpcAttachmentsCommand, (i) => ({ TransitGatewayVpcAttachments: pick(d().TransitGatewayVpcAttachments?.TransitGatewayVpcAttachments, i) }));
  on(DescribeTransitGatewayAttachmentsCommand, (i) => ({ TransitGatewayAttachments: pick(d().TransitGatewayAttachments?.TransitGatewayAttachments, i) }));
  on(DescribeTransitGatewayRouteTablesCommand, (i) => ({ TransitGatewayRouteTables: pick(d().TransitGatewayRouteTables?.TransitGatewayRouteTables, i) }));
  on<DescribeInput & { TransitGatewayRouteTableId?: string }>(GetTransitGatewayRouteTablePropagationsCommand, (i) => {
    const table = d().TransitGatewayPropagations?.TransitGatewayPropagations?.find((p) => p.TransitGatewayRouteTableId === i.TransitGatewayRouteTableId);
    if (!table) throw awsError("InvalidRouteTableID.NotFound", `The transit gateway route table ID '${i.TransitGatewayRouteTableId}' does not exist`);
    return { TransitGatewayRouteTablePropagations: structuredClone(table.TransitGatewayRouteTablePropagations ?? []) };
  });
  on<DescribeInput & { TransitGatewayRouteTableId?: string }>(SearchTransitGatewayRoutesCommand, (i) => {
    const table = d().TransitGatewayStaticRoutes?.TransitGatewayStaticRoutes?.find((p) => p.TransitGatewayRouteTableId === i.TransitGatewayRouteTableId);
    if (!table) throw awsError("InvalidRouteTableID.NotFound", `The transit gateway route table ID '${i.TransitGatewayRouteTableId}' does not exist`);
    return { Routes: pick(table.Routes, i), AdditionalRoutesAvailable: false };
  });
}
