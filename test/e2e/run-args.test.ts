import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { engineCli } from "../../e2e/deploy";
import { main } from "../../e2e/run";

async function runMain(argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, (s) => out.push(s), (s) => err.push(s));
  return { code, out: out.join("\n"), err: err.join("\n") };
}

describe("npm run e2e: bad input", () => {
  it.each([
    [["--engine", "terraform"], 'error: --engine (or NETLAB_ENGINE) is "terraform"; valid engines: cdktf, cdktn.'],
    [["--scenario", "nope"], 'error: unknown scenario "nope"; valid: tgw-default-route'],
    [["--verbose"], 'error: unknown argument "--verbose".'],
    [["--engine"], "error: --engine needs a value."],
  ])("%j exits 2 naming the bad value and the valid choices, before starting anything", async (argv, message) => {
    // GIVEN bad arguments WHEN the harness starts THEN it exits 2 with the sentence, and prints no report
    const r = await runMain(argv);
    expect(r.code).toBe(2);
    expect(r.err).toContain(message);
    expect(r.out).toBe("");
  });
});

describe("npm run e2e: the CLI that drives each engine", () => {
  function fakeRoot(files: string[]) {
    const root = mkdtempSync(join(tmpdir(), "netlab-engine-"));
    for (const f of files) {
      mkdirSync(join(root, f, ".."), { recursive: true });
      writeFileSync(join(root, f), "");
    }
    return root;
  }

  it("cdktf runs with the cdktf CLI, and without it says so", () => {
    // GIVEN a project with the cdktf CLI, and one without
    const withCli = fakeRoot(["node_modules/.bin/cdktf"]);
    // WHEN / THEN the cdktf engine uses that CLI; none gives the error with how to get it
    expect(engineCli("cdktf", withCli)).toBe(join(withCli, "node_modules/.bin/cdktf"));
    expect(() => engineCli("cdktf", fakeRoot([]))).toThrow(/^The cdktf CLI is not installed \(.*node_modules\/\.bin\/cdktf\): run npm ci\.$/);
  });

  it("cdktn uses its own CLI when installed, else the cdktf CLI running CDK Terrain; without CDK Terrain it refuses", () => {
    // GIVEN CDK Terrain with and without its CLI, and a project without CDK Terrain
    const both = fakeRoot(["node_modules/.bin/cdktf", "node_modules/.bin/cdktn", "node_modules/cdktn/package.json"]);
    const libOnly = fakeRoot(["node_modules/.bin/cdktf", "node_modules/cdktn/package.json"]);
    const none = fakeRoot(["node_modules/.bin/cdktf"]);
    // WHEN the cdktn engine's CLI is asked for
    // THEN its own CLI, else cdktf's, else an error naming the missing package
    expect(engineCli("cdktn", both)).toBe(join(both, "node_modules/.bin/cdktn"));
    expect(engineCli("cdktn", libOnly)).toBe(join(libOnly, "node_modules/.bin/cdktf"));
    expect(() => engineCli("cdktn", none)).toThrow(/^The cdktn engine is not installed \(.*node_modules\/cdktn\): run npm ci, or use --engine cdktf\.$/);
  });
});
