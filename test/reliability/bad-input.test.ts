import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { bufferIo } from "../../cli/io";
import { run } from "../../cli/run";
import { SimStateStore } from "../../cloud/sim/state-store";
import { labSynthDir } from "../helpers/lab";

const ROOT = resolve(__dirname, "../..");
let synthDir: string;
beforeAll(async () => {
  synthDir = await labSynthDir();
});

/** A project dir with a simulated lab already created, and what its state file holds. */
async function project(config?: string) {
  const cwd = mkdtempSync(join(tmpdir(), "netlab-bad-"));
  const io = bufferIo({ cwd });
  await run(["status", "--offline", "--synth-dir", synthDir, "--state-dir", join(cwd, "state")], io);
  if (config !== undefined) writeFileSync(join(cwd, "netlab.config.json"), config);
  const statePath = join(cwd, "state", "s01", "state.json");
  return { cwd, statePath, before: readFileSync(statePath, "utf8") };
}

async function lab(cwd: string, args: string[], offline = true) {
  const io = bufferIo({ cwd });
  const code = await run([...args, ...(offline ? ["--offline", "--synth-dir", synthDir, "--state-dir", join(cwd, "state")] : [])], io);
  return { code, err: io.stderr, out: io.stdout };
}

/** Each bad input: the arguments, the config file (if any), the exit code and the message. */
const CATALOGUE: [string, string[], string | undefined, number, string][] = [
  ["B01 unknown scenario", ["inject", "tgw-default-rout"], undefined, 2, 'Unknown scenario "tgw-default-rout"; valid scenarios: tgw-default-route,'],
  ["B02 unknown lab", ["inject", "cpu-alarm", "--lab", "s9"], undefined, 2, 'Unknown lab "s9"; the config lists: s01.'],
  ["B03 unknown instance", ["explain", "--from", "VPC09-Private-A", "--to", "internet"], undefined, 2, 'Unknown instance "VPC09-Private-A"; valid instances: DMZVPC-Private-A-10.11.20.101'],
  ["B04 unknown language", ["brief", "cpu-alarm", "--lang", "jp"], undefined, 2, "argument 'jp' is invalid. Allowed choices are en, ko."],
  ["B05 malformed config", ["inject", "cpu-alarm"], "{ participants: ", 2, "netlab.config.json is not valid JSON"],
  ["B06 unknown config field", ["inject", "cpu-alarm"], JSON.stringify({ participant: [] }), 2, 'unknown field "participant" at (top level)'],
  ["B07 invalid participant id", ["inject", "cpu-alarm"], JSON.stringify({ participants: [{ id: "S_01" }] }), 2, 'field "participants.0.id" is "S_01": must be 1–20 characters of a-z, 0-9 and -.'],
  ["B08 empty participants", ["inject", "cpu-alarm"], JSON.stringify({ participants: [] }), 2, 'field "participants" is []: must list at least one participant.'],
  ["B09 unknown region", ["inject", "cpu-alarm"], JSON.stringify({ region: "ap-northeast-9" }), 2, 'field "region" is "ap-northeast-9": must be one of "ap-northeast-2", "us-east-1".'],
  ["B10 --lab and --all", ["reset", "--lab", "s01", "--all"], undefined, 2, "Give either --lab ID or --all, not both."],
  ["B11 bad port", ["explain", "--from", "VPC02-Private-A-10.2.20.101", "--to", "internet", "--port", "80a"], undefined, 2, '--port must be a number from 1 to 65535; got "80a".'],
  ["B12 unknown report format", ["check", "cpu-alarm", "--report", "html"], undefined, 2, 'Unknown report format "html"; valid formats: md, json, junit.'],
  ["B13 bad hint count", ["brief", "cpu-alarm", "--hints", "x"], undefined, 2, '--hints must be a whole number from 0 to 2; got "x".'],
  ["B14 unknown verb", ["destroy-everything"], undefined, 2, "unknown command 'destroy-everything'"],
  ["B15 snapshot without report", ["check", "cpu-alarm", "--save-snapshot"], undefined, 2, "--save-snapshot goes with --report"],
  ["B16 zero participants for cost", ["cost", "--participants", "0"], undefined, 2, '--participants must be a whole number of at least 1; got "0".'],
  ["B17 preflight offline", ["preflight"], undefined, 2, "preflight checks real AWS accounts; it has no --offline mode"],
  ["B18 unknown destination", ["explain", "--from", "VPC02-Private-A-10.2.20.101", "--to", "the-moon"], undefined, 2, 'Unknown destination "the-moon"'],
  ["B19 aws-configs with offline", ["explain", "--from", "x", "--to", "internet", "--aws-configs", "/tmp"], undefined, 2, "--aws-configs reads saved AWS state; it cannot be combined with --offline."],
];

describe("bad input: a clear message, its exit code, and no change to any lab", () => {
  it.each(CATALOGUE)("%s", async (_name, args, config, code, message) => {
    // GIVEN a simulated lab, and maybe a bad config
    const p = await project(config);
    // WHEN the bad command runs
    const r = await lab(p.cwd, args);
    // THEN exit code and message, and the lab's state file is byte for byte the same
    expect(r.err).toContain(message);
    expect(r.code).toBe(code);
    expect(readFileSync(p.statePath, "utf8")).toBe(p.before);
  });

  it("B20 synth dir missing", async () => {
    const cwd = mkdtempSync(join(tmpdir(), "netlab-bad-"));
    const io = bufferIo({ cwd });
    const code = await run(["inject", "cpu-alarm", "--offline", "--synth-dir", join(cwd, "nope"), "--state-dir", join(cwd, "state")], io);
    expect(code).toBe(2);
    expect(io.stderr).toContain(`The synth directory ${join(cwd, "nope")} does not exist`);
    expect(existsSync(join(cwd, "state", "s01", "state.json"))).toBe(false);
  });

  it("B21 corrupt state file: refused, never replaced", async () => {
    const p = await project();
    writeFileSync(p.statePath, '{"format":"netlab-sim-state","version":1,');
    const r = await lab(p.cwd, ["inject", "cpu-alarm"]);
    expect(r.code).toBe(2);
    expect(r.err).toContain("is corrupt");
    expect(readFileSync(p.statePath, "utf8")).toBe('{"format":"netlab-sim-state","version":1,');
  });

  it("B22 no credentials: one sentence, exit 2 (AWS path, nothing reachable)", async () => {
    const cwd = mkdtempSync(join(tmpdir(), "netlab-bad-"));
    writeFileSync(join(cwd, "netlab.config.json"), JSON.stringify({ participants: [{ id: "s01", profile: "netlab-profile-that-does-not-exist" }] }));
    const io = bufferIo({ cwd, env: { AWS_CONFIG_FILE: join(cwd, "none"), AWS_SHARED_CREDENTIALS_FILE: join(cwd, "none") } });
    const saved = { ...process.env };
    process.env.AWS_CONFIG_FILE = join(cwd, "none");
    process.env.AWS_SHARED_CREDENTIALS_FILE = join(cwd, "none");
    try {
      const code = await run(["status"], io);
      expect(code).toBe(2);
      expect(io.stderr).toContain("lab s01: error: No AWS credentials for lab s01");
    } finally {
      process.env = saved;
    }
  });

  it("B23 SSM cannot reach a probed instance: inconclusive, exit 3, never a fail", async () => {
    const p = await project();
    // the probe source is stopped (the student's doing, or a lab problem): the probe cannot run
    const store = new SimStateStore(join(p.cwd, "state"), "s01");
    store.lock();
    const state = store.read();
    state.snapshot.instances.find((i) => i.name === "VPC02-Private-A-10.2.20.101")!.state = "stopped";
    store.write(state);
    store.unlock();
    const r = await lab(p.cwd, ["check", "tgw-default-route"]);
    expect(r.code).toBe(3);
    expect(r.out).toContain("INCONCLUSIVE vpc02-a-reaches-internet-via-dmz-nat");
    expect(r.out).toContain("could not run on VPC02-Private-A-10.2.20.101");
  });
});

describe("R06 two lab processes on one simulated lab", () => {
  it("R06 the second is refused with who holds the lab, and the state is untouched", async () => {
    // GIVEN this process holding the lab's lock (as a running `lab` command would)
    const p = await project();
    const holder = new SimStateStore(join(p.cwd, "state"), "s01");
    holder.lock();
    try {
      // WHEN another process runs `lab inject`
      const r = spawnSync(process.execPath, [join(ROOT, "bin/lab.js"), "inject", "cpu-alarm", "--offline", "--synth-dir", synthDir, "--state-dir", join(p.cwd, "state")], { cwd: p.cwd, encoding: "utf8" });
      // THEN it exits 1, names the holder, and changed nothing
      expect(r.status).toBe(1);
      expect(r.stderr).toContain(`is in use by process ${process.pid}`);
      expect(readFileSync(p.statePath, "utf8")).toBe(p.before);
    } finally {
      holder.unlock();
    }
  });
});
