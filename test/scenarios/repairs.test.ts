import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { grade, type Grade } from "../../lifecycle/grade";
import { inject } from "../../lifecycle/inject";
import { tryChanges } from "../../lifecycle/try";
import { findScenario, SCENARIOS } from "../../scenarios";
import { STUDENT_REPAIRS, type StudentRepair } from "../../scenarios/repairs";
import { openSimLab } from "../helpers/lab";
import { REPAIRS_DOC, renderRepairsDoc } from "../helpers/repairs-doc";

/** Everything a grade says about what fails: failing checks' evidence and explanations, and its collateral damage. */
function whatItSays(g: Grade): string {
  const checks = g.checks.filter((c) => c.status !== "pass").map((c) => `${c.id}: ${c.evidence} ${c.explanation ?? ""}`);
  return [...checks, ...g.collateral.map((c) => c.instructor.en)].join("\n");
}

/** Injects the row's scenario on a fresh simulated lab, makes the student's changes as `lab try` does, grades. */
async function runRepair(row: StudentRepair) {
  const cloud = await openSimLab();
  try {
    const scenario = findScenario(row.scenario);
    const injected = await inject(cloud, scenario, { by: "jest" });
    expect(injected.status).toBe("injected");
    const before = JSON.stringify(await cloud.snapshot());
    const tried = await tryChanges(cloud, row.changes);
    if (tried.status === "refused") return { tried, unchanged: JSON.stringify(await cloud.snapshot()) === before };
    return { tried, grade: await grade(cloud, scenario) };
  } finally {
    await cloud.close();
  }
}

const rows = STUDENT_REPAIRS.map((r) => [`${r.scenario}: ${r.title}`, r] as const);

describe("students' repairs, right and wrong, graded on the simulated lab", () => {
  it("holds at least 5 repairs of every scenario, with a correct one and a wrong one each", () => {
    // GIVEN the table / THEN every scenario has 5 or more rows, at least one to pass and one to fail or be refused
    for (const s of SCENARIOS) {
      const mine = STUDENT_REPAIRS.filter((r) => r.scenario === s.id);
      expect({ scenario: s.id, rows: mine.length >= 5, pass: mine.some((r) => r.expect === "pass"), wrong: mine.some((r) => r.expect !== "pass") }).toEqual({ scenario: s.id, rows: true, pass: true, wrong: true });
    }
    // AND every row is complete for its grade
    for (const r of STUDENT_REPAIRS) {
      expect({ title: r.title, ok: r.expect === "fail" ? Boolean(r.names?.length) : r.expect === "refused" ? Boolean(r.code) : true }).toEqual({ title: r.title, ok: true });
    }
  });

  describe.each(rows.filter(([, r]) => r.expect === "pass"))("a correct repair passes — %s", (_title, row) => {
    it("passes, every check", async () => {
      // GIVEN the scenario injected / WHEN the student's changes are made and graded
      const { tried, grade: g } = await runRepair(row);
      // THEN the student could make them, and the grade is a pass
      expect(tried.status).toBe("applied");
      expect({ status: g?.status, failing: g ? whatItSays(g) : "" }).toEqual({ status: "pass", failing: "" });
      // AND it did no damage elsewhere in the lab
      expect(g?.collateral).toEqual([]);
    });
  });

  describe.each(rows.filter(([, r]) => r.expect === "fail"))("a wrong repair fails — %s", (_title, row) => {
    it("fails, naming what is broken", async () => {
      // GIVEN the scenario injected / WHEN the student's changes are made and graded
      const { tried, grade: g } = await runRepair(row);
      // THEN the student could make them, the grade fails, and it names the broken component
      expect(tried.status).toBe("applied");
      expect(g?.status).toBe("fail");
      const said = g ? whatItSays(g) : "";
      for (const name of row.names ?? []) expect(said).toContain(name);
      // AND a collateral row fails for the damage done elsewhere: the grade reports it as collateral
      if (row.collateral) expect(g?.collateral.length).toBeGreaterThan(0);
    });
  });

  describe.each(rows.filter(([, r]) => r.expect === "refused"))("a change the student cannot make is refused — %s", (_title, row) => {
    it("is refused with AWS's error code, and nothing is changed", async () => {
      // GIVEN the scenario injected / WHEN the student's changes are tried
      const { tried, unchanged } = await runRepair(row);
      // THEN refused with the code AWS would answer, and the lab is as the fault left it
      expect(tried.status).toBe("refused");
      expect(tried.status === "refused" && tried.code).toBe(row.code);
      expect(unchanged).toBe(true);
    });
  });
});

describe(`${REPAIRS_DOC} is kept in step with the table`, () => {
  it("is what test/helpers/repairs-doc.ts generates from scenarios/repairs.ts", () => {
    // GIVEN the page in the repository / WHEN generated again from the table / THEN they are the same
    // (on a difference, run: npx tsx test/helpers/repairs-doc.ts)
    expect(readFileSync(join(resolve(__dirname, "../.."), REPAIRS_DOC), "utf8")).toBe(renderRepairsDoc());
  });

  it("lists every row, with its changes as lab try describes them", () => {
    const doc = renderRepairsDoc();
    for (const r of STUDENT_REPAIRS) expect(doc).toContain(r.title.replace(/\|/g, "\\|"));
    expect(doc).toContain("create route 0.0.0.0/1 → tgw netlab-tgw in VPC02-Private-Subnet-A-RT");
  });
});
