import { compareSteadyState } from "../checks/collateral";
import { applyToSnapshot } from "../cloud/model-apply";
import { steadyStateByContent, steadyStateOf } from "../lifecycle/steady-state";
import type { Snapshot } from "../network/snapshot";
import { SCENARIOS } from "../scenarios";
import { summarize, timeRuns, type Figure } from "./stats";

export interface SteadyStateFigures {
  /**
   * A class's grading offline: each lab's steady state now, compared with its baseline's as the sim keeps
   * it (derived once, at the lab's first grade, and kept in its state file).
   */
  class: Figure & { labs: number; factsPerLab: number; collateralEntries: number };
  /** The same, each baseline's steady state derived anew too (a lab's first grade). */
  classCold: Figure;
  /** One lab, kept baseline. */
  perLab: Figure;
}

/**
 * A class of `labs` simulated labs, each a lab of its own (its own snapshot objects, so no lab reuses
 * another's derived state), in the states a class is in while it is graded: every scenario's fault in
 * turn, half the labs repaired with the reference fix, one in five of those with collateral damage (VPC01's
 * default route deleted). Each run derives every baseline's steady state anew.
 */
export function classOfLabs(one: Snapshot, labs: number, tag: string): { baseline: Snapshot; now: Snapshot; scenario: (typeof SCENARIOS)[number] }[] {
  return Array.from({ length: labs }, (_, i) => {
    const scenario = SCENARIOS[i % SCENARIOS.length];
    // A lab id of its own per lab and per run: no steady state is found by content from another lab or run.
    const own = { ...structuredClone(one), lab: `${tag}-${i}` };
    const now = structuredClone(own);
    for (const c of scenario.inject) applyToSnapshot(now, c);
    if (i % 2) for (const c of scenario.solve) applyToSnapshot(now, c);
    if (i % 5 === 1) applyToSnapshot(now, { kind: "delete-route", routeTable: "VPC01-Private-Subnet-A-RT", destination: "0.0.0.0/0" });
    return { baseline: own, now, scenario };
  });
}

export async function benchSteadyState(one: Snapshot, labs: number, runs: number): Promise<SteadyStateFigures> {
  let collateral = 0;
  let facts = 0;
  // One class per run (and the warm-up), built before the timing: no run reuses another's derived state.
  const grade = (keep: boolean) => {
    const classes = Array.from({ length: runs + 1 }, (_, run) => classOfLabs(one, labs, `${keep ? "kept" : "cold"}${run}`));
    // Kept baselines: derived before the timing, as the sim has them from the lab's first grade on.
    if (keep) for (const c of classes) for (const lab of c) steadyStateOf(lab.baseline);
    return () => {
      collateral = 0;
      for (const lab of classes.pop() ?? []) {
        const baseline = steadyStateOf(lab.baseline);
        facts = baseline.facts.length;
        collateral += compareSteadyState(baseline, steadyStateByContent(lab.now), lab.scenario.effects).collateral.length;
      }
    };
  };
  const kept = summarize(await timeRuns(runs, grade(true), 1), "s");
  const cold = summarize(await timeRuns(runs, grade(false), 1), "s");
  const singles = Array.from({ length: runs + 1 }, (_, run) => classOfLabs(one, 1, `single${run}`)[0]);
  for (const lab of singles) steadyStateOf(lab.baseline);
  const perLab = await timeRuns(
    runs,
    () => {
      const lab = singles.pop()!;
      compareSteadyState(steadyStateOf(lab.baseline), steadyStateByContent(lab.now), lab.scenario.effects);
    },
    1,
  );
  return { class: { ...kept, labs, factsPerLab: facts, collateralEntries: collateral }, classCold: cold, perLab: summarize(perLab, "s") };
}
