import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";

const ROOT = resolve(__dirname, "../..");

describe("docs/RELIABILITY.md is kept in step with the suite", () => {
  it("has a row for every reliability test id and a test for every row", () => {
    const doc = readFileSync(join(ROOT, "docs/RELIABILITY.md"), "utf8");
    const rows = new Set([...doc.matchAll(/^\| ([RB]\d\d) \|/gm)].map((m) => m[1]));
    const sources = readdirSync(__dirname).filter((f) => f.endsWith(".test.ts") && f !== "doc-sync.test.ts").map((f) => readFileSync(join(__dirname, f), "utf8"));
    const tested = new Set(sources.flatMap((s) => [...s.matchAll(/"([RB]\d\d) /g)].map((m) => m[1])));
    expect([...rows].sort()).toEqual([...tested].sort());
    expect(rows.size).toBeGreaterThanOrEqual(16 + 20);
  });
});
