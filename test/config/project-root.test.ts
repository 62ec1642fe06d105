import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { loadConfig } from "../../config/config";
import { labSynthDir } from "../helpers/lab";

const ROOT = resolve(__dirname, "../..");

describe("loadConfig with a project root", () => {
  it("reads the default file from the root, not from the current directory", () => {
    // GIVEN a root with a config, and a current directory below it with another one
    const root = mkdtempSync(join(tmpdir(), "netlab-root-"));
    const cwd = join(root, "sub");
    mkdirSync(cwd);
    writeFileSync(join(root, "netlab.config.json"), JSON.stringify({ participants: [{ id: "at-root" }] }));
    writeFileSync(join(cwd, "netlab.config.json"), JSON.stringify({ participants: [{ id: "in-sub" }] }));
    // WHEN loaded / THEN the root's file wins
    expect(loadConfig({ cwd, root, env: {} }).participants).toEqual([{ id: "at-root" }]);
  });

  it("takes a relative --config or NETLAB_CONFIG from the current directory", () => {
    const root = mkdtempSync(join(tmpdir(), "netlab-root-"));
    const cwd = join(root, "sub");
    mkdirSync(cwd);
    writeFileSync(join(cwd, "mine.json"), JSON.stringify({ participants: [{ id: "mine" }] }));
    expect(loadConfig({ cwd, root, env: {}, file: "mine.json" }).participants[0].id).toBe("mine");
    expect(loadConfig({ cwd, root, env: { NETLAB_CONFIG: "mine.json" } }).participants[0].id).toBe("mine");
  });
});

describe("the lab command (bin/lab.js)", () => {
  /** A copy of the project (sources only, node_modules linked) in a temporary folder: its own package root. */
  function projectCopy(): string {
    const copy = mkdtempSync(join(tmpdir(), "netlab-project-"));
    const skip = new Set(["node_modules", ".git", ".netlab", "cdktf.out", "test", "bench", "coverage", "netlab.config.json"]);
    for (const entry of readdirSync(ROOT)) {
      if (!skip.has(entry)) cpSync(join(ROOT, entry), join(copy, entry), { recursive: true });
    }
    symlinkSync(join(ROOT, "node_modules"), join(copy, "node_modules"), "dir");
    return copy;
  }

  it("run from a subdirectory, reads the root's netlab.config.json and keeps simulated labs in the root's .netlab/", async () => {
    // GIVEN a project whose root config names one lab, and a shell in a subdirectory of it
    const project = projectCopy();
    writeFileSync(join(project, "netlab.config.json"), JSON.stringify({ participants: [{ id: "s01" }, { id: "from-root" }] }));
    const sub = join(project, "docs", "deeper");
    mkdirSync(sub, { recursive: true });
    const lab = (...args: string[]) => spawnSync(process.execPath, [join(project, "bin", "lab.js"), ...args], { cwd: sub, encoding: "utf8", env: { ...process.env, NETLAB_CONFIG: "" } });
    // WHEN a verb names an unknown lab
    const unknown = lab("status", "--offline", "--lab", "nope");
    // THEN the labs it lists are the root config's
    expect({ status: unknown.status, stderr: unknown.stderr.trim() }).toEqual({ status: 2, stderr: 'error: Unknown lab "nope"; the config lists: s01, from-root.' });
    // WHEN a fault is injected into a simulated lab from there
    const injected = lab("inject", "tgw-default-route", "--offline", "--lab", "s01", "--synth-dir", await labSynthDir());
    // THEN the lab's state is under the root's .netlab/sim, and nothing was written in the subdirectory
    expect({ status: injected.status, stderr: injected.stderr }).toEqual({ status: 0, stderr: "" });
    expect(existsSync(join(project, ".netlab", "sim"))).toBe(true);
    expect(readdirSync(sub)).toEqual([]);
  }, 60_000);

  it("the cdktf app (main.ts) started from a subdirectory synthesizes the root config's participants", () => {
    // GIVEN a project whose root config names lab r1 only, and a shell in a subdirectory of it
    const project = projectCopy();
    writeFileSync(join(project, "netlab.config.json"), JSON.stringify({ participants: [{ id: "r1" }], variants: ["natinstance"] }));
    const sub = join(project, "docs");
    const out = mkdtempSync(join(tmpdir(), "netlab-out-"));
    // WHEN the app runs there (as `cdktf synth` would run it, with the output directory in CDKTF_OUTDIR)
    const r = spawnSync(process.execPath, ["-r", "tsx/cjs", join(project, "main.ts")], { cwd: sub, encoding: "utf8", env: { ...process.env, NETLAB_CONFIG: "", CDKTF_OUTDIR: out } });
    // THEN it synthesized r1's stack
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: "" });
    expect(readdirSync(join(out, "stacks"))).toEqual(["netlab-r1-natinstance"]);
  }, 60_000);
});
