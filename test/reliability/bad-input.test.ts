import { spawn } from "node:child_process";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
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

  it("B22 no credentials: one sentence, exit 2, and not a single request reached AWS", async () => {
    // GIVEN every AWS endpoint pointed at a local server that counts requests, and no credentials anywhere
    const requests: string[] = [];
    const server = createServer((req, res) => {
      requests.push(`${req.method} ${req.headers.host}${req.url}`);
      res.writeHead(403, { "content-type": "text/xml" }).end('<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>counted</Message></Error><RequestId>r</RequestId></ErrorResponse>');
    });
    await new Promise<void>((ready) => server.listen(0, "127.0.0.1", ready));
    const cwd = mkdtempSync(join(tmpdir(), "netlab-bad-"));
    const saved = { ...process.env };
    for (const k of Object.keys(process.env)) if (k.startsWith("AWS_")) delete process.env[k];
    Object.assign(process.env, { AWS_ENDPOINT_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, AWS_CONFIG_FILE: join(cwd, "none"), AWS_SHARED_CREDENTIALS_FILE: join(cwd, "none"), AWS_EC2_METADATA_DISABLED: "true" });
    const status = async (participant: object) => {
      writeFileSync(join(cwd, "netlab.config.json"), JSON.stringify({ participants: [participant] }));
      const io = bufferIo({ cwd, env: process.env });
      return { code: await run(["status"], io), err: io.stderr };
    };
    try {
      // WHEN the participant's profile does not exist
      const r = await status({ id: "s01", profile: "netlab-profile-that-does-not-exist" });
      // THEN one sentence, exit 2, and the server saw nothing
      expect(r.err).toContain("lab s01: error: No AWS credentials for lab s01");
      expect(r.code).toBe(2);
      expect(requests).toEqual([]);
      // AND (the counter works) with credentials, the same command does reach the server
      Object.assign(process.env, { AWS_ACCESS_KEY_ID: "AKIDEXAMPLE", AWS_SECRET_ACCESS_KEY: "not-a-secret" });
      await status({ id: "s01" });
      expect(requests.length).toBeGreaterThan(0);
    } finally {
      process.env = saved;
      server.close();
    }
  });

  it("B23 SSM cannot reach a probed instance: its check inconclusive, never a fail; the stopped instance itself is collateral damage (exit 1)", async () => {
    const p = await project();
    // the probe source is stopped (the student's doing, or a lab problem): the probe cannot run
    const store = new SimStateStore(join(p.cwd, "state"), "s01");
    store.lock();
    const state = store.read();
    state.snapshot.instances.find((i) => i.name === "VPC02-Private-A-10.2.20.101")!.state = "stopped";
    store.write(state);
    store.unlock();
    const stopped = readFileSync(p.statePath, "utf8");
    const r = await lab(p.cwd, ["check", "tgw-default-route"]);
    // the check whose probe could not run is inconclusive, never a fail
    expect(r.out).toContain("INCONCLUSIVE vpc02-a-reaches-internet-via-dmz-nat");
    expect(r.out).toContain("could not run on VPC02-Private-A-10.2.20.101");
    // but the control plane shows the stopped instance: collateral damage to the lab's steady state, so exit 1
    expect(r.code).toBe(1);
    expect(r.out).toContain("collateral damage at VPC02-Private-A-10.2.20.101 (INSTANCE_NOT_RUNNING)");
    // the check changed nothing: the state file is byte for byte the one with the stopped instance
    expect(readFileSync(p.statePath, "utf8")).toBe(stopped);
  });
});

/** Runs `lab` as its own OS process; resolves with its exit code and output. */
function labProcess(cwd: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string; args: string[] }> {
  return new Promise((resolveRun) => {
    const child = spawn(process.execPath, [join(ROOT, "bin/lab.js"), ...args, "--offline", "--synth-dir", synthDir, "--state-dir", join(cwd, "state")], { cwd });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("close", (code) => resolveRun({ code, stdout, stderr, args }));
  });
}

describe("R06 two lab processes on one simulated lab", () => {
  it("R06 two `lab inject` processes started together, twice: one wins or both run in turn, the loser says why, and the state stays whole", async () => {
    // GIVEN a simulated lab on disk
    const p = await project();
    const won: string[] = [];
    // WHEN two processes inject at the same moment: the same scenario, then two different ones
    for (const [a, b] of [["tgw-default-route", "tgw-default-route"], ["flow-logs-off", "cpu-alarm"]]) {
      const results = await Promise.all([labProcess(p.cwd, ["inject", a]), labProcess(p.cwd, ["inject", b])]);
      // THEN each exits 0 (injected) or 1 with a clear reason: the lock's holder, or the fault already injected
      for (const r of results) {
        if (r.code === 0) won.push(r.args[1]);
        else {
          expect(r.code).toBe(1);
          // (a lock caught between its creation and its content names "another process")
          expect(r.stderr).toMatch(/refused: (The simulated lab s01 is in use by (process \d+ on .+ since .+|another process)\. Wait for that lab command to finish; if none is running, delete .+lock\.|Scenario "[a-z-]+" is already injected in lab s01)/);
        }
      }
      // AND the same fault is never injected twice
      if (a === b) expect(results.filter((r) => r.code === 0)).toHaveLength(1);
    }
    // AND the state file is whole, unlocked, and its ledger holds exactly the injects that succeeded
    const store = new SimStateStore(join(p.cwd, "state"), "s01");
    expect(existsSync(store.lockPath)).toBe(false);
    expect(Object.keys(store.read().ledger).sort()).toEqual([...won].sort());
    expect(won).toContain("tgw-default-route");
  });

  it("R06 a command on a lab whose lock a live process holds is refused, naming the holder and how to clear a stale lock; the state is untouched", async () => {
    // GIVEN this process holding the lab's lock, as a running `lab` command does
    const p = await project();
    const holder = new SimStateStore(join(p.cwd, "state"), "s01");
    holder.lock();
    try {
      // WHEN another command runs on the lab
      const r = await lab(p.cwd, ["inject", "cpu-alarm"]);
      // THEN it exits 1, names the holder and the lock file, and changed nothing
      expect(r.code).toBe(1);
      expect(r.err).toContain(`refused: The simulated lab s01 is in use by process ${process.pid}`);
      expect(r.err).toContain(`if none is running, delete ${holder.lockPath}`);
      expect(readFileSync(p.statePath, "utf8")).toBe(p.before);
    } finally {
      holder.unlock();
    }
  });
});
