import type { LabCloud } from "../cloud/port";
import type { Scenario } from "../scenarios/types";
import { applySteps, type StepReport } from "./apply-steps";

/** Applies the reference fix, skipping what the lab already shows. The ledger is left for `reset`. */
export async function solve(cloud: LabCloud, scenario: Scenario): Promise<StepReport[]> {
  return applySteps(cloud, scenario.solve);
}
