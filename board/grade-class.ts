import type { LabCloud } from "../cloud/port";
import type { Participant } from "../config/config";
import { forEachLab, type Context, type LabOutcome } from "../cli/context";
import { grade } from "../lifecycle/grade";
import { toMermaid } from "../network/diagram";
import type { Scenario } from "../scenarios/types";
import { explainCheck, explainCollateral, type CellExplain } from "./cell-explain";
import { checkKey, checksOf, collateralKey, collateralOf, gradeStatus, knownScenario, type LabRun } from "./view";

export type OpenLab = (ctx: Context, participant: Participant, idle: (ms: number) => Promise<void>) => Promise<LabCloud>;

/**
 * Grades one lab for the board: the scenarios active in its ledger and the board's fixed ones. When
 * something does not pass, one more snapshot gives explain's traces and the diagram (on AWS, one more
 * round of describe calls, only for labs that need it).
 */
export async function gradeLab(cloud: LabCloud, fixed: readonly Scenario[], now: () => Date = () => new Date()): Promise<LabRun> {
  const entries = await cloud.ledger.list();
  const active = entries.map((e) => ({ scenario: e.scenario, injectedAt: e.injectedAt }));
  const ids = [...new Set([...fixed.map((s) => s.id), ...active.map((a) => a.scenario)])];
  const grades = [];
  for (const id of ids) {
    // A fault recorded by another netlab version is shown as active but cannot be graded here.
    const scenario = knownScenario(id);
    if (scenario) grades.push(await grade(cloud, scenario, { fault: entries.find((e) => e.scenario === id) ?? null }));
  }
  const explain: Record<string, CellExplain> = {};
  const notPassing = grades.filter((g) => gradeStatus(g) !== "pass");
  if (!notPassing.length) return { lab: cloud.lab, gradedAt: now().toISOString(), active, grades, explain, diagram: null };
  const snapshot = await cloud.snapshot();
  for (const g of notPassing) {
    const scenario = knownScenario(g.scenario);
    for (const c of checksOf(g)) {
      const spec = scenario?.checks.find((x) => x.id === c.id);
      if (spec && c.status !== "pass") explain[checkKey(g.scenario, c.id)] = explainCheck(snapshot, spec);
    }
    const collateral = collateralOf(g);
    if (collateral.length) explain[collateralKey(g.scenario)] = explainCollateral(snapshot, collateral.map((e) => e.component));
  }
  return { lab: cloud.lab, gradedAt: now().toISOString(), active, grades, explain, diagram: toMermaid(snapshot) };
}

/**
 * One grading run of the class, with the fan-out of `lab check --all` (bounded concurrency, one lab's
 * failure is its own). Each lab's grading is also reported as soon as it is done.
 */
export function gradeClass(ctx: Context, fixed: readonly Scenario[], open: OpenLab, report: (o: LabOutcome<LabRun>) => void = () => undefined): Promise<LabOutcome<LabRun>[]> {
  return forEachLab(
    ctx,
    async (cloud) => {
      const result = await gradeLab(cloud, fixed);
      report({ lab: cloud.lab, result });
      return result;
    },
    open,
  );
}
