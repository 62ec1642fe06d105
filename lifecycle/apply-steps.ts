import { describeChange, type Change } from "../cloud/change";
import { effectOf } from "../cloud/inverse";
import { applyToSnapshot } from "../cloud/model-apply";
import type { LabCloud } from "../cloud/port";

export type StepOutcome = "applied" | "already-in-effect" | "left-as-is" | "failed";

export interface StepReport {
  change: Change;
  description: string;
  outcome: StepOutcome;
  /** Why a step was skipped or failed. */
  detail?: string;
}

/**
 * Applies changes in order, best-effort: each step runs even after one fails. A step the lab already
 * shows is skipped; a step whose place holds something else (a student's different repair) is left
 * as it is, so nothing a student did is lost.
 */
export async function applySteps(cloud: LabCloud, changes: readonly Change[]): Promise<StepReport[]> {
  const model = await cloud.snapshot();
  const reports: StepReport[] = [];
  for (const change of changes) {
    const description = describeChange(change);
    let effect;
    try {
      effect = effectOf(model, change);
    } catch (e) {
      reports.push({ change, description, outcome: "failed", detail: (e as Error).message });
      continue;
    }
    if (effect.state === "in-effect") {
      reports.push({ change, description, outcome: "already-in-effect", detail: "the lab already shows this (repaired by someone?)" });
      continue;
    }
    if (effect.state === "conflict") {
      reports.push({ change, description, outcome: "left-as-is", detail: effect.reason });
      continue;
    }
    try {
      await cloud.apply(change);
      try {
        applyToSnapshot(model, change);
      } catch {
        // The model only guides later steps; the cloud is the truth.
      }
      reports.push({ change, description, outcome: "applied" });
    } catch (e) {
      reports.push({ change, description, outcome: "failed", detail: (e as Error).message });
    }
  }
  return reports;
}
