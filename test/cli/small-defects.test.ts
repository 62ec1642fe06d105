import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { bufferIo } from "../../cli/io";
import { run } from "../../cli/run";
import { labSynthDir } from "../helpers/lab";

let synthDir: string;
beforeAll(async () => {
  synthDir = await labSynthDir();
});

async function lab(args: string[], cwd = mkdtempSync(join(tmpdir(), "netlab-small-"))) {
  const io = bufferIo({ cwd });
  const code = await run(args, io);
  return { code, out: io.stdout, err: io.stderr, cwd };
}
const offline = (cwd: string) => ["--offline", "--synth-dir", synthDir, "--state-dir", join(cwd, "state")];

describe("bad values that were accepted: now exit 2 with the valid range", () => {
  it.each([
    [["brief", "cpu-alarm", "--hints", "99"], '--hints must be a whole number from 0 to 2 (cpu-alarm has 2 hints); got "99".'],
    [["brief", "cpu-alarm", "--hints", "3"], '--hints must be a whole number from 0 to 2 (cpu-alarm has 2 hints); got "3".'],
    [["cost", "--hours", "1e308"], '--hours must be a number of hours above 0 and at most 8784 (a year); got "1e308".'],
    [["cost", "--hours", "Infinity"], '--hours must be a number of hours above 0 and at most 8784 (a year); got "Infinity".'],
    [["cost", "--participants", "1e308"], '--participants must be at most 1000 (one AWS account each); got "1e308".'],
  ])("%j", async (args, message) => {
    // GIVEN a value outside the range the message states / WHEN run / THEN exit 2 and the range
    const r = await lab(args);
    expect(r.err).toContain(message);
    expect(r.code).toBe(2);
    expect(r.out).not.toContain("Infinity");
  });

  it("brief --hints at the top of the range prints every hint", async () => {
    const r = await lab(["brief", "cpu-alarm", "--hints", "2"]);
    expect(r.code).toBe(0);
    expect(r.out).toContain("Hint 2:");
  });

  it("cost at the limits gives finite dollars", async () => {
    const r = await lab(["cost", "--hours", "8784", "--participants", "1000", "--json"]);
    expect(r.code).toBe(0);
    expect(Number.isFinite((JSON.parse(r.out) as { classTotal: number }).classTotal)).toBe(true);
  });

  it("explain --protocol icmp with a port (from --port or --to ip:port): exit 2, ICMP has no ports", async () => {
    const cwd = mkdtempSync(join(tmpdir(), "netlab-small-"));
    const a = await lab(["explain", "--from", "VPC02-Private-A-10.2.20.101", "--to", "internet", "--protocol", "icmp", "--port", "80", ...offline(cwd)], cwd);
    expect(a.code).toBe(2);
    expect(a.err).toContain("--port 80 does not go with --protocol icmp: ICMP has no ports; drop the port, or give --protocol tcp or udp.");
    const b = await lab(["explain", "--from", "VPC02-Private-A-10.2.20.101", "--to", "10.11.20.101:80", "--protocol", "icmp", ...offline(cwd)], cwd);
    expect(b.code).toBe(2);
    expect(b.err).toContain('The port in --to "10.11.20.101:80" does not go with --protocol icmp');
    // AND without the port, icmp is explained
    expect((await lab(["explain", "--from", "VPC02-Private-A-10.2.20.101", "--to", "10.11.20.101", "--protocol", "icmp", ...offline(cwd)], cwd)).code).toBe(0);
  });
});

describe("paths of the wrong kind are named for what they are", () => {
  it("--config a folder: says it is a folder and which file to give (not 'not valid JSON: EISDIR')", async () => {
    const cwd = mkdtempSync(join(tmpdir(), "netlab-small-"));
    mkdirSync(join(cwd, "conf"));
    const r = await lab(["status", "--config", "conf", ...offline(cwd)], cwd);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`The config file ${join(cwd, "conf")} is a folder, not a file (named by --config or NETLAB_CONFIG); give the JSON file, such as ${join(cwd, "conf", "netlab.config.json")}.`);
    expect(r.err).not.toContain("EISDIR");
  });

  it("--aws-configs a file: says it is a file, not a folder (not 'does not exist')", async () => {
    const cwd = mkdtempSync(join(tmpdir(), "netlab-small-"));
    writeFileSync(join(cwd, "Vpcs.json"), "{}");
    const r = await lab(["explain", "--aws-configs", join(cwd, "Vpcs.json"), "--from", "x", "--to", "internet"], cwd);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`${join(cwd, "Vpcs.json")} is a file, not a folder of AWS describe outputs`);
    expect(r.err).not.toContain("does not exist");
  });
});

describe("list, brief and cost read no lab: --lab, --all, --synth-dir and --state-dir are refused, not ignored", () => {
  it.each([
    [["list", "--lab", "s01"], "lab list takes no --lab: the scenarios are the same for every lab. Its options: --offline, --json, --config, --verbose, --lang."],
    [["list", "--synth-dir", "/tmp"], "lab list takes no --synth-dir: the scenarios are the same for every lab."],
    [["brief", "cpu-alarm", "--lab", "s01"], "lab brief takes no --lab: a scenario's brief is the same for every lab (choose its language with --lang)."],
    [["brief", "cpu-alarm", "--state-dir", "/tmp"], "lab brief takes no --state-dir"],
    [["cost", "--all"], "lab cost takes no --all: the estimate is per participant and for the class (--participants N); it reads no lab."],
    [["cost", "--synth-dir", "/tmp"], "lab cost takes no --synth-dir"],
  ])("%j", async (args, message) => {
    const r = await lab(args);
    expect(r.err).toContain(message);
    expect(r.code).toBe(2);
    expect(r.out).toBe("");
  });

  it("they still take --offline, --json and --config", async () => {
    const r = await lab(["list", "--offline", "--json"]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toHaveLength(10);
  });
});

describe("status", () => {
  it('says "1 change", not "1 changes"', async () => {
    // GIVEN flow-logs-off injected (one change)
    const cwd = mkdtempSync(join(tmpdir(), "netlab-small-"));
    expect((await lab(["inject", "flow-logs-off", ...offline(cwd)], cwd)).code).toBe(0);
    // WHEN status / THEN singular
    const r = await lab(["status", ...offline(cwd)], cwd);
    expect(r.out).toMatch(/flow-logs-off active since .* \(by .*, 1 change\)/);
  });
});

describe("a state.json with fields of the wrong type", () => {
  it("exits 2 naming the field and how to recover, leaves the file as it is, and no TypeError", async () => {
    // GIVEN a simulated lab whose instances field was edited into a string
    const cwd = mkdtempSync(join(tmpdir(), "netlab-small-"));
    expect((await lab(["status", ...offline(cwd)], cwd)).code).toBe(0);
    const path = join(cwd, "state", "s01", "state.json");
    const state = JSON.parse(readFileSync(path, "utf8")) as { snapshot: Record<string, unknown> };
    state.snapshot.instances = "VPC02-Private-A-10.2.20.101";
    (state.snapshot.routeTables as { routes: unknown }[])[0].routes = 7;
    const edited = JSON.stringify(state);
    writeFileSync(path, edited);
    // WHEN a check runs
    const r = await lab(["check", "tgw-default-route", ...offline(cwd)], cwd);
    // THEN exit 2, the fields and the ways out; the file is untouched
    expect(r.code).toBe(2);
    expect(r.err).toContain(`${path} does not hold a valid simulated lab: snapshot.routeTables.0.routes: Expected array, received number; snapshot.instances: Expected array, received string.`);
    expect(r.err).toContain(`It was left as it is; fix that field by hand, or move the file away (or delete ${join(cwd, "state", "s01")}) and run the command again to start from a fresh lab`);
    expect(r.err).not.toMatch(/TypeError|internal error/);
    expect(readFileSync(path, "utf8")).toBe(edited);
    expect(existsSync(join(cwd, "state", "s01", "lock"))).toBe(false);
  });
});
