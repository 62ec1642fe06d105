import { readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { aliasRequest } from "../../stacks/engine";
import { filesUnder } from "../helpers/project-files";

const ROOT = join(__dirname, "../..");
/** bench/ measures the package-root import on purpose; the rest is generated or installed. */
const SKIPPED = new Set(["node_modules", "bench", ".git", ".netlab", "cdktf.out", "coverage", ".gen", "imports"]);

function sources(dir: string): string[] {
  return filesUnder(dir, SKIPPED).filter((f) => /\.(ts|js|mjs|cjs)$/.test(f));
}

/** The module specifiers a source file imports, requires or imports dynamically, that match `pkg`. */
function specifiers(text: string, pkg: string): string[] {
  const re = new RegExp(`(?:\\bfrom\\s*|\\brequire\\s*\\(\\s*|\\bimport\\s*\\(\\s*|^\\s*import\\s+)["'](${pkg}(?:/[^"']*)?)["']`, "gm");
  return [...text.matchAll(re)].map((m) => m[1]);
}

/** The module specifiers of @cdktf/provider-aws that a source file imports, requires or imports dynamically. */
function providerSpecifiers(text: string): string[] {
  return specifiers(text, "@cdktf/provider-aws");
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

  it("every deep path the project imports exists in both engines' provider packages", () => {
    // GIVEN every provider module the project imports (by deep path, per the test above)
    const modules = [...new Set(sources(ROOT).filter((f) => f !== __filename).flatMap((f) => providerSpecifiers(readFileSync(f, "utf8"))))].sort();
    expect(modules.length).toBeGreaterThan(30);
    // WHEN each is resolved as cdktf and as cdktn resolves it (stacks/engine.js)
    const missing = modules.flatMap((m) => [m, aliasRequest(m, "cdktn")]).filter((m) => {
      try {
        require.resolve(m);
        return false;
      } catch {
        return true;
      }
    });
    // THEN every one is there: switching NETLAB_ENGINE cannot fail on a module the fork lacks
    expect(missing).toEqual([]);
  });

  it("no file but the engine switch (stacks/engine.js) names CDK Terrain's packages: the stacks are written once, against cdktf", () => {
    // GIVEN every source file but this one and the switch itself
    const files = sources(ROOT).filter((f) => f !== __filename && f !== join(ROOT, "stacks", "engine.js"));
    // WHEN their imports of cdktn or @cdktn/* are read
    const offenders = files.flatMap((f) => {
      const text = readFileSync(f, "utf8");
      return [...specifiers(text, "cdktn"), ...specifiers(text, "@cdktn/[a-z0-9-]+")].map((s) => `${relative(ROOT, f)}: ${s}`);
    });
    // THEN there are none
    expect(specifiers('import { App } from "cdktn";\nrequire("@cdktn/provider-aws/lib/vpc");', "cdktn")).toEqual(["cdktn"]);
    expect(offenders).toEqual([]);
  });
});
