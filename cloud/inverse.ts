import type { Snapshot } from "../network/snapshot";
import { defaultOsState } from "../network/snapshot";
import { describeRouteTarget, type Change } from "./change";
import {
  applyToSnapshot,
  ChangeConflictError,
  resolveRouteTarget,
  resolveRule,
  routeTargetRef,
  sameRouteTarget,
  sameRule,
} from "./model-apply";
import { findInstance, findRouteTable, findSecurityGroup, findTargetGroup, findVpc, findZone } from "./model-lookup";

function clone<T>(value: T): T {
  return structuredClone(value);
}

/**
 * Why `change` would change nothing on the lab as `s` shows it (it is already in effect), in words;
 * undefined when it would change something. A create-flow-log whose VPC already logs elsewhere counts
 * too: its inverse deletes the VPC's flow log, which would take the existing one with it.
 */
function noEffectReason(s: Snapshot, change: Change): string | undefined {
  const effect = effectOf(s, change);
  if (effect.state === "conflict") return change.kind === "create-flow-log" ? `${effect.reason}, which its inverse (delete the VPC's flow log) would delete too` : undefined;
  if (effect.state === "pending") return undefined;
  return `${alreadyInEffect(s, change)}, so the fault would change nothing there, and its reset would undo a state the fault did not make`;
}

/** What the lab shows that makes `change` a no-op, in words. */
function alreadyInEffect(s: Snapshot, change: Change): string {
  const onOff = (v: boolean) => (v ? "on" : "off");
  switch (change.kind) {
    case "delete-route":
      return `${findRouteTable(s, change.routeTable).name} has no route for ${change.destination}`;
    case "create-route":
    case "replace-route":
      return `${findRouteTable(s, change.routeTable).name} already routes ${change.destination} there`;
    case "stop-instance":
    case "start-instance": {
      const inst = findInstance(s, change.instance);
      return `${inst.name} is already ${inst.state}`;
    }
    case "set-source-dest-check":
      return `source/dest check is already ${onOff(change.enabled)} on ${findInstance(s, change.instance).name}`;
    case "revoke-sg-rule":
      return `${findSecurityGroup(s, change.securityGroup).name} has no such ${change.direction} rule`;
    case "authorize-sg-rule":
      return `${findSecurityGroup(s, change.securityGroup).name} already has that ${change.direction} rule`;
    case "deregister-target":
      return `${findInstance(s, change.instance).name} is not registered in ${findTargetGroup(s, change.targetGroup).name} on port ${change.port}`;
    case "register-target":
      return `${findInstance(s, change.instance).name} is already registered in ${findTargetGroup(s, change.targetGroup).name} on port ${change.port}`;
    case "disassociate-zone":
      return `${findVpc(s, change.vpc).name} is not associated with ${findZone(s, change.zone).name}`;
    case "associate-zone":
      return `${findVpc(s, change.vpc).name} is already associated with ${findZone(s, change.zone).name}`;
    case "delete-flow-log":
      return `${findVpc(s, change.vpc).name} has no flow log`;
    case "create-flow-log":
      return `${findVpc(s, change.vpc).name} already has an active flow log of ${change.trafficType} traffic to ${change.logGroup}`;
    case "set-os-state": {
      const name = findInstance(s, change.instance).name;
      if (change.key === "masquerade") return change.value ? `${name} already masquerades, with the rule saved` : `${name} already has no MASQUERADE rule`;
      return change.value ? `a CPU load already runs on ${name}` : `no CPU load runs on ${name}`;
    }
  }
}

/**
 * The change that undoes `change` on the lab as `s` shows it (before the change is applied). A change
 * that would change nothing is refused: its "inverse" would undo a state the fault did not make
 * (start an instance that was stopped before the inject).
 */
export function invertChange(s: Snapshot, change: Change): Change {
  const unchanged = noEffectReason(s, change);
  if (unchanged) throw new ChangeConflictError(change, unchanged);
  switch (change.kind) {
    case "delete-route": {
      const rt = findRouteTable(s, change.routeTable);
      const route = rt.routes.find((r) => r.destination === change.destination);
      if (!route) throw new ChangeConflictError(change, `${rt.name} has no route for ${change.destination}`);
      const target = routeTargetRef(s, route.target);
      if (!target) throw new ChangeConflictError(change, `its target (${route.target.kind}) cannot be recreated by netlab`);
      return { kind: "create-route", routeTable: change.routeTable, destination: change.destination, target };
    }
    case "create-route":
      return { kind: "delete-route", routeTable: change.routeTable, destination: change.destination };
    case "replace-route": {
      const rt = findRouteTable(s, change.routeTable);
      const route = rt.routes.find((r) => r.destination === change.destination);
      if (!route) throw new ChangeConflictError(change, `${rt.name} has no route for ${change.destination}`);
      const target = routeTargetRef(s, route.target);
      if (!target) throw new ChangeConflictError(change, `its target (${route.target.kind}) cannot be put back by netlab`);
      return { ...change, target };
    }
    case "stop-instance":
      return { kind: "start-instance", instance: change.instance };
    case "start-instance":
      return { kind: "stop-instance", instance: change.instance };
    case "set-source-dest-check":
      return { kind: "set-source-dest-check", instance: change.instance, enabled: findInstance(s, change.instance).sourceDestCheck };
    case "revoke-sg-rule":
      return { ...change, kind: "authorize-sg-rule" };
    case "authorize-sg-rule":
      return { ...change, kind: "revoke-sg-rule" };
    case "deregister-target":
      return { ...change, kind: "register-target" };
    case "register-target":
      return { ...change, kind: "deregister-target" };
    case "disassociate-zone":
      return { ...change, kind: "associate-zone" };
    case "associate-zone":
      return { ...change, kind: "disassociate-zone" };
    case "delete-flow-log": {
      const vpc = findVpc(s, change.vpc);
      const log = s.flowLogs.find((f) => f.resourceId === vpc.id);
      if (!log) throw new ChangeConflictError(change, `${vpc.name} has no flow log`);
      return { kind: "create-flow-log", vpc: change.vpc, logGroup: log.logGroupName, trafficType: log.trafficType };
    }
    case "create-flow-log":
      return { kind: "delete-flow-log", vpc: change.vpc };
    case "set-os-state": {
      const inst = findInstance(s, change.instance);
      const os = inst.os ?? defaultOsState((inst.tags["netlab:role"] as "nat") ?? "unknown");
      return { ...change, value: os[change.key] };
    }
  }
}

/**
 * The inverses of a sequence of changes, each computed on the lab as the previous changes leave it
 * (deregister :80 then register :8080 must be undone as deregister :8080 then register :80).
 * Throws ChangeConflictError when the lab is not in a state the changes can apply to.
 */
export function invertChanges(s: Snapshot, changes: readonly Change[]): Change[] {
  const model = clone(s);
  return changes.map((change) => {
    const inverse = invertChange(model, change);
    applyToSnapshot(model, change);
    return inverse;
  });
}

export type EffectStatus =
  /** The lab already shows what the change would produce: skip it. */
  | { state: "in-effect" }
  /** Applying would change the lab. */
  | { state: "pending" }
  /** The lab holds something else in the change's place (a student's different repair): leave it. */
  | { state: "conflict"; reason: string };

/** Whether the lab already is as `change` would leave it. Reset and solve skip what is in effect. */
export function effectOf(s: Snapshot, change: Change): EffectStatus {
  const done = (yes: boolean): EffectStatus => (yes ? { state: "in-effect" } : { state: "pending" });
  switch (change.kind) {
    case "delete-route":
      return done(!findRouteTable(s, change.routeTable).routes.some((r) => r.destination === change.destination));
    case "create-route": {
      const rt = findRouteTable(s, change.routeTable);
      const route = rt.routes.find((r) => r.destination === change.destination);
      if (!route) return { state: "pending" };
      if (sameRouteTarget(route.target, resolveRouteTarget(s, change.target)) && route.state === "active") return { state: "in-effect" };
      const ref = routeTargetRef(s, route.target);
      const target = ref ? describeRouteTarget(ref) : `${route.target.kind} ${"id" in route.target ? route.target.id : ""}`.trim();
      return { state: "conflict", reason: `${rt.name} already routes ${change.destination} to ${target}${route.state === "active" ? "" : ` (${route.state})`}` };
    }
    case "replace-route": {
      const route = findRouteTable(s, change.routeTable).routes.find((r) => r.destination === change.destination);
      if (!route) return { state: "conflict", reason: `${findRouteTable(s, change.routeTable).name} has no route for ${change.destination} any more` };
      return done(sameRouteTarget(route.target, resolveRouteTarget(s, change.target)) && route.state === "active");
    }
    case "stop-instance":
      return done(["stopped", "stopping"].includes(findInstance(s, change.instance).state));
    case "start-instance":
      return done(["running", "pending"].includes(findInstance(s, change.instance).state));
    case "set-source-dest-check":
      return done(findInstance(s, change.instance).sourceDestCheck === change.enabled);
    case "revoke-sg-rule":
    case "authorize-sg-rule": {
      const sg = findSecurityGroup(s, change.securityGroup);
      const rule = resolveRule(s, change.rule);
      const present = (change.direction === "ingress" ? sg.ingress : sg.egress).some((r) => sameRule(r, rule));
      return done(change.kind === "authorize-sg-rule" ? present : !present);
    }
    case "deregister-target":
    case "register-target": {
      const tg = findTargetGroup(s, change.targetGroup);
      const inst = findInstance(s, change.instance);
      const present = tg.targets.some((t) => t.instanceId === inst.id && t.port === change.port);
      return done(change.kind === "register-target" ? present : !present);
    }
    case "disassociate-zone":
    case "associate-zone": {
      const present = findZone(s, change.zone).vpcIds.includes(findVpc(s, change.vpc).id);
      return done(change.kind === "associate-zone" ? present : !present);
    }
    case "delete-flow-log":
      return done(!s.flowLogs.some((f) => f.resourceId === findVpc(s, change.vpc).id));
    case "create-flow-log": {
      const vpc = findVpc(s, change.vpc);
      const logs = s.flowLogs.filter((f) => f.resourceId === vpc.id);
      // Same destination and the same traffic: a REJECT-only log does not restore an ALL one.
      if (logs.some((f) => f.logGroupName === change.logGroup && f.trafficType === change.trafficType && f.status === "ACTIVE")) return { state: "in-effect" };
      const shown = logs.map((f) => `${f.logGroupName} (${f.trafficType}${f.status === "ACTIVE" ? "" : `, ${f.status}`})`).join(", ");
      return logs.length ? { state: "conflict", reason: `${vpc.name} already has a flow log to ${shown}` } : { state: "pending" };
    }
    case "set-os-state": {
      const os = findInstance(s, change.instance).os;
      // The control plane cannot see inside the OS (AWS snapshots): treat it as pending; applying is idempotent.
      if (!os) return { state: "pending" };
      if (change.key === "masquerade") return done(os.masquerade === change.value && os.masqueradeSaved === change.value);
      return done(os.cpuLoad === change.value);
    }
  }
}
