import type { StepReport } from "../../lifecycle/apply-steps";
import { paint, type Io } from "../io";

export function printSteps(io: Io, steps: readonly StepReport[]): void {
  for (const s of steps) {
    const mark = {
      applied: paint(io, "green", "done"),
      "already-in-effect": paint(io, "dim", "skip"),
      "left-as-is": paint(io, "yellow", "kept"),
      failed: paint(io, "red", "FAILED"),
    }[s.outcome];
    io.out(`  ${mark} ${s.description}${s.detail ? ` — ${s.detail}` : ""}`);
  }
}

export const stepsJson = (steps: readonly StepReport[]) => steps.map((s) => ({ change: s.change, outcome: s.outcome, ...(s.detail ? { detail: s.detail } : {}) }));
