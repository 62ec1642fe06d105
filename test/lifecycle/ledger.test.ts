import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Change } from "../../cloud/change";
import type { LabCloud } from "../../cloud/port";
import { SimLabCloud } from "../../cloud/sim/sim-cloud";
import { diffLabs } from "../../lifecycle/compare";
import { inject } from "../../lifecycle/inject";
import { reset, resetAll } from "../../lifecycle/reset";
import { solve } from "../../lifecycle/solve";
import type { Scenario } from "../../scenarios/types";
import { miniLab } from "../cloud/model-fixture";

const text = { en: "x", ko: "엑스" };

const scenario: Scenario = {
  id: "two-faults",
  title: text,
  seed: "000",
  brief: text,
  hints: [],
  effects: [],
  inject: [
    { kind: "delete-route", routeTable: "VPC02-Private-Subnet-A-RT", destination: "0.0.0.0/0" },
    { kind: "delete-flow-log", vpc: "VPC02" },
    { kind: "set-source-dest-check", instance: "NAT-Instance", enabled: true },
  ],
  solve: [
    { kind: "create-route", routeTable: "VPC02-Private-Subnet-A-RT", destination: "0.0.0.0/0", target: { kind: "tgw", name: "netlab-tgw" } },
    { kind: "create-flow-log", vpc: "VPC02", logGroup: "/aws/vpc/flowlogs", trafficType: "ALL" },
    { kind: "set-source-dest-check", instance: "NAT-Instance", enabled: false },
  ],
  checks: [],
};

async function openLab(stateDir = mkdtempSync(join(tmpdir(), "netlab-ledger-"))): Promise<SimLabCloud> {
  return SimLabCloud.open({ lab: "s01", region: "ap-northeast-2", stateDir, baseline: async () => miniLab() });
}

/** A cloud whose `apply` dies after `k` successful changes, as a crashed process or a failing API would. */
function dyingAfter(cloud: LabCloud, k: number): LabCloud {
  let applied = 0;
  return Object.assign(Object.create(cloud) as LabCloud, {
    apply: async (c: Change) => {
      if (applied++ >= k) throw new Error("simulated crash");
      return cloud.apply(c);
    },
  });
}

describe("the ledger", () => {
  it("records every inverse before the first change is applied", async () => {
    // GIVEN a lab whose first apply fails
    const cloud = await openLab();
    const before = await cloud.snapshot();
    // WHEN the scenario is injected
    const out = await inject(dyingAfter(cloud, 0), scenario, { by: "test" });
    // THEN nothing changed, yet the ledger already holds all three inverses
    expect(out.status).toBe("partial");
    expect(diffLabs(before, await cloud.snapshot())).toEqual([]);
    expect((await cloud.ledger.get("two-faults"))?.inverses).toHaveLength(3);
    await cloud.close();
  });

  it("refuses a second inject of an active scenario and leaves the ledger as it was", async () => {
    const cloud = await openLab();
    await inject(cloud, scenario, { by: "first" });
    const entry = await cloud.ledger.get("two-faults");
    const lab = await cloud.snapshot();
    // WHEN injected again / THEN refused, same ledger entry, same lab
    const again = await inject(cloud, scenario, { by: "second" });
    expect(again).toEqual({ status: "refused", reason: expect.stringContaining('Scenario "two-faults" is already injected in lab s01') });
    expect(await cloud.ledger.get("two-faults")).toEqual(entry);
    expect(diffLabs(lab, await cloud.snapshot())).toEqual([]);
    await cloud.close();
  });

  it("refuses to inject into a lab that is not in the state the fault starts from", async () => {
    // GIVEN a lab whose VPC02 route was already removed by someone
    const cloud = await openLab();
    await cloud.apply({ kind: "delete-route", routeTable: "VPC02-Private-Subnet-A-RT", destination: "0.0.0.0/0" });
    // WHEN injected / THEN refused with the reason, and no ledger entry is written
    const out = await inject(cloud, scenario, { by: "t" });
    expect(out).toEqual({ status: "refused", reason: expect.stringContaining("VPC02-Private-Subnet-A-RT has no route for 0.0.0.0/0") });
    expect(await cloud.ledger.list()).toEqual([]);
    await cloud.close();
  });

  it("changes nothing on a dry run", async () => {
    const cloud = await openLab();
    const before = await cloud.snapshot();
    const out = await inject(cloud, scenario, { by: "t", dryRun: true });
    expect(out.status).toBe("dry-run");
    expect(out.status === "dry-run" && out.inverses[0]).toEqual({ kind: "create-route", routeTable: "VPC02-Private-Subnet-A-RT", destination: "0.0.0.0/0", target: { kind: "tgw", name: "netlab-tgw" } });
    expect(await cloud.ledger.list()).toEqual([]);
    expect(diffLabs(before, await cloud.snapshot())).toEqual([]);
    await cloud.close();
  });

  it("says a reset of an inactive scenario is a no-op", async () => {
    const cloud = await openLab();
    expect(await reset(cloud, "two-faults")).toEqual({ status: "not-active", scenario: "two-faults" });
    await cloud.close();
  });

  it.each([0, 1, 2, 3])("restores the exact baseline after a crash after %i of 3 changes", async (k) => {
    // GIVEN an inject that dies after k changes
    const cloud = await openLab();
    const baseline = await cloud.snapshot();
    await inject(dyingAfter(cloud, k), scenario, { by: "t" });
    // WHEN reset runs
    const out = await reset(cloud, "two-faults");
    // THEN the lab is the baseline again and the ledger is empty
    expect(out.status).toBe("reset");
    expect(diffLabs(baseline, await cloud.snapshot())).toEqual([]);
    expect(await cloud.ledger.list()).toEqual([]);
    await cloud.close();
  });

  it("skips what the student already repaired, and says so", async () => {
    // GIVEN the fault injected and the student's repair of the route and the flow log
    const cloud = await openLab();
    await inject(cloud, scenario, { by: "t" });
    await cloud.apply(scenario.solve[0]);
    await cloud.apply(scenario.solve[1]);
    // WHEN reset
    const out = await reset(cloud, "two-faults");
    // THEN those two steps are skipped as already in effect, the third is applied
    expect(out.status === "reset" && out.steps.map((s) => s.outcome)).toEqual(["applied", "already-in-effect", "already-in-effect"]);
    await cloud.close();
  });

  it("keeps a student's different-but-valid repair instead of overwriting it", async () => {
    // GIVEN the default route re-created by a student through another target
    const cloud = await openLab();
    await inject(cloud, scenario, { by: "t" });
    const studentRoute: Change = { kind: "create-route", routeTable: "VPC02-Private-Subnet-A-RT", destination: "0.0.0.0/0", target: { kind: "instance-eni", instance: "NAT-Instance" } };
    await cloud.apply(studentRoute);
    // WHEN reset / THEN the student's route is kept and reported
    const out = await reset(cloud, "two-faults");
    expect(out.status === "reset" && out.steps.find((s) => s.change.kind === "create-route")?.outcome).toBe("left-as-is");
    const rt = (await cloud.snapshot()).routeTables[0];
    expect(rt.routes.find((r) => r.destination === "0.0.0.0/0")?.target).toEqual({ kind: "eni", id: "eni-1", instanceId: "i-1" });
    await cloud.close();
  });

  it("keeps a student's extra rule through reset", async () => {
    const cloud = await openLab();
    await inject(cloud, scenario, { by: "t" });
    const extra: Change = { kind: "authorize-sg-rule", securityGroup: "DMZVPC-PrivateSG", direction: "ingress", rule: { protocol: "icmp", fromPort: -1, toPort: -1, cidr: "10.0.0.0/8" } };
    await cloud.apply(extra);
    await reset(cloud, "two-faults");
    expect((await cloud.snapshot()).securityGroups[0].ingress.some((r) => r.protocol === "icmp")).toBe(true);
    await cloud.close();
  });

  it("runs every reset step even after one fails, and keeps the entry for another try", async () => {
    // GIVEN an injected lab where the first inverse will fail
    const cloud = await openLab();
    await inject(cloud, scenario, { by: "t" });
    const flaky = Object.assign(Object.create(cloud) as LabCloud, {
      apply: async (c: Change) => {
        if (c.kind === "set-source-dest-check") throw new Error("throttled");
        return cloud.apply(c);
      },
    });
    // WHEN reset / THEN the other two steps are applied, the failure reported, the ledger kept
    const out = await reset(flaky, "two-faults");
    expect(out.status).toBe("incomplete");
    expect(out.status !== "not-active" && out.steps.map((s) => s.outcome)).toEqual(["failed", "applied", "applied"]);
    expect(await cloud.ledger.get("two-faults")).toBeDefined();
    // AND a second reset finishes the job
    expect((await reset(cloud, "two-faults")).status).toBe("reset");
    await cloud.close();
  });

  it("resets every active scenario with resetAll", async () => {
    const cloud = await openLab();
    const baseline = await cloud.snapshot();
    await inject(cloud, scenario, { by: "t" });
    const other: Scenario = { ...scenario, id: "stop-it", inject: [{ kind: "stop-instance", instance: "NAT-Instance" }], solve: [] };
    await inject(cloud, other, { by: "t" });
    const out = await resetAll(cloud);
    expect(out.map((o) => o.status)).toEqual(["reset", "reset"]);
    expect(diffLabs(baseline, await cloud.snapshot())).toEqual([]);
    await cloud.close();
  });

  it("solve skips what is already fixed", async () => {
    const cloud = await openLab();
    await inject(cloud, scenario, { by: "t" });
    await cloud.apply(scenario.solve[2]);
    const steps = await solve(cloud, scenario);
    expect(steps.map((s) => s.outcome)).toEqual(["applied", "applied", "already-in-effect"]);
    await cloud.close();
  });

  it("shares one simulated lab between successive commands", async () => {
    // GIVEN a fault injected by one command
    const dir = mkdtempSync(join(tmpdir(), "netlab-ledger-"));
    const first = await openLab(dir);
    await inject(first, scenario, { by: "t" });
    await first.close();
    // WHEN another command opens the lab / THEN it sees the fault and its ledger
    const second = await openLab(dir);
    expect((await second.ledger.list()).map((e) => e.scenario)).toEqual(["two-faults"]);
    expect((await second.snapshot()).flowLogs).toEqual([]);
    await second.close();
  });
});
