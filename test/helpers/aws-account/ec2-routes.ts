import { CreateRouteCommand, DeleteRouteCommand, ReplaceRouteCommand, type CreateRouteRequest } from "@aws-sdk/client-ec2";
import type { RouteTarget, Snapshot } from "../../../network/snapshot";
import { findOr, onChange, type Account, type Router } from "./account";
import { awsError } from "./errors";

/** Where CreateRoute / ReplaceRoute point: exactly one target, which must exist in the account. */
function routeTarget(s: Snapshot, i: CreateRouteRequest): RouteTarget {
  const given = (["TransitGatewayId", "GatewayId", "NatGatewayId", "NetworkInterfaceId", "InstanceId", "VpcPeeringConnectionId"] as const).filter((k) => i[k]);
  if (given.length !== 1) throw awsError("InvalidParameterCombination", `A route needs exactly one target; got ${given.join(", ") || "none"}.`);
  if (i.TransitGatewayId) return { kind: "tgw", id: findOr(s.transitGateways, (t) => t.id === i.TransitGatewayId, "InvalidTransitGatewayID.NotFound", `transit gateway ID '${i.TransitGatewayId}'`).id };
  if (i.GatewayId) return { kind: "igw", id: findOr(s.internetGateways, (g) => g.id === i.GatewayId, "InvalidGatewayID.NotFound", `gateway ID '${i.GatewayId}'`).id };
  if (i.NatGatewayId) return { kind: "nat-gateway", id: findOr(s.natGateways, (n) => n.id === i.NatGatewayId, "InvalidNatGatewayID.NotFound", `NAT gateway ID '${i.NatGatewayId}'`).id };
  if (i.VpcPeeringConnectionId) return { kind: "peering", id: i.VpcPeeringConnectionId };
  const inst = i.InstanceId
    ? findOr(s.instances, (x) => x.id === i.InstanceId, "InvalidInstanceID.NotFound", `instance ID '${i.InstanceId}'`)
    : findOr(s.instances, (x) => x.eniId === i.NetworkInterfaceId, "InvalidNetworkInterfaceID.NotFound", `network interface ID '${i.NetworkInterfaceId}'`);
  return { kind: "eni", id: inst.eniId, instanceId: inst.id };
}

/**
 * Route changes with EC2's errors: an existing destination cannot be created again, a missing one
 * cannot be deleted or replaced, the local route cannot be deleted.
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateRoute.html
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DeleteRoute.html
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ReplaceRoute.html
 */
export function installRouteChanges(ec2: Router, account: Account): void {
  const table = (s: Snapshot, id: string | undefined) => findOr(s.routeTables, (t) => t.id === id, "InvalidRouteTableID.NotFound", `route table ID '${id}'`);
  onChange<CreateRouteRequest>(ec2, account, CreateRouteCommand, (i, s) => {
    const rt = table(s, i.RouteTableId);
    if (rt.routes.some((r) => r.destination === i.DestinationCidrBlock)) throw awsError("RouteAlreadyExists", `The route identified by ${i.DestinationCidrBlock} already exists.`);
    rt.routes.push({ destination: i.DestinationCidrBlock ?? "", target: routeTarget(s, i), state: "active" });
    return { Return: true };
  });
  onChange<CreateRouteRequest>(ec2, account, ReplaceRouteCommand, (i, s) => {
    const route = table(s, i.RouteTableId).routes.find((r) => r.destination === i.DestinationCidrBlock);
    if (!route) throw awsError("InvalidRoute.NotFound", `There is no route defined for '${i.DestinationCidrBlock}' in the route table.`);
    const target = routeTarget(s, i);
    route.target = target;
    route.state = "active";
    return {};
  });
  onChange<{ RouteTableId?: string; DestinationCidrBlock?: string }>(ec2, account, DeleteRouteCommand, (i, s) => {
    const rt = table(s, i.RouteTableId);
    const at = rt.routes.findIndex((r) => r.destination === i.DestinationCidrBlock);
    if (at < 0) throw awsError("InvalidRoute.NotFound", `There is no route defined for '${i.DestinationCidrBlock}' in the route table. Use a different destination.`);
    if (rt.routes[at].target.kind === "local") throw awsError("InvalidParameterValue", `cannot remove local route ${i.DestinationCidrBlock} in route table ${rt.id}`);
    rt.routes.splice(at, 1);
    return {};
  });
}
