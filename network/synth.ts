import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { NetlabConfig } from "../config/config";

const ROOT = resolve(__dirname, "..");
/** Sources whose change changes the synthesized lab. */
const SOURCE_DIRS = ["stacks", "topology", "config"];
const DONE_MARKER = ".netlab-synth-complete";

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .sort()
    .flatMap((f) => {
      const p = join(dir, f);
      return statSync(p).isDirectory() ? filesUnder(p) : p.endsWith(".ts") ? [p] : [];
    });
}

/** A key that changes with the config, the stacks' sources, and the provider version. */
export function synthKey(config: NetlabConfig): string {
  const h = createHash("sha256");
  h.update(JSON.stringify(config));
  for (const f of SOURCE_DIRS.flatMap((d) => filesUnder(join(ROOT, d)))) h.update(f.slice(ROOT.length)).update(readFileSync(f));
  for (const pkg of ["cdktf", "@cdktf/provider-aws"]) {
    try {
      h.update(`${pkg}@${(JSON.parse(readFileSync(require.resolve(`${pkg}/package.json`), "utf8")) as { version: string }).version}`);
    } catch {
      h.update(pkg);
    }
  }
  return h.digest("hex").slice(0, 16);
}

export interface SynthesizeOptions {
  config: NetlabConfig;
  /** Project directory whose `.netlab/synth/` caches the result. @default process.cwd() */
  cwd?: string;
}

/**
 * Synthesizes the lab in-process (no cdktf CLI, no network) into `.netlab/synth/<key>` and returns
 * that directory; a synth of the same config and sources is reused.
 */
export async function synthesizeLab(options: SynthesizeOptions): Promise<string> {
  const cacheRoot = join(options.cwd ?? process.cwd(), ".netlab", "synth");
  const dir = join(cacheRoot, synthKey(options.config));
  if (existsSync(join(dir, DONE_MARKER))) return dir;
  const tmp = `${dir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  // Loaded only here: the provider classes cost time that a cached lab does not need to pay.
  // Loaded lazily: offline commands must not pay for modules they do not use.
  const { App } = require("cdktf") as typeof import("cdktf");
  // Loaded lazily: offline commands must not pay for modules they do not use.
  const { buildApp } = require("../stacks/app") as typeof import("../stacks/app");
  const app = new App({ outdir: tmp, skipValidation: true });
  buildApp(app, options.config);
  app.synth();
  writeFileSync(join(tmp, DONE_MARKER), new Date().toISOString());
  rmSync(dir, { recursive: true, force: true });
  renameSync(tmp, dir);
  return dir;
}
