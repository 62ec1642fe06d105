import { existsSync } from "node:fs";
import { join } from "node:path";
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
    ...(existsSync(join(__dirname, "../../node_modules/.bin/cdktn")) ? [] : [[["--engine", "cdktn"], "error: The cdktn CLI is not installed"] as [string[], string]]),
  ])("%j exits 2 naming the bad value and the valid choices, before starting anything", async (argv, message) => {
    // GIVEN bad arguments WHEN the harness starts THEN it exits 2 with the sentence, and prints no report
    const r = await runMain(argv);
    expect(r.code).toBe(2);
    expect(r.err).toContain(message);
    expect(r.out).toBe("");
  });
});
