import { groupCollateral, summarizeCollateral } from "../../checks/collateral";
import type { Lang } from "../../checks/types";
import type { Grade } from "../../lifecycle/grade";
import { count } from "../../ops/count";
import { paint, type Io } from "../io";

/** The steady-state comparison under a grade (check) or a reset's verification. */
export function printSteadyState(io: Io, steady: Grade["steadyState"], lang: Lang, verbose: boolean): void {
  if (steady.status === "not-compared") {
    io.out(`  ${paint(io, "yellow", "NOT COMPARED")} steady state: ${steady.reason}`);
    return;
  }
  const own = steady.expected.length ? `; ${count(steady.expected.length, "difference")} ${steady.expected.length === 1 ? "is" : "are"} the active fault's own` : "";
  if (steady.status === "same") {
    io.out(`  ${paint(io, "green", "PASS")} lab-steady-state`);
    io.out(`       ${steady.compared} facts of the lab (reachability, web tier, Session Manager, DNS, alarm, flow logs) as at baseline${own}`);
  } else if (steady.status === "collateral") {
    io.out(`  ${paint(io, "red", "FAIL")} lab-steady-state: collateral damage`);
    io.out(`       ${count(steady.collateral.length, "fact")} of the lab no longer as at baseline, and no active fault causes ${steady.collateral.length === 1 ? "it" : "them"}${own}`);
    // One line per broken component, then for each the first entry's hint (the student's) and instructor text.
    const groups = groupCollateral(steady.collateral);
    for (const line of summarizeCollateral(steady.collateral, verbose ? Infinity : 4)) io.out(`       ${line}`);
    for (const g of groups) {
      for (const c of verbose ? g.entries : g.entries.slice(0, 1)) {
        io.out(`       hint: ${c.hint[lang]}`);
        io.out(`       instructor: ${c.instructor[lang]}`);
      }
    }
    if (!verbose && steady.collateral.length > groups.length) io.out(`       (every entry with --verbose or --json)`);
  } else {
    io.out(`  ${paint(io, "yellow", "INCONCLUSIVE")} lab-steady-state`);
    io.out(`       ${count(steady.unknown.length, "fact")} could not be known: ${steady.unknown.map((u) => `${u.subject} (${u.why})`).join("; ")}`);
  }
  if (verbose && steady.widened.length) io.out(`       more open than at baseline (not damage): ${steady.widened.join(", ")}`);
}

/** The steady-state comparison as JSON: collateral entries whole (both languages), the rest counted or listed. */
export function steadyStateJson(steady: Grade["steadyState"]): unknown {
  if (steady.status === "not-compared") return steady;
  return { status: steady.status, compared: steady.compared, expected: steady.expected, widened: steady.widened, unknown: steady.unknown, collateral: steady.collateral };
}
