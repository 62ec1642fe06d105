import { overallStatus, runChecks, score } from "../checks/evaluate";
import type { CheckResult, CheckStatus } from "../checks/types";
import type { LabCloud } from "../cloud/port";
import type { Scenario } from "../scenarios/types";

export interface Grade {
  scenario: string;
  lab: string;
  /** Percentage of checks that pass. */
  score: number;
  status: CheckStatus;
  checks: CheckResult[];
}

export async function grade(cloud: LabCloud, scenario: Scenario): Promise<Grade> {
  const { results } = await runChecks(cloud, scenario.checks);
  return { scenario: scenario.id, lab: cloud.lab, score: score(results), status: overallStatus(results), checks: results };
}
