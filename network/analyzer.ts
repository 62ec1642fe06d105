import { isIp, longestPrefixMatch } from "../topology/cidr";
import {
  indexSnapshot,
  isInVpc,
  isPrivateAddress,
  lookupPrivate,
  naclVerdict,
  REPLY_PORT,
  sgRuleMatches,
  type Owner,
  type Packet,
  type SnapshotIndex,
} from "./analyzer-index";
import type { BlockedBy, Destination, Hop, HopKind, ReachOptions, ReachResult, ReasonCode } from "./reach-types";
import type { InstanceModel, LoadBalancerModel, OsState, RouteModel, Snapshot, SubnetModel } from "./snapshot";
import { defaultOsState } from "./snapshot";
import { targetHealth } from "./target-health";

/** A stand-in for "somewhere on the internet": TEST-NET-1, outside every VPC. */
export const INTERNET_PROBE_IP = "192.0.2.80";
const MAX_HOPS = 64;

/** The user named an instance or destination the snapshot does not have. */
export class UnknownEndpointError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UnknownEndpointError";
  }
}

/** Something that sends or receives: an instance, or an ALB node. */
export interface Endpoint {
  name: string;
  kind: HopKind;
  ip: string;
  subnetId: string;
  vpcId: string;
  sgIds: string[];
  instance?: InstanceModel;
}

interface Translation {
  kind: "nat-gateway" | "nat-instance";
  name: string;
  ip: string;
  subnetId: string;
  vpcId: string;
  originalSrc: string;
  originalSrcSgIds: string[];
}

type Arrival =
  | { kind: "internet" }
  | { kind: "owner"; owner: Owner; vpcId: string; fromSubnetId: string };

/** Mutable state of one trace. */
class Trace {
  hops: Hop[] = [];
  blocked: BlockedBy | null = null;
  egressIp: string | null = null;
  translations: Translation[] = [];
  /** SGs of whoever sent the packet last (for SG rules that reference a group). */
  senderSgIds: string[] = [];
  steps = 0;
  /** Hops are the forward path; the reply path is checked but not listed. */
  recording = true;

  constructor(
    readonly s: Snapshot,
    readonly ix: SnapshotIndex,
  ) {}

  hop(component: string, kind: HopKind): void {
    if (!this.recording) return;
    const last = this.hops[this.hops.length - 1];
    if (!last || last.component !== component || last.kind !== kind) this.hops.push({ component, kind });
  }

  block(component: string, reason: ReasonCode, detail: string): null {
    this.blocked ??= { component, reason, detail };
    return null;
  }

  name(id: string): string {
    const all = [this.ix.subnets.get(id), this.ix.vpcs.get(id), this.ix.securityGroups.get(id), this.ix.instances.get(id), this.ix.natGateways.get(id), this.ix.attachments.get(id)];
    return all.find((x) => x)?.name ?? this.s.transitGateways.find((t) => t.id === id)?.name ?? this.s.internetGateways.find((g) => g.id === id)?.name ?? id;
  }
}

function osOf(inst: InstanceModel): OsState {
  if (inst.os) return inst.os;
  const role = inst.tags["netlab:role"];
  if (role === "web" || role === "nat" || role === "workstation" || role === "probe") return defaultOsState(role);
  // Unknown OS (a live or saved snapshot of a network netlab did not build): an instance whose
  // source/dest check is off is presumed to be a working NAT instance, anything else a plain host.
  const nat = !inst.sourceDestCheck;
  return { ipForward: nat, masquerade: nat, masqueradeSaved: nat, listeningPorts: [], cpuLoad: false };
}

function describeRoutes(routes: readonly RouteModel[]): string {
  return routes.map((r) => `${r.destination} → ${r.target.kind === "local" ? "local" : `${r.target.kind} ${"id" in r.target ? r.target.id : ""}`.trim()}`).join(", ") || "no routes";
}

function instanceEndpoint(inst: InstanceModel): Endpoint {
  return { name: inst.name, kind: "instance", ip: inst.privateIp, subnetId: inst.subnetId, vpcId: inst.vpcId, sgIds: inst.securityGroupIds, instance: inst };
}

/** Finds an instance by Name tag or id; the error lists the valid names. */
export function findInstanceRef(s: Snapshot, ref: string): InstanceModel {
  const ix = indexSnapshot(s);
  const inst = ix.instanceByName.get(ref) ?? ix.instances.get(ref);
  if (!inst) {
    throw new UnknownEndpointError(`Unknown instance "${ref}"; valid instances: ${s.instances.map((i) => i.name).sort().join(", ") || "none"}.`);
  }
  return inst;
}

// ---------------------------------------------------------------------------------------------
// Security groups and NACLs

function sgAllows(t: Trace, sgIds: readonly string[], egress: boolean, pkt: Packet, peerIp: string, peerSgIds: readonly string[]): boolean {
  for (const id of sgIds) {
    const sg = t.ix.securityGroups.get(id);
    if (!sg) continue;
    if ((egress ? sg.egress : sg.ingress).some((r) => sgRuleMatches(t.ix, r, pkt, peerIp, peerSgIds))) return true;
  }
  return false;
}

function checkSgEgress(t: Trace, from: Endpoint, pkt: Packet, peerSgIds: readonly string[]): boolean {
  for (const id of from.sgIds) t.hop(t.name(id), "security-group");
  if (sgAllows(t, from.sgIds, true, pkt, pkt.dstIp, peerSgIds)) return true;
  const names = from.sgIds.map((id) => t.name(id)).join(", ");
  t.block(from.sgIds.length === 1 ? names : names || from.name, "SG_EGRESS_DENY", `no outbound rule of ${names || "its security groups"} allows ${pkt.protocol}${pkt.protocol === "icmp" ? "" : `/${pkt.port}`} to ${pkt.dstIp} (Terraform-made groups have no default allow-all egress)`);
  return false;
}

function checkSgIngress(t: Trace, to: Endpoint, pkt: Packet): boolean {
  for (const id of to.sgIds) t.hop(t.name(id), "security-group");
  if (sgAllows(t, to.sgIds, false, pkt, pkt.srcIp, t.senderSgIds)) return true;
  const names = to.sgIds.map((id) => t.name(id)).join(", ");
  t.block(to.sgIds.length === 1 ? names : names || to.name, "SG_INGRESS_DENY", `no inbound rule of ${names || "its security groups"} admits ${pkt.protocol}${pkt.protocol === "icmp" ? "" : `/${pkt.port}`} from ${pkt.srcIp}`);
  return false;
}

function checkNacl(t: Trace, subnetId: string, egress: boolean, protocol: Packet["protocol"], remoteIp: string, port: number): boolean {
  const acl = t.ix.naclOfSubnet.get(subnetId);
  if (!acl) return true;
  // Only a NACL that is not allow-all is worth a hop in the path.
  const v = naclVerdict(t.ix, acl, egress, protocol, remoteIp, port);
  if (v.allowed) {
    if (!acl.isDefault || acl.entries.some((e) => e.action === "deny" && e.ruleNumber < 32767)) t.hop(acl.name, "network-acl");
    return true;
  }
  t.hop(acl.name, "network-acl");
  t.block(acl.name, "NACL_DENY", `${egress ? "outbound" : "inbound"} ${v.rule === undefined ? "default deny (*)" : `rule ${v.rule}`} of ${acl.name} drops ${protocol}${protocol === "icmp" ? "" : `/${port}`} ${egress ? "to" : "from"} ${remoteIp} in ${t.name(subnetId)}`);
  return false;
}

// ---------------------------------------------------------------------------------------------
// Routing

/**
 * Routes a packet that leaves `subnetId` until it reaches an owner of its destination address or
 * the internet. NAT (gateway or instance) on the way is recorded in `t.translations`.
 * `reply`: a return packet (stateful SGs are not checked; NACLs are, on the reply port).
 */
function routeFrom(t: Trace, subnetId: string, pkt: Packet, reply: boolean): Arrival | null {
  for (;;) {
    if (++t.steps > MAX_HOPS) return t.block(t.name(subnetId), "NO_ROUTE", `the packet to ${pkt.dstIp} loops (more than ${MAX_HOPS} hops)`);
    const subnet = t.ix.subnets.get(subnetId) as SubnetModel;
    const rt = t.ix.routeTableOfSubnet.get(subnetId);
    if (!rt) return t.block(subnet.name, "NO_ROUTE", `${subnet.name} has no route table (and its VPC has no main table)`);
    t.hop(rt.name, "route-table");
    const route = longestPrefixMatch(rt.routes.filter((r) => t.ix.cidr(r.destination)), (r) => r.destination, pkt.dstIp);
    if (!route) return t.block(rt.name, "NO_ROUTE", `${rt.name} has no route that matches ${pkt.dstIp === INTERNET_PROBE_IP ? "0.0.0.0/0" : pkt.dstIp} (it has: ${describeRoutes(rt.routes)})`);
    if (route.state === "blackhole") return t.block(rt.name, "BLACKHOLE_ROUTE", `${rt.name} routes ${route.destination} to ${route.target.kind} ${"id" in route.target ? route.target.id : ""}, which no longer exists (blackhole)`);
    const target = route.target;
    switch (target.kind) {
      case "local": {
        const owner = lookupPrivate(t.ix, subnet.vpcId, pkt.dstIp);
        if (!owner) return t.block(rt.name, "UNKNOWN_DESTINATION", `no network interface in ${t.name(subnet.vpcId)} has the address ${pkt.dstIp}`);
        return { kind: "owner", owner, vpcId: subnet.vpcId, fromSubnetId: subnetId };
      }
      case "igw": {
        const igw = t.s.internetGateways.find((g) => g.id === target.id);
        t.hop(igw?.name ?? target.id, "internet-gateway");
        if (!igw || igw.vpcId !== subnet.vpcId) return t.block(rt.name, "BLACKHOLE_ROUTE", `${rt.name} sends ${route.destination} to ${target.id}, which is not attached to ${t.name(subnet.vpcId)}`);
        if (isPrivateAddress(pkt.dstIp)) {
          return t.block(rt.name, "NO_ROUTE", `${rt.name} sends ${pkt.dstIp} to the internet gateway (${route.destination} → ${igw.name}), which drops private destinations: no route sends it back through the transit gateway`);
        }
        if (!reply || isPrivateAddress(pkt.srcIp)) {
          // The IGW translates only addresses of its own VPC's interfaces that have a public IP.
          const sender = lookupPrivate(t.ix, subnet.vpcId, pkt.srcIp);
          const publicIp = sender?.kind === "nat-gateway" ? sender.nat.publicIp : sender?.kind === "instance" ? publicIpOf(t, sender.instance) : undefined;
          if (!publicIp) {
            const who = sender?.kind === "instance" ? sender.instance.name : pkt.srcIp;
            return t.block(igw.name, "NO_PUBLIC_IP", `${who} has no public or Elastic IP, so ${igw.name} cannot carry its traffic to the internet`);
          }
          t.egressIp = publicIp;
          pkt = { ...pkt, srcIp: publicIp };
        }
        const publicOwner = t.ix.publicOwner.get(pkt.dstIp);
        if (!publicOwner) return { kind: "internet" };
        return arriveFromInternet(t, publicOwner, pkt);
      }
      case "nat-gateway": {
        const nat = t.ix.natGateways.get(target.id);
        if (!nat || nat.state !== "available") return t.block(rt.name, "BLACKHOLE_ROUTE", `${rt.name} sends ${route.destination} to NAT gateway ${nat?.name ?? target.id}, which is ${nat?.state ?? "gone"}`);
        t.hop(nat.name, "nat-gateway");
        if (nat.subnetId !== subnetId && !checkNacl(t, nat.subnetId, false, pkt.protocol, pkt.srcIp, pkt.port)) return null;
        if (!reply) {
          t.translations.push({ kind: "nat-gateway", name: nat.name, ip: nat.privateIp, subnetId: nat.subnetId, vpcId: nat.vpcId, originalSrc: pkt.srcIp, originalSrcSgIds: t.senderSgIds });
          pkt = { ...pkt, srcIp: nat.privateIp };
          t.senderSgIds = [];
        }
        if (!checkNacl(t, nat.subnetId, true, pkt.protocol, pkt.dstIp, pkt.port)) return null;
        subnetId = nat.subnetId;
        continue;
      }
      case "tgw": {
        const next = crossTgw(t, subnet, target.id, pkt);
        if (!next) return null;
        subnetId = next;
        continue;
      }
      case "eni": {
        const inst = t.ix.instanceByEni.get(target.id) ?? (target.instanceId ? t.ix.instances.get(target.instanceId) : undefined);
        if (!inst) return t.block(rt.name, "BLACKHOLE_ROUTE", `${rt.name} sends ${route.destination} to ${target.id}, which is attached to no instance`);
        if (inst.privateIp === pkt.dstIp) return { kind: "owner", owner: { kind: "instance", instance: inst }, vpcId: inst.vpcId, fromSubnetId: subnetId };
        const next = forwardThroughInstance(t, inst, subnetId, pkt, reply);
        if (!next) return null;
        pkt = next;
        subnetId = inst.subnetId;
        continue;
      }
      case "vpc-endpoint":
        t.hop(target.id, "vpc-endpoint");
        return { kind: "internet" };
      default:
        return t.block(rt.name, "NO_ROUTE", `${rt.name} sends ${route.destination} to a ${target.kind} (${target.id}), which netlab does not model`);
    }
  }
}

function publicIpOf(t: Trace, inst: InstanceModel): string | undefined {
  const eip = t.s.elasticIps.find((e) => e.instanceId === inst.id || (e.eniId !== undefined && e.eniId === inst.eniId));
  return eip?.publicIp ?? inst.publicIp;
}

function arriveFromInternet(t: Trace, owner: Owner, pkt: Packet): Arrival | null {
  const vpcId = owner.kind === "instance" ? owner.instance.vpcId : owner.kind === "nat-gateway" ? owner.nat.vpcId : owner.vpcId;
  const igw = t.s.internetGateways.find((g) => g.vpcId === vpcId);
  if (!igw) return t.block(t.name(vpcId), "NO_ROUTE", `${t.name(vpcId)} has no internet gateway, so ${pkt.dstIp} cannot be reached from the internet`);
  t.hop(igw.name, "internet-gateway");
  const subnetId = owner.kind === "instance" ? owner.instance.subnetId : owner.kind === "nat-gateway" ? owner.nat.subnetId : owner.subnetId;
  return { kind: "owner", owner, vpcId, fromSubnetId: subnetId };
}

/** Enters the TGW from a VPC subnet and leaves it into the destination VPC; returns the subnet it leaves into. */
function crossTgw(t: Trace, subnet: SubnetModel, tgwId: string, pkt: Packet): string | null {
  const tgw = t.s.transitGateways.find((g) => g.id === tgwId);
  const tgwName = tgw?.name ?? tgwId;
  const attachment = t.ix.attachmentsByVpcTgw.get(`${subnet.vpcId}|${tgwId}`);
  if (!attachment || attachment.state === "deleted") return t.block(tgwName, "TGW_NO_ROUTE", `${t.name(subnet.vpcId)} routes to ${tgwName} but has no attachment to it`);
  t.hop(attachment.name, "tgw-attachment");
  // A VPC attachment carries traffic only from AZs where it has a subnet.
  // https://docs.aws.amazon.com/vpc/latest/tgw/tgw-vpc-attachments.html
  const azs = attachment.subnetIds.map((id) => t.ix.subnets.get(id)?.az);
  if (!azs.includes(subnet.az)) {
    return t.block(attachment.name, "TGW_NO_ATTACHMENT_IN_AZ", `${attachment.name} has no subnet in ${subnet.az}, so traffic from ${subnet.name} cannot enter ${tgwName}`);
  }
  t.hop(tgwName, "transit-gateway");
  const table = t.ix.tgwRouteTableOfAttachment.get(attachment.id);
  if (!table) return t.block(attachment.name, "TGW_NO_ROUTE", `${attachment.name} is associated with no TGW route table`);
  t.hop(table.name, "tgw-route-table");
  const routes = tgwRoutes(t, table);
  const route = longestPrefixMatch(routes, (r) => r.destination, pkt.dstIp);
  if (!route) return t.block(table.name, "TGW_NO_ROUTE", `${table.name} has no route that matches ${pkt.dstIp === INTERNET_PROBE_IP ? "0.0.0.0/0" : pkt.dstIp} (it has: ${routes.map((r) => r.destination).join(", ") || "none"})`);
  if (route.state === "blackhole" || !route.attachmentId) return t.block(table.name, "TGW_NO_ROUTE", `${table.name} routes ${route.destination} to a blackhole`);
  const out = t.ix.attachments.get(route.attachmentId);
  if (!out) return t.block(table.name, "TGW_NO_ROUTE", `${table.name} routes ${route.destination} to ${route.attachmentId}, which is gone`);
  t.hop(out.name, "tgw-attachment");
  // The TGW keeps traffic in its AZ when the destination attachment has a subnet there.
  const sameAz = out.subnetIds.find((id) => t.ix.subnets.get(id)?.az === subnet.az);
  const entry = sameAz ?? out.subnetIds[0];
  if (!entry || !t.ix.subnets.has(entry)) return t.block(out.name, "TGW_NO_ROUTE", `${out.name} has no subnet to deliver into`);
  return entry;
}

interface EffectiveTgwRoute {
  destination: string;
  attachmentId?: string;
  state: "active" | "blackhole";
}

/** Static routes plus one propagated route per VPC CIDR of each propagating attachment. */
function tgwRoutes(t: Trace, table: { routes: EffectiveTgwRoute[]; propagations: string[] }): EffectiveTgwRoute[] {
  const routes: EffectiveTgwRoute[] = table.routes.filter((r) => t.ix.cidr(r.destination));
  for (const a of table.propagations) {
    const att = t.ix.attachments.get(a);
    const vpc = att && t.ix.vpcs.get(att.vpcId);
    if (!vpc) continue;
    for (const cidr of [vpc.cidr, ...(vpc.secondaryCidrs ?? [])]) {
      // A static route wins over a propagated one for the same prefix.
      if (!routes.some((r) => r.destination === cidr)) routes.push({ destination: cidr, attachmentId: a, state: "active" });
    }
  }
  return routes;
}

/** A NAT instance forwarding a packet that is not addressed to it. Returns the packet as it leaves. */
function forwardThroughInstance(t: Trace, inst: InstanceModel, fromSubnetId: string, pkt: Packet, reply: boolean): Packet | null {
  t.hop(inst.name, "nat-instance");
  if (inst.state !== "running") return t.block(inst.name, "INSTANCE_NOT_RUNNING", `${inst.name} is ${inst.state}, so it forwards nothing`);
  // EC2 drops traffic not addressed to an instance unless its source/destination check is off.
  // https://docs.aws.amazon.com/vpc/latest/userguide/work-with-nat-instances.html
  if (inst.sourceDestCheck) return t.block(inst.name, "SOURCE_DEST_CHECK", `${inst.name} has source/destination check on, so EC2 drops the traffic it should forward`);
  if (!reply) {
    if (fromSubnetId !== inst.subnetId && !checkNacl(t, inst.subnetId, false, pkt.protocol, pkt.srcIp, pkt.port)) return null;
    if (!checkSgIngress(t, instanceEndpoint(inst), pkt)) return null;
  }
  const os = osOf(inst);
  if (!os.ipForward) return t.block(inst.name, "NAT_NOT_FORWARDING", `${inst.name} does not forward packets (net.ipv4.ip_forward = 0)`);
  const leavingVpc = !isInVpc(t.ix, inst.vpcId, pkt.dstIp);
  if (reply) return pkt;
  if (leavingVpc && !os.masquerade) {
    return t.block(inst.name, "NAT_NOT_FORWARDING", `${inst.name} forwards but does not translate (no iptables MASQUERADE rule), so replies from ${pkt.dstIp} can never return`);
  }
  let out = pkt;
  if (leavingVpc) {
    t.translations.push({ kind: "nat-instance", name: inst.name, ip: inst.privateIp, subnetId: inst.subnetId, vpcId: inst.vpcId, originalSrc: pkt.srcIp, originalSrcSgIds: t.senderSgIds });
    out = { ...pkt, srcIp: inst.privateIp };
  }
  t.senderSgIds = inst.securityGroupIds;
  if (!checkSgEgress(t, instanceEndpoint(inst), out, [])) return null;
  if (!checkNacl(t, inst.subnetId, true, out.protocol, out.dstIp, out.port)) return null;
  return out;
}

// ---------------------------------------------------------------------------------------------
// Delivery and return

/** The destination takes the packet: NACL in, SG in, running, listening. */
function deliver(t: Trace, arrival: Extract<Arrival, { kind: "owner" }>, pkt: Packet): boolean {
  const owner = arrival.owner;
  if (owner.kind !== "instance") return true;
  const inst = owner.instance;
  t.hop(inst.name, "instance");
  if (arrival.fromSubnetId !== inst.subnetId && !checkNacl(t, inst.subnetId, false, pkt.protocol, pkt.srcIp, pkt.port)) return false;
  if (inst.state !== "running") return !t.block(inst.name, "INSTANCE_NOT_RUNNING", `${inst.name} is ${inst.state}`);
  if (!checkSgIngress(t, instanceEndpoint(inst), pkt)) return false;
  if (pkt.protocol === "tcp" && !osOf(inst).listeningPorts.includes(pkt.port) && (inst.os || inst.tags["netlab:role"])) {
    return !t.block(inst.name, "SERVICE_DOWN", `nothing listens on ${inst.name}:${pkt.port}`);
  }
  return true;
}

/**
 * The reply travels back from `fromSubnetId` (or the internet) to the packet's source, undoing each
 * translation in reverse. SGs are stateful; routes and NACLs are checked.
 */
function traceReturn(t: Trace, start: { subnetId?: string; ip: string }, pkt: Packet, srcEndpoint: Endpoint): boolean {
  t.recording = false;
  try {
    return traceReply(t, start, pkt, srcEndpoint);
  } finally {
    t.recording = true;
  }
}

function traceReply(t: Trace, start: { subnetId?: string; ip: string }, pkt: Packet, srcEndpoint: Endpoint): boolean {
  let replyDst = pkt.srcIp;
  let subnetId = start.subnetId;
  const replySrc = start.ip;
  const protocol = pkt.protocol;
  if (subnetId && !checkNacl(t, subnetId, true, protocol, replyDst, REPLY_PORT)) return false;
  for (let guard = 0; guard < 8; guard++) {
    const reply: Packet = { protocol, srcIp: replySrc, dstIp: replyDst, port: REPLY_PORT };
    let arrival: Arrival | null;
    if (subnetId) arrival = routeFrom(t, subnetId, reply, true);
    else {
      const owner = t.ix.publicOwner.get(replyDst);
      if (!owner) return !t.block("internet", "NO_ROUTE", `the reply to ${replyDst} has no public address to come back to`);
      arrival = arriveFromInternet(t, owner, reply);
      if (arrival && owner.kind === "nat-gateway") replyDst = owner.nat.privateIp;
      if (arrival && owner.kind === "instance") replyDst = owner.instance.privateIp;
    }
    if (!arrival) return false;
    if (arrival.kind === "internet") return !t.block("internet", "NO_ROUTE", `the reply to ${replyDst} left for the internet`);
    const ownerIp = arrival.owner.kind === "instance" ? arrival.owner.instance.privateIp : arrival.owner.kind === "nat-gateway" ? arrival.owner.nat.privateIp : "";
    const ownerSubnet = arrival.owner.kind === "instance" ? arrival.owner.instance.subnetId : arrival.owner.kind === "nat-gateway" ? arrival.owner.nat.subnetId : arrival.owner.subnetId;
    if (arrival.fromSubnetId !== ownerSubnet && !checkNacl(t, ownerSubnet, false, protocol, replySrc, REPLY_PORT)) return false;
    const translation = [...t.translations].reverse().find((x) => x.ip === ownerIp);
    if (translation) {
      t.translations.splice(t.translations.lastIndexOf(translation), 1);
      replyDst = translation.originalSrc;
      subnetId = translation.subnetId;
      if (!checkNacl(t, subnetId, true, protocol, replyDst, REPLY_PORT)) return false;
      continue;
    }
    if (ownerIp === srcEndpoint.ip) return true;
    return !t.block(t.name(ownerSubnet), "NO_ROUTE", `the reply to ${srcEndpoint.ip} was delivered to ${ownerIp} instead`);
  }
  return !t.block(srcEndpoint.name, "NO_ROUTE", "the reply path loops");
}

// ---------------------------------------------------------------------------------------------
// Entry points

/** Traces src → dstIp and back. */
function traceFrom(t: Trace, src: Endpoint, dstIp: string, options: Required<Pick<ReachOptions, "protocol" | "port">>, peerSgIds: readonly string[] = []): boolean {
  if (!isIp(dstIp)) return !t.block(src.name, "UNKNOWN_DESTINATION", `the destination has no IPv4 address (${dstIp || "none"}: a terminated instance?)`);
  const pkt: Packet = { protocol: options.protocol, srcIp: src.ip, dstIp, port: options.port };
  t.senderSgIds = src.sgIds;
  if (!checkSgEgress(t, src, pkt, peerSgIds)) return false;
  if (!checkNacl(t, src.subnetId, true, pkt.protocol, pkt.dstIp, pkt.port)) return false;
  const arrival = routeFrom(t, src.subnetId, pkt, false);
  if (!arrival) return false;
  const last = t.translations[t.translations.length - 1];
  const seenSrc = t.egressIp && arrival.kind === "internet" ? t.egressIp : last ? last.ip : src.ip;
  if (arrival.kind === "internet") {
    t.hop("internet", "internet");
    return traceReturn(t, { ip: dstIp }, { ...pkt, srcIp: seenSrc }, src);
  }
  const delivered: Packet = { ...pkt, srcIp: t.egressIp && t.ix.publicOwner.has(dstIp) ? t.egressIp : seenSrc };
  if (!deliver(t, arrival, delivered)) return false;
  const ownerSubnet = arrival.owner.kind === "instance" ? arrival.owner.instance.subnetId : arrival.owner.kind === "nat-gateway" ? arrival.owner.nat.subnetId : arrival.owner.subnetId;
  const viaInternet = t.ix.publicOwner.has(dstIp) && t.egressIp !== null;
  if (viaInternet) {
    // A reply to a public address goes back out through the IGW, then in again to the sender's translator.
    return traceReturn(t, { ip: dstIp }, delivered, src);
  }
  return traceReturn(t, { subnetId: ownerSubnet, ip: dstIp }, delivered, src);
}

function newTrace(s: Snapshot): Trace {
  return new Trace(s, indexSnapshot(s));
}

function result(t: Trace, reachable: boolean): ReachResult {
  return { reachable: reachable && !t.blocked, hops: t.hops, blockedBy: reachable && !t.blocked ? null : t.blocked, egressIp: t.egressIp };
}

function findLoadBalancer(s: Snapshot, ref?: string): LoadBalancerModel {
  const lbs = s.loadBalancers;
  const lb = ref ? lbs.find((l) => l.name === ref || l.arn === ref || l.dnsName === ref) : lbs[0];
  if (!lb || (!ref && lbs.length > 1)) {
    throw new UnknownEndpointError(`${ref ? `Unknown load balancer "${ref}"` : "Which load balancer?"}; valid load balancers: ${lbs.map((l) => l.name).join(", ") || "none"}.`);
  }
  return lb;
}

/** Resolves a name as the Route 53 Resolver of the VPC would: private zones associated with it. */
export function resolveInVpc(s: Snapshot, vpcId: string, name: string): { addresses: string[]; loadBalancer?: LoadBalancerModel; zone?: string; associated: boolean } {
  const fqdn = name.replace(/\.$/, "").toLowerCase();
  let unassociated: string | undefined;
  for (const zone of s.hostedZones.filter((z) => z.private)) {
    const record = zone.records.find((r) => r.name.replace(/\.$/, "").toLowerCase() === fqdn && (r.type === "A" || r.aliasTarget !== undefined));
    if (!record) continue;
    if (!zone.vpcIds.includes(vpcId)) {
      unassociated = zone.name;
      continue;
    }
    const loadBalancer = record.aliasTarget ? s.loadBalancers.find((l) => l.dnsName === record.aliasTarget?.replace(/\.$/, "")) : undefined;
    return { addresses: record.values, loadBalancer, zone: zone.name, associated: true };
  }
  return { addresses: [], zone: unassociated, associated: false };
}

/**
 * Can `from` reach `to`, and if not, which component blocks it? Traffic to the internet, an
 * instance, an address, a DNS name or the ALB; the reply path is checked too.
 */
export function reach(s: Snapshot, from: string, to: Destination, options: ReachOptions = {}): ReachResult {
  const src = instanceEndpoint(findInstanceRef(s, from));
  const protocol = options.protocol ?? "tcp";
  const opts = { protocol, port: options.port ?? (to.kind === "internet" ? 443 : 80) };
  const t = newTrace(s);
  t.hop(src.name, "instance");
  if (src.instance && src.instance.state !== "running") {
    return result(t, !t.block(src.name, "INSTANCE_NOT_RUNNING", `${src.name} is ${src.instance.state}`));
  }
  switch (to.kind) {
    case "internet":
      return result(t, traceFrom(t, src, to.ip ?? INTERNET_PROBE_IP, opts));
    case "instance": {
      const dst = findInstanceRef(s, to.ref);
      return result(t, traceFrom(t, src, dst.privateIp, opts, dst.securityGroupIds));
    }
    case "address": {
      if (!isIp(to.ip)) throw new UnknownEndpointError(`"${to.ip}" is not an IPv4 address.`);
      const owner = s.instances.find((i) => i.privateIp === to.ip && (i.vpcId === src.vpcId || !isInVpc(indexSnapshot(s), src.vpcId, to.ip)));
      return result(t, traceFrom(t, src, to.ip, opts, owner?.securityGroupIds ?? []));
    }
    case "dns": {
      const r = resolveInVpc(s, src.vpcId, to.name);
      t.hop(to.name, "dns");
      if (r.loadBalancer) return reachLoadBalancer(s, t, src, r.loadBalancer, opts);
      if (!r.addresses.length) {
        const detail = r.zone ? `${to.name} is in private zone ${r.zone}, which is not associated with ${t.name(src.vpcId)}` : `no private zone associated with ${t.name(src.vpcId)} has ${to.name}`;
        return result(t, !t.block(r.zone ?? to.name, "DNS_NO_ANSWER", detail));
      }
      const dst = s.instances.find((i) => i.privateIp === r.addresses[0]);
      return result(t, traceFrom(t, src, r.addresses[0], opts, dst?.securityGroupIds ?? []));
    }
    case "load-balancer":
      return reachLoadBalancer(s, t, src, findLoadBalancer(s, to.ref), opts);
  }
}

function reachLoadBalancer(s: Snapshot, t: Trace, src: Endpoint, lb: LoadBalancerModel, opts: { protocol: "tcp" | "udp" | "icmp"; port: number }): ReachResult {
  const port = opts.port;
  const listener = lb.listeners.find((l) => l.port === port) ?? lb.listeners[0];
  if (lb.scheme === "internet-facing") {
    // Clients reach an internet-facing ALB through the internet, from their public address.
    if (!traceFrom(t, src, INTERNET_PROBE_IP, { protocol: "tcp", port: listener?.port ?? port })) return result(t, false);
    t.hops = t.hops.filter((h) => h.kind !== "internet");
  }
  t.hop(lb.name, "load-balancer");
  const clientIp = t.egressIp ?? src.ip;
  const pkt: Packet = { protocol: "tcp", srcIp: clientIp, dstIp: clientIp, port: listener?.port ?? port };
  if (!sgAllows(t, lb.securityGroupIds, false, pkt, clientIp, src.sgIds)) {
    for (const id of lb.securityGroupIds) t.hop(t.name(id), "security-group");
    const names = lb.securityGroupIds.map((id) => t.name(id)).join(", ");
    return result(t, !t.block(names || lb.name, "SG_INGRESS_DENY", `no inbound rule of ${names} admits tcp/${pkt.port} from ${clientIp}`));
  }
  if (!listener) return result(t, !t.block(lb.name, "SERVICE_DOWN", `${lb.name} has no listener on port ${port}`));
  const tg = s.targetGroups.find((g) => g.arn === listener.targetGroupArn);
  if (!tg) return result(t, !t.block(lb.name, "NO_HEALTHY_TARGET", `the listener on ${listener.port} forwards to a target group that does not exist`));
  t.hop(tg.name, "target-group");
  const healthy = tg.targets.filter((target) => targetHealth(s, tg, target).state === "healthy");
  if (!healthy.length) return result(t, !t.block(tg.name, "NO_HEALTHY_TARGET", `${tg.name} has no healthy target (${tg.targets.length} registered)`));
  return result(t, true);
}

/** Turns the CLI's `--to` text into a destination; unknown names list the valid ones. */
export function parseDestination(text: string, s: Snapshot): Destination {
  const value = text.trim();
  if (value === "internet") return { kind: "internet" };
  if (value === "alb" || s.loadBalancers.some((l) => l.name === value || l.dnsName === value)) return { kind: "load-balancer", ...(value === "alb" ? {} : { ref: value }) };
  const ix = indexSnapshot(s);
  if (ix.instanceByName.has(value) || ix.instances.has(value)) return { kind: "instance", ref: value };
  const [ip] = value.split(":");
  if (isIp(ip)) return { kind: "address", ip };
  if (/^[a-z0-9-]+(\.[a-z0-9-]+)+\.?$/i.test(value) && !/^\d+(\.\d+)*$/.test(value)) return { kind: "dns", name: value };
  throw new UnknownEndpointError(
    `Unknown destination "${text}"; give internet, alb, an ip[:port], a DNS name, or an instance: ${s.instances.map((i) => i.name).sort().join(", ")}.`,
  );
}

/** Traces from any endpoint (an ALB node for health checks) to an address and back. */
export function traceEndpoint(s: Snapshot, src: Endpoint, dstIp: string, options: { protocol: "tcp" | "udp" | "icmp"; port: number }, peerSgIds: readonly string[] = []): ReachResult {
  const t = newTrace(s);
  t.hop(src.name, src.kind);
  return result(t, traceFrom(t, src, dstIp, options, peerSgIds));
}
