import { cidrContainsIp, isCidr, parseCidr, parseIp, type Cidr } from "../topology/cidr";
import type {
  InstanceModel,
  NatGatewayModel,
  NetworkAclModel,
  RouteTableModel,
  SecurityGroupModel,
  SgRuleModel,
  Snapshot,
  SubnetModel,
  TgwAttachmentModel,
  TgwRouteTableModel,
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
  attachmentsByVpcTgw: Map<string, TgwAttachmentModel>;
  attachments: Map<string, TgwAttachmentModel>;
  tgwRouteTableOfAttachment: Map<string, TgwRouteTableModel | undefined>;
  /** Parsed CIDRs, cached by text. */
  cidr(text: string): Cidr | undefined;
}

export type Owner =
  | { kind: "instance"; instance: InstanceModel }
  | { kind: "nat-gateway"; nat: NatGatewayModel }
  | { kind: "vpc-endpoint"; id: string; name: string; vpcId: string; subnetId: string };

const cache = new WeakMap<Snapshot, SnapshotIndex>();

const privateKey = (vpcId: string, ip: string) => `${vpcId}|${ip}`;

export function lookupPrivate(ix: SnapshotIndex, vpcId: string, ip: string): Owner | undefined {
  return ix.privateOwner.get(privateKey(vpcId, ip));
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
  for (const i of s.instances) {
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
    attachmentsByVpcTgw,
    attachments: new Map(s.tgwAttachments.map((a) => [a.id, a])),
    tgwRouteTableOfAttachment,
    cidr,
  };
  cache.set(s, ix);
  return ix;
}

export interface Packet {
  protocol: "tcp" | "udp" | "icmp";
  srcIp: string;
  dstIp: string;
  port: number;
}

const PROTOCOL_NUMBERS: Record<string, string> = { "6": "tcp", "17": "udp", "1": "icmp" };

function normProtocol(p: string): string {
  return PROTOCOL_NUMBERS[p] ?? p.toLowerCase();
}

function portMatches(protocol: string, from: number | undefined, to: number | undefined, pkt: Packet): boolean {
  if (protocol === "-1" || protocol === "all") return true;
  if (protocol !== pkt.protocol) return false;
  if (pkt.protocol === "icmp") return true;
  if (from === undefined || to === undefined || from === -1) return true;
  return from <= pkt.port && pkt.port <= to;
}

/**
 * Whether an SG rule admits the packet. `peerIp` is the other end (source for ingress, destination
 * for egress); `peerSgIds` the groups of the ENI at that end, for rules that reference a group.
 */
export function sgRuleMatches(ix: SnapshotIndex, rule: SgRuleModel, pkt: Packet, peerIp: string, peerSgIds: readonly string[]): boolean {
  if (!portMatches(normProtocol(String(rule.protocol)), rule.fromPort, rule.toPort, pkt)) return false;
  if (rule.cidr !== undefined) {
    const c = ix.cidr(rule.cidr);
    return !!c && cidrContainsIp(c, peerIp);
  }
  if (rule.peerSecurityGroupId !== undefined) return peerSgIds.includes(rule.peerSecurityGroupId);
  return false;
}

/** The ephemeral port a reply goes back to (Linux's default range is 32768–60999). */
export const REPLY_PORT = 40000;

/**
 * The first NACL entry (by rule number) that matches, in one direction; no match = deny. NACLs are
 * stateless: replies are checked too, on the ephemeral port (`port` = REPLY_PORT).
 */
export function naclVerdict(ix: SnapshotIndex, acl: NetworkAclModel | undefined, egress: boolean, protocol: Packet["protocol"], remoteIp: string, port: number): { allowed: boolean; rule?: number } {
  if (!acl) return { allowed: true };
  const entries = acl.entries.filter((e) => e.egress === egress).sort((a, b) => a.ruleNumber - b.ruleNumber);
  const probe: Packet = { protocol, srcIp: remoteIp, dstIp: remoteIp, port };
  for (const e of entries) {
    const c = ix.cidr(e.cidr);
    if (!c || !cidrContainsIp(c, remoteIp)) continue;
    if (!portMatches(normProtocol(String(e.protocol)), e.fromPort, e.toPort, probe)) continue;
    return { allowed: e.action === "allow", rule: e.ruleNumber };
  }
  return { allowed: false };
}

export function isInVpc(ix: SnapshotIndex, vpcId: string, ip: string): boolean {
  const value = parseIp(ip);
  return (ix.vpcCidrs.get(vpcId) ?? []).some((c) => cidrContainsIp(c, value));
}

/** RFC 1918 and other non-routable space: an internet gateway drops packets to these. */
export function isPrivateAddress(ip: string): boolean {
  return ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "169.254.0.0/16"].some((c) => cidrContainsIp(c, ip));
}
