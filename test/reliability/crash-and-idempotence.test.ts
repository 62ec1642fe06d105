import type { Change } from "../../cloud/change";
import type { LabCloud } from "../../cloud/port";
import { diffLabs } from "../../lifecycle/compare";
import { inject } from "../../lifecycle/inject";
import { reset, resetAll } from "../../lifecycle/reset";
import { SCENARIOS } from "../../scenarios";
import { openSimLab } from "../helpers/lab";

/** The same cloud, except that `apply` fails (process dies, API errors) once `k` changes went through. */
function failingAfter(cloud: LabCloud, k: number): LabCloud {
  let applied = 0;
  return Object.assign(Object.create(cloud) as LabCloud, {
    apply: async (c: Change) => {
      if (applied++ >= k) throw new Error(`simulated crash after ${k} changes`);
      return cloud.apply(c);
    },
  });
}

const cases = SCENARIOS.flatMap((s) => Array.from({ length: s.inject.length + 1 }, (_, k) => [s.id, k, s] as const));

describe("R01 crash safety on the sim: a failure after each of a scenario's k changes", () => {
  it.each(cases)("R01 %s, failing after %i change(s): the ledger holds every inverse and reset restores the exact baseline", async (_id, k, scenario) => {
    // GIVEN a fresh lab
    const cloud = await openSimLab();
    const baseline = await cloud.snapshot();
    // WHEN the inject dies after k changes
    const out = await inject(failingAfter(cloud, k), scenario, { by: "reliability" });
    expect(out.status).toBe(k < scenario.inject.length ? "partial" : "injected");
    expect((await cloud.ledger.get(scenario.id))?.inverses).toHaveLength(scenario.inject.length);
    // THEN reset brings back the baseline, exactly, and clears the ledger
    const r = await reset(cloud, scenario.id);
    expect(r.status).toBe("reset");
    expect(diffLabs(baseline, await cloud.snapshot())).toEqual([]);
    expect(await cloud.ledger.list()).toEqual([]);
    await cloud.close();
  });
});

describe("idempotence", () => {
  it.each(SCENARIOS.map((s) => [s.id, s] as const))("R03 %s: a second inject is refused and changes nothing", async (_id, scenario) => {
    const cloud = await openSimLab();
    await inject(cloud, scenario, { by: "first" });
    const lab = await cloud.snapshot();
    const entry = await cloud.ledger.get(scenario.id);
    const again = await inject(cloud, scenario, { by: "second" });
    expect(again.status).toBe("refused");
    expect(await cloud.ledger.get(scenario.id)).toEqual(entry);
    expect(diffLabs(lab, await cloud.snapshot())).toEqual([]);
    await cloud.close();
  });

  it.each(SCENARIOS.map((s) => [s.id, s] as const))("R04 %s: a second reset is a no-op that says so", async (_id, scenario) => {
    const cloud = await openSimLab();
    await inject(cloud, scenario, { by: "t" });
    expect((await reset(cloud, scenario.id)).status).toBe("reset");
    const lab = await cloud.snapshot();
    expect(await reset(cloud, scenario.id)).toEqual({ status: "not-active", scenario: scenario.id });
    expect(diffLabs(lab, await cloud.snapshot())).toEqual([]);
    await cloud.close();
  });

  it("R05 reset of every fault after a partial class run restores every lab", async () => {
    // GIVEN three labs: one fully injected with three scenarios, one with a crashed inject, one untouched
    const labs = await Promise.all([openSimLab(), openSimLab(), openSimLab()]);
    const baselines = await Promise.all(labs.map((l) => l.snapshot()));
    for (const s of SCENARIOS.slice(0, 3)) await inject(labs[0], s, { by: "t" });
    await inject(failingAfter(labs[1], 1), SCENARIOS[0], { by: "t" });
    // WHEN every active fault of every lab is reset
    for (const l of labs) expect((await resetAll(l)).every((r) => r.status === "reset")).toBe(true);
    // THEN every lab is its baseline again
    for (let i = 0; i < labs.length; i++) {
      expect(diffLabs(baselines[i], await labs[i].snapshot())).toEqual([]);
      await labs[i].close();
    }
  });
});
