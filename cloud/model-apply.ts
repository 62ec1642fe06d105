import type { AlarmModel, RouteTableModel, RouteTarget, SgRuleModel, Snapshot } from "../network/snapshot";
import { defaultOsState } from "../network/snapshot";
import { describeChange, type Change, type RouteTargetRef, type SgRuleRef } from "./change";
import {
  findInstance,
  findRouteTable,
  findSecurityGroup,
  findTargetGroup,
  findVpc,
  findZone,
  nameOfId,
  UnknownResourceError,
} from "./model-lookup";

/**
 * A change that cannot be applied to the lab as it is now (the route is already gone, …). `code` is the
 * error code AWS answers the same request with, where the simulator knows it:
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/errors-overview.html
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_RegisterTargets.html
 * https://docs.aws.amazon.com/Route53/latest/APIReference/API_AssociateVPCWithHostedZone.html
 */
export class ChangeConflictError extends Error {
  constructor(
    readonly change: Change,
    reason: string,
    readonly code?: string,
  ) {
    super(`Cannot ${describeChange(change)}: ${reason}.`);
    this.name = "ChangeConflictError";
  }
}

/** The model's route target for a scenario's named target. */
export function resolveRouteTarget(s: Snapshot, ref: RouteTargetRef): RouteTarget {
  switch (ref.kind) {
    case "tgw": {
      const t = s.transitGateways.find((x) => x.name === ref.name || x.id === ref.name);
      if (!t) throw new UnknownResourceError("transit gateway", ref.name, s.transitGateways.map((x) => x.name));
      return { kind: "tgw", id: t.id };
    }
    case "igw": {
      const g = s.internetGateways.find((x) => x.name === ref.name || x.id === ref.name);
      if (!g) throw new UnknownResourceError("internet gateway", ref.name, s.internetGateways.map((x) => x.name));
      return { kind: "igw", id: g.id };
    }
    case "nat-gateway": {
      const n = s.natGateways.find((x) => x.name === ref.name || x.id === ref.name);
      if (!n) throw new UnknownResourceError("NAT gateway", ref.name, s.natGateways.map((x) => x.name));
      return { kind: "nat-gateway", id: n.id };
    }
    case "instance-eni": {
      const i = findInstance(s, ref.instance);
      return { kind: "eni", id: i.eniId, instanceId: i.id };
    }
  }
}

/**
 * Why AWS would refuse `target` in `rt`, if it would: a NAT gateway, an instance's network interface
 * or an internet gateway must belong to the route table's own VPC (a transit gateway is not in any
 * VPC). AWS answers InvalidParameterValue, "route table rtb-… and network gateway igw-… belong to
 * different networks". https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateRoute.html
 * ("The ID of a NAT instance in your VPC", "an internet gateway … attached to your VPC").
 */
export function routeTargetOutsideVpc(s: Snapshot, rt: RouteTableModel, target: RouteTarget): string | undefined {
  let owner: { what: string; id: string; name: string; vpcId?: string } | undefined;
  if (target.kind === "nat-gateway") {
    const n = s.natGateways.find((x) => x.id === target.id);
    if (n) owner = { what: "NAT gateway", id: n.id, name: n.name, vpcId: n.vpcId };
  } else if (target.kind === "eni") {
    const i = s.instances.find((x) => x.eniId === target.id || x.id === target.instanceId);
    if (i) owner = { what: "interface", id: target.id, name: `the primary interface of ${i.name}`, vpcId: i.vpcId };
  } else if (target.kind === "igw") {
    const g = s.internetGateways.find((x) => x.id === target.id);
    if (g) owner = { what: "network gateway", id: g.id, name: g.name, vpcId: g.vpcId };
  }
  if (!owner || owner.vpcId === rt.vpcId) return undefined;
  const where = owner.vpcId ? `is in ${nameOfId(s, owner.vpcId)}` : "is not attached to any VPC";
  return `route table ${rt.id} and ${owner.what} ${owner.id} belong to different networks (AWS refuses it: ${owner.name} ${where}, ${rt.name} is in ${nameOfId(s, rt.vpcId)})`;
}

/** The scenario-level reference of a model route target (the inverse of resolveRouteTarget). */
export function routeTargetRef(s: Snapshot, target: RouteTarget): RouteTargetRef | undefined {
  switch (target.kind) {
    case "tgw":
      return { kind: "tgw", name: s.transitGateways.find((x) => x.id === target.id)?.name ?? target.id };
    case "igw":
      return { kind: "igw", name: s.internetGateways.find((x) => x.id === target.id)?.name ?? target.id };
    case "nat-gateway":
      return { kind: "nat-gateway", name: s.natGateways.find((x) => x.id === target.id)?.name ?? target.id };
    case "eni": {
      const owner = s.instances.find((i) => i.eniId === target.id || i.id === target.instanceId);
      return owner ? { kind: "instance-eni", instance: owner.name } : undefined;
    }
    default:
      return undefined;
  }
}

export function sameRouteTarget(a: RouteTarget, b: RouteTarget): boolean {
  if (a.kind !== b.kind) return false;
  return a.kind === "local" || (a as { id: string }).id === (b as { id: string }).id;
}

/** The model form of a named rule (peer group name → id). */
export function resolveRule(s: Snapshot, rule: SgRuleRef): SgRuleModel {
  const peer = rule.peerSecurityGroup ? findSecurityGroup(s, rule.peerSecurityGroup).id : undefined;
  return {
    protocol: rule.protocol,
    fromPort: rule.protocol === "-1" ? -1 : rule.fromPort,
    toPort: rule.protocol === "-1" ? -1 : rule.toPort,
    ...(rule.cidr !== undefined ? { cidr: rule.cidr } : {}),
    ...(peer !== undefined ? { peerSecurityGroupId: peer } : {}),
    ...(rule.description !== undefined ? { description: rule.description } : {}),
  };
}

/** Same traffic and same source: descriptions and ids do not matter (AWS compares rules this way). */
export function sameRule(a: SgRuleModel, b: SgRuleModel): boolean {
  return (
    a.protocol === b.protocol &&
    a.fromPort === b.fromPort &&
    a.toPort === b.toPort &&
    (a.cidr ?? "") === (b.cidr ?? "") &&
    (a.peerSecurityGroupId ?? "") === (b.peerSecurityGroupId ?? "") &&
    (a.prefixListId ?? "") === (b.prefixListId ?? "")
  );
}

function roleOf(tags: Readonly<Record<string, string>>): "web" | "nat" | "workstation" | "probe" | "unknown" {
  const role = tags["netlab:role"];
  return role === "web" || role === "nat" || role === "workstation" || role === "probe" ? role : "unknown";
}

/**
 * The CPU alarms of an instance follow its load: a transition into ALARM records when it happened
 * (what the alarm's history shows); staying in ALARM does not move that time.
 */
function setCpuAlarms(s: Snapshot, instanceId: string, state: AlarmModel["state"], now: Date): void {
  for (const alarm of s.alarms.filter((a) => a.instanceId === instanceId && a.metricName === "CPUUtilization")) {
    if (state === "ALARM" && alarm.state !== "ALARM") alarm.lastAlarmAt = now.toISOString();
    alarm.state = state;
  }
}

/** Where the simulator draws the public addresses it assigns at start (the loader numbers from 203.0.113.10 up). */
const STARTED_PUBLIC_PREFIX = "203.0.113.";
const FIRST_STARTED_PUBLIC_HOST = 200;

/** A public address no one in the lab holds, the same for the same lab: what AWS gives an instance as it starts. */
function newPublicIp(s: Snapshot): string {
  const used = new Set([...s.instances.map((i) => i.publicIp), ...s.elasticIps.map((e) => e.publicIp), ...s.natGateways.map((n) => n.publicIp)]);
  for (let host = FIRST_STARTED_PUBLIC_HOST; host < 255; host++) {
    const ip = `${STARTED_PUBLIC_PREFIX}${host}`;
    if (!used.has(ip)) return ip;
  }
  throw new Error(`Internal error: the simulator has no public address left in ${STARTED_PUBLIC_PREFIX}${FIRST_STARTED_PUBLIC_HOST}–254.`);
}

let ruleCounter = 0;

/**
 * Applies one change to the model, in place, the way AWS would: refuses what AWS would refuse
 * (deleting a route that is not there, a duplicate rule…) with a ChangeConflictError.
 * `now` stamps derived state such as an alarm firing.
 */
export function applyToSnapshot(s: Snapshot, change: Change, now: Date = new Date()): void {
  switch (change.kind) {
    case "delete-route": {
      const rt = findRouteTable(s, change.routeTable);
      const i = rt.routes.findIndex((r) => r.destination === change.destination);
      if (i < 0) throw new ChangeConflictError(change, `${rt.name} has no route for ${change.destination}`, "InvalidRoute.NotFound");
      if (rt.routes[i].target.kind === "local") throw new ChangeConflictError(change, "the local route cannot be deleted", "InvalidParameterValue");
      rt.routes.splice(i, 1);
      return;
    }
    case "create-route": {
      const rt = findRouteTable(s, change.routeTable);
      if (rt.routes.some((r) => r.destination === change.destination)) throw new ChangeConflictError(change, `${rt.name} already has a route for ${change.destination}`, "RouteAlreadyExists");
      const target = resolveRouteTarget(s, change.target);
      const elsewhere = routeTargetOutsideVpc(s, rt, target);
      if (elsewhere) throw new ChangeConflictError(change, elsewhere, "InvalidParameterValue");
      rt.routes.push({ destination: change.destination, target, state: "active" });
      return;
    }
    case "replace-route": {
      // https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ReplaceRoute.html
      const rt = findRouteTable(s, change.routeTable);
      const route = rt.routes.find((r) => r.destination === change.destination);
      if (!route) throw new ChangeConflictError(change, `${rt.name} has no route for ${change.destination}`, "InvalidRoute.NotFound");
      if (route.target.kind === "local") throw new ChangeConflictError(change, "netlab does not model replacing the local route's target", "InvalidParameterValue");
      const target = resolveRouteTarget(s, change.target);
      const elsewhere = routeTargetOutsideVpc(s, rt, target);
      if (elsewhere) throw new ChangeConflictError(change, elsewhere, "InvalidParameterValue");
      route.target = target;
      route.state = "active";
      return;
    }
    case "stop-instance":
    case "start-instance": {
      const inst = findInstance(s, change.instance);
      const stopping = change.kind === "stop-instance";
      inst.state = stopping ? "stopped" : "running";
      // An auto-assigned public IPv4 address (not an EIP) is released when the instance stops, and a new
      // one is assigned when it starts; an EIP stays.
      // https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/using-instance-addressing.html#concepts-public-addresses
      const hasEip = s.elasticIps.some((e) => e.instanceId === inst.id || (e.eniId !== undefined && e.eniId === inst.eniId));
      if (stopping && inst.publicIp && !hasEip) {
        delete inst.publicIp;
        inst.autoPublicIp = true;
      }
      if (!stopping && inst.autoPublicIp && !inst.publicIp && !hasEip) inst.publicIp = newPublicIp(s);
      if (change.kind === "stop-instance" && inst.os) inst.os = { ...inst.os, cpuLoad: false, masquerade: inst.os.masqueradeSaved };
      // A stopped instance sends no CPU metric (the alarm treats missing data as missing); a started one does again.
      setCpuAlarms(s, inst.id, change.kind === "stop-instance" ? "INSUFFICIENT_DATA" : inst.os?.cpuLoad ? "ALARM" : "OK", now);
      return;
    }
    case "set-source-dest-check":
      findInstance(s, change.instance).sourceDestCheck = change.enabled;
      return;
    case "revoke-sg-rule":
    case "authorize-sg-rule": {
      const sg = findSecurityGroup(s, change.securityGroup);
      const rules = change.direction === "ingress" ? sg.ingress : sg.egress;
      const rule = resolveRule(s, change.rule);
      const i = rules.findIndex((r) => sameRule(r, rule));
      if (change.kind === "revoke-sg-rule") {
        if (i < 0) throw new ChangeConflictError(change, `${sg.name} has no such ${change.direction} rule`, "InvalidPermission.NotFound");
        rules.splice(i, 1);
      } else {
        if (i >= 0) throw new ChangeConflictError(change, `${sg.name} already has that ${change.direction} rule`, "InvalidPermission.Duplicate");
        rules.push({ id: `sgr-sim${(++ruleCounter).toString(16).padStart(12, "0")}`, ...rule });
      }
      return;
    }
    case "deregister-target":
    case "register-target": {
      const tg = findTargetGroup(s, change.targetGroup);
      const inst = findInstance(s, change.instance);
      const i = tg.targets.findIndex((t) => t.instanceId === inst.id && t.port === change.port);
      if (change.kind === "deregister-target") {
        if (i < 0) throw new ChangeConflictError(change, `${inst.name} is not registered on port ${change.port}`, "InvalidTarget");
        tg.targets.splice(i, 1);
      } else {
        // AWS refuses an instance of another VPC, and one that is not running, with InvalidTarget:
        // https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_RegisterTargets.html
        if (inst.vpcId !== tg.vpcId) throw new ChangeConflictError(change, `${inst.name} is in ${nameOfId(s, inst.vpcId)}, not in ${nameOfId(s, tg.vpcId)}, the VPC of ${tg.name}`, "InvalidTarget");
        if (inst.state !== "running") throw new ChangeConflictError(change, `${inst.name} is ${inst.state}, and a target must be running when it is registered`, "InvalidTarget");
      }
      if (change.kind === "register-target" && i < 0) {
        // Registering an already registered target is a no-op in ELBv2.
        tg.targets.push({ instanceId: inst.id, port: change.port });
      }
      return;
    }
    case "disassociate-zone":
    case "associate-zone": {
      const zone = findZone(s, change.zone);
      const vpc = findVpc(s, change.vpc);
      const has = zone.vpcIds.includes(vpc.id);
      if (change.kind === "disassociate-zone") {
        if (!has) throw new ChangeConflictError(change, `${vpc.name} is not associated with ${zone.name}`, "VPCAssociationNotFound");
        if (zone.vpcIds.length === 1) throw new ChangeConflictError(change, "a private zone cannot lose its last VPC", "LastVPCAssociation");
        zone.vpcIds = zone.vpcIds.filter((v) => v !== vpc.id);
      } else {
        if (has) throw new ChangeConflictError(change, `${vpc.name} is already associated with ${zone.name}`, "ConflictingDomainExists");
        zone.vpcIds.push(vpc.id);
      }
      return;
    }
    case "delete-flow-log": {
      const vpc = findVpc(s, change.vpc);
      const before = s.flowLogs.length;
      s.flowLogs = s.flowLogs.filter((f) => f.resourceId !== vpc.id);
      if (s.flowLogs.length === before) throw new ChangeConflictError(change, `${vpc.name} has no flow log`, "InvalidFlowLogId.NotFound");
      return;
    }
    case "create-flow-log": {
      const vpc = findVpc(s, change.vpc);
      // CreateFlowLogs reports FlowLogAlreadyExists for a VPC that already logs the same traffic to the same destination.
      // https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateFlowLogs.html
      const same = s.flowLogs.find((f) => f.resourceId === vpc.id && f.logGroupName === change.logGroup && f.trafficType === change.trafficType);
      if (same) throw new ChangeConflictError(change, `${vpc.name} already has a flow log of ${change.trafficType} traffic to ${change.logGroup} (${same.id})`, "FlowLogAlreadyExists");
      s.flowLogs.push({
        id: `fl-sim${vpc.id.slice(-12)}${s.flowLogs.length.toString(16)}`,
        resourceId: vpc.id,
        logGroupName: change.logGroup,
        trafficType: change.trafficType,
        status: "ACTIVE",
        tags: { ...vpc.tags, Name: `${vpc.name}-flowlog` },
      });
      return;
    }
    case "set-os-state": {
      const inst = findInstance(s, change.instance);
      if (inst.state !== "running") throw new ChangeConflictError(change, `${inst.name} is ${inst.state}, and Run Command needs it running`, "InvalidInstanceId");
      const os = inst.os ?? defaultOsState(roleOf(inst.tags));
      if (change.key === "masquerade") {
        // The change is made and saved, so it survives a reboot: only a saved repair is a repair.
        inst.os = { ...os, masquerade: change.value, masqueradeSaved: change.value };
      } else {
        inst.os = { ...os, cpuLoad: change.value };
        setCpuAlarms(s, inst.id, change.value ? "ALARM" : "OK", now);
      }
      return;
    }
  }
}
