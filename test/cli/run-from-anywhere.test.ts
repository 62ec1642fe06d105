import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, realpathSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const ROOT = resolve(__dirname, "../..");

// Outside the project, `npx lab` does not find netlab's bin and offers to install an unrelated npm package
// named `lab`. README documents the way out: install this folder globally (npm link / npm install -g .),
// which puts `netlab` (and `lab`) on the PATH, then run `netlab …` from any folder.
describe("running netlab from outside the project", () => {
  it("package.json names a distinct bin, netlab, besides lab, both the same script", () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { bin: Record<string, string> };
    expect(pkg.bin).toEqual({ lab: "bin/lab.js", netlab: "bin/lab.js" });
    expect(existsSync(join(ROOT, pkg.bin.netlab))).toBe(true);
  });

  it("after `npm install -g .` (into a private prefix, offline), `netlab` runs from an unrelated folder and finds its project", () => {
    // GIVEN the project installed globally into a throwaway prefix, as README says (no network: it links this folder)
    const prefix = mkdtempSync(join(tmpdir(), "netlab-global-"));
    const install = spawnSync("npm", ["install", "-g", "--prefix", prefix, "--offline", "--no-audit", "--no-fund", ROOT], { encoding: "utf8" });
    expect(install.status).toBe(0);
    // WHEN `netlab list --json` runs from a folder that has nothing to do with the project
    const elsewhere = mkdtempSync(join(tmpdir(), "netlab-elsewhere-"));
    const r = spawnSync(join(prefix, "bin", "netlab"), ["list", "--json"], { cwd: elsewhere, encoding: "utf8" });
    // THEN it is netlab that answers, with its 10 scenarios
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect((JSON.parse(r.stdout) as { id: string }[]).map((s) => s.id)).toContain("tgw-default-route");
    // AND the installed command is this project (the link resolves here, so its config and .netlab are found here)
    expect(realpathSync(join(prefix, "bin", "netlab"))).toBe(join(realpathSync(ROOT), "bin", "lab.js"));
  });
});
