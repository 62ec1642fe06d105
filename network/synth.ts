import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import type { NetlabConfig } from "../config/config";
import { SynthError } from "./terraform-refs";

const ROOT = resolve(__dirname, "..");
/** Source folders whose content shapes the synthesized stacks. */
const SOURCE_DIRS = ["stacks", "topology", "config"];
/** Packages whose version shapes the synthesized JSON (with NETLAB_ENGINE=cdktn they resolve to cdktn's: stacks/engine.js). */
const PACKAGES = ["cdktf", "@cdktf/provider-aws"];
/** Written last into a synth dir; holds the key, so a half-written or stale dir is never reused. */
const DONE_MARKER = ".netlab-synth-complete";
let tmpCounter = 0;

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .sort()
    .flatMap((f) => {
      const p = join(dir, f);
      if (f === "node_modules" || f.startsWith(".")) return [];
      return statSync(p).isDirectory() ? filesUnder(p) : [p];
    });
}

/** `name@version` of a package.json: the name tells cdktf from cdktn where an engine alias resolved the package. */
function versionOf(packageJson: string): string {
  try {
    const { name, version } = JSON.parse(readFileSync(packageJson, "utf8")) as { name?: string; version?: string };
    return `${name ?? "unknown"}@${version ?? "unknown"}`;
  } catch {
    return "unknown";
  }
}

/**
 * A key that changes whenever the synthesized lab could: the config, netlab's version, the engine's (cdktf or cdktn) and
 * provider versions, and the content of every file under stacks/, topology/ and config/ of `root`.
 */
export function synthKey(config: NetlabConfig, root: string = ROOT): string {
  const h = createHash("sha256");
  h.update(JSON.stringify(config));
  h.update(versionOf(join(root, "package.json")));
  for (const pkg of PACKAGES) {
    let version = "missing";
    try {
      version = versionOf(require.resolve(`${pkg}/package.json`));
    } catch {
      // Not installed: the synth itself will say so.
    }
    h.update(`${pkg}=${version}`);
  }
  for (const f of SOURCE_DIRS.flatMap((d) => filesUnder(join(root, d)))) h.update(relative(root, f)).update("\0").update(readFileSync(f));
  return h.digest("hex").slice(0, 16);
}

export interface SynthesizeOptions {
  /** The validated config: participants, variants and region shape the stacks. */
  config: NetlabConfig;
  /**
   * Directory to synthesize into; reused when it already holds a synth of the same inputs. It must be
   * new, empty, or an earlier netlab synth dir.
   * @default `<cwd>/.netlab/synth/<key>`
   */
  outdir?: string;
  /** Project directory whose `.netlab/synth/` caches synths. @default process.cwd() */
  cwd?: string;
}

function isComplete(dir: string, key: string): boolean {
  const marker = join(dir, DONE_MARKER);
  return existsSync(marker) && readFileSync(marker, "utf8") === key;
}

/**
 * Synthesizes the lab in-process (no cdktf CLI, no network) and returns the directory that holds
 * `stacks/netlab-<id>-<variant>/cdk.tf.json`. A synth of the same inputs (see `synthKey`) is reused.
 */
export async function synthesizeLab(options: SynthesizeOptions): Promise<string> {
  const key = synthKey(options.config);
  const dir = resolve(options.outdir ?? join(options.cwd ?? process.cwd(), ".netlab", "synth", key));
  if (isComplete(dir, key)) return dir;
  if (options.outdir && existsSync(dir) && (!statSync(dir).isDirectory() || (readdirSync(dir).length > 0 && !existsSync(join(dir, DONE_MARKER))))) {
    throw new SynthError(`The synth output directory ${dir} exists and is not a netlab synth directory; choose a new or empty directory.`);
  }
  mkdirSync(dirname(dir), { recursive: true });
  const tmp = `${dir}.tmp-${process.pid}-${++tmpCounter}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  try {
    // Loaded only here: offline commands that find a cached synth never pay for cdktf and the provider classes,
    // and this module loads even where the stacks are absent.
    const { App } = require("cdktf") as typeof import("cdktf");
    const { synthApp } = require("../stacks/synth-app") as typeof import("../stacks/synth-app");
    const app = new App({ outdir: tmp, skipValidation: true });
    synthApp(app, options.config);
    writeFileSync(join(tmp, DONE_MARKER), key);
    // Another process may have finished the same synth meanwhile: keep theirs, never delete a dir in use.
    if (isComplete(dir, key)) return dir;
    rmSync(dir, { recursive: true, force: true });
    renameSync(tmp, dir);
    return dir;
  } catch (e) {
    if (isComplete(dir, key)) return dir;
    throw e;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
