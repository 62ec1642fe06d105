import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { labSynthDir } from "../helpers/lab";

const ROOT = resolve(__dirname, "../..");
/** The heavy packages an offline verb loads only when it needs them: cdktf to synthesize, the AWS SDK to reach AWS. */
const HEAVY = /node_modules\/(cdktf|@cdktf\/provider-aws|@aws-sdk\/client-[a-z0-9-]+)\//;

interface Outcome {
  code: number;
  stderr: string;
  /** Heavy packages the process loaded, by name. */
  heavy: string[];
}

/**
 * Runs `lab <args>` in a fresh node process (so that its module cache starts empty, as a shell's does),
 * with `root` as the project root, and reports which heavy packages it loaded.
 */
function labInFreshProcess(root: string, args: string[]): Outcome {
  const script = `
    require("tsx/cjs");
    const { run } = require(${JSON.stringify(join(ROOT, "cli/run"))});
    const { bufferIo } = require(${JSON.stringify(join(ROOT, "cli/io"))});
    const io = bufferIo({ cwd: ${JSON.stringify(root)}, root: ${JSON.stringify(root)}, env: {} });
    run(${JSON.stringify(args)}, io).then((code) => {
      const heavy = new Set();
      for (const file of Object.keys(require.cache)) {
        const m = ${HEAVY.toString()}.exec(file);
        if (m) heavy.add(m[1]);
      }
      process.stdout.write(JSON.stringify({ code, stderr: io.stderr, heavy: [...heavy].sort() }));
    });
  `;
  const r = spawnSync(process.execPath, ["-e", script], { cwd: ROOT, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`The child process failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as Outcome;
}

describe("which heavy packages an offline verb loads", () => {
  it("rehearse --offline with a synth dir loads neither cdktf, the provider classes nor the AWS SDK", async () => {
    // GIVEN a synthesized lab
    const synthDir = await labSynthDir();
    const root = mkdtempSync(join(tmpdir(), "netlab-modules-"));
    // WHEN every scenario is rehearsed offline on it, in a fresh process
    const r = labInFreshProcess(root, ["rehearse", "--offline", "--synth-dir", synthDir, "--state-dir", join(root, "state")]);
    // THEN it succeeds without loading any of them
    expect(r).toEqual({ code: 0, stderr: "", heavy: [] });
  });

  it("synthesizes (loading cdktf) when the project has no synth yet, and reuses that synth without loading cdktf the next time", () => {
    // GIVEN a project root with no synth cache
    const root = mkdtempSync(join(tmpdir(), "netlab-modules-"));
    const status = ["status", "--offline", "--state-dir", join(root, "state")];
    // WHEN an offline verb needs the lab
    const first = labInFreshProcess(root, status);
    // THEN it synthesized it: cdktf and the provider classes were loaded, and the synth is cached under .netlab/synth/
    expect(first).toMatchObject({ code: 0, stderr: "" });
    expect(first.heavy).toEqual(["@cdktf/provider-aws", "cdktf"]);
    const cached = readdirSync(join(root, ".netlab", "synth"));
    expect(cached).toHaveLength(1);
    expect(existsSync(join(root, ".netlab", "synth", cached[0], "stacks", "netlab-s01-core", "cdk.tf.json"))).toBe(true);
    // WHEN the same verb runs again in a new process
    const second = labInFreshProcess(root, status);
    // THEN it reads the cached synth and loads none of the heavy packages
    expect(second).toEqual({ code: 0, stderr: "", heavy: [] });
  });
});
