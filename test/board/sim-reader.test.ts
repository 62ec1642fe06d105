import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gradeClass } from "../../board/grade-class";
import { openSimReader } from "../../board/sim-reader";
import { makeContext } from "../../cli/context";
import { bufferIo } from "../../cli/io";
import { run } from "../../cli/run";
import { SimLabCloud } from "../../cloud/sim/sim-cloud";
import { grade } from "../../lifecycle/grade";
import { findScenario } from "../../scenarios";
import { labSnapshot, labSynthDir } from "../helpers/lab";
import { offlineClass } from "./class-fixture";

describe("the board's read-only view of a simulated lab", () => {
  it("does not hold the lab's lock, so a CLI verb can change the lab while the board grades it", async () => {
    // GIVEN a simulated lab opened by the board's reader
    const cls = await offlineClass(["s01"]);
    const ctx = cls.context();
    const reader = await openSimReader(ctx, ctx.config.participants[0]);
    // WHEN an instructor injects a fault meanwhile
    const io = bufferIo({ cwd: cls.dir });
    const code = await run(["inject", "tgw-default-route", ...cls.flags], io);
    // THEN the inject is not refused as "in use", and the board sees it on its next reading
    expect([code, io.stderr]).toEqual([0, ""]);
    expect(await reader.ledger.list()).toEqual([]);
    const next = await openSimReader(ctx, ctx.config.participants[0]);
    expect((await next.ledger.list()).map((e) => e.scenario)).toEqual(["tgw-default-route"]);
    await reader.close();
  });

  it("refuses every change: the board is read-only", async () => {
    // GIVEN the board's reader of a lab
    const cls = await offlineClass(["s01"]);
    const ctx = cls.context();
    const reader = await openSimReader(ctx, ctx.config.participants[0]);
    const entry = { scenario: "tgw-default-route", lab: "s01", injectedAt: new Date().toISOString(), by: "jest", changes: [], inverses: [] };
    // WHEN anything tries to change the lab or its ledger through it
    // THEN it is refused as a netlab bug, and the state is untouched
    await expect(reader.apply({ kind: "delete-route", routeTable: "VPC02-Private-Subnet-A-RT", destination: "0.0.0.0/0" })).rejects.toThrow("the class board tried to apply a change in lab s01; the board is read-only");
    await expect(reader.ledger.create(entry)).rejects.toThrow("tried to record a fault");
    await expect(reader.ledger.remove("tgw-default-route")).rejects.toThrow("tried to clear a fault");
    const lab = await SimLabCloud.open({ lab: "s01", region: "ap-northeast-2", stateDir: cls.stateDir, baseline: async () => Promise.reject(new Error("not used")) });
    expect((await lab.snapshot()).routeTables.find((t) => t.name === "VPC02-Private-Subnet-A-RT")?.routes.map((r) => r.destination)).toContain("0.0.0.0/0");
    await lab.close();
  });

  it("grades the whole lab as lab check does: damage outside the active fault is collateral on the board too", async () => {
    // GIVEN s01 with no active fault, whose VPC01 default route was deleted (a change made outside netlab)
    const cls = await offlineClass(["s01"]);
    const ctx = cls.context();
    await (await openSimReader(ctx, ctx.config.participants[0])).close();
    const lab = await SimLabCloud.open({ lab: "s01", region: "ap-northeast-2", stateDir: cls.stateDir, baseline: async () => Promise.reject(new Error("not used")) });
    await lab.apply({ kind: "delete-route", routeTable: "VPC01-Private-Subnet-A-RT", destination: "0.0.0.0/0" });
    await lab.close();
    // WHEN the board reads and grades it (tgw-default-route, whose own checks pass)
    const reader = await openSimReader(ctx, ctx.config.participants[0]);
    const g = await grade(reader, findScenario("tgw-default-route")!);
    // THEN the grade fails on collateral damage at that route table, compared with the lab's kept baseline
    expect(g.checks.every((c) => c.status === "pass")).toBe(true);
    expect(g.status).toBe("fail");
    expect(g.collateral.map((c) => c.component)).toContain("VPC01-Private-Subnet-A-RT");
  });

  it("creates a lab never used before from the synthesized lab, once, as any verb would", async () => {
    // GIVEN a state dir with no lab in it, and a synth dir
    const cls = await offlineClass([]);
    const ctx = makeContext(bufferIo({ cwd: cls.dir }), { offline: true, lab: "s01", stateDir: join(cls.dir, "fresh"), synthDir: await labSynthDir() });
    // WHEN the board reads it
    const reader = await openSimReader(ctx, { id: "s01" });
    // THEN the simulated lab exists, at baseline, and no lock is left behind
    expect(existsSync(join(cls.dir, "fresh", "s01", "state.json"))).toBe(true);
    expect(existsSync(join(cls.dir, "fresh", "s01", "lock"))).toBe(false);
    expect(await reader.ledger.list()).toEqual([]);
    expect((await reader.snapshot()).instances.length).toBeGreaterThan(10);
  });

  it("honours --synth-dir as every verb does: a lab built from another synth is not graded, and says why", async () => {
    // GIVEN s01 built from a synth that differs from the project's (a route table fewer), and s02 that the synth dir does not hold
    const cls = await offlineClass(["s02"]);
    const other = await labSnapshot();
    other.routeTables = other.routeTables.filter((t) => t.name !== "VPC02-Private-Subnet-A-RT");
    const s01 = await SimLabCloud.open({ lab: "s01", region: "ap-northeast-2", stateDir: cls.stateDir, baseline: async () => other, baselineFrom: "another synth" });
    await s01.close();
    writeFileSync(cls.configFile, JSON.stringify({ participants: [{ id: "s01" }, { id: "s02" }] }));
    const ctx = makeContext(bufferIo({ cwd: cls.dir }), { offline: true, all: true, config: cls.configFile, stateDir: cls.stateDir, synthDir: await labSynthDir() });
    // WHEN the board grades the class with the project's synth dir
    const outcomes = await gradeClass(ctx, [], openSimReader);
    // THEN neither lab is graded in the synth's place: each says why
    expect(outcomes.map((o) => o.result)).toEqual([undefined, undefined]);
    expect((outcomes[0].error as Error).message).toContain("was built from another synth, which differs from the synth dir");
    expect((outcomes[1].error as Error).message).toMatch(/^The synth directory .* has no stack netlab-s02-core/);
  });
});
