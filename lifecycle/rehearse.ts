import type { CheckStatus } from "../checks/types";
import type { LabCloud } from "../cloud/port";
import type { Scenario } from "../scenarios/types";
import { diffLabs } from "./compare";
import { effectCovers, summarizeCollateral, type CollateralEntry } from "../checks/collateral";
import type { SteadyFactKind } from "../checks/steady-state";
import { grade } from "./grade";
import { inject } from "./inject";
import { reset } from "./reset";
import { solve } from "./solve";

export type RehearsalStepName = "baseline" | "inject" | "solve" | "reset";

export interface RehearsalStep {
  step: RehearsalStepName;
  /** What this step needs: baseline/solve/reset: all pass; inject: at least one fails. */
  ok: boolean;
  checks: { id: string; status: CheckStatus; evidence: string }[];
  /** Why the step is not ok (apply errors, differences left in the lab, collateral damage). */
  problems: string[];
  /** Damage to the lab's steady state beyond the active fault's declared effects: a step with any is not ok. */
  collateral: CollateralEntry[];
}

export interface Rehearsal {
  scenario: string;
  lab: string;
  ok: boolean;
  steps: RehearsalStep[];
}

/**
 * baseline checks pass → inject → at least one check fails → solve → all pass → reset → baseline
 * passes, and the lab ends exactly as it began. A failed baseline ends the rehearsal there (nothing injected).
 */
export async function rehearse(cloud: LabCloud, scenario: Scenario, by: string): Promise<Rehearsal> {
  const steps: RehearsalStep[] = [];
  const record = async (step: RehearsalStepName, expectFailure: boolean, problems: string[]): Promise<void> => {
    const g = await grade(cloud, scenario);
    const checks = g.checks.map((c) => ({ id: c.id, status: c.status, evidence: c.evidence }));
    const checksOk = expectFailure ? checks.some((c) => c.status === "fail") : checks.every((c) => c.status === "pass");
    if (!checksOk) problems.push(expectFailure ? "no check failed after the fault was injected" : "not every check passed");
    problems.push(...summarizeCollateral(g.collateral));
    if (g.steadyState.status === "inconclusive") problems.push(`the steady state could not be known: ${g.steadyState.unknown.map((u) => `${u.subject} (${u.why})`).join("; ")}`);
    // The scenario's declared effects are data: each must show while the fault is in.
    if (step === "inject" && g.steadyState.status !== "not-compared") {
      const shown = g.steadyState.expected.map((key) => {
        const [kind, from, to] = key.split("|");
        return { kind: kind as SteadyFactKind, from, to };
      });
      for (const e of scenario.effects.filter((e) => !shown.some((f) => effectCovers(e, f)))) {
        problems.push(`the scenario declares an effect the fault did not cause: ${JSON.stringify(e)}`);
      }
    }
    steps.push({ step, ok: problems.length === 0, checks, problems, collateral: g.collateral });
  };
  const before = await cloud.snapshot();
  await record("baseline", false, []);
  // A lab that fails its baseline would grade the fault on top of something else: stop this scenario here.
  if (!steps[0].ok) {
    steps[0].problems.push("the rehearsal of this scenario stops here: nothing was injected");
    return { scenario: scenario.id, lab: cloud.lab, ok: false, steps };
  }
  const injected = await inject(cloud, scenario, { by });
  const injectProblems =
    injected.status === "injected" ? [] : injected.status === "refused" ? [injected.reason] : injected.status === "partial" ? [injected.error] : ["dry run"];
  await record("inject", true, injectProblems);
  const solved = await solve(cloud, scenario);
  await record("solve", false, solved.filter((s) => s.outcome === "failed").map((s) => `${s.description}: ${s.detail}`));
  // The reset step is graded below, as every step is: no need for reset's own verification.
  const undone = await reset(cloud, scenario.id, { verify: false });
  const resetProblems = undone.status === "incomplete" ? undone.steps.filter((s) => s.outcome === "failed").map((s) => `${s.description}: ${s.detail}`) : [];
  resetProblems.push(...diffLabs(before, await cloud.snapshot()).map((d) => `the lab did not end as it began: ${d}`));
  await record("reset", false, resetProblems);
  return { scenario: scenario.id, lab: cloud.lab, ok: steps.every((s) => s.ok), steps };
}
