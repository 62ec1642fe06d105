import type { Change } from "../cloud/change";
import type { SteadyStateEffect } from "../checks/collateral";
import type { CheckSpec, Localized } from "../checks/types";

/** A fault, as data: what the student reads, what breaks it, the reference fix, and what grades it. */
export interface Scenario {
  /** kebab-case, stable: it keys the ledger. */
  id: string;
  title: Localized;
  /** The seed lab(s) it comes from: "000"…"004", several as "001, 003" (a string in `lab list --json`). */
  seed: string;
  /** What the student is told: the symptom, never the cause. */
  brief: Localized;
  /** Progressive hints, mildest first. */
  hints: Localized[];
  /** The fault, applied in order. */
  inject: Change[];
  /** The reference fix. Students may repair differently: grading is by the checks. */
  solve: Change[];
  checks: CheckSpec[];
  /**
   * The differences from the lab's steady state that the fault is meant to cause (while it is active they
   * are not collateral damage). Each must match a difference the inject makes, and together they must
   * cover all of them: rehearse and the tests check both.
   */
  effects: SteadyStateEffect[];
}
