import { cidrContainsIp, isCidr, isIp } from "../topology/cidr";
import { firstFreeHost } from "./addresses";
import { defaultOsState, type EndpointInterfaceModel, type InstanceModel, type RouteTableModel, type RouteTarget, type Snapshot } from "./snapshot";
import { SynthError, type TfResource } from "./terraform-refs";
import { addNetworkAcls, addSecurityGroups } from "./terraform-security";
import { bool, list, str, strings, where } from "./terraform-values";
import type { TerraformResolver } from "./terraform-resolver";

export { bool, list, str, strings, where } from "./terraform-values";

const ROLES = ["web", "nat", "workstation", "probe"] as const;

/** VPCs, subnets, route tables (with AWS's main table and default NACL), security groups, gateways, instances, EIPs, routes, endpoints. */
export function addVpcLayer(s: Snapshot, t: TerraformResolver): void {
  addVpcsAndSubnets(s, t);
  addRouteTables(s, t);
  addNetworkAcls(s, t);
  addSecurityGroups(s, t);
  for (const r of t.ofType("aws_internet_gateway")) s.internetGateways.push({ id: t.id(r), name: t.name(r), ...(str(t.body(r).vpc_id) ? { vpcId: str(t.body(r).vpc_id) } : {}), tags: t.tags(r) });
  addInstances(s, t);
  addElasticIps(s, t);
  addNatGateways(s, t);
  addVpcEndpoints(s, t);
  addRoutes(s, t);
}

function addVpcsAndSubnets(s: Snapshot, t: TerraformResolver): void {
  for (const r of t.ofType("aws_vpc")) {
    const b = t.body(r);
    const cidr = str(b.cidr_block);
    if (!cidr || !isCidr(cidr)) throw new SynthError(`${where(r)} has cidr_block ${JSON.stringify(b.cidr_block)}, which is not an IPv4 CIDR (IPAM pools are not modelled offline).`);
    // Terraform's defaults: DNS support on, DNS hostnames off.
    s.vpcs.push({ id: t.id(r), name: t.name(r), cidr, dnsSupport: bool(b.enable_dns_support, true), dnsHostnames: bool(b.enable_dns_hostnames, false), tags: t.tags(r) });
  }
  for (const r of t.ofType("aws_vpc_ipv4_cidr_block_association")) {
    const b = t.body(r);
    const vpc = s.vpcs.find((v) => v.id === b.vpc_id);
    const cidr = str(b.cidr_block);
    if (!vpc) throw new SynthError(`${where(r)} adds a CIDR to VPC "${String(b.vpc_id)}", which is not a VPC of the stack.`);
    if (!cidr || !isCidr(cidr)) throw new SynthError(`${where(r)} has cidr_block ${JSON.stringify(b.cidr_block)}, which is not an IPv4 CIDR (IPAM pools are not modelled offline).`);
    vpc.secondaryCidrs = [...(vpc.secondaryCidrs ?? []), cidr];
  }
  const vpcIds = new Set(s.vpcs.map((v) => v.id));
  for (const r of t.ofType("aws_subnet")) {
    const b = t.body(r);
    const vpcId = str(b.vpc_id) ?? "";
    if (!vpcIds.has(vpcId)) throw new SynthError(`${where(r)} is in VPC "${vpcId}", which is not a VPC of the stack.`);
    s.subnets.push({ id: t.id(r), name: t.name(r), vpcId, cidr: str(b.cidr_block) ?? "", az: str(b.availability_zone) ?? `${t.region}a`, mapPublicIpOnLaunch: bool(b.map_public_ip_on_launch, false), tags: t.tags(r) });
  }
}

function addRouteTables(s: Snapshot, t: TerraformResolver): void {
  for (const v of s.vpcs) {
    // AWS creates a main route table with the local route only; subnets without an association use it.
    // https://docs.aws.amazon.com/vpc/latest/userguide/RouteTables.html#RouteTables
    const name = `${v.name}-main`;
    s.routeTables.push({ id: t.mainRouteTableId(v.id), name, vpcId: v.id, main: true, subnetIds: [], routes: localRoutes(v), tags: { ...v.tags, Name: name } });
    // And a default network ACL that allows all traffic both ways, associated with every subnet that has no other.
    // https://docs.aws.amazon.com/vpc/latest/userguide/default-network-acl.html
    s.networkAcls.push({
      id: t.defaultNaclId(v.id),
      name: `${v.name}-default-acl`,
      vpcId: v.id,
      isDefault: true,
      subnetIds: s.subnets.filter((x) => x.vpcId === v.id).map((x) => x.id),
      entries: [true, false].flatMap((egress) => [
        { ruleNumber: 100, egress, protocol: "-1", action: "allow" as const, cidr: "0.0.0.0/0" },
        { ruleNumber: 32767, egress, protocol: "-1", action: "deny" as const, cidr: "0.0.0.0/0" },
      ]),
      tags: v.tags,
    });
  }
  for (const r of t.ofType("aws_route_table")) {
    const vpcId = str(t.body(r).vpc_id) ?? "";
    const vpc = s.vpcs.find((v) => v.id === vpcId);
    if (!vpc) throw new SynthError(`${where(r)} is in VPC "${vpcId}", which is not a VPC of the stack.`);
    s.routeTables.push({ id: t.id(r), name: t.name(r), vpcId, main: false, subnetIds: [], routes: localRoutes(vpc), tags: t.tags(r) });
  }
  for (const r of t.ofType("aws_route_table_association")) {
    const b = t.body(r);
    const subnetId = str(b.subnet_id);
    if (!subnetId) continue; // an edge association (gateway_id): not modelled
    tableOf(s, r, b.route_table_id).subnetIds.push(subnetId);
  }
}

/** AWS's local route for each CIDR of the VPC. */
function localRoutes(vpc: { cidr: string; secondaryCidrs?: string[] }) {
  return [vpc.cidr, ...(vpc.secondaryCidrs ?? [])].map((destination) => ({ destination, target: { kind: "local" } as RouteTarget, state: "active" as const }));
}

function tableOf(s: Snapshot, r: TfResource, id: unknown): RouteTableModel {
  const table = s.routeTables.find((x) => x.id === id);
  if (!table) throw new SynthError(`${where(r)} names route table "${String(id)}", which is not a route table of the lab.`);
  return table;
}

function addInstances(s: Snapshot, t: TerraformResolver): void {
  for (const r of t.ofType("aws_instance")) {
    const b = t.body(r);
    const subnet = s.subnets.find((x) => x.id === b.subnet_id);
    if (!subnet) throw new SynthError(`${where(r)} is in subnet "${String(b.subnet_id)}", which is not a subnet of the lab.`);
    const tags = t.tags(r);
    const role = ROLES.find((x) => x === tags["netlab:role"]) ?? "unknown";
    const publicIp = t.publicIp(r);
    const privateIp = str(b.private_ip) ?? firstFreeIp(s, subnet.cidr);
    if (!isIp(privateIp) || !cidrContainsIp(subnet.cidr, privateIp)) throw new SynthError(`${where(r)} has private_ip "${privateIp}", which is not an address of its subnet ${subnet.name} (${subnet.cidr}).`);
    const inst: InstanceModel = {
      id: t.id(r),
      name: t.name(r),
      vpcId: subnet.vpcId,
      subnetId: subnet.id,
      privateIp,
      ...(publicIp ? { publicIp } : {}),
      eniId: t.eniId(r),
      securityGroupIds: strings(b.vpc_security_group_ids),
      sourceDestCheck: bool(b.source_dest_check, true),
      state: "running",
      os: defaultOsState(role),
      tags,
    };
    s.instances.push(inst);
  }
}

function addElasticIps(s: Snapshot, t: TerraformResolver): void {
  const attach = (eip: Snapshot["elasticIps"][number], instanceId: string | undefined, eniId: string | undefined) => {
    const inst = s.instances.find((i) => (instanceId && i.id === instanceId) || (eniId && i.eniId === eniId));
    if (inst) Object.assign(eip, { instanceId: inst.id, eniId: inst.eniId, privateIp: inst.privateIp });
    else if (eniId) eip.eniId = eniId;
  };
  for (const r of t.ofType("aws_eip")) {
    const b = t.body(r);
    const eip = { allocationId: t.id(r), name: t.name(r), publicIp: t.publicIp(r) ?? "", tags: t.tags(r) };
    s.elasticIps.push(eip);
    attach(eip, str(b.instance), str(b.network_interface));
  }
  for (const r of t.ofType("aws_eip_association")) {
    const b = t.body(r);
    const eip = s.elasticIps.find((e) => e.allocationId === b.allocation_id);
    if (!eip) throw new SynthError(`${where(r)} associates allocation "${String(b.allocation_id)}", which is not an EIP of the lab.`);
    attach(eip, str(b.instance_id), str(b.network_interface_id));
  }
}

function addNatGateways(s: Snapshot, t: TerraformResolver): void {
  for (const r of t.ofType("aws_nat_gateway")) {
    const b = t.body(r);
    const subnet = s.subnets.find((x) => x.id === b.subnet_id);
    if (!subnet) throw new SynthError(`${where(r)} is in subnet "${String(b.subnet_id)}", which is not a subnet of the lab.`);
    const privateIp = str(b.private_ip) ?? firstFreeIp(s, subnet.cidr);
    const eip = s.elasticIps.find((e) => e.allocationId === b.allocation_id);
    if (str(b.allocation_id) && !eip) throw new SynthError(`${where(r)} uses allocation "${String(b.allocation_id)}", which is not an EIP of the lab.`);
    const connectivity = str(b.connectivity_type) === "private" ? "private" : "public";
    s.natGateways.push({ id: t.id(r), name: t.name(r), vpcId: subnet.vpcId, subnetId: subnet.id, connectivity, state: "available", privateIp, ...(eip ? { publicIp: eip.publicIp } : {}), tags: t.tags(r) });
    if (eip) Object.assign(eip, { privateIp, eniId: t.eniId(r) });
  }
}

/** Every private address the model has handed out so far. */
function takenAddresses(s: Snapshot): Set<string> {
  return new Set([
    ...s.instances.map((i) => i.privateIp),
    ...s.natGateways.map((n) => n.privateIp),
    ...s.vpcEndpoints.flatMap((e) => (e.networkInterfaces ?? []).map((n) => n.privateIp)),
    ...s.loadBalancers.flatMap((l) => (l.nodes ?? []).map((n) => n.privateIp)),
  ]);
}

/** The first host from .10 of a subnet that no interface of the lab uses (AWS picks one at random). */
export function firstFreeIp(s: Snapshot, cidr: string): string {
  const ip = firstFreeHost(cidr, takenAddresses(s));
  if (!ip) throw new SynthError(`Subnet ${cidr} has no free address left for a NAT gateway, instance, endpoint or load balancer node.`);
  return ip;
}

/** One network interface per subnet at a deterministic address: what AWS creates for an interface endpoint or a load balancer. */
export function serviceInterfaces(s: Snapshot, t: TerraformResolver, r: TfResource, subnetIds: readonly string[]): EndpointInterfaceModel[] {
  const out: EndpointInterfaceModel[] = [];
  subnetIds.forEach((subnetId, i) => {
    const subnet = s.subnets.find((x) => x.id === subnetId);
    if (!subnet) throw new SynthError(`${where(r)} is in subnet "${subnetId}", which is not a subnet of the lab.`);
    const taken = takenAddresses(s);
    for (const n of out) taken.add(n.privateIp);
    const privateIp = firstFreeHost(subnet.cidr, taken);
    if (!privateIp) throw new SynthError(`${where(r)}: subnet ${subnet.name} (${subnet.cidr}) has no free address left for its network interface.`);
    out.push({ id: t.eniId(r, i), subnetId, privateIp });
  });
  return out;
}

function addVpcEndpoints(s: Snapshot, t: TerraformResolver): void {
  for (const r of t.ofType("aws_vpc_endpoint")) {
    const b = t.body(r);
    // Terraform's default endpoint type is Gateway.
    const type = str(b.vpc_endpoint_type) ?? "Gateway";
    const subnetIds = strings(b.subnet_ids);
    s.vpcEndpoints.push({
      id: t.id(r),
      name: t.name(r),
      vpcId: str(b.vpc_id) ?? "",
      type,
      serviceName: str(b.service_name) ?? "",
      subnetIds,
      securityGroupIds: strings(b.security_group_ids),
      routeTableIds: strings(b.route_table_ids),
      privateDns: bool(b.private_dns_enabled, false),
      ...(type === "Interface" ? { networkInterfaces: serviceInterfaces(s, t, r, subnetIds) } : {}),
      tags: t.tags(r),
    });
  }
  for (const r of t.ofType("aws_vpc_endpoint_route_table_association")) {
    const b = t.body(r);
    const endpoint = s.vpcEndpoints.find((e) => e.id === b.vpc_endpoint_id);
    if (!endpoint) throw new SynthError(`${where(r)} names endpoint "${String(b.vpc_endpoint_id)}", which is not an endpoint of the lab.`);
    endpoint.routeTableIds.push(str(b.route_table_id) ?? "");
  }
}

function addRoutes(s: Snapshot, t: TerraformResolver): void {
  for (const r of t.ofType("aws_route")) {
    const b = t.body(r);
    const table = tableOf(s, r, b.route_table_id);
    const destination = str(b.destination_cidr_block) ?? str(b.destination_prefix_list_id);
    if (!destination) continue; // IPv6 routes: the model is IPv4 only
    table.routes.push({ destination, target: routeTarget(s, r, b), state: "active" });
  }
  // Inline `route` blocks (`cidr_block` instead of `destination_cidr_block`), of a table the stack creates or of
  // the VPC's main table that `aws_default_route_table` adopts (its routes replace the main table's, local kept).
  for (const r of t.ofType("aws_route_table")) addInlineRoutes(s, r, tableOf(s, r, t.id(r)), t.body(r));
  for (const r of t.ofType("aws_default_route_table")) {
    const b = t.body(r);
    const table = s.routeTables.find((x) => x.main && x.id === b.default_route_table_id);
    if (!table) throw new SynthError(`${where(r)} adopts route table "${String(b.default_route_table_id)}", which is not the main route table of a VPC of the lab.`);
    if (t.tags(r).Name) table.name = t.tags(r).Name;
    table.routes = table.routes.filter((x) => x.target.kind === "local");
    addInlineRoutes(s, r, table, b);
  }
  // An explicit main-table association makes another table the VPC's main one.
  for (const r of t.ofType("aws_main_route_table_association")) {
    const b = t.body(r);
    const table = tableOf(s, r, b.route_table_id);
    if (table.vpcId !== b.vpc_id) throw new SynthError(`${where(r)} makes ${table.name} the main table of VPC "${String(b.vpc_id)}", but the table is in another VPC.`);
    for (const x of s.routeTables) if (x.vpcId === table.vpcId) x.main = x === table;
  }
  // AWS also shows a `pl-… → vpce-…` route for each gateway endpoint's route table; the offline model leaves
  // them out (they never match an address, and the explanations read better without them).
}

function addInlineRoutes(s: Snapshot, r: TfResource, table: RouteTableModel, b: Record<string, unknown>): void {
  for (const route of list(b.route)) {
    const x = route as Record<string, unknown>;
    const destination = str(x.cidr_block) ?? str(x.destination_prefix_list_id);
    if (!destination) continue; // IPv6 routes: the model is IPv4 only
    table.routes.push({ destination, target: routeTarget(s, r, x), state: "active" });
  }
}

function routeTarget(s: Snapshot, r: TfResource, b: Record<string, unknown>): RouteTarget {
  const eni = str(b.network_interface_id);
  if (str(b.nat_gateway_id)) return { kind: "nat-gateway", id: str(b.nat_gateway_id) as string };
  if (str(b.transit_gateway_id)) return { kind: "tgw", id: str(b.transit_gateway_id) as string };
  if (eni) {
    const inst = s.instances.find((i) => i.eniId === eni);
    return { kind: "eni", id: eni, ...(inst ? { instanceId: inst.id } : {}) };
  }
  if (str(b.vpc_endpoint_id)) return { kind: "vpc-endpoint", id: str(b.vpc_endpoint_id) as string };
  if (str(b.vpc_peering_connection_id)) return { kind: "peering", id: str(b.vpc_peering_connection_id) as string };
  const gw = str(b.gateway_id);
  if (gw?.startsWith("igw-")) return { kind: "igw", id: gw };
  if (gw?.startsWith("vgw-")) return { kind: "vgw", id: gw };
  if (gw?.startsWith("vpce-")) return { kind: "vpc-endpoint", id: gw };
  const other = gw ?? str(b.egress_only_gateway_id) ?? str(b.carrier_gateway_id) ?? str(b.local_gateway_id) ?? str(b.core_network_arn);
  if (other) return { kind: "other", id: other };
  throw new SynthError(`${where(r)} has no target (gateway_id, nat_gateway_id, transit_gateway_id, network_interface_id, vpc_endpoint_id or vpc_peering_connection_id).`);
}
