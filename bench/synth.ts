import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { summarize, type Figure } from "./stats";

const ROOT = resolve(__dirname, "..");

/** Time of one `new App(); buildApp(); app.synth()` of N participants, in a fresh node process (cold module cache). */
function synthOnce(projectDir: string, participants: number): number {
  const outdir = mkdtempSync(join(tmpdir(), "netlab-bench-synth-"));
  const script = `
    const start = process.hrtime.bigint();
    const { App } = require("cdktf");
    const { buildApp } = require(${JSON.stringify(join(projectDir, "stacks/app"))});
    const { parseConfig } = require(${JSON.stringify(join(ROOT, "config/config"))});
    const participants = Array.from({ length: ${participants} }, (_, i) => ({ id: "s" + String(i + 1).padStart(2, "0") }));
    const app = new App({ outdir: ${JSON.stringify(outdir)}, skipValidation: true });
    buildApp(app, parseConfig({ participants }));
    app.synth();
    process.stdout.write(String(Number(process.hrtime.bigint() - start) / 1e9));
  `;
  const r = spawnSync(process.execPath, ["--require", require.resolve("tsx/cjs"), "-e", script], { cwd: ROOT, encoding: "utf8" });
  rmSync(outdir, { recursive: true, force: true });
  if (r.status !== 0) throw new Error(`synth of ${participants} participants failed: ${r.stderr}`);
  return Number(r.stdout);
}

/**
 * A copy of stacks/ whose deep provider imports are rewritten to package-root imports, to measure
 * what the deep imports save. `import { Vpc } from "@cdktf/provider-aws/lib/vpc"` becomes
 * `import { vpc as __vpc } from "@cdktf/provider-aws"; const { Vpc } = __vpc;`.
 */
export function rootImportCopy(): string {
  const dir = join(ROOT, ".netlab", "bench", "root-imports");
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  cpSync(join(ROOT, "stacks"), join(dir, "stacks"), { recursive: true });
  const camel = (s: string) => s.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
  const rewrite = (file: string): void => {
    const text = readFileSync(file, "utf8").replace(
      /import\s+(type\s+)?\{([^}]+)\}\s+from\s+"@cdktf\/provider-aws\/lib\/([a-z0-9-]+)";/g,
      (_m, isType: string | undefined, names: string, mod: string) => {
        if (isType) return `import type { ${camel(mod)} as __${camel(mod)}_t } from "@cdktf/provider-aws";`;
        const ns = camel(mod);
        return `import { ${ns} as __${ns} } from "@cdktf/provider-aws";\nconst { ${names.replace(/\btype\s+/g, "")} } = __${ns};`;
      },
    );
    // Relative imports outside stacks/ must still point at the project.
    writeFileSync(file, text.replace(/from "(\.\.\/)+(topology|config|network|cloud)\//g, (m) => m.replace(/"(\.\.\/)+/, `"${ROOT}/`)));
  };
  const walk = (d: string): void => {
    for (const f of readdirSync(d)) {
      const p = join(d, f);
      if (statSync(p).isDirectory()) walk(p);
      else if (p.endsWith(".ts")) rewrite(p);
    }
  };
  walk(join(dir, "stacks"));
  return dir;
}

export interface SynthFigures {
  deep: Record<string, Figure>;
  rootImports1: Figure;
  ratioRootOverDeep1: number;
  perParticipantSlope: number;
}

export function benchSynth(runs: number, sizes: readonly number[]): SynthFigures {
  const deep: Record<string, Figure> = {};
  for (const n of sizes) deep[`${n}`] = summarize(Array.from({ length: runs }, () => synthOnce(ROOT, n)), "s");
  const rootDir = rootImportCopy();
  const root = summarize(Array.from({ length: runs }, () => synthOnce(rootDir, 1)), "s");
  const largest = sizes[sizes.length - 1];
  const slope = (deep[`${largest}`].median - deep["1"].median) / (largest - 1);
  return { deep, rootImports1: root, ratioRootOverDeep1: Math.round((root.median / deep["1"].median) * 100) / 100, perParticipantSlope: Math.round(slope * 1000) / 1000 };
}
