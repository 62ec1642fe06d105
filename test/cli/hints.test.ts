import { cpSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Change } from "../../cloud/change";
import { SimStateStore } from "../../cloud/sim/state-store";
import { withLabFlags } from "../../cli/hints";
import { bufferIo } from "../../cli/io";
import { run } from "../../cli/run";
import { labSynthDir, openSimLab } from "../helpers/lab";

let synthDir: string;
beforeAll(async () => {
  // A synth dir whose path has a space: the hint must quote it to be pasted as is.
  synthDir = join(mkdtempSync(join(tmpdir(), "netlab-hints-")), "my synth");
  cpSync(await labSynthDir(), synthDir, { recursive: true });
});

/** `lab …` offline, on the project's own state dir (given relative, as a user types it). */
async function lab(cwd: string, args: string[]) {
  const io = bufferIo({ cwd });
  const code = await run([...args, "--offline", "--synth-dir", synthDir, "--state-dir", "state"], io);
  return { code, out: io.stdout, err: io.stderr };
}

/** The words of the first backquoted `lab …` command in a text, as a shell would split them (plain and single-quoted words). */
function hintedCommand(text: string): string[] {
  const m = /`lab ([^`]*)`/.exec(text);
  if (!m) throw new Error(`no \`lab …\` hint in: ${text}`);
  return [...m[1].matchAll(/'((?:[^']|'\\'')*)'|(\S+)/g)].map((w) => (w[1] !== undefined ? w[1].replace(/'\\''/g, "'") : w[2]));
}

/** Runs a pasted hint as the user would, in the same folder. */
async function paste(cwd: string, words: string[]) {
  const io = bufferIo({ cwd });
  return { code: await run(words, io), out: io.stdout, err: io.stderr };
}

describe("hints keep the flags that chose the lab: pasted, they work on the same lab", () => {
  it("the refusal of a second inject offline: `lab reset …` carries --lab, --offline, --synth-dir (quoted) and --state-dir, and works when pasted", async () => {
    // GIVEN a fault injected into the simulated lab
    const cwd = mkdtempSync(join(tmpdir(), "netlab-hints-"));
    expect((await lab(cwd, ["inject", "tgw-default-route"])).code).toBe(0);
    // WHEN injected again
    const again = await lab(cwd, ["inject", "tgw-default-route"]);
    // THEN refused, and the hint names the same simulated lab
    expect(again.code).toBe(1);
    expect(again.err).toContain(`run \`lab reset tgw-default-route --lab s01 --offline --synth-dir '${synthDir}' --state-dir state\` first.`);
    // AND pasting it resets that lab (exit 0), with no credentials error
    const pasted = await paste(cwd, hintedCommand(again.err));
    expect(pasted.err).toBe("");
    expect(pasted.code).toBe(0);
    expect(pasted.out).toContain("lab s01: reset tgw-default-route");
  });

  it("the kept-reset message (text and --json) keeps the flags, and the JSON stays valid", async () => {
    // GIVEN tgw-default-route injected, and a student's own default route in the place of the deleted one
    const cwd = mkdtempSync(join(tmpdir(), "netlab-hints-"));
    expect((await lab(cwd, ["inject", "tgw-default-route"])).code).toBe(0);
    const student: Change = { kind: "create-route", routeTable: "VPC02-Private-Subnet-A-RT", destination: "0.0.0.0/0", target: { kind: "instance-eni", instance: "VPC02-Private-B-10.2.24.101" } };
    const cloud = await openSimLab(join(cwd, "state"));
    await cloud.apply(student);
    await cloud.close();
    // WHEN reset, as text and as JSON
    const text = await lab(cwd, ["reset", "tgw-default-route"]);
    const json = await lab(cwd, ["reset", "tgw-default-route", "--json"]);
    // THEN both say to run reset again with the lab's flags
    const again = `\`lab reset tgw-default-route --lab s01 --offline --synth-dir '${synthDir}' --state-dir state\` again`;
    expect(text.code).toBe(1);
    expect(text.out).toContain(again);
    expect((JSON.parse(json.out) as { why: string }[])[0].why).toContain(again);
  });

  it("the corrupt-ledger message's `lab check …` keeps the flags", async () => {
    // GIVEN a ledger entry that lost its inverses
    const cwd = mkdtempSync(join(tmpdir(), "netlab-hints-"));
    expect((await lab(cwd, ["status"])).code).toBe(0);
    const store = new SimStateStore(join(cwd, "state"), "s01");
    store.lock();
    const state = store.read();
    (state.ledger as Record<string, unknown>)["flow-logs-off"] = { scenario: "flow-logs-off", lab: "s01", injectedAt: "2026-11-24T10:00:00.000Z", by: "a@b", changes: [], inverses: "gone" };
    store.write(state);
    store.unlock();
    // WHEN status reads it
    const r = await lab(cwd, ["status"]);
    // THEN exit 2, and the check it suggests runs on this simulated lab when pasted
    expect(r.code).toBe(2);
    expect(r.err).toContain(`(\`lab check flow-logs-off --lab s01 --offline --synth-dir '${synthDir}' --state-dir state\``);
    const pasted = await paste(cwd, hintedCommand(r.err));
    // (the check grades the lab as it is: the entry says flow-logs-off, but its changes were never made)
    expect(pasted.err).toBe("");
    expect(pasted.code).toBe(0);
    expect(pasted.out).toContain("lab s01 · flow-logs-off · score 100% · PASS");
  });

  it("adds only what is missing, keeps --config, and changes nothing without flags", () => {
    // GIVEN hints with and without flags / WHEN the lab flags are added / THEN only the missing ones, JSON-escaped in JSON
    expect(withLabFlags("run `lab status --offline` now", [["--offline"], ["--config", "class.json"]])).toBe("run `lab status --offline --config class.json` now");
    expect(withLabFlags("run `lab status` now", [])).toBe("run `lab status` now");
    expect(withLabFlags('{"why": "run `lab reset x`"}', [["--state-dir", "C:\\labs"]], true)).toBe('{"why": "run `lab reset x --state-dir \'C:\\\\labs\'`"}');
  });
});
