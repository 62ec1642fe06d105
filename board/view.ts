import type { CheckResult, CheckStatus } from "../checks/types";
import type { Grade } from "../lifecycle/grade";
import { findScenario, SCENARIOS } from "../scenarios";
import type { Scenario } from "../scenarios/types";
import type { CellExplain } from "./cell-explain";
import { collateralEntrySchema, type Cell, type ClassView, type CollateralEntry, type Column, type LabView } from "./schema";

/** One lab's grading in one run of the board: what the table and the explanations are made of. */
export interface LabRun {
  lab: string;
  gradedAt: string;
  /** The lab's active faults (its ledger). */
  active: { scenario: string; injectedAt: string }[];
  /** One grade per scenario graded in this lab (its active ones and the board's fixed ones). */
  grades: Grade[];
  /** By column key, for cells that did not pass. */
  explain: Record<string, CellExplain>;
  /** The lab's Mermaid diagram, from the snapshot taken when something did not pass; null when all passed. */
  diagram: string | null;
}

/** A lab as the board holds it between runs: its last good grading, and the last attempt's failure. */
export interface LabState {
  id: string;
  lang?: "en" | "ko";
  run?: LabRun;
  error?: { message: string; at: string };
}

export const checkKey = (scenario: string, check: string) => `${scenario}/${check}`;
export const collateralKey = (scenario: string) => `${scenario}#collateral`;

/**
 * The collateral damage a grade carries. The steady-state grader lists it as entries of kind
 * "collateral", either in `grade.collateral` or among `grade.checks`; both are read, and an entry that
 * does not have the documented shape is ignored rather than shown half.
 */
export function collateralOf(g: Grade): CollateralEntry[] {
  const raw = g as unknown as { collateral?: unknown; checks?: unknown };
  const candidates = [...(Array.isArray(raw.collateral) ? raw.collateral : []), ...(Array.isArray(raw.checks) ? raw.checks : []).filter((c) => (c as { kind?: unknown })?.kind === "collateral")];
  return candidates.flatMap((c) => {
    const parsed = collateralEntrySchema.safeParse(pick(c));
    return parsed.success ? [parsed.data] : [];
  });
}

/** Only the documented fields of an entry (the grader may add evidence fields the page does not show). */
function pick(c: unknown): unknown {
  if (!c || typeof c !== "object") return c;
  const { kind, component, reason, instructor, hint } = c as Record<string, unknown>;
  return { kind, component, reason, instructor, hint };
}

/** The grade's own checks, without collateral entries. */
export function checksOf(g: Grade): CheckResult[] {
  return g.checks.filter((c) => (c as { kind?: unknown }).kind !== "collateral");
}

/** A grade with collateral damage is never a pass, whatever its checks say. */
export function gradeStatus(g: Grade): CheckStatus {
  return collateralOf(g).length && g.status === "pass" ? "fail" : g.status;
}

/** The scenarios with columns: the fixed ones, then every one active in some lab, in catalogue order. */
export function scenariosShown(fixed: readonly string[], labs: readonly LabState[]): Scenario[] {
  const ids = new Set([...fixed, ...labs.flatMap((l) => l.run?.active.map((a) => a.scenario) ?? []), ...labs.flatMap((l) => l.run?.grades.map((g) => g.scenario) ?? [])]);
  const known = SCENARIOS.filter((s) => ids.has(s.id));
  // A ledger may name a scenario this version does not know (an older or newer netlab): it still gets its grade's columns.
  const unknown = [...ids].filter((id) => !SCENARIOS.some((s) => s.id === id)).sort();
  return [...known, ...unknown.map((id) => ({ id, title: { en: id, ko: id }, seed: "", brief: { en: "", ko: "" }, hints: [], inject: [], solve: [], checks: [], effects: [] }))];
}

/** The columns: every check of each shown scenario, and its collateral column when some lab has collateral damage. */
export function columnsFor(scenarios: readonly Scenario[], labs: readonly LabState[]): Column[] {
  const columns: Column[] = [];
  for (const s of scenarios) {
    const grades = labs.flatMap((l) => l.run?.grades.filter((g) => g.scenario === s.id) ?? []);
    const ids = [...s.checks.map((c) => c.id)];
    for (const g of grades) for (const c of checksOf(g)) if (!ids.includes(c.id)) ids.push(c.id);
    for (const id of ids) {
      const spec = s.checks.find((c) => c.id === id);
      columns.push({ key: checkKey(s.id, id), scenario: s.id, kind: "check", check: id, title: spec?.title ?? { en: id, ko: id } });
    }
    if (grades.some((g) => collateralOf(g).length)) {
      columns.push({ key: collateralKey(s.id), scenario: s.id, kind: "collateral", check: null, title: { en: "Collateral damage elsewhere in the lab", ko: "랩의 다른 곳에 생긴 부수적 손상" } });
    }
  }
  return columns;
}

function checkCell(c: CheckResult, explainable: boolean): Cell {
  return {
    state: c.status,
    evidence: c.evidence,
    hint: c.status === "pass" ? null : c.hint,
    instructor: c.explanation ? { en: c.explanation, ko: null } : null,
    explainable,
  };
}

function collateralCell(entries: CollateralEntry[], explainable: boolean): Cell {
  if (!entries.length) return { state: "pass", evidence: "no collateral damage: the rest of the lab is as at baseline", hint: null, instructor: null, entries: [], explainable: false };
  const join = (f: (e: CollateralEntry) => string) => entries.map(f).join(" · ");
  return {
    state: "collateral",
    evidence: `${entries.length} component${entries.length > 1 ? "s" : ""} broken elsewhere: ${join((e) => `${e.component} (${e.reason})`)}`,
    hint: { en: join((e) => e.hint.en), ko: join((e) => e.hint.ko) },
    instructor: { en: join((e) => e.instructor.en), ko: join((e) => e.instructor.ko) },
    entries,
    explainable,
  };
}

const notInjected = (scenario: string): Cell => ({
  state: "not-injected",
  evidence: `${scenario} is not active in this lab, so it was not graded here`,
  hint: null,
  instructor: null,
  explainable: false,
});

/** The cells of one lab's row. A column whose check the lab's grade does not have is left out (the page shows it empty). */
export function cellsFor(run: LabRun, columns: readonly Column[]): Record<string, Cell> {
  const cells: Record<string, Cell> = {};
  for (const col of columns) {
    const g = run.grades.find((x) => x.scenario === col.scenario);
    const explainable = Boolean(run.diagram && run.explain[col.key]);
    if (!g) {
      cells[col.key] = notInjected(col.scenario);
    } else if (col.kind === "collateral") {
      cells[col.key] = collateralCell(collateralOf(g), explainable);
    } else {
      const c = checksOf(g).find((x) => x.id === col.check);
      if (c) cells[col.key] = checkCell(c, explainable);
    }
  }
  return cells;
}

export function labView(l: LabState, columns: readonly Column[]): LabView {
  return {
    id: l.id,
    lang: l.lang ?? null,
    lastGradedAt: l.run?.gradedAt ?? null,
    error: l.error ?? null,
    active: l.run?.active ?? [],
    grades: (l.run?.grades ?? []).map((g) => ({ scenario: g.scenario, status: gradeStatus(g), score: g.score, collateral: collateralOf(g).length })),
    cells: l.run ? cellsFor(l.run, columns) : {},
  };
}

export interface BoardStatus {
  backend: "sim" | "aws";
  region: string;
  lang: "en" | "ko";
  intervalSeconds: number;
  grading: boolean;
  lastRun: ClassView["board"]["lastRun"];
  nextRunAt: string | null;
  fixedScenarios: string[];
}

/** The whole table (GET /api/class). */
export function classView(status: BoardStatus, labs: readonly LabState[], now: Date = new Date()): ClassView {
  const scenarios = scenariosShown(status.fixedScenarios, labs);
  const columns = columnsFor(scenarios, labs);
  return {
    board: { ...status, readOnly: true, generatedAt: now.toISOString() },
    scenarios: scenarios.map((s) => ({ id: s.id, title: s.title })),
    columns,
    labs: labs.map((l) => labView(l, columns)),
  };
}

/** The scenario of a column, when this netlab knows it. */
export function knownScenario(id: string): Scenario | undefined {
  try {
    return findScenario(id);
  } catch {
    return undefined;
  }
}
