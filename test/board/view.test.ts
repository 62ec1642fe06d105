import { classViewSchema } from "../../board/schema";
import { classView, collateralOf, gradeStatus, type BoardStatus, type LabRun, type LabState } from "../../board/view";
import type { CheckResult } from "../../checks/types";
import type { Grade } from "../../lifecycle/grade";

const STATUS: BoardStatus = { backend: "sim", region: "ap-northeast-2", lang: "en", intervalSeconds: 5, grading: false, lastRun: null, nextRunAt: null, fixedScenarios: [] };
const A = "vpc02-a-reaches-internet-via-dmz-nat";
const B = "vpc02-b-reaches-internet-via-dmz-nat";
const hint = { en: "Follow a packet", ko: "패킷을 따라가 보세요" };

const check = (id: string, status: CheckResult["status"], extra: Partial<CheckResult> = {}): CheckResult => ({ id, status, evidence: `${id} evidence`, hint, ...extra });

/** What the steady-state grader (issue 13) adds to a grade: damage a repair did elsewhere in the lab. */
const COLLATERAL = {
  kind: "collateral",
  component: "VPC01-Private-Subnet-A-RT",
  reason: "NO_ROUTE",
  instructor: { en: "The repair deleted VPC01's default route: VPC01-Private-A-10.1.20.101 lost the internet.", ko: "복구 중에 VPC01의 기본 경로가 삭제되어 VPC01-Private-A-10.1.20.101이 인터넷에 연결되지 않습니다." },
  hint: { en: "Something else in the lab stopped working after your change: compare VPC01 with its baseline.", ko: "변경 후 랩의 다른 곳이 동작하지 않습니다. VPC01을 처음 상태와 비교해 보세요." },
};

function grade(checks: CheckResult[], extra: Record<string, unknown> = {}): Grade {
  const status = checks.some((c) => c.status === "fail") ? "fail" : checks.some((c) => c.status === "inconclusive") ? "inconclusive" : "pass";
  return { scenario: "tgw-default-route", lab: "s01", score: Math.round((100 * checks.filter((c) => c.status === "pass").length) / checks.length), status, checks, ...extra } as Grade;
}

function lab(id: string, grades: Grade[], extra: Partial<LabState> = {}, active = grades.map((g) => g.scenario)): LabState {
  const run: LabRun = { lab: id, gradedAt: "2026-12-01T09:00:00.000Z", active: active.map((scenario) => ({ scenario, injectedAt: "2026-12-01T08:55:00.000Z" })), grades, explain: {}, diagram: null };
  return { id, run, ...extra };
}

describe("the board's grade → view mapping", () => {
  it("gives each check of the active scenario a column and each lab a cell with its state, evidence, hint and instructor text", () => {
    // GIVEN s01 failing one check (with the analyzer's explanation) and passing the other
    const s01 = lab("s01", [grade([check(A, "fail", { explanation: "blocked at VPC02-Private-Subnet-A-RT (NO_ROUTE)" }), check(B, "pass")])]);
    // WHEN the class view is built
    const view = classViewSchema.parse(classView(STATUS, [s01]));
    // THEN the columns are the scenario's checks, in its order, with their titles; no collateral column
    expect(view.columns.map((c) => c.key)).toEqual([`tgw-default-route/${A}`, `tgw-default-route/${B}`]);
    expect(view.columns[0].title.ko).toContain("VPC02-Private-A-10.2.20.101");
    const cells = view.labs[0].cells;
    expect(cells[`tgw-default-route/${A}`]).toEqual({ state: "fail", evidence: `${A} evidence`, hint, instructor: { en: "blocked at VPC02-Private-Subnet-A-RT (NO_ROUTE)", ko: null }, explainable: false });
    // AND a pass shows no hint (there is nothing to nudge)
    expect(cells[`tgw-default-route/${B}`]).toMatchObject({ state: "pass", hint: null, instructor: null });
    expect(view.labs[0].grades).toEqual([{ scenario: "tgw-default-route", status: "fail", score: 50, collateral: 0 }]);
  });

  it("shows collateral damage (grade.collateral) as its own column and cell state, and never as a pass", () => {
    // GIVEN s01 whose checks pass but whose repair broke VPC01 (collateral), and s02 repaired cleanly
    const s01 = lab("s01", [grade([check(A, "pass"), check(B, "pass")], { collateral: [COLLATERAL] })]);
    const s02 = lab("s02", [grade([check(A, "pass"), check(B, "pass")], { collateral: [] })]);
    // WHEN the class view is built
    const view = classViewSchema.parse(classView(STATUS, [s01, s02]));
    // THEN a collateral column follows the scenario's checks
    expect(view.columns.map((c) => [c.key, c.kind])).toEqual([
      [`tgw-default-route/${A}`, "check"],
      [`tgw-default-route/${B}`, "check"],
      ["tgw-default-route#collateral", "collateral"],
    ]);
    // AND s01's collateral cell names the component, with the instructor text and the hint in both languages
    const cell = view.labs[0].cells["tgw-default-route#collateral"];
    expect(cell.state).toBe("collateral");
    expect(cell.evidence).toBe("1 component broken elsewhere: VPC01-Private-Subnet-A-RT (NO_ROUTE)");
    expect(cell.instructor).toEqual(COLLATERAL.instructor);
    expect(cell.hint).toEqual(COLLATERAL.hint);
    expect(cell.entries).toEqual([COLLATERAL]);
    // AND s01's grade is a fail though its own checks pass; s02 shows no collateral
    expect(view.labs[0].grades[0]).toMatchObject({ status: "fail", collateral: 1 });
    expect(view.labs[1].cells["tgw-default-route#collateral"]).toMatchObject({ state: "pass", entries: [] });
    expect(view.labs[1].grades[0]).toMatchObject({ status: "pass", collateral: 0 });
  });

  it("reads collateral entries listed among the grade's checks, and does not make them check columns", () => {
    // GIVEN a grade whose checks array carries a collateral entry (the other shape the grader may use)
    const g = grade([check(A, "pass"), check(B, "pass"), COLLATERAL as unknown as CheckResult]);
    // WHEN the view is built
    const view = classView(STATUS, [lab("s01", [g])]);
    // THEN it is in the collateral column, and no column is keyed by the entry
    expect(view.columns.map((c) => c.key)).toEqual([`tgw-default-route/${A}`, `tgw-default-route/${B}`, "tgw-default-route#collateral"]);
    expect(view.labs[0].cells["tgw-default-route#collateral"].state).toBe("collateral");
    expect(gradeStatus(g)).toBe("fail");
  });

  it("ignores a collateral entry without the documented shape instead of showing half of it", () => {
    // GIVEN one entry missing its Korean hint, one complete
    const broken = { ...COLLATERAL, hint: { en: "only English" } };
    const g = grade([check(A, "pass"), check(B, "pass")], { collateral: [broken, { ...COLLATERAL, component: "VPC01-PrivateSG", extra: "evidence the page does not show" }] });
    // WHEN read
    // THEN only the complete one is kept, with its documented fields only
    expect(collateralOf(g)).toEqual([{ ...COLLATERAL, component: "VPC01-PrivateSG" }]);
  });

  it("marks a scenario that is not active in a lab as not injected there (not graded, not a pass)", () => {
    // GIVEN the fault active in s01 only
    const s01 = lab("s01", [grade([check(A, "fail"), check(B, "fail")])]);
    const s02 = lab("s02", []);
    // WHEN the view is built
    const view = classView(STATUS, [s01, s02]);
    // THEN s02's cells in the scenario's columns say not injected
    expect(Object.values(view.labs[1].cells).map((c) => c.state)).toEqual(["not-injected", "not-injected"]);
    expect(view.labs[1].grades).toEqual([]);
  });

  it("keeps a lab's last grades when its latest grading failed, with why and when", () => {
    // GIVEN s01 graded before, whose last attempt could not run
    const s01 = lab("s01", [grade([check(A, "fail"), check(B, "fail")])], { error: { message: "inconclusive, not graded: AWS kept throttling", at: "2026-12-01T09:01:00.000Z" } });
    // WHEN the view is built
    const view = classViewSchema.parse(classView(STATUS, [s01, { id: "s02", error: { message: "access denied", at: "2026-12-01T09:01:00.000Z" } }]));
    // THEN s01 shows the old cells and the error; s02, never graded, shows the error and no cells
    expect(view.labs[0]).toMatchObject({ lastGradedAt: "2026-12-01T09:00:00.000Z", error: { message: "inconclusive, not graded: AWS kept throttling" } });
    expect(Object.keys(view.labs[0].cells)).toHaveLength(2);
    expect(view.labs[1]).toMatchObject({ lastGradedAt: null, error: { message: "access denied" }, cells: {} });
  });

  it("gives the fixed scenarios columns even before any lab was graded", () => {
    // GIVEN the board started with --scenario flow-logs-off and nothing graded yet
    const view = classView({ ...STATUS, fixedScenarios: ["flow-logs-off"] }, [{ id: "s01" }]);
    // THEN the scenario's checks are the columns, and s01 has no cells yet
    expect(view.scenarios.map((s) => s.id)).toEqual(["flow-logs-off"]);
    expect(view.columns.length).toBeGreaterThan(0);
    expect(view.labs[0].cells).toEqual({});
  });
});
