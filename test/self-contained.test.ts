import { readFileSync } from "node:fs";
import { relative, resolve } from "node:path";
import { filesUnder } from "./helpers/project-files";

const ROOT = resolve(__dirname, "..");
/** Installed, generated or local state: not the project's files. */
const SKIPPED = new Set(["node_modules", ".git", ".netlab", "cdktf.out", "coverage", ".gen", "imports", "results"]);

/** Ways a file can point at the `shared` folder beside the project: a relative path, or its parts joined. */
function pointsOutside(text: string): string[] {
  return [...text.matchAll(/\.\.[\\/]+shared\b|["']\.\.["']\s*,\s*["']shared["']/g)].map((m) => m[0]);
}

describe("the repository is self-contained", () => {
  it("finds each way of naming ../shared (so the scan below can fail)", () => {
    // GIVEN references to ../shared as code and docs write them / THEN each is found
    const samples = ['resolve(__dirname, "../../../shared/fixtures")', "see ../shared/DESIGN.md", 'join(ROOT, "..", "shared")', "..\\shared\\seeds"];
    expect(samples.map((s) => pointsOutside(s).length)).toEqual([1, 1, 1, 1]);
    expect(pointsOutside('"../sharedfoo" or "./shared/x" or "../shared-notes"')).toEqual(["../shared"]);
  });

  it("no file of the project refers to ../shared: a clone builds, runs and tests without it", () => {
    // GIVEN every file of the project (sources, tests, fixtures, docs, CI), but this test with its samples
    const all = filesUnder(ROOT, SKIPPED).filter((f) => f !== __filename);
    expect(all.length).toBeGreaterThan(100);
    // WHEN they are read / THEN none refers to a folder outside the repository
    const offenders = all.flatMap((f) => pointsOutside(readFileSync(f, "utf8")).map((m) => `${relative(ROOT, f)}: ${m}`));
    expect(offenders).toEqual([]);
  });
});
