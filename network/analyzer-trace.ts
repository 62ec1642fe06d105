import { isIp, longestPrefixMatch } from "../topology/cidr";
import {
  indexSnapshot,
  isInVpc,
  isPrivateAddress,
  lookupPrivate,
  naclVerdictForRange,
  ownerIp,
  ownerName,
  ownerSubnet,
  ownerVpc,
  sgRuleMatches,
  type Owner,
  type Packet,
  type SnapshotIndex,
} from "./analyzer-index";
import { formatRange, LINUX_EPHEMERAL, NAT_GATEWAY_PORTS, NAT_INSTANCE_PORTS, type PortRange } from "./ports";
import type { BlockedBy, Hop, HopKind, ReachResult, ReasonCode } from "./reach-types";
import type { InstanceModel, OsState, RouteModel, Snapshot } from "./snapshot";
import { defaultOsState } from "./snapshot";

/** A stand-in for "somewhere on the internet": TEST-NET-1, outside every VPC. */
export const INTERNET_PROBE_IP = "192.0.2.80";
const MAX_HOPS = 64;

/** Something that sends: an instance, or a load balancer node (health checks). */
export interface Endpoint {
  name: string;
  /** The AWS id (an instance's, an endpoint interface's), shown next to the name. */
  id?: string;
  kind: HopKind;
  ip: string;
  subnetId: string;
  vpcId: string;
  sgIds: string[];
  instance?: InstanceModel;
  /** The range it picks source ports from. @default Linux's ephemeral range */
  ports?: PortRange;
}

interface Translation {
  kind: "nat-gateway" | "nat-instance";
  name: string;
  ip: string;
  subnetId: string;
  originalSrc: string;
  originalPorts: PortRange | undefined;
}

/** Where a packet ended up: the internet, or an owner of its destination address (entered from a subnet, or from an IGW). */
/** What a hop or a block names: a free word ("internet"), or a resource with its name and its AWS id (an ARN for ELB). */
export type Component = string | { name: string; id?: string; arn?: string };

/** Names repeat in real accounts (launch-wizard-1 is in every VPC): a resource's component carries its id too. */
function componentOf(c: Component): { component: string; id?: string } {
  if (typeof c === "string") return { component: c };
  const id = c.id ?? c.arn;
  return id !== undefined && id !== c.name ? { component: c.name, id } : { component: c.name };
}

export type Arrival = { kind: "internet"; pkt: Packet } | { kind: "owner"; owner: Owner; fromSubnetId: string; pkt: Packet };

/** Mutable state of one trace. */
export class Trace {
  hops: Hop[] = [];
  blocked: BlockedBy | null = null;
  egressIp: string | null = null;
  translations: Translation[] = [];
  /** SGs of whoever sent the packet last (for SG rules that reference a group). */
  senderSgIds: string[] = [];
  /**
   * Whether SG rules may reference groups of another VPC: undefined until the packet crosses a transit gateway,
   * then true only if every gateway and attachment on the way has security group referencing on.
   */
  sgReferencingAcross: boolean | undefined;
  steps = 0;
  /** Hops are the forward path; the reply path is checked but not listed. */
  recording = true;
  readonly ix: SnapshotIndex;

  constructor(readonly s: Snapshot) {
    this.ix = indexSnapshot(s);
  }

  hop(what: Component, kind: HopKind): void {
    if (!this.recording) return;
    const c = componentOf(what);
    const last = this.hops[this.hops.length - 1];
    if (!last || last.component !== c.component || last.id !== c.id || last.kind !== kind) this.hops.push({ ...c, kind });
  }

  block(what: Component, reason: ReasonCode, detail: string): null {
    this.blocked ??= { ...componentOf(what), reason, detail };
    return null;
  }

  /** A resource by id, as a component: its name and its id. */
  ref(id: string): Component {
    return { name: this.name(id), id };
  }

  name(id: string): string {
    const all = [this.ix.subnets.get(id), this.ix.vpcs.get(id), this.ix.securityGroups.get(id), this.ix.instances.get(id), this.ix.natGateways.get(id), this.ix.attachments.get(id), this.ix.transitGateways.get(id)];
    return all.find((x) => x)?.name ?? this.s.internetGateways.find((g) => g.id === id)?.name ?? id;
  }

  result(reachable: boolean): ReachResult {
    const ok = reachable && !this.blocked;
    return { reachable: ok, hops: this.hops, blockedBy: ok ? null : this.blocked, egressIp: this.egressIp };
  }
}

export function osOf(inst: InstanceModel): OsState {
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

export function instanceEndpoint(inst: InstanceModel): Endpoint {
  return { name: inst.name, id: inst.id, kind: "instance", ip: inst.privateIp, subnetId: inst.subnetId, vpcId: inst.vpcId, sgIds: inst.securityGroupIds, instance: inst, ports: LINUX_EPHEMERAL };
}

const portText = (pkt: Packet): string => (pkt.protocol === "icmp" ? pkt.protocol : pkt.dstPorts ? `${pkt.protocol}/${formatRange(pkt.dstPorts)}` : `${pkt.protocol}/${pkt.port}`);

// ---------------------------------------------------------------------------------------------
// Security groups and NACLs

/**
 * The groups a rule of `sgVpcId` may match on the other end. A group of another VPC matches only across a
 * transit gateway with security group referencing on, and only in inbound rules: "Outbound security rules
 * referencing over Transit Gateway aren't supported."
 * https://aws.amazon.com/blogs/networking-and-content-delivery/introducing-security-group-referencing-for-aws-transit-gateway/
 */
function referencablePeers(t: Trace, sgVpcId: string, peers: readonly string[], egress: boolean): string[] {
  return peers.filter((id) => {
    const vpc = t.ix.securityGroups.get(id)?.vpcId;
    return vpc === undefined || vpc === sgVpcId || (!egress && t.sgReferencingAcross === true);
  });
}

function sgAllows(t: Trace, sgIds: readonly string[], egress: boolean, pkt: Packet, peerIp: string, peerSgIds: readonly string[]): boolean {
  for (const id of sgIds) {
    const sg = t.ix.securityGroups.get(id);
    if (!sg) continue;
    const peers = referencablePeers(t, sg.vpcId, peerSgIds, egress);
    if ((egress ? sg.egress : sg.ingress).some((r) => sgRuleMatches(t.ix, r, pkt, peerIp, peers))) return true;
  }
  return false;
}

export function checkSgEgress(t: Trace, from: Endpoint, pkt: Packet, peerSgIds: readonly string[]): boolean {
  for (const id of from.sgIds) t.hop(t.ref(id), "security-group");
  if (sgAllows(t, from.sgIds, true, pkt, pkt.dstIp, peerSgIds)) return true;
  const names = from.sgIds.map((id) => t.name(id)).join(", ");
  t.block(from.sgIds.length ? { name: names, id: from.sgIds.join(", ") } : from, "SG_EGRESS_DENY", `no outbound rule of ${names || "its security groups"} allows ${portText(pkt)} to ${pkt.dstIp} (Terraform-made groups have no default allow-all egress)`);
  return false;
}

/** Inbound SG check of whatever receives the packet. No groups at all (a Network Load Balancer without any) admits everything. */
export function checkSgIngress(t: Trace, to: { name: string; sgIds: readonly string[] }, pkt: Packet, admitWithoutGroups = false): boolean {
  if (admitWithoutGroups && to.sgIds.length === 0) return true;
  for (const id of to.sgIds) t.hop(t.ref(id), "security-group");
  if (sgAllows(t, to.sgIds, false, pkt, pkt.srcIp, t.senderSgIds)) return true;
  const names = to.sgIds.map((id) => t.name(id)).join(", ");
  t.block(to.sgIds.length ? { name: names, id: to.sgIds.join(", ") } : to, "SG_INGRESS_DENY", `no inbound rule of ${names || "its security groups"} admits ${portText(pkt)} from ${pkt.srcIp}`);
  return false;
}

/**
 * One direction of a subnet's NACL for a packet; `remoteIp` is the other end. A request is checked on its
 * port, a reply on every port of the range its requester may have picked (NACLs are stateless).
 */
export function checkNacl(t: Trace, subnetId: string, egress: boolean, pkt: Packet, remoteIp: string): boolean {
  const acl = t.ix.naclOfSubnet.get(subnetId);
  if (!acl) return true;
  const ports = pkt.dstPorts ?? { from: pkt.port, to: pkt.port };
  const v = naclVerdictForRange(t.ix, acl, egress, pkt.protocol, remoteIp, ports);
  // Only a NACL that is not allow-all is worth a hop in the path.
  if (v.allowed) {
    if (!acl.isDefault || acl.entries.some((e) => e.action === "deny" && e.ruleNumber < 32767)) t.hop(acl, "network-acl");
    return true;
  }
  t.hop(acl, "network-acl");
  const what = `${pkt.protocol}${pkt.protocol === "icmp" ? "" : `/${v.port}`}`;
  const range = pkt.dstPorts && pkt.protocol !== "icmp" ? ` (a reply may come back to any port of ${formatRange(pkt.dstPorts)}, ${pkt.dstPorts.who}, and the ACL must admit them all)` : "";
  t.block(acl, "NACL_DENY", `${egress ? "outbound" : "inbound"} ${v.rule === undefined ? "default deny (*)" : `rule ${v.rule}`} of ${acl.name} drops ${what} ${egress ? "to" : "from"} ${remoteIp} in ${t.name(subnetId)}${range}`);
  return false;
}

// ---------------------------------------------------------------------------------------------
// Routing

const IGW_PREFIX = "igw:";

/**
 * Routes a packet that leaves `startSubnet` until it reaches an owner of its destination address or
 * the internet. NAT (gateway or instance) on the way is recorded in `t.translations`. A subnet's
 * outbound NACL is evaluated when the packet leaves the subnet (never for traffic that stays in it),
 * the inbound one when it enters another; the caller checks the final inbound one (see `deliver`).
 * `reply`: a return packet (stateful SGs are not checked; NACLs are).
 */
export function routeFrom(t: Trace, startSubnet: string, pkt: Packet, reply: boolean): Arrival | null {
  let subnetId = startSubnet;
  for (;;) {
    if (++t.steps > MAX_HOPS) return t.block(t.ref(subnetId), "NO_ROUTE", `the packet to ${pkt.dstIp} loops (more than ${MAX_HOPS} hops)`);
    const subnet = t.ix.subnets.get(subnetId);
    if (!subnet) return t.block(subnetId || "(no subnet)", "NO_ROUTE", `the sender's subnet ${subnetId || "(none)"} is not in the snapshot`);
    const rt = t.ix.routeTableOfSubnet.get(subnetId);
    if (!rt) return t.block(subnet, "NO_ROUTE", `${subnet.name} has no route table (and its VPC has no main table)`);
    const route = longestPrefixMatch(rt.routes.filter((r) => t.ix.cidr(r.destination)), (r) => r.destination, pkt.dstIp);
    /** The packet leaves this subnet for `next` (a subnet, or undefined: a gateway): its outbound NACL applies. */
    const leave = (next?: string): boolean => next === subnetId || checkNacl(t, subnetId, true, pkt, pkt.dstIp);
    if (!route) {
      t.hop(rt, "route-table");
      return t.block(rt, "NO_ROUTE", `${rt.name} has no route that matches ${pkt.dstIp === INTERNET_PROBE_IP ? "0.0.0.0/0" : pkt.dstIp} (it has: ${describeRoutes(rt.routes)})`);
    }
    const target = route.target;
    const targetText = `${target.kind}${"id" in target ? ` ${target.id}` : ""}`;
    if (route.state === "blackhole") {
      t.hop(rt, "route-table");
      return t.block(rt, "BLACKHOLE_ROUTE", `${rt.name} routes ${route.destination} to ${targetText}, which no longer exists (blackhole)`);
    }
    switch (target.kind) {
      case "local": {
        const owner = lookupPrivate(t.ix, subnet.vpcId, pkt.dstIp);
        if (!owner) {
          t.hop(rt, "route-table");
          return t.block(rt, "UNKNOWN_DESTINATION", `no network interface in ${t.name(subnet.vpcId)} has the address ${pkt.dstIp}`);
        }
        if (!leave(ownerSubnet(owner))) return null;
        t.hop(rt, "route-table");
        return { kind: "owner", owner, fromSubnetId: subnetId, pkt };
      }
      case "igw": {
        const igw = t.s.internetGateways.find((g) => g.id === target.id);
        if (!igw || igw.vpcId !== subnet.vpcId) {
          t.hop(rt, "route-table");
          return t.block(rt, "BLACKHOLE_ROUTE", `${rt.name} sends ${route.destination} to ${target.id}, which is not attached to ${t.name(subnet.vpcId)}`);
        }
        if (!leave()) return null;
        t.hop(rt, "route-table");
        t.hop(igw, "internet-gateway");
        if (isPrivateAddress(pkt.dstIp)) {
          return t.block(rt, "NO_ROUTE", `${rt.name} sends ${pkt.dstIp} to the internet gateway (${route.destination} → ${igw.name}), which drops private destinations: ${rt.name} has no more specific route for ${pkt.dstIp}`);
        }
        if (isInVpc(t.ix, subnet.vpcId, pkt.srcIp)) {
          // The IGW translates only addresses of its own VPC's interfaces that have a public IP.
          // https://docs.aws.amazon.com/vpc/latest/userguide/VPC_Internet_Gateway.html
          const sender = lookupPrivate(t.ix, subnet.vpcId, pkt.srcIp);
          const publicIp = sender && publicAddressOf(t, sender);
          if (!publicIp) {
            const who = sender ? ownerName(sender) : pkt.srcIp;
            return t.block(igw, "NO_PUBLIC_IP", `${who} has no public or Elastic IP, so ${igw.name} cannot carry its traffic to the internet`);
          }
          if (!reply) t.egressIp = publicIp;
          pkt = { ...pkt, srcIp: publicIp };
          // Across public addresses no security group reference matches.
          t.senderSgIds = [];
        }
        const publicOwner = t.ix.publicOwner.get(pkt.dstIp);
        if (!publicOwner) return { kind: "internet", pkt };
        return arriveFromInternet(t, publicOwner, pkt);
      }
      case "nat-gateway": {
        const nat = t.ix.natGateways.get(target.id);
        t.hop(rt, "route-table");
        if (!nat || nat.state !== "available") return t.block(rt, "BLACKHOLE_ROUTE", `${rt.name} sends ${route.destination} to NAT gateway ${nat?.name ?? target.id}, which is ${nat?.state ?? "gone"}`);
        if (nat.vpcId !== subnet.vpcId) return crossVpcTarget(t, rt, route.destination, `NAT gateway ${nat.name}`, nat.vpcId, subnet.vpcId);
        if (!leave(nat.subnetId)) return null;
        t.hop(nat, "nat-gateway");
        if (nat.subnetId !== subnetId && !checkNacl(t, nat.subnetId, false, pkt, pkt.srcIp)) return null;
        if (!reply) {
          t.translations.push({ kind: "nat-gateway", name: nat.name, ip: nat.privateIp, subnetId: nat.subnetId, originalSrc: pkt.srcIp, originalPorts: pkt.srcPorts });
          pkt = { ...pkt, srcIp: nat.privateIp, srcPorts: NAT_GATEWAY_PORTS };
          t.senderSgIds = [];
        }
        subnetId = nat.subnetId;
        continue;
      }
      case "tgw": {
        if (!leave()) return null;
        t.hop(rt, "route-table");
        const next = crossTgw(t, subnetId, target.id, pkt);
        if (!next) return null;
        subnetId = next;
        continue;
      }
      case "eni": {
        const inst = t.ix.instanceByEni.get(target.id) ?? (target.instanceId ? t.ix.instances.get(target.instanceId) : undefined);
        t.hop(rt, "route-table");
        if (!inst) return t.block(rt, "BLACKHOLE_ROUTE", `${rt.name} sends ${route.destination} to ${target.id}, which is attached to no instance`);
        if (inst.vpcId !== subnet.vpcId) return crossVpcTarget(t, rt, route.destination, `${inst.name}'s network interface ${target.id}`, inst.vpcId, subnet.vpcId);
        if (!leave(inst.subnetId)) return null;
        if (inst.privateIp === pkt.dstIp) return { kind: "owner", owner: { kind: "instance", instance: inst }, fromSubnetId: subnetId, pkt };
        const next = forwardThroughInstance(t, inst, subnetId, pkt, reply);
        if (!next) return null;
        pkt = next;
        subnetId = inst.subnetId;
        continue;
      }
      default: {
        // VPN gateways, peering connections, gateway endpoints (prefix-list routes never match), and others.
        t.hop(rt, "route-table");
        const what = { peering: "VPC peering connections", vgw: "virtual private gateways (VPN / Direct Connect)", "vpc-endpoint": "gateway endpoint targets", other: "this kind of target" }[target.kind];
        return t.block(rt, "UNMODELED_TARGET", `${rt.name} sends ${route.destination} to ${targetText}; netlab does not model ${what}, so it cannot tell whether ${pkt.dstIp === INTERNET_PROBE_IP ? "the internet" : pkt.dstIp} is reachable that way`);
      }
    }
  }
}

/** A route whose target lives in another VPC: AWS refuses to create it, so no traffic is ever forwarded through it. */
function crossVpcTarget(t: Trace, rt: { name: string; id: string }, destination: string, what: string, targetVpc: string, ownVpc: string): null {
  return t.block(rt, "BLACKHOLE_ROUTE", `${rt.name} sends ${destination} to ${what}, which is in ${t.name(targetVpc)}, not in ${t.name(ownVpc)}; a route can only target a gateway or interface of its own VPC, so AWS never forwards through it`);
}

/** The public address an owner's traffic leaves an IGW with, if any. */
function publicAddressOf(t: Trace, owner: Owner): string | undefined {
  switch (owner.kind) {
    case "instance": {
      const inst = owner.instance;
      const eip = t.s.elasticIps.find((e) => e.instanceId === inst.id || (e.eniId !== undefined && e.eniId === inst.eniId));
      return eip?.publicIp ?? inst.publicIp;
    }
    case "nat-gateway":
      return owner.nat.publicIp;
    case "load-balancer":
      return t.ix.loadBalancerNodePublicIp.get(owner.node.privateIp);
    case "vpc-endpoint":
      return undefined;
  }
}

/** A packet from the internet to a public address: it enters through the owner's VPC's IGW, which translates it to the private address. */
export function arriveFromInternet(t: Trace, owner: Owner, pkt: Packet): Arrival | null {
  const vpcId = ownerVpc(owner);
  const igw = t.s.internetGateways.find((g) => g.vpcId === vpcId);
  if (!igw) return t.block(t.ref(vpcId), "NO_ROUTE", `${t.name(vpcId)} has no internet gateway, so ${pkt.dstIp} cannot be reached from the internet`);
  t.hop(igw, "internet-gateway");
  // The packet enters the owner's subnet from outside it: that subnet's inbound NACL applies (see `deliver`).
  return { kind: "owner", owner, fromSubnetId: `${IGW_PREFIX}${igw.id}`, pkt: { ...pkt, dstIp: ownerIp(owner) } };
}

/**
 * Enters the TGW from a VPC subnet and leaves it into the destination VPC; returns the subnet it leaves into.
 * NACLs as AWS documents them (https://docs.aws.amazon.com/vpc/latest/tgw/tgw-nacls.html): traffic to the TGW
 * meets the sender subnet's outbound rules (checked by the caller as it leaves) and the attachment subnet's
 * inbound rules, even when that is the sender's own subnet; traffic from the TGW meets the attachment subnet's
 * outbound rules and the receiving subnet's inbound rules only when the two subnets differ (the caller checks
 * both as the packet leaves the attachment subnet).
 */
function crossTgw(t: Trace, fromSubnetId: string, tgwId: string, pkt: Packet): string | null {
  const subnet = t.ix.subnets.get(fromSubnetId);
  if (!subnet) return null;
  const tgw = t.ix.transitGateways.get(tgwId);
  const tgwName = tgw?.name ?? tgwId;
  const attachment = t.ix.attachmentsByVpcTgw.get(`${subnet.vpcId}|${tgwId}`);
  if (!attachment || attachment.state === "deleted") return t.block({ name: tgwName, id: tgwId }, "TGW_NO_ROUTE", `${t.name(subnet.vpcId)} routes to ${tgwName} but has no attachment to it`);
  t.hop(attachment, "tgw-attachment");
  // A VPC attachment carries traffic only from AZs where it has a subnet.
  // https://docs.aws.amazon.com/vpc/latest/tgw/tgw-vpc-attachments.html
  const entry = attachment.subnetIds.find((id) => t.ix.subnets.get(id)?.az === subnet.az);
  if (!entry) {
    return t.block(attachment, "TGW_NO_ATTACHMENT_IN_AZ", `${attachment.name} has no subnet in ${subnet.az}, so traffic from ${subnet.name} cannot enter ${tgwName}`);
  }
  if (!checkNacl(t, entry, false, pkt, pkt.srcIp)) return null;
  t.hop({ name: tgwName, id: tgwId }, "transit-gateway");
  const table = t.ix.tgwRouteTableOfAttachment.get(attachment.id);
  if (!table) return t.block(attachment, "TGW_NO_ROUTE", `${attachment.name} is associated with no TGW route table`);
  t.hop(table, "tgw-route-table");
  const routes = tgwRoutes(t, table);
  const route = longestPrefixMatch(routes, (r) => r.destination, pkt.dstIp);
  if (!route) return t.block(table, "TGW_NO_ROUTE", `${table.name} has no route that matches ${pkt.dstIp === INTERNET_PROBE_IP ? "0.0.0.0/0" : pkt.dstIp} (it has: ${routes.map((r) => r.destination).join(", ") || "none"})`);
  // A static blackhole route drops what it matches. https://docs.aws.amazon.com/vpc/latest/tgw/tgw-route-tables.html
  if (route.state === "blackhole" || !route.attachmentId) return t.block(table, "BLACKHOLE_ROUTE", `${table.name} routes ${route.destination} to a blackhole, which drops the traffic`);
  const out = t.ix.attachments.get(route.attachmentId);
  if (!out || out.state === "deleted") return t.block(table, "BLACKHOLE_ROUTE", `${table.name} routes ${route.destination} to ${route.attachmentId}, which is gone`);
  t.hop(out, "tgw-attachment");
  t.sgReferencingAcross = (t.sgReferencingAcross ?? true) && tgw?.securityGroupReferencing === true && attachment.securityGroupReferencing !== false && out.securityGroupReferencing !== false;
  // The TGW keeps traffic in its AZ when the destination attachment has a subnet there.
  const sameAz = out.subnetIds.find((id) => t.ix.subnets.get(id)?.az === subnet.az);
  const exit = sameAz ?? out.subnetIds[0];
  if (!exit || !t.ix.subnets.has(exit)) return t.block(out, "TGW_NO_ROUTE", `${out.name} has no subnet to deliver into`);
  return exit;
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
  t.hop(inst, "nat-instance");
  if (inst.state !== "running") return t.block(inst, "INSTANCE_NOT_RUNNING", `${inst.name} is ${inst.state}, so it forwards nothing`);
  // EC2 drops traffic not addressed to an instance unless its source/destination check is off.
  // https://docs.aws.amazon.com/vpc/latest/userguide/work-with-nat-instances.html
  if (inst.sourceDestCheck) return t.block(inst, "SOURCE_DEST_CHECK", `${inst.name} has source/destination check on, so EC2 drops the traffic it should forward`);
  if (fromSubnetId !== inst.subnetId && !checkNacl(t, inst.subnetId, false, pkt, pkt.srcIp)) return null;
  if (!reply && !checkSgIngress(t, instanceEndpoint(inst), pkt)) return null;
  const os = osOf(inst);
  if (!os.ipForward) return t.block(inst, "NAT_NOT_FORWARDING", `${inst.name} does not forward packets (net.ipv4.ip_forward = 0)`);
  if (reply) return pkt;
  const leavingVpc = !isInVpc(t.ix, inst.vpcId, pkt.dstIp);
  if (leavingVpc && !os.masquerade) {
    return t.block(inst, "NAT_NOT_FORWARDING", `${inst.name} forwards but does not translate (no iptables MASQUERADE rule), so replies from ${pkt.dstIp} can never return`);
  }
  let out = pkt;
  if (leavingVpc) {
    t.translations.push({ kind: "nat-instance", name: inst.name, ip: inst.privateIp, subnetId: inst.subnetId, originalSrc: pkt.srcIp, originalPorts: pkt.srcPorts });
    out = { ...pkt, srcIp: inst.privateIp, srcPorts: NAT_INSTANCE_PORTS };
  }
  t.senderSgIds = inst.securityGroupIds;
  if (!checkSgEgress(t, instanceEndpoint(inst), out, [])) return null;
  return out;
}

// ---------------------------------------------------------------------------------------------
// Delivery and return

/** Whether the packet crossed into the owner's subnet from outside it (another subnet, or an IGW). */
const enteredFromOutside = (arrival: Extract<Arrival, { kind: "owner" }>): boolean => arrival.fromSubnetId !== ownerSubnet(arrival.owner);

/** The destination takes the packet: NACL in, SG in, running, listening. */
export function deliver(t: Trace, arrival: Extract<Arrival, { kind: "owner" }>): boolean {
  const { owner, pkt } = arrival;
  const naclIn = () => !enteredFromOutside(arrival) || checkNacl(t, ownerSubnet(owner), false, pkt, pkt.srcIp);
  switch (owner.kind) {
    case "nat-gateway":
      return true;
    case "instance": {
      const inst = owner.instance;
      t.hop(inst, "instance");
      if (!naclIn()) return false;
      if (inst.state !== "running") return !t.block(inst, "INSTANCE_NOT_RUNNING", `${inst.name} is ${inst.state}, so nothing answers at ${inst.privateIp}`);
      if (!checkSgIngress(t, instanceEndpoint(inst), pkt)) return false;
      if (pkt.protocol === "tcp" && !osOf(inst).listeningPorts.includes(pkt.port) && (inst.os || inst.tags["netlab:role"])) {
        return !t.block(inst, "SERVICE_DOWN", `nothing listens on ${inst.name}:${pkt.port}`);
      }
      return true;
    }
    case "vpc-endpoint": {
      const e = owner.endpoint;
      t.hop(e, "vpc-endpoint");
      if (!naclIn()) return false;
      if (!checkSgIngress(t, { name: e.name, sgIds: e.securityGroupIds }, pkt, true)) return false;
      // AWS services answer on HTTPS only through an interface endpoint (no ping, no other port).
      if (e.serviceName.startsWith("com.amazonaws.") && !(pkt.protocol === "tcp" && pkt.port === 443)) {
        return !t.block(e, "SERVICE_DOWN", `${e.name} (${e.serviceName}) answers on tcp/443 only, not ${pkt.protocol}${pkt.protocol === "icmp" ? "" : `/${pkt.port}`}`);
      }
      return true;
    }
    case "load-balancer": {
      const lb = owner.lb;
      if (!naclIn()) return false;
      if (!checkSgIngress(t, { name: lb.name, sgIds: lb.securityGroupIds }, pkt, true)) return false;
      t.hop(lb, "load-balancer");
      if (pkt.protocol !== "icmp" && !lb.listeners.some((l) => l.port === pkt.port)) {
        return !t.block(lb, "SERVICE_DOWN", `${lb.name} has no listener on ${pkt.port}; it listens on ${lb.listeners.map((l) => l.port).join(", ") || "no port"}`);
      }
      return true;
    }
  }
}

/**
 * The reply travels back from `start` (a subnet, or the internet) to the requester, undoing each
 * translation in reverse. SGs are stateful; routes and NACLs are checked. Hops are not recorded.
 */
export function traceReply(t: Trace, start: { subnetId: string } | "internet", pkt: Packet, requester: Endpoint): boolean {
  const recording = t.recording;
  t.recording = false;
  try {
    return followReply(t, start, pkt, requester);
  } finally {
    t.recording = recording;
  }
}

function followReply(t: Trace, start: { subnetId: string } | "internet", pkt: Packet, requester: Endpoint): boolean {
  let from = start;
  for (let guard = 0; guard < 8; guard++) {
    let arrival: Arrival | null;
    if (from === "internet") {
      const owner = t.ix.publicOwner.get(pkt.dstIp);
      if (!owner) return !t.block("internet", "NO_ROUTE", `the reply to ${pkt.dstIp} has no public address to come back to`);
      arrival = arriveFromInternet(t, owner, pkt);
    } else arrival = routeFrom(t, from.subnetId, pkt, true);
    if (!arrival) return false;
    if (arrival.kind === "internet") return !t.block("internet", "NO_ROUTE", `the reply to ${arrival.pkt.dstIp} left for the internet`);
    pkt = arrival.pkt;
    const owner = arrival.owner;
    if (enteredFromOutside(arrival) && !checkNacl(t, ownerSubnet(owner), false, pkt, pkt.srcIp)) return false;
    const ip = ownerIp(owner);
    const translation = [...t.translations].reverse().find((x) => x.ip === ip);
    if (translation) {
      t.translations.splice(t.translations.lastIndexOf(translation), 1);
      pkt = { ...pkt, dstIp: translation.originalSrc, dstPorts: translation.originalPorts };
      from = { subnetId: translation.subnetId };
      continue;
    }
    if (ip === requester.ip) return true;
    return !t.block(t.ref(ownerSubnet(owner)), "NO_ROUTE", `the reply to ${requester.ip} was delivered to ${ip} instead`);
  }
  return !t.block(requester, "NO_ROUTE", "the reply path loops");
}

// ---------------------------------------------------------------------------------------------
// A whole request and its reply

/** The security groups of whatever holds `ip`, as seen from `srcVpcId` (its own VPC first, then any other). */
export function peerSgIdsOf(t: Trace, srcVpcId: string, ip: string): string[] {
  const own = lookupPrivate(t.ix, srcVpcId, ip);
  if (own) return sgIdsOf(own);
  for (const vpcId of t.ix.vpcs.keys()) {
    const o = lookupPrivate(t.ix, vpcId, ip);
    if (o) return sgIdsOf(o);
  }
  return [];
}

function sgIdsOf(o: Owner): string[] {
  return o.kind === "instance" ? o.instance.securityGroupIds : o.kind === "vpc-endpoint" ? o.endpoint.securityGroupIds : o.kind === "load-balancer" ? o.lb.securityGroupIds : [];
}

/** The request from `src` up to the internet (not its reply): where it arrives, with the packet as it arrives. */
export function sendRequest(t: Trace, src: Endpoint, dstIp: string, options: { protocol: Packet["protocol"]; port: number }, peerSgIds: readonly string[]): Arrival | null {
  if (!isIp(dstIp)) return t.block(src, "UNKNOWN_DESTINATION", `the destination has no IPv4 address (${dstIp || "none"}: a terminated instance?)`);
  const pkt: Packet = { protocol: options.protocol, srcIp: src.ip, dstIp, port: options.port, srcPorts: src.ports ?? LINUX_EPHEMERAL };
  t.senderSgIds = src.sgIds;
  if (!checkSgEgress(t, src, pkt, peerSgIds)) return null;
  return routeFrom(t, src.subnetId, pkt, false);
}

/** The reply to a request that arrived: from the responder's address back to the requester. */
export function replyTo(t: Trace, arrival: Arrival, requester: Endpoint, responderIp?: string): boolean {
  const req = arrival.pkt;
  const reply: Packet = { protocol: req.protocol, srcIp: responderIp ?? (arrival.kind === "owner" ? ownerIp(arrival.owner) : req.dstIp), dstIp: req.srcIp, port: 0, dstPorts: req.srcPorts };
  return traceReply(t, arrival.kind === "owner" ? { subnetId: ownerSubnet(arrival.owner) } : "internet", reply, requester);
}

/** Traces src → dstIp and back. */
export function traceFrom(t: Trace, src: Endpoint, dstIp: string, options: { protocol: Packet["protocol"]; port: number }, peerSgIds: readonly string[] = []): boolean {
  const arrival = sendRequest(t, src, dstIp, options, peerSgIds);
  if (!arrival) return false;
  if (arrival.kind === "internet") {
    t.hop("internet", "internet");
    return replyTo(t, arrival, src);
  }
  if (!deliver(t, arrival)) return false;
  return replyTo(t, arrival, src);
}
