import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";

const ROOT = join(__dirname, "../..");
/** bench/ measures the package-root import on purpose; the rest is generated or installed. */
const SKIPPED = new Set(["node_modules", "bench", ".git", ".netlab", "cdktf.out", "coverage", ".gen", "imports"]);

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (SKIPPED.has(entry)) return [];
    if (statSync(path).isDirectory()) return sources(path);
    return /\.(ts|js|mjs|cjs)$/.test(entry) ? [path] : [];
  });
}

/** The module specifiers of @cdktf/provider-aws that a source file imports, requires or imports dynamically. */
function providerSpecifiers(text: string): string[] {
  return [...text.matchAll(/(?:\bfrom\s*|\brequire\s*\(\s*|\bimport\s*\(\s*|^\s*import\s+)["'](@cdktf\/provider-aws(?:\/[^"']*)?)["']/gm)].map((m) => m[1]);
}

describe("@cdktf/provider-aws imports", () => {
  it("finds the specifiers of every import form (so the scan below can fail)", () => {
    // GIVEN each way a module can be loaded / THEN each is found
    const text = [
      'import { Vpc } from "@cdktf/provider-aws";',
      "import * as aws from '@cdktf/provider-aws/lib';",
      'import "@cdktf/provider-aws";',
      'const p = require("@cdktf/provider-aws");',
      'const q = await import("@cdktf/provider-aws/lib/vpc");',
      'export { Subnet } from "@cdktf/provider-aws/lib/subnet";',
    ].join("\n");
    expect(providerSpecifiers(text)).toEqual(["@cdktf/provider-aws", "@cdktf/provider-aws/lib", "@cdktf/provider-aws", "@cdktf/provider-aws", "@cdktf/provider-aws/lib/vpc", "@cdktf/provider-aws/lib/subnet"]);
  });

  it("outside bench/, every file imports provider classes by deep path (@cdktf/provider-aws/lib/<resource>)", () => {
    // GIVEN every source file of the project but bench/ (and this test, whose samples above are bad on purpose)
    const files = sources(ROOT).filter((f) => f !== __filename);
    expect(files.length).toBeGreaterThan(50);
    // WHEN their provider imports are read
    const offenders = files.flatMap((f) => providerSpecifiers(readFileSync(f, "utf8")).filter((s) => !/^@cdktf\/provider-aws\/lib\/[a-z0-9-]+$/.test(s)).map((s) => `${relative(ROOT, f)}: ${s}`));
    // THEN none loads the package root (or the lib barrel), which costs seconds at every start
    expect(offenders).toEqual([]);
  });
});
