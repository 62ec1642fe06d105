import type { Change } from "../../cloud/change";
import { applyToSnapshot, ChangeConflictError } from "../../cloud/model-apply";
import { grade } from "../../lifecycle/grade";
import { inject } from "../../lifecycle/inject";
import { findScenario } from "../../scenarios";
import { labSnapshot, openSimLab } from "../helpers/lab";

const A_RT = "VPC02-Private-Subnet-A-RT";
const defaultRouteTo = (target: Extract<Change, { kind: "create-route" }>["target"]): Change => ({ kind: "create-route", routeTable: A_RT, destination: "0.0.0.0/0", target });

describe("replacing a route's target", () => {
  it("points the route at the new target", async () => {
    // GIVEN the lab / WHEN VPC02-A's default route is pointed at a VPC02 instance
    const lab = await labSnapshot();
    applyToSnapshot(lab, { kind: "replace-route", routeTable: A_RT, destination: "0.0.0.0/0", target: { kind: "instance-eni", instance: "VPC02-Private-B-10.2.24.101" } });
    // THEN the route goes there, and there is still one route for 0.0.0.0/0
    const routes = lab.routeTables.find((t) => t.name === A_RT)!.routes.filter((r) => r.destination === "0.0.0.0/0");
    expect(routes.map((r) => r.target.kind)).toEqual(["eni"]);
  });

  it.each([
    ["a route that is not there", { kind: "replace-route", routeTable: A_RT, destination: "192.168.0.0/16", target: { kind: "tgw", name: "netlab-tgw" } }, "InvalidRoute.NotFound", "has no route for 192.168.0.0/16"],
    ["the local route", { kind: "replace-route", routeTable: A_RT, destination: "10.2.0.0/16", target: { kind: "tgw", name: "netlab-tgw" } }, "InvalidParameterValue", "local route"],
    ["a target in another VPC", { kind: "replace-route", routeTable: A_RT, destination: "0.0.0.0/0", target: { kind: "nat-gateway", name: "DMZVPC-NATGW-A" } }, "InvalidParameterValue", "belong to different networks"],
  ] as const)("refuses %s as AWS does, changing nothing", async (_what, change, code, message) => {
    // GIVEN the lab / WHEN the replacement is applied
    const lab = await labSnapshot();
    const before = JSON.stringify(lab);
    let error: unknown;
    try {
      applyToSnapshot(lab, change as Change);
    } catch (e) {
      error = e;
    }
    // THEN refused with AWS's code and reason, and the lab is unchanged
    expect(error).toBeInstanceOf(ChangeConflictError);
    expect((error as ChangeConflictError).code).toBe(code);
    expect((error as Error).message).toContain(message);
    expect(JSON.stringify(lab)).toBe(before);
  });
});

describe("a route whose target is in another VPC", () => {
  it.each([
    ["a NAT gateway of DMZVPC", { kind: "nat-gateway", name: "DMZVPC-NATGW-A" }, /route table rtb-\S+ and NAT gateway nat-\S+ belong to different networks \(AWS refuses it: DMZVPC-NATGW-A is in DMZVPC, VPC02-Private-Subnet-A-RT is in VPC02\)/],
    ["the ENI of a VPC01 instance", { kind: "instance-eni", instance: "VPC01-Private-A-10.1.20.101" }, /and interface eni-\S+ belong to different networks \(AWS refuses it: the primary interface of VPC01-Private-A-10\.1\.20\.101 is in VPC01/],
    ["the internet gateway of DMZVPC", { kind: "igw", name: "DMZVPC-IGW" }, /and network gateway igw-\S+ belong to different networks \(AWS refuses it: DMZVPC-IGW is in DMZVPC/],
  ] as const)("is refused as AWS refuses it: %s", async (_what, target, message) => {
    // GIVEN the lab with VPC02's default route gone
    const lab = await labSnapshot();
    applyToSnapshot(lab, { kind: "delete-route", routeTable: A_RT, destination: "0.0.0.0/0" });
    const before = JSON.stringify(lab);
    // WHEN a route to a target of another VPC is created
    const create = () => applyToSnapshot(lab, defaultRouteTo(target));
    // THEN it is refused with AWS's sentence, and the route table is unchanged
    expect(create).toThrow(ChangeConflictError);
    expect(create).toThrow(message);
    expect(JSON.stringify(lab)).toBe(before);
  });

  it("is allowed when the target is in the route table's own VPC (the ENI of a VPC02 instance)", async () => {
    // GIVEN the lab with VPC02's default route gone
    const lab = await labSnapshot();
    applyToSnapshot(lab, { kind: "delete-route", routeTable: A_RT, destination: "0.0.0.0/0" });
    // WHEN it is routed to an instance of VPC02 / THEN the route exists
    applyToSnapshot(lab, defaultRouteTo({ kind: "instance-eni", instance: "VPC02-Private-B-10.2.24.101" }));
    expect(lab.routeTables.find((t) => t.name === A_RT)?.routes.find((r) => r.destination === "0.0.0.0/0")?.target.kind).toBe("eni");
  });

  it("cannot be used as a repair of tgw-default-route on the simulated lab: the student's apply fails and the grade stays FAIL", async () => {
    // GIVEN tgw-default-route injected
    const cloud = await openSimLab();
    try {
      const scenario = findScenario("tgw-default-route");
      await inject(cloud, scenario, { by: "jest" });
      const before = JSON.stringify(await cloud.snapshot());
      // WHEN a student routes both VPC02 tables to a DMZ NAT gateway
      for (const routeTable of [A_RT, "VPC02-Private-Subnet-B-RT"]) {
        await expect(cloud.apply({ kind: "create-route", routeTable, destination: "0.0.0.0/0", target: { kind: "nat-gateway", name: "DMZVPC-NATGW-A" } })).rejects.toThrow("belong to different networks");
      }
      // THEN the lab is unchanged and both checks still fail
      expect(JSON.stringify(await cloud.snapshot())).toBe(before);
      expect((await grade(cloud, scenario)).checks.map((c) => c.status)).toEqual(["fail", "fail"]);
    } finally {
      await cloud.close();
    }
  });
});
