import { grade } from "../../lifecycle/grade";
import { rehearse } from "../../lifecycle/rehearse";
import { SCENARIOS } from "../../scenarios";
import { openSimLab } from "../helpers/lab";

describe.each(SCENARIOS.map((s) => [s.id, s] as const))("scenario %s on the simulated lab", (_id, scenario) => {
  it("runs the whole loop: baseline passes → inject fails → solve passes → reset restores the lab", async () => {
    // GIVEN a fresh simulated copy of the synthesized lab
    const cloud = await openSimLab();
    try {
      // WHEN the scenario is rehearsed
      const r = await rehearse(cloud, scenario, "jest");
      // THEN every step holds, and the lab ends as it began
      const problems = r.steps.flatMap((s) => s.problems.map((p) => `${s.step}: ${p}`));
      expect(problems).toEqual([]);
      expect(r.steps.map((s) => [s.step, s.ok])).toEqual([
        ["baseline", true],
        ["inject", true],
        ["solve", true],
        ["reset", true],
      ]);
      expect(r.ok).toBe(true);
      expect(await cloud.ledger.list()).toEqual([]);
    } finally {
      await cloud.close();
    }
  });
});

describe("a lab that fails its baseline", () => {
  it("stops the scenario after the baseline: nothing injected, the lab unchanged", async () => {
    // GIVEN a lab whose VPC02-B default route was deleted outside netlab
    const cloud = await openSimLab();
    try {
      await cloud.apply({ kind: "delete-route", routeTable: "VPC02-Private-Subnet-B-RT", destination: "0.0.0.0/0" });
      const before = JSON.stringify(await cloud.snapshot());
      // WHEN tgw-default-route is rehearsed
      const r = await rehearse(cloud, SCENARIOS[0], "jest");
      // THEN only the baseline step is there, not ok, and the lab and ledger are as they were
      expect(r.ok).toBe(false);
      expect(r.steps.map((s) => [s.step, s.ok])).toEqual([["baseline", false]]);
      expect(r.steps[0].problems).toEqual([
        "not every check passed",
        expect.stringMatching(/^collateral damage at VPC02-Private-Subnet-B-RT \(NO_ROUTE\): DMZVPC-Private-A-10.11.20.101 → VPC02-Private-B-10.2.24.101 \(ping\);.* VPC02-Private-B-10.2.24.101 → the internet;/),
        "the rehearsal of this scenario stops here: nothing was injected",
      ]);
      expect(r.steps[0].collateral.map((c) => c.component)).toContain("VPC02-Private-Subnet-B-RT");
      expect(JSON.stringify(await cloud.snapshot())).toBe(before);
      expect(await cloud.ledger.list()).toEqual([]);
    } finally {
      await cloud.close();
    }
  });
});

describe("what a failing check tells", () => {
  it("names the route table that lost its default route, for the instructor", async () => {
    // GIVEN tgw-default-route injected
    const cloud = await openSimLab();
    const scenario = SCENARIOS.find((s) => s.id === "tgw-default-route")!;
    const { inject } = await import("../../lifecycle/inject");
    await inject(cloud, scenario, { by: "jest" });
    // WHEN graded
    const g = await grade(cloud, scenario);
    // THEN both checks fail with the analyzer's explanation and a hint that does not give the answer
    expect(g.status).toBe("fail");
    expect(g.score).toBe(0);
    expect(g.checks[0].explanation).toContain("blocked at VPC02-Private-Subnet-A-RT (NO_ROUTE)");
    expect(g.checks[1].explanation).toContain("blocked at VPC02-Private-Subnet-B-RT (NO_ROUTE)");
    expect(g.checks[0].hint.en).not.toMatch(/create-route|netlab-tgw/);
    await cloud.close();
  });

  it("reports a stopped ALB target as unused with Target.InvalidState, not unhealthy", async () => {
    const cloud = await openSimLab();
    const scenario = SCENARIOS.find((s) => s.id === "alb-target-stopped")!;
    const { inject } = await import("../../lifecycle/inject");
    await inject(cloud, scenario, { by: "jest" });
    const g = await grade(cloud, scenario);
    expect(g.checks[0].evidence).toContain("DMZVPC-Private-B-10.11.24.102:80 unused (Target.InvalidState)");
    expect(g.checks[1].evidence).toMatch(/found 3 \(/);
    await cloud.close();
  });

  it("grades a different-but-valid repair on its outcome, and reset keeps it", async () => {
    // GIVEN tgw-default-route injected, and a student who routes 0.0.0.0/1 and 128.0.0.0/1 to the TGW instead
    const cloud = await openSimLab();
    const scenario = SCENARIOS.find((s) => s.id === "tgw-default-route")!;
    const { inject } = await import("../../lifecycle/inject");
    const { reset } = await import("../../lifecycle/reset");
    await inject(cloud, scenario, { by: "jest" });
    for (const rt of ["VPC02-Private-Subnet-A-RT", "VPC02-Private-Subnet-B-RT"]) {
      for (const destination of ["0.0.0.0/1", "128.0.0.0/1"]) {
        await cloud.apply({ kind: "create-route", routeTable: rt, destination, target: { kind: "tgw", name: "netlab-tgw" } });
      }
    }
    // WHEN graded / THEN it passes: the checks test the outcome (egress through a DMZ NAT gateway), not the reference fix
    expect((await grade(cloud, scenario)).status).toBe("pass");
    // AND reset restores the default routes without removing the student's routes
    expect((await reset(cloud, scenario.id)).status).toBe("reset");
    const rt = (await cloud.snapshot()).routeTables.find((t) => t.name === "VPC02-Private-Subnet-A-RT")!;
    expect(rt.routes.map((r) => r.destination).sort()).toEqual(["0.0.0.0/0", "0.0.0.0/1", "10.2.0.0/16", "128.0.0.0/1"]);
    await cloud.close();
  });

  it("fails the masquerade repair that is not saved", async () => {
    // GIVEN the masquerade flushed, and the rule put back in memory only
    const cloud = await openSimLab();
    const scenario = SCENARIOS.find((s) => s.id === "nat-instance-masquerade")!;
    const { inject } = await import("../../lifecycle/inject");
    await inject(cloud, scenario, { by: "jest" });
    const snap = await cloud.snapshot();
    const nat = snap.instances.find((i) => i.name === "NAT-Instance")!;
    nat.os = { ...nat.os!, masquerade: true, masqueradeSaved: false };
    (cloud as unknown as { state: { snapshot: typeof snap } }).state.snapshot = snap;
    // WHEN graded / THEN traffic flows, but the reboot check fails
    const g = await grade(cloud, scenario);
    expect(g.checks.map((c) => c.status)).toEqual(["pass", "pass", "fail"]);
    expect(g.checks[2].evidence).toBe("expected on NAT-Instance: masqueradeSaved=true; found masqueradeSaved=false");
    await cloud.close();
  });
});
