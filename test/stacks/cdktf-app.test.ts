import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const ROOT = resolve(__dirname, "../..");

describe("the app command of cdktf.json", () => {
  it("run by a shell in the project as `cdktf synth` runs it, synthesizes the stacks of the config's participants", () => {
    // GIVEN the command cdktf.json gives the cdktf CLI, and an output directory in CDKTF_OUTDIR (how the CLI passes it)
    const { app } = JSON.parse(readFileSync(join(ROOT, "cdktf.json"), "utf8")) as { app: string };
    const out = mkdtempSync(join(tmpdir(), "netlab-cdktf-app-"));
    // WHEN it runs
    const r = spawnSync(app, { shell: true, cwd: ROOT, encoding: "utf8", env: { ...process.env, NETLAB_CONFIG: join(ROOT, "netlab.config.example.json"), CDKTF_OUTDIR: out } });
    // THEN it wrote the stacks of the config's participants, and said nothing on stderr
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: "" });
    expect(readdirSync(join(out, "stacks")).sort()).toEqual(["netlab-s01-core", "netlab-s01-natinstance", "netlab-s02-core", "netlab-s02-natinstance"]);
  });
});
