import { cidrContainsIp, isCidr, parseCidr, parseIp, type Cidr } from "../topology/cidr";
import { firstFreeHost } from "./addresses";
import type { PortRange } from "./ports";
import type {
  EndpointInterfaceModel,
  InstanceModel,
  LoadBalancerModel,
  NatGatewayModel,
  NetworkAclModel,
  RouteTableModel,
  SecurityGroupModel,
  SgRuleModel,
  Snapshot,
  SubnetModel,
  TgwAttachmentModel,
  TgwRouteTableModel,
  TransitGatewayModel,
  VpcEndpointModel,
  VpcModel,
} from "./snapshot";

/** Lookups the analyzer needs on every hop, built once per snapshot object. */
export interface SnapshotIndex {
  vpcs: Map<string, VpcModel>;
  vpcCidrs: Map<string, Cidr[]>;
  subnets: Map<string, SubnetModel>;
  subnetCidr: Map<string, Cidr>;
  /** subnet id → its route table (explicit association, else the VPC's main table). */
  routeTableOfSubnet: Map<string, RouteTableModel | undefined>;
  /** subnet id → its NACL (explicit, else the VPC's default; undefined = allow all). */
  naclOfSubnet: Map<string, NetworkAclModel | undefined>;
  securityGroups: Map<string, SecurityGroupModel>;
  instances: Map<string, InstanceModel>;
  instanceByName: Map<string, InstanceModel>;
  instanceByEni: Map<string, InstanceModel>;
  /** private IP → owner, per VPC. */
  privateOwner: Map<string, Owner>;
  /** public IP → owner. */
  publicOwner: Map<string, Owner>;
  natGateways: Map<string, NatGatewayModel>;
  transitGateways: Map<string, TransitGatewayModel>;
  attachmentsByVpcTgw: Map<string, TgwAttachmentModel>;
  attachments: Map<string, TgwAttachmentModel>;
  tgwRouteTableOfAttachment: Map<string, TgwRouteTableModel | undefined>;
  /** Interface endpoint id → its network interfaces (from the model, else derived). */
  endpointInterfaces: Map<string, EndpointInterfaceModel[]>;
  /** Load balancer ARN → its nodes, one per subnet (from the model, else derived). */
  loadBalancerNodes: Map<string, EndpointInterfaceModel[]>;
  /** Private IP of an internet-facing load balancer's node → a stand-in public address (TEST-NET-2). */
  loadBalancerNodePublicIp: Map<string, string>;
  /** Parsed CIDRs, cached by text. */
  cidr(text: string): Cidr | undefined;
}

/** Whatever holds an address: an instance, a NAT gateway, an interface endpoint or a load balancer node. */
export type Owner =
  | { kind: "instance"; instance: InstanceModel }
  | { kind: "nat-gateway"; nat: NatGatewayModel }
  | { kind: "vpc-endpoint"; endpoint: VpcEndpointModel; eni: EndpointInterfaceModel }
  | { kind: "load-balancer"; lb: LoadBalancerModel; node: EndpointInterfaceModel };

interface OwnerPlace {
  ip: string;
  subnetId: string;
  vpcId: string;
  name: string;
}

/** Where an owner sits: its address, subnet, VPC and name. */
function placeOf(o: Owner): OwnerPlace {
  switch (o.kind) {
    case "instance":
      return { ip: o.instance.privateIp, subnetId: o.instance.subnetId, vpcId: o.instance.vpcId, name: o.instance.name };
    case "nat-gateway":
      return { ip: o.nat.privateIp, subnetId: o.nat.subnetId, vpcId: o.nat.vpcId, name: o.nat.name };
    case "vpc-endpoint":
      return { ip: o.eni.privateIp, subnetId: o.eni.subnetId, vpcId: o.endpoint.vpcId, name: o.endpoint.name };
    case "load-balancer":
      return { ip: o.node.privateIp, subnetId: o.node.subnetId, vpcId: o.lb.vpcId, name: o.lb.name };
  }
}

export const ownerIp = (o: Owner): string => placeOf(o).ip;
export const ownerSubnet = (o: Owner): string => placeOf(o).subnetId;
export const ownerVpc = (o: Owner): string => placeOf(o).vpcId;
export const ownerName = (o: Owner): string => placeOf(o).name;

/** The security groups of the owner's network interface (a NAT gateway has none). */
export function ownerSgIds(o: Owner): string[] {
  switch (o.kind) {
    case "instance":
      return o.instance.securityGroupIds;
    case "nat-gateway":
      return [];
    case "vpc-endpoint":
      return o.endpoint.securityGroupIds;
    case "load-balancer":
      return o.lb.securityGroupIds;
  }
}

const cache = new WeakMap<Snapshot, SnapshotIndex>();

const privateKey = (vpcId: string, ip: string) => `${vpcId}|${ip}`;

export function lookupPrivate(ix: SnapshotIndex, vpcId: string, ip: string): Owner | undefined {
  return ix.privateOwner.get(privateKey(vpcId, ip));
}

/**
 * The network interfaces of interface endpoints and load balancer nodes. Models that do not carry them
 * (an older saved lab, a snapshot without NetworkInterfaces.json) get one per subnet at the first free
 * address from .10, in snapshot order: deterministic, and never an address another interface holds.
 */
function serviceInterfaces(s: Snapshot): { endpoints: Map<string, EndpointInterfaceModel[]>; nodes: Map<string, EndpointInterfaceModel[]> } {
  const taken = new Set<string>([
    ...s.instances.map((i) => i.privateIp),
    ...s.natGateways.map((n) => n.privateIp),
    ...s.vpcEndpoints.flatMap((e) => (e.networkInterfaces ?? []).map((n) => n.privateIp)),
    ...s.loadBalancers.flatMap((l) => (l.nodes ?? []).map((n) => n.privateIp)),
  ]);
  const derive = (owner: string, subnetIds: readonly string[]): EndpointInterfaceModel[] =>
    subnetIds.flatMap((subnetId, i) => {
      const subnet = s.subnets.find((x) => x.id === subnetId);
      const ip = subnet && firstFreeHost(subnet.cidr, taken);
      if (!ip) return [];
      taken.add(ip);
      return [{ id: `eni-of-${owner}-${i}`, subnetId, privateIp: ip }];
    });
  const endpoints = new Map(s.vpcEndpoints.filter((e) => e.type === "Interface").map((e) => [e.id, e.networkInterfaces ?? derive(e.id, e.subnetIds)]));
  const nodes = new Map(s.loadBalancers.map((l) => [l.arn, l.nodes ?? derive(l.name, l.subnetIds)]));
  return { endpoints, nodes };
}

/** The index of a snapshot. Built on first use; the analyzer never mutates snapshots. */
export function indexSnapshot(s: Snapshot): SnapshotIndex {
  const hit = cache.get(s);
  if (hit) return hit;
  const cidrs = new Map<string, Cidr | undefined>();
  const cidr = (text: string): Cidr | undefined => {
    if (!cidrs.has(text)) cidrs.set(text, isCidr(text) ? parseCidr(text) : undefined);
    return cidrs.get(text);
  };
  const vpcs = new Map(s.vpcs.map((v) => [v.id, v]));
  const vpcCidrs = new Map(s.vpcs.map((v) => [v.id, [v.cidr, ...(v.secondaryCidrs ?? [])].map(cidr).filter((c): c is Cidr => !!c)]));
  const subnets = new Map(s.subnets.map((x) => [x.id, x]));
  const subnetCidr = new Map(s.subnets.flatMap((x) => (cidr(x.cidr) ? [[x.id, cidr(x.cidr) as Cidr] as const] : [])));
  const explicitRt = new Map<string, RouteTableModel>();
  const mainRt = new Map<string, RouteTableModel>();
  for (const t of s.routeTables) {
    for (const sub of t.subnetIds) explicitRt.set(sub, t);
    if (t.main) mainRt.set(t.vpcId, t);
  }
  const routeTableOfSubnet = new Map(s.subnets.map((x) => [x.id, explicitRt.get(x.id) ?? mainRt.get(x.vpcId)]));
  const explicitAcl = new Map<string, NetworkAclModel>();
  const defaultAcl = new Map<string, NetworkAclModel>();
  for (const a of s.networkAcls) {
    for (const sub of a.subnetIds) explicitAcl.set(sub, a);
    if (a.isDefault) defaultAcl.set(a.vpcId, a);
  }
  const naclOfSubnet = new Map(s.subnets.map((x) => [x.id, explicitAcl.get(x.id) ?? defaultAcl.get(x.vpcId)]));
  const privateOwner = new Map<string, Owner>();
  const publicOwner = new Map<string, Owner>();
  const { endpoints: endpointInterfaces, nodes: loadBalancerNodes } = serviceInterfaces(s);
  for (const e of s.vpcEndpoints) {
    for (const eni of endpointInterfaces.get(e.id) ?? []) privateOwner.set(privateKey(e.vpcId, eni.privateIp), { kind: "vpc-endpoint", endpoint: e, eni });
  }
  const loadBalancerNodePublicIp = new Map<string, string>();
  for (const lb of s.loadBalancers) {
    for (const node of loadBalancerNodes.get(lb.arn) ?? []) {
      privateOwner.set(privateKey(lb.vpcId, node.privateIp), { kind: "load-balancer", lb, node });
      // AWS gives each node of an internet-facing load balancer a public address; none is in any describe
      // output we keep, so a TEST-NET-2 (RFC 5737) stand-in is used, never shown as an egress IP.
      if (lb.scheme === "internet-facing") loadBalancerNodePublicIp.set(node.privateIp, `198.51.100.${(loadBalancerNodePublicIp.size % 250) + 1}`);
    }
  }
  for (const i of s.instances) {
    if (!i.privateIp) continue;
    privateOwner.set(privateKey(i.vpcId, i.privateIp), { kind: "instance", instance: i });
    if (i.publicIp) publicOwner.set(i.publicIp, { kind: "instance", instance: i });
  }
  for (const e of s.elasticIps) {
    const inst = s.instances.find((i) => i.id === e.instanceId || (e.eniId !== undefined && i.eniId === e.eniId));
    if (inst) publicOwner.set(e.publicIp, { kind: "instance", instance: inst });
  }
  for (const n of s.natGateways) {
    privateOwner.set(privateKey(n.vpcId, n.privateIp), { kind: "nat-gateway", nat: n });
    if (n.publicIp) publicOwner.set(n.publicIp, { kind: "nat-gateway", nat: n });
  }
  const attachmentsByVpcTgw = new Map(s.tgwAttachments.map((a) => [`${a.vpcId}|${a.tgwId}`, a]));
  const tgwRouteTableOfAttachment = new Map<string, TgwRouteTableModel | undefined>();
  for (const t of s.tgwRouteTables) for (const a of t.associations) tgwRouteTableOfAttachment.set(a, t);
  const ix: SnapshotIndex = {
    vpcs,
    vpcCidrs,
    subnets,
    subnetCidr,
    routeTableOfSubnet,
    naclOfSubnet,
    securityGroups: new Map(s.securityGroups.map((g) => [g.id, g])),
    instances: new Map(s.instances.map((i) => [i.id, i])),
    instanceByName: new Map(s.instances.map((i) => [i.name, i])),
    instanceByEni: new Map(s.instances.map((i) => [i.eniId, i])),
    privateOwner,
    publicOwner,
    natGateways: new Map(s.natGateways.map((n) => [n.id, n])),
    transitGateways: new Map(s.transitGateways.map((t) => [t.id, t])),
    attachmentsByVpcTgw,
    attachments: new Map(s.tgwAttachments.map((a) => [a.id, a])),
    tgwRouteTableOfAttachment,
    endpointInterfaces,
    loadBalancerNodes,
    loadBalancerNodePublicIp,
    cidr,
  };
  cache.set(s, ix);
  return ix;
}

export interface Packet {
  protocol: "tcp" | "udp" | "icmp";
  srcIp: string;
  dstIp: string;
  /** Destination port of a request. */
  port: number;
  /** The range the sender picked its source port from (what its replies must be admitted on). */
  srcPorts?: PortRange;
  /** A reply: its destination port is one of these (the requester's source-port range). */
  dstPorts?: PortRange;
}

const PROTOCOL_NUMBERS: Record<string, string> = { "6": "tcp", "17": "udp", "1": "icmp" };

function normProtocol(p: string): string {
  return PROTOCOL_NUMBERS[p] ?? p.toLowerCase();
}

function portMatches(protocol: string, from: number | undefined, to: number | undefined, pktProtocol: string, port: number): boolean {
  if (protocol === "-1" || protocol === "all") return true;
  if (protocol !== pktProtocol) return false;
  if (pktProtocol === "icmp") return true;
  if (from === undefined || to === undefined || from === -1) return true;
  return from <= port && port <= to;
}

/**
 * Whether an SG rule admits the packet. `peerIp` is the other end (source for ingress, destination
 * for egress); `peerSgIds` the groups of the ENI at that end, for rules that reference a group.
 */
export function sgRuleMatches(ix: SnapshotIndex, rule: SgRuleModel, pkt: Packet, peerIp: string, peerSgIds: readonly string[]): boolean {
  if (!portMatches(normProtocol(String(rule.protocol)), rule.fromPort, rule.toPort, pkt.protocol, pkt.port)) return false;
  if (rule.cidr !== undefined) {
    const c = ix.cidr(rule.cidr);
    return !!c && cidrContainsIp(c, peerIp);
  }
  if (rule.peerSecurityGroupId !== undefined) return peerSgIds.includes(rule.peerSecurityGroupId);
  return false;
}

/** The first NACL entry (by rule number) that matches one port, in one direction; no match = deny. */
export function naclVerdict(ix: SnapshotIndex, acl: NetworkAclModel | undefined, egress: boolean, protocol: Packet["protocol"], remoteIp: string, port: number): { allowed: boolean; rule?: number } {
  if (!acl) return { allowed: true };
  const entries = acl.entries.filter((e) => e.egress === egress).sort((a, b) => a.ruleNumber - b.ruleNumber);
  for (const e of entries) {
    const c = ix.cidr(e.cidr);
    if (!c || !cidrContainsIp(c, remoteIp)) continue;
    if (!portMatches(normProtocol(String(e.protocol)), e.fromPort, e.toPort, protocol, port)) continue;
    return { allowed: e.action === "allow", rule: e.ruleNumber };
  }
  return { allowed: false };
}

/**
 * The NACL's verdict for every port of a range (a reply may come back to any port its requester picked):
 * allowed only if each port is. The first dropped port is reported. Entries split the range into pieces
 * on which the verdict is constant, so one probe per piece is exact.
 */
export function naclVerdictForRange(
  ix: SnapshotIndex,
  acl: NetworkAclModel | undefined,
  egress: boolean,
  protocol: Packet["protocol"],
  remoteIp: string,
  ports: { from: number; to: number },
): { allowed: boolean; rule?: number; port: number } {
  if (!acl || protocol === "icmp") return { ...naclVerdict(ix, acl, egress, protocol, remoteIp, ports.from), port: ports.from };
  const starts = new Set([ports.from]);
  for (const e of acl.entries) {
    if (e.egress !== egress || e.fromPort === undefined || e.toPort === undefined) continue;
    for (const p of [e.fromPort, e.toPort + 1]) if (p > ports.from && p <= ports.to) starts.add(p);
  }
  let first: { allowed: boolean; rule?: number; port: number } | undefined;
  for (const port of [...starts].sort((a, b) => a - b)) {
    const v = naclVerdict(ix, acl, egress, protocol, remoteIp, port);
    if (!v.allowed) return { ...v, port };
    first ??= { ...v, port };
  }
  return first ?? { allowed: true, port: ports.from };
}

export function isInVpc(ix: SnapshotIndex, vpcId: string, ip: string): boolean {
  const value = parseIp(ip);
  return (ix.vpcCidrs.get(vpcId) ?? []).some((c) => cidrContainsIp(c, value));
}

/** RFC 1918 and other non-routable space: an internet gateway drops packets to these. */
export function isPrivateAddress(ip: string): boolean {
  return ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "169.254.0.0/16"].some((c) => cidrContainsIp(c, ip));
}
