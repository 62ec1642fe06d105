import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { bufferIo } from "../../cli/io";
import { run } from "../../cli/run";
import { labSynthDir } from "../helpers/lab";

let synthDir: string;
/** A copy of the synthesized lab whose VPC02 private route tables have no default route (a synth "with a fault"). */
let brokenSynth: string;
beforeAll(async () => {
  synthDir = await labSynthDir();
  brokenSynth = mkdtempSync(join(tmpdir(), "netlab-synth-broken-"));
  cpSync(synthDir, brokenSynth, { recursive: true });
  const file = join(brokenSynth, "stacks", "netlab-s01-core", "cdk.tf.json");
  const json = JSON.parse(readFileSync(file, "utf8")) as { resource: { aws_route: Record<string, { route_table_id: string; destination_cidr_block?: string }> } };
  const routes = json.resource.aws_route;
  const dropped = Object.keys(routes).filter((k) => /vpc02/i.test(k) && routes[k].destination_cidr_block === "0.0.0.0/0");
  expect(dropped.length).toBeGreaterThan(0);
  for (const k of dropped) delete routes[k];
  writeFileSync(file, JSON.stringify(json));
});

/** `lab … --offline --state-dir <project>/state`, plus the given args (which may carry --synth-dir). */
async function lab(cwd: string, args: string[]) {
  const io = bufferIo({ cwd });
  const code = await run([...args, "--offline", "--state-dir", join(cwd, "state")], io);
  return { code, out: io.stdout, err: io.stderr };
}

const EXPLAIN = ["explain", "--from", "VPC02-Private-A-10.2.20.101", "--to", "internet"];

describe("--synth-dir names what the simulated lab is built from: honoured, or refused with the reason, never ignored", () => {
  it.each([["check", "tgw-default-route"], ["status"], ["inject", "cpu-alarm"], ["reset"], ["solve", "cpu-alarm"], ["explain", ...EXPLAIN.slice(1)], ["diagram", "--out", "-"]])(
    "%s with a --synth-dir that does not exist: exit 2, even with a simulated lab already there",
    async (...args) => {
      // GIVEN a simulated lab already built (from the project's synth)
      const cwd = mkdtempSync(join(tmpdir(), "netlab-synthdir-"));
      expect((await lab(cwd, ["status", "--synth-dir", synthDir])).code).toBe(0);
      const before = readFileSync(join(cwd, "state", "s01", "state.json"), "utf8");
      // WHEN a verb names a synth dir that is not there
      const r = await lab(cwd, [...args, "--synth-dir", "/nonexistent"]);
      // THEN exit 2 naming it, and the lab is unchanged
      expect(r.err).toContain("The synth directory /nonexistent does not exist");
      expect(r.code).toBe(2);
      expect(readFileSync(join(cwd, "state", "s01", "state.json"), "utf8")).toBe(before);
    },
  );

  it.each([["check", "tgw-default-route"], ["status"], ["inject", "cpu-alarm"], ["explain", ...EXPLAIN.slice(1)]])(
    "%s with --synth-dir of another synth than the simulated lab's: exit 2, says what it was built from and the ways out",
    async (...args) => {
      // GIVEN a simulated lab built from the project's synth
      const cwd = mkdtempSync(join(tmpdir(), "netlab-synthdir-"));
      expect((await lab(cwd, ["status", "--synth-dir", synthDir])).code).toBe(0);
      const before = readFileSync(join(cwd, "state", "s01", "state.json"), "utf8");
      // WHEN a verb names a different synth
      const r = await lab(cwd, [...args, "--synth-dir", brokenSynth]);
      // THEN refused (exit 2): it would otherwise grade or change a lab that is not the named one
      expect(r.code).toBe(2);
      expect(r.err).toContain(`The simulated lab s01 in ${join(cwd, "state", "s01", "state.json")} was built from the synth dir ${synthDir}, which differs from the synth dir ${brokenSynth}`);
      expect(r.err).toContain(`Run without --synth-dir to work on it, give --state-dir DIR to keep a separate simulated lab built from the synth dir ${brokenSynth}, or delete ${join(cwd, "state", "s01")}`);
      expect(readFileSync(join(cwd, "state", "s01", "state.json"), "utf8")).toBe(before);
    },
  );

  it("honours --synth-dir on first use: check grades the named synth, and explain agrees with check", async () => {
    // GIVEN no simulated lab yet, and a synth whose VPC02 has no default route
    const cwd = mkdtempSync(join(tmpdir(), "netlab-synthdir-"));
    // WHEN checked and explained from that synth
    const check = await lab(cwd, ["check", "tgw-default-route", "--synth-dir", brokenSynth]);
    const explain = await lab(cwd, [...EXPLAIN, "--synth-dir", brokenSynth]);
    // THEN both see the missing route: check fails (1), explain says not reachable (1)
    expect(check.code).toBe(1);
    expect(explain.code).toBe(1);
    expect(explain.out).toContain("NOT reachable");
    // AND the same synth named again is accepted
    expect((await lab(cwd, ["status", "--synth-dir", brokenSynth])).code).toBe(0);
  });

  it("explain --synth-dir looks at the simulated lab as check grades it (after an inject), not at the synth as it was", async () => {
    // GIVEN a simulated lab built from the synth, with the fault injected
    const cwd = mkdtempSync(join(tmpdir(), "netlab-synthdir-"));
    expect((await lab(cwd, ["inject", "tgw-default-route", "--synth-dir", synthDir])).code).toBe(0);
    // WHEN checked and explained with the same --synth-dir
    const check = await lab(cwd, ["check", "tgw-default-route", "--synth-dir", synthDir]);
    const explain = await lab(cwd, [...EXPLAIN, "--synth-dir", synthDir]);
    // THEN they agree: the check fails and explain finds the route table that blocks
    expect(check.code).toBe(1);
    expect(explain.code).toBe(1);
    expect(explain.out).toContain("blocked at VPC02-Private-Subnet-A-RT");
  });

  it("explain and diagram with --synth-dir and no simulated lab yet analyze the synth as synthesized, and create no lab", async () => {
    const cwd = mkdtempSync(join(tmpdir(), "netlab-synthdir-"));
    const r = await lab(cwd, [...EXPLAIN, "--synth-dir", synthDir]);
    expect(r.code).toBe(0);
    expect(r.out).toContain("reachable");
    const d = await lab(cwd, ["diagram", "--out", "-", "--synth-dir", brokenSynth]);
    expect(d.code).toBe(0);
    expect(d.out.startsWith("flowchart LR")).toBe(true);
    expect(existsSync(join(cwd, "state", "s01", "state.json"))).toBe(false);
  });

  it("a simulated lab from an older netlab (no record of its synth) is refused with --synth-dir, and still usable without it", async () => {
    // GIVEN a state file without the record of what it was built from
    const cwd = mkdtempSync(join(tmpdir(), "netlab-synthdir-"));
    expect((await lab(cwd, ["status", "--synth-dir", synthDir])).code).toBe(0);
    const path = join(cwd, "state", "s01", "state.json");
    const state = JSON.parse(readFileSync(path, "utf8")) as Record<string, unknown>;
    delete state.baseline;
    writeFileSync(path, JSON.stringify(state));
    // WHEN used with and without --synth-dir
    const named = await lab(cwd, ["status", "--synth-dir", synthDir]);
    const plain = await lab(cwd, ["status"]);
    // THEN with it: refused, saying the source was not recorded; without it: the lab as it is
    expect(named.code).toBe(2);
    expect(named.err).toContain("was built by an older netlab that did not record what from");
    expect(plain.code).toBe(0);
    expect(plain.out).toContain("lab s01: no active fault");
  });
});
