import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { testTitles } from "../helpers/test-titles";

const ROOT = resolve(__dirname, "../..");
const ID = /^([RB]\d\d) /;

/** Every test title of the reliability suite (this file aside), as jest gives them. */
function suiteTitles(): string[] {
  const files = readdirSync(__dirname).filter((f) => f.endsWith(".test.ts") && f !== "doc-sync.test.ts");
  return testTitles(...files.map((f) => join(__dirname, f)));
}

/** The rows of docs/RELIABILITY.md's tables: id, and the count of cases the row states, if it states one. */
function docRows(): { id: string; cases?: number }[] {
  const doc = readFileSync(join(ROOT, "docs/RELIABILITY.md"), "utf8");
  return [...doc.matchAll(/^\| ([RB]\d\d) \|(.*)$/gm)].map((m) => {
    const cases = /\((\d+) cases\)/.exec(m[2]);
    return { id: m[1], ...(cases ? { cases: Number(cases[1]) } : {}) };
  });
}

describe("docs/RELIABILITY.md is kept in step with the suite", () => {
  it("reads test titles as jest does: not from comments, and with .each tables filled in", () => {
    // GIVEN a test file with a commented-out test, a string that looks like a comment, and table tests
    const file = join(mkdtempSync(join(tmpdir(), "netlab-titles-")), "sample.test.ts");
    writeFileSync(
      file,
      [
        '// it("R97 a test in a line comment", () => {});',
        '/* test("R98 a test in a block comment", () => {}); */',
        'const url = "http://example.com"; // it("R96 not this either")',
        'describe("a block", () => {',
        '  it("R01 a plain test" + " with a joined title", () => {});',
        '  it.each([["alpha", 1], ["beta", 2]])("R02 %s after %i change(s)", () => {});',
        '  describe.each([["x"], ["y"]])("per %s", (v) => { test(`B03 in ${v}`, () => {}); });',
        '  it.skip("R04 skipped, still a test", () => {});',
        "});",
        "void url;",
      ].join("\n"),
    );
    // WHEN its titles are read / THEN exactly the tests jest would run are found
    expect(testTitles(file)).toEqual(["R01 a plain test with a joined title", "R02 alpha after 1 change(s)", "R02 beta after 2 change(s)", "B03 in x", "B03 in y", "R04 skipped, still a test"]);
  });

  it("has a row for every R/B test, a test for every row, and the case counts it states", () => {
    // GIVEN the titles of every reliability test, and the rows of the document
    const titles = suiteTitles();
    const rows = docRows();
    const tested = new Map<string, number>();
    for (const t of titles) {
      const id = ID.exec(t)?.[1];
      if (id) tested.set(id, (tested.get(id) ?? 0) + 1);
    }
    // THEN the ids are the same both ways
    expect(rows.map((r) => r.id).sort()).toEqual([...tested.keys()].sort());
    expect(new Set(rows.map((r) => r.id)).size).toBe(rows.length);
    // AND a row that says "(N cases)" has N tests
    for (const r of rows.filter((x) => x.cases !== undefined)) expect({ id: r.id, cases: tested.get(r.id) }).toEqual({ id: r.id, cases: r.cases });
    // AND the catalogue of bad input has at least 20 cases, as the issue asks
    expect(rows.filter((r) => r.id.startsWith("B")).length).toBeGreaterThanOrEqual(20);
  });
});
