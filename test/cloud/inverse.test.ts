import { CHANGE_KINDS, type Change } from "../../cloud/change";
import { effectOf, invertChange, invertChanges } from "../../cloud/inverse";
import { applyToSnapshot, ChangeConflictError } from "../../cloud/model-apply";
import { UnknownResourceError } from "../../cloud/model-lookup";
import { diffLabs } from "../../lifecycle/compare";
import { miniLab } from "./model-fixture";

const rule = { protocol: "tcp" as const, fromPort: 80, toPort: 80, peerSecurityGroup: "DMZVPC-ALB-SG" };

/** Every kind of change, each valid on the mini lab as built. */
const EVERY_CHANGE: Change[] = [
  { kind: "delete-route", routeTable: "VPC02-Private-Subnet-A-RT", destination: "0.0.0.0/0" },
  { kind: "create-route", routeTable: "VPC02-Private-Subnet-A-RT", destination: "192.168.0.0/16", target: { kind: "instance-eni", instance: "NAT-Instance" } },
  { kind: "replace-route", routeTable: "VPC02-Private-Subnet-A-RT", destination: "0.0.0.0/0", target: { kind: "instance-eni", instance: "NAT-Instance" } },
  { kind: "stop-instance", instance: "NAT-Instance" },
  { kind: "set-source-dest-check", instance: "NAT-Instance", enabled: true },
  { kind: "revoke-sg-rule", securityGroup: "DMZVPC-PrivateSG", direction: "ingress", rule },
  { kind: "authorize-sg-rule", securityGroup: "DMZVPC-PrivateSG", direction: "ingress", rule: { protocol: "tcp", fromPort: 22, toPort: 22, cidr: "0.0.0.0/0" } },
  { kind: "deregister-target", targetGroup: "DMZVPC-TG-web", instance: "NAT-Instance", port: 80 },
  { kind: "register-target", targetGroup: "DMZVPC-TG-web", instance: "NAT-Instance", port: 8080 },
  { kind: "disassociate-zone", zone: "netlab.internal", vpc: "VPC02" },
  { kind: "delete-flow-log", vpc: "VPC02" },
  { kind: "create-flow-log", vpc: "VPC01", logGroup: "/aws/vpc/flowlogs", trafficType: "ALL" },
  { kind: "set-os-state", instance: "NAT-Instance", key: "masquerade", value: false },
  { kind: "set-os-state", instance: "NAT-Instance", key: "cpuLoad", value: true },
];

describe("change inverses", () => {
  it.each(EVERY_CHANGE.map((c) => [c.kind, c] as const))("%s: applying the change then its inverse restores the lab", (_kind, change) => {
    // GIVEN the lab and the inverse computed before the change
    const lab = miniLab();
    const before = structuredClone(lab);
    const inverse = invertChange(lab, change);
    // WHEN the change is applied
    applyToSnapshot(lab, change);
    // THEN the change is in effect, its inverse is pending, and applying the inverse restores the lab
    expect(effectOf(lab, change).state).toBe("in-effect");
    expect(effectOf(lab, inverse).state).toBe("pending");
    applyToSnapshot(lab, inverse);
    expect(effectOf(lab, inverse).state).toBe("in-effect");
    expect(diffLabs(before, lab)).toEqual([]);
  });

  it("inverts a sequence on the lab as the earlier changes leave it", () => {
    // GIVEN deregister :80 then register :8080 (the port-mismatch fault)
    const changes: Change[] = [
      { kind: "deregister-target", targetGroup: "DMZVPC-TG-web", instance: "NAT-Instance", port: 80 },
      { kind: "register-target", targetGroup: "DMZVPC-TG-web", instance: "NAT-Instance", port: 8080 },
    ];
    // WHEN inverted / THEN undoing runs register :80 and deregister :8080, and the lab given is not changed
    const lab = miniLab();
    expect(invertChanges(lab, changes)).toEqual([
      { kind: "register-target", targetGroup: "DMZVPC-TG-web", instance: "NAT-Instance", port: 80 },
      { kind: "deregister-target", targetGroup: "DMZVPC-TG-web", instance: "NAT-Instance", port: 8080 },
    ]);
    expect(diffLabs(miniLab(), lab)).toEqual([]);
  });

  it.each([
    [{ kind: "delete-route", routeTable: "VPC02-Private-Subnet-A-RT", destination: "0.0.0.0/0" }, "VPC02-Private-Subnet-A-RT has no route for 0.0.0.0/0"],
    [{ kind: "create-route", routeTable: "VPC02-Private-Subnet-A-RT", destination: "192.168.0.0/16", target: { kind: "instance-eni", instance: "NAT-Instance" } }, "VPC02-Private-Subnet-A-RT already routes 192.168.0.0/16 there"],
    [{ kind: "replace-route", routeTable: "VPC02-Private-Subnet-A-RT", destination: "0.0.0.0/0", target: { kind: "tgw", name: "netlab-tgw" } }, "VPC02-Private-Subnet-A-RT already routes 0.0.0.0/0 there"],
    [{ kind: "stop-instance", instance: "NAT-Instance" }, "NAT-Instance is already stopped"],
    [{ kind: "start-instance", instance: "NAT-Instance" }, "NAT-Instance is already running"],
    [{ kind: "set-source-dest-check", instance: "NAT-Instance", enabled: true }, "source/dest check is already on on NAT-Instance"],
    [{ kind: "revoke-sg-rule", securityGroup: "DMZVPC-PrivateSG", direction: "ingress", rule }, "DMZVPC-PrivateSG has no such ingress rule"],
    [{ kind: "authorize-sg-rule", securityGroup: "DMZVPC-PrivateSG", direction: "ingress", rule: { protocol: "tcp", fromPort: 22, toPort: 22, cidr: "0.0.0.0/0" } }, "DMZVPC-PrivateSG already has that ingress rule"],
    [{ kind: "deregister-target", targetGroup: "DMZVPC-TG-web", instance: "NAT-Instance", port: 80 }, "NAT-Instance is not registered in DMZVPC-TG-web on port 80"],
    [{ kind: "register-target", targetGroup: "DMZVPC-TG-web", instance: "NAT-Instance", port: 8080 }, "NAT-Instance is already registered in DMZVPC-TG-web on port 8080"],
    [{ kind: "disassociate-zone", zone: "netlab.internal", vpc: "VPC02" }, "VPC02 is not associated with netlab.internal"],
    [{ kind: "associate-zone", zone: "netlab.internal", vpc: "VPC02" }, "VPC02 is already associated with netlab.internal"],
    [{ kind: "delete-flow-log", vpc: "VPC02" }, "VPC02 has no flow log"],
    [{ kind: "create-flow-log", vpc: "VPC01", logGroup: "/aws/vpc/flowlogs", trafficType: "ALL" }, "VPC01 already has an active flow log of ALL traffic to /aws/vpc/flowlogs"],
    [{ kind: "set-os-state", instance: "NAT-Instance", key: "masquerade", value: false }, "NAT-Instance already has no MASQUERADE rule"],
    [{ kind: "set-os-state", instance: "NAT-Instance", key: "masquerade", value: true }, "NAT-Instance already masquerades, with the rule saved"],
    [{ kind: "set-os-state", instance: "NAT-Instance", key: "cpuLoad", value: true }, "a CPU load already runs on NAT-Instance"],
    [{ kind: "set-os-state", instance: "NAT-Instance", key: "cpuLoad", value: false }, "no CPU load runs on NAT-Instance"],
  ] as [Change, string][])("refuses to invert %j when the lab already shows it: the fault would change nothing", (change, reason) => {
    // GIVEN a lab that already is as the change would leave it
    const lab = miniLab();
    if (effectOf(lab, change).state === "pending") applyToSnapshot(lab, change);
    expect(effectOf(lab, change).state).toBe("in-effect");
    // WHEN its inverse is computed / THEN it is refused with the reason, before anything is recorded
    expect(() => invertChange(lab, change)).toThrow(ChangeConflictError);
    expect(() => invertChange(lab, change)).toThrow(`${reason}, so the fault would change nothing there, and its reset would undo a state the fault did not make.`);
  });

  it("covers every change kind in the already-in-effect refusals", () => {
    // (the table above, read back from this file, names each kind of cloud/change.ts)
    const src = require("node:fs").readFileSync(__filename, "utf8") as string;
    const table = src.slice(src.indexOf("it.each([\n    [{ kind: \"delete-route\""), src.indexOf("refuses to invert %j when the lab already shows it"));
    expect(new Set([...table.matchAll(/\[\{ kind: "([a-z-]+)"/g)].map((m) => m[1]))).toEqual(new Set(CHANGE_KINDS));
  });

  it("refuses a flow log for a VPC that already logs elsewhere: its inverse would delete that one too", () => {
    // GIVEN VPC02, which logs to /aws/vpc/flowlogs
    const change: Change = { kind: "create-flow-log", vpc: "VPC02", logGroup: "/other", trafficType: "ALL" };
    // WHEN a fault would create another / THEN refused, naming the existing log
    expect(() => invertChange(miniLab(), change)).toThrow("VPC02 already has a flow log to /aws/vpc/flowlogs (ALL), which its inverse (delete the VPC's flow log) would delete too");
  });

  it("records the route's real target, so reset recreates exactly what was deleted", () => {
    const inverse = invertChange(miniLab(), { kind: "delete-route", routeTable: "VPC02-Private-Subnet-A-RT", destination: "0.0.0.0/0" });
    expect(inverse).toEqual({ kind: "create-route", routeTable: "VPC02-Private-Subnet-A-RT", destination: "0.0.0.0/0", target: { kind: "tgw", name: "netlab-tgw" } });
  });

  it("records the current source/dest check and OS state, not a guess", () => {
    const lab = miniLab();
    expect(invertChange(lab, { kind: "set-source-dest-check", instance: "NAT-Instance", enabled: true })).toEqual({ kind: "set-source-dest-check", instance: "NAT-Instance", enabled: false });
    expect(invertChange(lab, { kind: "set-os-state", instance: "NAT-Instance", key: "masquerade", value: false })).toMatchObject({ value: true });
  });

  it.each([
    [{ kind: "delete-route", routeTable: "VPC02-Private-Subnet-A-RT", destination: "10.9.0.0/16" }, "VPC02-Private-Subnet-A-RT has no route for 10.9.0.0/16"],
    [{ kind: "delete-flow-log", vpc: "VPC01" }, "VPC01 has no flow log"],
  ] as [Change, string][])("refuses to invert %j on a lab that lacks its subject", (change, message) => {
    expect(() => invertChange(miniLab(), change)).toThrow(ChangeConflictError);
    expect(() => invertChange(miniLab(), change)).toThrow(message);
  });

  it.each([
    [{ kind: "delete-route", routeTable: "VPC02-Private-Subnet-A-RT", destination: "10.2.0.0/16" }, "the local route cannot be deleted"],
    [{ kind: "create-route", routeTable: "VPC02-Private-Subnet-A-RT", destination: "0.0.0.0/0", target: { kind: "tgw", name: "netlab-tgw" } }, "already has a route for 0.0.0.0/0"],
    [{ kind: "revoke-sg-rule", securityGroup: "DMZVPC-PrivateSG", direction: "ingress", rule: { protocol: "tcp", fromPort: 443, toPort: 443, cidr: "0.0.0.0/0" } }, "DMZVPC-PrivateSG has no such ingress rule"],
    [{ kind: "authorize-sg-rule", securityGroup: "DMZVPC-PrivateSG", direction: "ingress", rule }, "DMZVPC-PrivateSG already has that ingress rule"],
    [{ kind: "deregister-target", targetGroup: "DMZVPC-TG-web", instance: "NAT-Instance", port: 8080 }, "NAT-Instance is not registered on port 8080"],
    [{ kind: "associate-zone", zone: "netlab.internal", vpc: "VPC02" }, "VPC02 is already associated with netlab.internal"],
  ] as [Change, string][])("applying %j is refused as AWS would refuse it", (change, message) => {
    expect(() => applyToSnapshot(miniLab(), change)).toThrow(message);
  });

  it("refuses to disassociate a private zone from its last VPC", () => {
    const lab = miniLab();
    applyToSnapshot(lab, { kind: "disassociate-zone", zone: "netlab.internal", vpc: "VPC01" });
    expect(() => applyToSnapshot(lab, { kind: "disassociate-zone", zone: "netlab.internal", vpc: "VPC02" })).toThrow("a private zone cannot lose its last VPC");
  });

  it("refuses OS changes on a stopped instance (Run Command needs it running)", () => {
    const lab = miniLab();
    applyToSnapshot(lab, { kind: "stop-instance", instance: "NAT-Instance" });
    expect(() => applyToSnapshot(lab, { kind: "set-os-state", instance: "NAT-Instance", key: "cpuLoad", value: true })).toThrow("NAT-Instance is stopped");
  });

  it("names the valid resources when a name is unknown", () => {
    expect(() => applyToSnapshot(miniLab(), { kind: "stop-instance", instance: "Nope" })).toThrow(UnknownResourceError);
    expect(() => applyToSnapshot(miniLab(), { kind: "stop-instance", instance: "Nope" })).toThrow('The lab has no instance named "Nope"; it has: NAT-Instance.');
  });

  it("fires the CPU alarm while a load runs and clears it after", () => {
    const lab = miniLab();
    applyToSnapshot(lab, { kind: "set-os-state", instance: "NAT-Instance", key: "cpuLoad", value: true }, new Date("2026-11-24T10:00:00Z"));
    expect(lab.alarms[0]).toMatchObject({ state: "ALARM", lastAlarmAt: "2026-11-24T10:00:00.000Z" });
    applyToSnapshot(lab, { kind: "set-os-state", instance: "NAT-Instance", key: "cpuLoad", value: false });
    expect(lab.alarms[0]).toMatchObject({ state: "OK", lastAlarmAt: "2026-11-24T10:00:00.000Z" });
  });

  it("sees a student's different repair as a conflict, not as something to overwrite", () => {
    // GIVEN the default route deleted, then re-created by a student towards another target
    const lab = miniLab();
    applyToSnapshot(lab, { kind: "delete-route", routeTable: "VPC02-Private-Subnet-A-RT", destination: "0.0.0.0/0" });
    applyToSnapshot(lab, { kind: "create-route", routeTable: "VPC02-Private-Subnet-A-RT", destination: "0.0.0.0/0", target: { kind: "instance-eni", instance: "NAT-Instance" } });
    // WHEN reset asks whether to recreate the TGW route / THEN it is a conflict with the reason
    const effect = effectOf(lab, { kind: "create-route", routeTable: "VPC02-Private-Subnet-A-RT", destination: "0.0.0.0/0", target: { kind: "tgw", name: "netlab-tgw" } });
    expect(effect).toEqual({ state: "conflict", reason: "VPC02-Private-Subnet-A-RT already routes 0.0.0.0/0 to the ENI of NAT-Instance" });
  });
});
