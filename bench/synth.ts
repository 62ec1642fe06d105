import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { summarize, type Figure } from "./stats";

const ROOT = resolve(__dirname, "..");

/**
 * Time of one `new App(); synthApp()` of N participants (what `lab` and main.ts run), in a fresh node
 * process (cold module cache). A project from before synthApp existed runs `buildApp(); app.synth()`.
 */
function synthOnce(projectDir: string, participants: number): number {
  const outdir = mkdtempSync(join(tmpdir(), "netlab-bench-synth-"));
  const synth = existsSync(join(projectDir, "stacks/synth-app.ts"))
    ? `require(${JSON.stringify(join(projectDir, "stacks/synth-app"))}).synthApp(app, config);`
    : `require(${JSON.stringify(join(projectDir, "stacks/app"))}).buildApp(app, config); app.synth();`;
  const script = `
    const start = process.hrtime.bigint();
    const { App } = require("cdktf");
    const { parseConfig } = require(${JSON.stringify(join(existsSync(join(projectDir, "config")) ? projectDir : ROOT, "config/config"))});
    const participants = Array.from({ length: ${participants} }, (_, i) => ({ id: "s" + String(i + 1).padStart(2, "0") }));
    const app = new App({ outdir: ${JSON.stringify(outdir)}, skipValidation: true });
    const config = parseConfig({ participants });
    ${synth}
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

/** The same synth at another revision (see --before), runs alternating with this one's. */
export interface SynthBefore {
  commit: string;
  bySize: Record<string, { before: Figure; after: Figure; ratio: number }>;
}

export interface SynthFigures {
  /** In-process synth (fresh node process each run) with deep imports, by number of participants. */
  deep: Record<string, Figure>;
  /** The same synth of 1 participant with package-root imports of @cdktf/provider-aws (the baseline). */
  rootImports1: Figure;
  ratioRootOverDeep1: number;
  /** Seconds each extra participant adds, between successive sizes (e.g. 1→10, 10→30): flat or falling is linear. */
  perParticipantSlopes: Record<string, number>;
  before?: SynthBefore;
}

export function benchSynth(runs: number, sizes: readonly number[], rootRuns = runs, before?: { dir: string; commit: string; sizes: readonly number[] }): SynthFigures {
  const deep: Record<string, Figure> = {};
  const bySize: SynthBefore["bySize"] = {};
  for (const n of sizes) {
    const compared = before?.sizes.includes(n);
    const now: number[] = [];
    const then: number[] = [];
    for (let i = 0; i < runs; i++) {
      if (compared && before) then.push(synthOnce(before.dir, n));
      now.push(synthOnce(ROOT, n));
    }
    deep[`${n}`] = summarize(now, "s");
    if (compared) {
      const b = summarize(then, "s");
      bySize[`${n}`] = { before: b, after: deep[`${n}`], ratio: Math.round((b.median / deep[`${n}`].median) * 100) / 100 };
    }
  }
  const rootDir = rootImportCopy();
  const root = summarize(Array.from({ length: rootRuns }, () => synthOnce(rootDir, 1)), "s");
  const slopes: Record<string, number> = {};
  for (let i = 1; i < sizes.length; i++) {
    const [a, b] = [sizes[i - 1], sizes[i]];
    slopes[`${a}→${b}`] = Math.round(((deep[`${b}`].median - deep[`${a}`].median) / (b - a)) * 1000) / 1000;
  }
  return {
    deep,
    rootImports1: root,
    ratioRootOverDeep1: Math.round((root.median / deep["1"].median) * 100) / 100,
    perParticipantSlopes: slopes,
    ...(before ? { before: { commit: before.commit, bySize } } : {}),
  };
}
