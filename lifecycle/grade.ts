import { overallStatus, runChecks, score } from "../checks/evaluate";
import type { CheckResult, CheckStatus } from "../checks/types";
import type { LabCloud, LedgerEntry } from "../cloud/port";
import type { Scenario } from "../scenarios/types";
import { baselineSteadyState, compareWithBaseline, declaredEffects, probesOfSteadyState, steadyStateByContent, withProbeAnswers, type CollateralEntry, type NotCompared, type SteadyStateComparison, type SteadyStateEffect } from "./steady-state";

/**
 * A lab's grade for one scenario. `status` is the worst of the checks and of the steady-state comparison:
 * collateral damage fails it, a fact that could not be known makes it inconclusive at best.
 */
export interface Grade {
  scenario: string;
  lab: string;
  /** Percentage of the scenario's checks that pass (collateral damage does not change it, `status` says it). */
  score: number;
  status: CheckStatus;
  checks: CheckResult[];
  /** The whole lab's steady state compared with its baseline. */
  steadyState: SteadyStateComparison | NotCompared;
  /** Damage done elsewhere in the lab (the comparison's collateral entries): never a pass. */
  collateral: CollateralEntry[];
}

export interface GradeOptions {
  /**
   * The scenario's active fault, for checks that compare with its time (alarm-fired); `null` grades
   * the lab as if none were active (a baseline). @default read from the ledger when a check needs it
   */
  fault?: LedgerEntry | null;
  /**
   * The differences that are not collateral damage. @default the effects declared by every fault active in
   * the lab's ledger (a scenario that is not injected excuses nothing)
   */
  expected?: readonly SteadyStateEffect[];
}

function worst(a: CheckStatus, b: CheckStatus): CheckStatus {
  return a === "fail" || b === "fail" ? "fail" : a === "inconclusive" || b === "inconclusive" ? "inconclusive" : "pass";
}

export async function grade(cloud: LabCloud, scenario: Scenario, options: GradeOptions = {}): Promise<Grade> {
  const needsFault = scenario.checks.some((c) => c.kind === "alarm-fired");
  const fault = options.fault === null || !needsFault ? undefined : (options.fault ?? (await cloud.ledger.get(scenario.id)));
  // One snapshot and one probe batch for the checks and the steady state (on AWS, one SSM command per script).
  const snapshot = await cloud.snapshot();
  const baseline = await baselineSteadyState(cloud);
  const known = "status" in baseline ? undefined : baseline;
  const state = steadyStateByContent(snapshot);
  const { results, extraAnswers } = await runChecks(cloud, scenario.checks, { fault }, { snapshot, extraProbes: known ? probesOfSteadyState(state, known) : [] });
  const expected = options.expected ?? declaredEffects((await cloud.ledger.list()).map((e) => e.scenario));
  const steady = compareWithBaseline(baseline, known ? withProbeAnswers(state, snapshot, extraAnswers, known) : state, expected);
  const collateral = steady.status === "not-compared" ? [] : steady.collateral;
  const unknown = steady.status === "inconclusive" || (steady.status === "not-compared" && steady.unreadable);
  const fromSteady: CheckStatus = steady.status === "collateral" ? "fail" : unknown ? "inconclusive" : "pass";
  return { scenario: scenario.id, lab: cloud.lab, score: score(results), status: worst(overallStatus(results), fromSteady), checks: results, steadyState: steady, collateral };
}
