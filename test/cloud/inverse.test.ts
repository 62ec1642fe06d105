import type { Change } from "../../cloud/change";
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
    expect(effect).toEqual({ state: "conflict", reason: "VPC02-Private-Subnet-A-RT already routes 0.0.0.0/0 to eni eni-1" });
  });
});
