import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { aliasRequest, EngineError, engineFrom, jestModuleNameMapper } from "../../stacks/engine";

const ROOT = resolve(__dirname, "../..");
const CONFIG = join(ROOT, "netlab.config.example.json");

/** Runs `script` in a fresh node process (empty module cache, as a shell's) from the project root, with tsx's loader. */
function node(script: string, env: NodeJS.ProcessEnv) {
  return spawnSync(process.execPath, ["-r", "tsx/cjs", "-e", script], { cwd: ROOT, encoding: "utf8", env: { ...process.env, ...env } });
}

describe("engineFrom (NETLAB_ENGINE)", () => {
  it("is cdktf when NETLAB_ENGINE is unset or empty, and the named engine otherwise", () => {
    // GIVEN each accepted value / WHEN read / THEN the engine
    expect(engineFrom({})).toBe("cdktf");
    expect(engineFrom({ NETLAB_ENGINE: "" })).toBe("cdktf");
    expect(engineFrom({ NETLAB_ENGINE: "cdktf" })).toBe("cdktf");
    expect(engineFrom({ NETLAB_ENGINE: "cdktn" })).toBe("cdktn");
  });

  it.each(["CDKTN", "terraform", "cdktn ", "toString"])("refuses %j, naming the value and the valid choices", (value) => {
    // GIVEN a value that names no engine (the last one is a property every object has) / WHEN read / THEN an EngineError that says what is valid
    expect(() => engineFrom({ NETLAB_ENGINE: value })).toThrow(EngineError);
    expect(() => engineFrom({ NETLAB_ENGINE: value })).toThrow(`NETLAB_ENGINE=${JSON.stringify(value)} is not an engine netlab can synthesize with; valid choices: cdktf (the default), cdktn.`);
  });
});

describe("aliasRequest", () => {
  it("with cdktn, resolves cdktf and the provider's deep paths to the fork's, and leaves every other module alone", () => {
    // GIVEN module names as the stacks and tests write them / WHEN aliased for cdktn / THEN
    expect(aliasRequest("cdktf", "cdktn")).toBe("cdktn");
    expect(aliasRequest("cdktf/lib/testing/adapters/jest", "cdktn")).toBe("cdktn/lib/testing/adapters/jest");
    expect(aliasRequest("@cdktf/provider-aws/lib/vpc", "cdktn")).toBe("@cdktn/provider-aws/lib/vpc");
    for (const other of ["cdktf-cli", "@cdktf/provider-awsx/lib/vpc", "@cdktf/hcl2json", "constructs", "./cdktf", "zod"]) expect(aliasRequest(other, "cdktn")).toBe(other);
  });

  it("with cdktf, changes nothing", () => {
    // GIVEN the default engine / WHEN a stack's imports are aliased / THEN they stay as written
    for (const request of ["cdktf", "@cdktf/provider-aws/lib/vpc"]) expect(aliasRequest(request, "cdktf")).toBe(request);
  });
});

describe("jestModuleNameMapper", () => {
  /** What jest does with a mapper: the first matching pattern rewrites the module name. */
  const mapped = (mapper: Record<string, string>, request: string) => {
    for (const [pattern, to] of Object.entries(mapper)) {
      const m = new RegExp(pattern).exec(request);
      if (m) return to.replace(/\$(\d)/g, (_, i: string) => m[Number(i)]);
    }
    return request;
  };

  it("maps for jest exactly what aliasRequest maps for node", () => {
    // GIVEN the cdktn mapper and module names that are and are not aliased
    const mapper = jestModuleNameMapper("cdktn");
    const requests = ["cdktf", "cdktf/lib/testing/adapters/jest", "@cdktf/provider-aws/lib/vpc", "@cdktf/provider-aws", "cdktf-cli", "@cdktf/provider-awsx", "constructs"];
    // WHEN jest applies it / THEN each name becomes what node's alias makes of it
    expect(requests.map((r) => mapped(mapper, r))).toEqual(requests.map((r) => aliasRequest(r, "cdktn")));
  });

  it("is empty for cdktf (jest resolves the packages as written)", () => {
    expect(jestModuleNameMapper("cdktf")).toEqual({});
  });
});

describe("useEngine", () => {
  it("with NETLAB_ENGINE=cdktn, makes cdktf and provider imports load CDK Terrain's packages", () => {
    // GIVEN a fresh process with NETLAB_ENGINE=cdktn
    const script = `
      require("./stacks/engine").useEngine();
      const { App } = require("cdktf");
      const { Vpc } = require("@cdktf/provider-aws/lib/vpc");
      process.stdout.write(JSON.stringify({ cdktf: require.resolve("cdktf"), vpc: require.resolve("@cdktf/provider-aws/lib/vpc"), app: typeof App, vpcType: Vpc.tfResourceType }));`;
    // WHEN it loads the packages the stacks import
    const r = node(script, { NETLAB_ENGINE: "cdktn" });
    // THEN they are cdktn's
    expect(r.stderr).toBe("");
    const loaded = JSON.parse(r.stdout) as Record<string, string>;
    expect(loaded.cdktf).toContain(join("node_modules", "cdktn", "lib"));
    expect(loaded.vpc).toContain(join("node_modules", "@cdktn", "provider-aws", "lib", "vpc"));
    expect({ app: loaded.app, vpcType: loaded.vpcType }).toEqual({ app: "function", vpcType: "aws_vpc" });
  });

  it("refuses to switch once cdktf is loaded (one process holds one engine's constructs)", () => {
    // GIVEN a process that has already loaded cdktf
    const script = `
      require("cdktf");
      try { require("./stacks/engine").useEngine(); process.stdout.write("switched"); }
      catch (e) { process.stdout.write(e.name + ": " + e.message); }`;
    // WHEN it asks for cdktn / THEN it is told the engine was chosen too late, as netlab's own bug
    const r = node(script, { NETLAB_ENGINE: "cdktn" });
    expect(r.stdout).toMatch(/^EngineError: netlab bug: cdktf was loaded \(.*node_modules.cdktf.*\) before the engine was chosen, so NETLAB_ENGINE=cdktn cannot apply to this process\.$/);
  });

  it("refuses a second, different engine in the same process", () => {
    // GIVEN a process that chose cdktn
    const script = `
      const { useEngine } = require("./stacks/engine");
      useEngine({ NETLAB_ENGINE: "cdktn" });
      try { useEngine({ NETLAB_ENGINE: "cdktf" }); process.stdout.write("switched"); }
      catch (e) { process.stdout.write(e.message); }`;
    // WHEN it asks for cdktf / THEN it is refused
    expect(node(script, {}).stdout).toBe("This process already synthesizes with cdktn; it cannot switch to cdktf.");
  });
});

describe("the engine switch at the entry points", () => {
  it("the cdktf app (main.ts) with a bad NETLAB_ENGINE exits 2 naming the valid choices, and writes nothing", () => {
    // GIVEN an output directory and a misspelt engine
    const out = join(mkdtempSync(join(tmpdir(), "netlab-engine-")), "out");
    // WHEN the app runs as `cdktf synth` runs it
    const r = spawnSync(process.execPath, ["-r", "tsx/cjs", join(ROOT, "main.ts")], { cwd: ROOT, encoding: "utf8", env: { ...process.env, NETLAB_ENGINE: "cdktfn", NETLAB_CONFIG: CONFIG, CDKTF_OUTDIR: out } });
    // THEN exit 2, one line naming the value and the choices, and no output directory
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 2, stderr: 'error: NETLAB_ENGINE="cdktfn" is not an engine netlab can synthesize with; valid choices: cdktf (the default), cdktn.\n' });
    expect(existsSync(out)).toBe(false);
  });

  it("the lab command with a bad NETLAB_ENGINE exits 2 naming the valid choices", () => {
    // GIVEN a misspelt engine / WHEN any lab verb runs
    const r = spawnSync(process.execPath, [join(ROOT, "bin", "lab.js"), "list"], { cwd: ROOT, encoding: "utf8", env: { ...process.env, NETLAB_ENGINE: "hcl" } });
    // THEN exit 2 with the reason, and nothing on stdout
    expect({ status: r.status, stdout: r.stdout, stderr: r.stderr }).toEqual({ status: 2, stdout: "", stderr: 'error: NETLAB_ENGINE="hcl" is not an engine netlab can synthesize with; valid choices: cdktf (the default), cdktn.\n' });
  });

  it("npm run synth with a bad NETLAB_ENGINE exits 2 naming the valid choices, before the cdktf CLI starts", () => {
    // GIVEN a misspelt engine and an output directory
    const out = join(mkdtempSync(join(tmpdir(), "netlab-engine-")), "out");
    // WHEN `npm run synth` runs (the cdktf CLI would report the app's exit 2 as 1)
    const r = spawnSync("npm", ["run", "-s", "synth", "--", "--output", out], { cwd: ROOT, encoding: "utf8", env: { ...process.env, NETLAB_ENGINE: "cdk", NETLAB_CONFIG: CONFIG } });
    // THEN exit 2, the reason, and nothing synthesized
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 2, stderr: 'error: NETLAB_ENGINE="cdk" is not an engine netlab can synthesize with; valid choices: cdktf (the default), cdktn.\n' });
    expect(existsSync(out)).toBe(false);
  });

  it("the offline synth cache keys the engine: a lab synthesized with cdktf is not reused for cdktn", () => {
    // GIVEN the same config / WHEN its synth key is computed under each engine
    const script = `
      require("./stacks/engine").useEngine();
      const { synthKey } = require("./network/synth");
      const { parseConfig } = require("./config/config");
      process.stdout.write(synthKey(parseConfig({})));`;
    const keys = ["cdktf", "cdktn"].map((engine) => node(script, { NETLAB_ENGINE: engine }));
    // THEN the keys differ
    expect(keys.map((k) => k.stderr)).toEqual(["", ""]);
    expect(keys[0].stdout).toMatch(/^[0-9a-f]{16}$/);
    expect(keys[1].stdout).toMatch(/^[0-9a-f]{16}$/);
    expect(keys[0].stdout).not.toBe(keys[1].stdout);
  });
});
