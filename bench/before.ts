import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, rmSync, symlinkSync } from "node:fs";
import { join, resolve } from "node:path";

const ROOT = resolve(__dirname, "..");

/**
 * The project as it was at git revision `ref`, extracted (tracked files only) under .netlab/bench/ with
 * this checkout's node_modules linked in: the "before" side of a before/after comparison in one run.
 */
export function projectAt(ref: string): { dir: string; commit: string } {
  const rev = spawnSync("git", ["rev-parse", "--verify", "--quiet", `${ref}^{commit}`], { cwd: ROOT, encoding: "utf8" });
  if (rev.status !== 0) throw new Error(`--before ${ref}: not a commit of this repository (git rev-parse found nothing); give a commit id, tag or branch.`);
  const commit = rev.stdout.trim();
  const dir = join(ROOT, ".netlab", "bench", `before-${commit.slice(0, 12)}`);
  if (!existsSync(join(dir, "package.json"))) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const archive = spawnSync("git", ["archive", "--format=tar", commit], { cwd: ROOT, maxBuffer: 512 * 1024 * 1024 });
    if (archive.status !== 0) throw new Error(`git archive ${commit} failed: ${String(archive.stderr)}`);
    const untar = spawnSync("tar", ["-x", "-C", dir], { input: archive.stdout });
    if (untar.status !== 0) throw new Error(`Extracting ${commit} into ${dir} failed: ${String(untar.stderr)}`);
    symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"), "dir");
  }
  return { dir, commit };
}
