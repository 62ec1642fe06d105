import { overallStatus, runChecks, score } from "../checks/evaluate";
import type { CheckResult, CheckStatus } from "../checks/types";
import type { LabCloud, LedgerEntry } from "../cloud/port";
import type { Scenario } from "../scenarios/types";

export interface Grade {
  scenario: string;
  lab: string;
  /** Percentage of checks that pass. */
  score: number;
  status: CheckStatus;
  checks: CheckResult[];
}

export interface GradeOptions {
  /**
   * The scenario's active fault, for checks that compare with its time (alarm-fired); `null` grades
   * the lab as if none were active (a baseline). @default read from the ledger when a check needs it
   */
  fault?: LedgerEntry | null;
}

export async function grade(cloud: LabCloud, scenario: Scenario, options: GradeOptions = {}): Promise<Grade> {
  const needsFault = scenario.checks.some((c) => c.kind === "alarm-fired");
  const fault = options.fault === null || !needsFault ? undefined : (options.fault ?? (await cloud.ledger.get(scenario.id)));
  const { results } = await runChecks(cloud, scenario.checks, { fault });
  return { scenario: scenario.id, lab: cloud.lab, score: score(results), status: overallStatus(results), checks: results };
}
