import type { LabCloud } from "../cloud/port";
import { applySteps, type StepReport } from "./apply-steps";

export type ResetOutcome =
  | { status: "not-active"; scenario: string }
  | { status: "reset"; scenario: string; steps: StepReport[] }
  /** Some inverses failed: the ledger entry is kept so that reset can run again. */
  | { status: "incomplete"; scenario: string; steps: StepReport[] };

/** Applies the ledger's inverses from last to first and clears the entry once every step holds. */
export async function reset(cloud: LabCloud, scenario: string): Promise<ResetOutcome> {
  const entry = await cloud.ledger.get(scenario);
  if (!entry) return { status: "not-active", scenario };
  const steps = await applySteps(cloud, [...entry.inverses].reverse());
  if (steps.some((s) => s.outcome === "failed")) return { status: "incomplete", scenario, steps };
  await cloud.ledger.remove(scenario);
  return { status: "reset", scenario, steps };
}

/** Resets every active scenario of the lab, newest first. */
export async function resetAll(cloud: LabCloud): Promise<ResetOutcome[]> {
  const entries = (await cloud.ledger.list()).sort((a, b) => b.injectedAt.localeCompare(a.injectedAt));
  const out: ResetOutcome[] = [];
  for (const e of entries) out.push(await reset(cloud, e.scenario));
  return out;
}
