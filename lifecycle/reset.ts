import type { CheckResult, CheckStatus } from "../checks/types";
import type { LabCloud, LedgerEntry } from "../cloud/port";
import { SCENARIOS } from "../scenarios";
import { applySteps, type StepReport } from "./apply-steps";
import { grade } from "./grade";
import { declaredEffects, type CollateralEntry, type NotCompared, type SteadyStateComparison } from "./steady-state";

export interface ResetOptions {
  /**
   * After the inverses, grade the scenario's checks as a baseline (no fault active) and report a lab
   * that is not back to it. @default true
   */
  verify?: boolean;
}

/**
 * After a reset: the scenario's checks, graded as at baseline, and the whole lab's steady state compared
 * with its baseline (the other active faults' declared effects excused): what a student broke elsewhere.
 */
export type Verification =
  | { status: CheckStatus; checks: CheckResult[]; steadyState: SteadyStateComparison | NotCompared; collateral: CollateralEntry[] }
  /** Not run: --no-verify, or a ledger entry of a scenario this netlab does not know. */
  | { status: "skipped"; reason: string };

export type ResetOutcome =
  | { status: "not-active"; scenario: string }
  /** Every inverse holds and the checks pass (or were skipped): the ledger entry is cleared. */
  | { status: "reset"; scenario: string; steps: StepReport[]; verification: Verification }
  /** Some inverses failed: the ledger entry is kept so that reset can run again. */
  | { status: "incomplete"; scenario: string; steps: StepReport[] }
  /**
   * Every inverse that could be applied was, yet a check fails or the lab differs from its baseline
   * elsewhere (`not-restored`: collateral damage), or a check or fact could not be known (`unverified`). Nothing a student did was undone; `ledger` says what became of the entry and `why`.
   */
  | { status: "not-restored" | "unverified"; scenario: string; steps: StepReport[]; verification: Extract<Verification, { checks: CheckResult[] }>; ledger: "kept" | "cleared"; why: string };

async function verify(cloud: LabCloud, scenarioId: string, options: ResetOptions): Promise<Verification> {
  if (options.verify === false) return { status: "skipped", reason: "not verified (--no-verify)" };
  const scenario = SCENARIOS.find((s) => s.id === scenarioId);
  if (!scenario) return { status: "skipped", reason: `not verified: this netlab has no checks for "${scenarioId}"` };
  // As at baseline: the fault's record is about to go, so checks that compare with it must not see it,
  // and its effects are no longer excused; those of other faults still active are.
  const others = (await cloud.ledger.list()).map((e) => e.scenario).filter((id) => id !== scenarioId);
  const g = await grade(cloud, scenario, { fault: null, expected: declaredEffects(others) });
  return { status: g.status, checks: g.checks, steadyState: g.steadyState, collateral: g.collateral };
}

/**
 * Applies the ledger's inverses from last to first, then verifies the lab with the scenario's checks.
 * A step whose place holds a student's different change is left as it is. When the checks pass, the
 * entry is cleared. When they do not, the entry is kept if some inverse was held back by a student's
 * change (once that change is removed, another reset applies it), and cleared otherwise (every change
 * the fault made is undone; what fails comes from a change the fault did not make, which reset never touches).
 */
export async function reset(cloud: LabCloud, scenario: string, options: ResetOptions = {}): Promise<ResetOutcome> {
  const entry = await cloud.ledger.get(scenario);
  if (!entry) return { status: "not-active", scenario };
  return conclude(cloud, scenario, await undo(cloud, entry), options);
}

/** Resets every active scenario of the lab, newest first; verifies each once all of them are undone. */
export async function resetAll(cloud: LabCloud, options: ResetOptions = {}): Promise<ResetOutcome[]> {
  const entries = (await cloud.ledger.list()).sort((a, b) => b.injectedAt.localeCompare(a.injectedAt));
  // Undo them all first: one scenario's checks can fail on another fault that is still in (alb-sg-blocked's on a stopped target).
  const undone: [string, StepReport[]][] = [];
  for (const e of entries) undone.push([e.scenario, await undo(cloud, e)]);
  const out: ResetOutcome[] = [];
  for (const [scenario, steps] of undone) out.push(await conclude(cloud, scenario, steps, options));
  return out;
}

function undo(cloud: LabCloud, entry: LedgerEntry): Promise<StepReport[]> {
  return applySteps(cloud, [...entry.inverses].reverse());
}

/** Verifies the lab after a scenario's inverses, and clears or keeps its ledger entry (saying why). */
async function conclude(cloud: LabCloud, scenario: string, steps: StepReport[], options: ResetOptions): Promise<ResetOutcome> {
  if (steps.some((s) => s.outcome === "failed")) return { status: "incomplete", scenario, steps };
  const verification = await verify(cloud, scenario, options);
  if (verification.status === "pass" || verification.status === "skipped") {
    await cloud.ledger.remove(scenario);
    return { status: "reset", scenario, steps, verification };
  }
  const status = verification.status === "fail" ? "not-restored" : "unverified";
  const others = (await cloud.ledger.list()).map((e) => e.scenario).filter((id) => id !== scenario);
  const alsoActive = others.length ? ` (other faults are still active in lab ${cloud.lab}: ${others.join(", ")}; they may be what ${status === "not-restored" ? "fails" : "stops a check"})` : "";
  const held = steps.filter((s) => s.outcome === "left-as-is").length;
  if (held) {
    const why = `the ledger entry is kept: ${held} of its inverses ${held === 1 ? "was" : "were"} held back by a change someone made in ${held === 1 ? "its" : "their"} place, which reset does not overwrite; look at that change, remove it if it is wrong, then run \`lab reset ${scenario} --lab ${cloud.lab}\` again to apply ${held === 1 ? "it" : "them"}${alsoActive}`;
    return { status, scenario, steps, verification, ledger: "kept", why };
  }
  await cloud.ledger.remove(scenario);
  const why = `the ledger entry was cleared: every change the fault made is undone, so what ${status === "not-restored" ? "fails" : "could not be checked"} comes from a change the fault did not make (reset never touches those); undo it by hand if it should go${alsoActive}`;
  return { status, scenario, steps, verification, ledger: "cleared", why };
}
