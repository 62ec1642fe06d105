import { cidrContainsIp, isCidr, isIp } from "../topology/cidr";
import { firstFreeHost } from "./addresses";
import { defaultOsState, type EndpointInterfaceModel, type InstanceModel, type RouteTableModel, type RouteTarget, type SgRuleModel, type Snapshot } from "./snapshot";
import { SynthError, type TfResource } from "./terraform-refs";
import type { TerraformResolver } from "./terraform-resolver";

export const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);
export const bool = (v: unknown, fallback: boolean): boolean => (typeof v === "boolean" ? v : fallback);
export const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined || v === null ? [] : [v]);
export const strings = (v: unknown): string[] => list(v).map(String);
export const where = (r: TfResource): string => `Stack ${r.stack}: ${r.type}.${r.name}`;

const ROLES = ["web", "nat", "workstation", "probe"] as const;
/** IANA protocol numbers the EC2 API also accepts for the usual protocols. */
const PROTOCOL_NUMBERS: Record<string, string> = { "6": "tcp", "17": "udp", "1": "icmp", all: "-1" };

/** VPCs, subnets, route tables (with AWS's main table and default NACL), security groups, gateways, instances, EIPs, routes, endpoints. */
export function addVpcLayer(s: Snapshot, t: TerraformResolver): void {
  addVpcsAndSubnets(s, t);
  addRouteTables(s, t);
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
    s.routeTables.push({ id: t.mainRouteTableId(v.id), name, vpcId: v.id, main: true, subnetIds: [], routes: [localRoute(v.cidr)], tags: { ...v.tags, Name: name } });
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
  const vpcCidr = new Map(s.vpcs.map((v) => [v.id, v.cidr]));
  for (const r of t.ofType("aws_route_table")) {
    const vpcId = str(t.body(r).vpc_id) ?? "";
    const cidr = vpcCidr.get(vpcId);
    if (!cidr) throw new SynthError(`${where(r)} is in VPC "${vpcId}", which is not a VPC of the stack.`);
    s.routeTables.push({ id: t.id(r), name: t.name(r), vpcId, main: false, subnetIds: [], routes: [localRoute(cidr)], tags: t.tags(r) });
  }
  for (const r of t.ofType("aws_route_table_association")) {
    const b = t.body(r);
    const subnetId = str(b.subnet_id);
    if (!subnetId) continue; // an edge association (gateway_id): not modelled
    tableOf(s, r, b.route_table_id).subnetIds.push(subnetId);
  }
}

function localRoute(cidr: string) {
  return { destination: cidr, target: { kind: "local" } as RouteTarget, state: "active" as const };
}

function tableOf(s: Snapshot, r: TfResource, id: unknown): RouteTableModel {
  const table = s.routeTables.find((x) => x.id === id);
  if (!table) throw new SynthError(`${where(r)} names route table "${String(id)}", which is not a route table of the lab.`);
  return table;
}

function addSecurityGroups(s: Snapshot, t: TerraformResolver): void {
  for (const r of t.ofType("aws_security_group")) {
    const b = t.body(r);
    s.securityGroups.push({
      id: t.id(r),
      name: t.name(r),
      groupName: str(b.name) ?? t.name(r),
      vpcId: str(b.vpc_id) ?? "",
      // Inline rules, when a stack uses them (netlab's stacks use one resource per rule).
      ingress: list(b.ingress).flatMap((x) => inlineRules(x)),
      egress: list(b.egress).flatMap((x) => inlineRules(x)),
      tags: t.tags(r),
    });
  }
  for (const [type, direction] of [["aws_vpc_security_group_ingress_rule", "ingress"], ["aws_vpc_security_group_egress_rule", "egress"]] as const) {
    for (const r of t.ofType(type)) {
      const b = t.body(r);
      const protocol = normalizeProtocol(b.ip_protocol);
      const rule: SgRuleModel = {
        id: t.id(r),
        protocol,
        fromPort: protocol === "-1" ? -1 : Number(b.from_port ?? -1),
        toPort: protocol === "-1" ? -1 : Number(b.to_port ?? -1),
        ...(str(b.cidr_ipv4) ? { cidr: str(b.cidr_ipv4) } : {}),
        ...(str(b.referenced_security_group_id) ? { peerSecurityGroupId: str(b.referenced_security_group_id) } : {}),
        ...(str(b.prefix_list_id) ? { prefixListId: str(b.prefix_list_id) } : {}),
        ...(str(b.description) ? { description: str(b.description) } : {}),
      };
      const sg = s.securityGroups.find((g) => g.id === b.security_group_id);
      if (!sg) throw new SynthError(`${where(r)} belongs to security group "${String(b.security_group_id)}", which is not a security group of the lab.`);
      sg[direction].push(rule);
    }
  }
}

function normalizeProtocol(value: unknown): string {
  const p = String(value ?? "-1").toLowerCase();
  return PROTOCOL_NUMBERS[p] ?? p;
}

/** One inline `ingress`/`egress` block: one rule per CIDR and per source group. */
function inlineRules(block: unknown): SgRuleModel[] {
  const b = block as Record<string, unknown>;
  const protocol = normalizeProtocol(b.protocol);
  const base = { protocol, fromPort: protocol === "-1" ? -1 : Number(b.from_port ?? -1), toPort: protocol === "-1" ? -1 : Number(b.to_port ?? -1), ...(str(b.description) ? { description: str(b.description) } : {}) };
  return [
    ...strings(b.cidr_blocks).map((cidr) => ({ ...base, cidr })),
    ...strings(b.security_groups).map((peerSecurityGroupId) => ({ ...base, peerSecurityGroupId })),
    ...strings(b.prefix_list_ids).map((prefixListId) => ({ ...base, prefixListId })),
  ];
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
  // AWS also shows a `pl-… → vpce-…` route for each gateway endpoint's route table; the offline model leaves
  // them out (they never match an address, and the explanations read better without them).
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
