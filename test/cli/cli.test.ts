import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { bufferIo } from "../../cli/io";
import { run } from "../../cli/run";
import { labSynthDir, openSimLab } from "../helpers/lab";

let synthDir: string;
beforeAll(async () => {
  synthDir = await labSynthDir();
});

/** Runs `lab …` offline in its own project dir and state dir. */
async function lab(args: string[], cwd = mkdtempSync(join(tmpdir(), "netlab-cli-"))) {
  const io = bufferIo({ cwd });
  // explain and diagram read the simulated lab's current state unless given a synth dir to analyze as is.
  const asSynthesized = args.includes("--current-state") ? [] : ["--synth-dir", synthDir];
  const offline = ["--offline", ...asSynthesized, "--state-dir", join(cwd, "state")];
  const code = await run([...args.filter((a) => a !== "--current-state"), ...offline], io);
  return { code, out: io.stdout, err: io.stderr, cwd };
}

describe("lab list / brief", () => {
  it("lists the 10 scenarios as JSON with id, title and seed (a string, several seeds as \"001, 003\")", async () => {
    const r = await lab(["list", "--json"]);
    expect(r.code).toBe(0);
    const list = JSON.parse(r.out) as Record<string, unknown>[];
    expect(list).toHaveLength(10);
    expect(list[0]).toEqual({ id: "tgw-default-route", title: "VPC02 lost the internet", seed: "000" });
    for (const x of list) {
      expect(Object.keys(x)).toEqual(["id", "title", "seed"]);
      expect(Object.values(x).map((v) => typeof v)).toEqual(["string", "string", "string"]);
    }
    expect(Object.fromEntries(list.filter((x) => String(x.seed).includes(",")).map((x) => [x.id, x.seed]))).toEqual({ "alb-sg-blocked": "001, 003", "ssh-open-world": "001, 003" });
  });

  it("prints the brief in Korean", async () => {
    const r = await lab(["brief", "tgw-default-route", "--lang", "ko"]);
    expect(r.code).toBe(0);
    expect(r.out).toContain("VPC02의 인터넷 연결 장애");
    expect(r.out).toContain("채점 기준:");
    // AND it tells the student that damage elsewhere in the lab is graded too
    expect(r.out).toContain("장애 전에 동작하던 것은 모두 계속 동작해야 합니다");
  });

  it.each([
    [["brief", "no-such-scenario"], 'Unknown scenario "no-such-scenario"; valid scenarios: tgw-default-route, alb-target-stopped'],
    [["brief", "cpu-alarm", "--lang", "fr"], "argument 'fr' is invalid. Allowed choices are en, ko."],
    [["brief", "cpu-alarm", "--hints", "-1"], "--hints must be a whole number from 0 to 2"],
    [["inject", "nope"], 'Unknown scenario "nope"'],
    [["check", "cpu-alarm", "--report", "pdf"], 'Unknown report format "pdf"; valid formats: md, json, junit.'],
    [["check", "cpu-alarm", "--lab", "s99"], 'Unknown lab "s99"; the config lists: s01.'],
    [["check", "cpu-alarm", "--lab", "s01", "--all"], "Give either --lab ID or --all, not both."],
    [["explain", "--from", "Nope", "--to", "internet"], 'Unknown instance "Nope"; valid instances:'],
    [["explain", "--from", "VPC02-Private-A-10.2.20.101", "--to", "somewhere"], 'Unknown destination "somewhere"'],
    [["explain", "--from", "VPC02-Private-A-10.2.20.101", "--to", "internet", "--port", "http"], '--port must be a number from 1 to 65535; got "http".'],
    [["explain", "--from", "VPC02-Private-A-10.2.20.101", "--to", "internet", "--port", "0"], '--port must be a number from 1 to 65535; got "0".'],
    [["explain", "--from", "VPC02-Private-A-10.2.20.101", "--to", "internet", "--port", "65536"], '--port must be a number from 1 to 65535; got "65536".'],
    [["explain", "--from", "VPC02-Private-A-10.2.20.101", "--to", "10.11.20.101:99999"], 'The port in --to "10.11.20.101:99999" must be a number from 1 to 65535; got "99999".'],
    [["diagram", "--out", "/nonexistent/dir/x.mmd"], "--out /nonexistent/dir/x.mmd: the folder /nonexistent/dir does not exist; create it first or give another path (or - for stdout)."],
    [["frobnicate"], "unknown command 'frobnicate'"],
  ])("refuses %j with exit 2 and names the bad value", async (args, message) => {
    const r = await lab(args as string[]);
    expect(r.code).toBe(2);
    expect(r.err).toContain(message);
    // AND nothing was created: no simulated lab state for a refused command
    expect(existsSync(join(r.cwd, "state", "s01", "state.json"))).toBe(false);
  });
});

describe("the offline walk-through", () => {
  it("injects, fails the check with evidence, explains, solves, passes, resets", async () => {
    const cwd = mkdtempSync(join(tmpdir(), "netlab-cli-"));
    expect((await lab(["inject", "tgw-default-route"], cwd)).code).toBe(0);
    // a second inject of an active scenario is refused with exit 1, ledger unchanged
    const again = await lab(["inject", "tgw-default-route"], cwd);
    expect(again.code).toBe(1);
    expect(again.err).toContain('Scenario "tgw-default-route" is already injected in lab s01');
    const failed = await lab(["check", "tgw-default-route", "--json"], cwd);
    expect(failed.code).toBe(1);
    const grade = JSON.parse(failed.out);
    expect(Object.keys(grade)).toEqual(["scenario", "lab", "score", "status", "checks", "collateral", "steadyState"]);
    expect(grade).toMatchObject({ status: "fail", collateral: [], steadyState: { status: "same" } });
    expect(grade).toMatchObject({ scenario: "tgw-default-route", lab: "s01", score: 0 });
    expect(grade.checks[0]).toMatchObject({ id: "vpc02-a-reaches-internet-via-dmz-nat", status: "fail" });
    expect(grade.checks[0].evidence).toContain("VPC02-Private-Subnet-A-RT");
    expect(typeof grade.checks[0].hint).toBe("string");
    const explain = await lab(["explain", "--from", "VPC02-Private-A-10.2.20.101", "--to", "internet", "--json", "--current-state"], cwd);
    expect(explain.code).toBe(1);
    expect(JSON.parse(explain.out)).toMatchObject({ reachable: false, blockedBy: { component: "VPC02-Private-Subnet-A-RT", reason: "NO_ROUTE" }, egressIp: null });
    const status = await lab(["status", "--json"], cwd);
    expect(JSON.parse(status.out)[0].active.map((a: { scenario: string }) => a.scenario)).toEqual(["tgw-default-route"]);
    expect((await lab(["solve", "tgw-default-route"], cwd)).code).toBe(0);
    expect((await lab(["check", "tgw-default-route"], cwd)).code).toBe(0);
    const reset = await lab(["reset", "tgw-default-route"], cwd);
    expect(reset.code).toBe(0);
    expect(reset.out).toContain("skip create route 0.0.0.0/0");
    const noop = await lab(["reset", "tgw-default-route"], cwd);
    expect(noop.out).toContain("tgw-default-route is not active; nothing to reset");
  });

  it("prints a dry run without changing the lab", async () => {
    const cwd = mkdtempSync(join(tmpdir(), "netlab-cli-"));
    const r = await lab(["inject", "alb-port-mismatch", "--dry-run"], cwd);
    expect(r.code).toBe(0);
    expect(r.out).toContain("dry run of alb-port-mismatch — nothing was changed");
    expect(r.out).toContain("undo: register DMZVPC-Private-A-10.11.20.102:80 in DMZVPC-TG-web");
    expect(JSON.parse((await lab(["status", "--json"], cwd)).out)[0].active).toEqual([]);
  });

  it("explains the reachable path with the contract's exact keys", async () => {
    const r = await lab(["explain", "--from", "VPC02-Private-A-10.2.20.101", "--to", "internet", "--json"]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.out);
    expect(Object.keys(out)).toEqual(["reachable", "hops", "blockedBy", "egressIp"]);
    expect(out.hops.map((h: { kind: string }) => h.kind)).toContain("nat-gateway");
    expect(Object.keys(out.hops[0])).toEqual(["component", "kind"]);
    expect(out.blockedBy).toBeNull();
    expect(out.egressIp).toMatch(/^203\.0\.113\./);
  });

  it("explains a blocked path with the contract's exact keys, blockedBy included (exit 1)", async () => {
    // GIVEN an address of VPC02 that nothing holds / WHEN explained as JSON
    const r = await lab(["explain", "--from", "VPC02-Private-A-10.2.20.101", "--to", "10.2.20.250:80", "--json"]);
    // THEN exit 1, and exactly the contract's keys at each level: no detail in the JSON
    expect(r.code).toBe(1);
    const out = JSON.parse(r.out);
    expect(Object.keys(out)).toEqual(["reachable", "hops", "blockedBy", "egressIp"]);
    expect(Object.keys(out.blockedBy)).toEqual(["component", "reason"]);
    expect(out).toMatchObject({ reachable: false, blockedBy: { component: "VPC02-Private-Subnet-A-RT", reason: "UNKNOWN_DESTINATION" }, egressIp: null });
    for (const h of out.hops) expect(Object.keys(h)).toEqual(["component", "kind"]);
  });

  it("says it cannot tell, with exit 3, when the path goes through something it does not model", async () => {
    // GIVEN Batfish's test-public-private-subnet, whose private subnet sends 0.0.0.0/0 to a VPN gateway
    const cwd = mkdtempSync(join(tmpdir(), "netlab-cli-"));
    const io = bufferIo({ cwd });
    const fixture = join(__dirname, "../../../shared/fixtures/batfish-aws/test-public-private-subnet");
    // WHEN explained from the saved state
    const code = await run(["explain", "--aws-configs", fixture, "--from", "i-099cf38911942421c", "--to", "internet"], io);
    // THEN inconclusive (3), not "NOT reachable" (1), and the reason says why
    expect(code).toBe(3);
    expect(io.stdout).toContain("i-099cf38911942421c → internet: cannot tell");
    expect(io.stdout).toContain("UNMODELED_TARGET");
    expect(io.stdout).toContain("netlab does not model virtual private gateways");
  });

  it("refuses a --out that is a folder, and names a file it cannot write, with exit 2", async () => {
    const folder = await lab(["diagram", "--out", tmpdir()]);
    expect(folder.code).toBe(2);
    expect(folder.err).toContain(`--out ${tmpdir()} is a folder; give a file path such as ${join(tmpdir(), "lab.mmd")}.`);
    // /proc takes no new files, whoever runs the test
    const unwritable = await lab(["diagram", "--out", "/proc/netlab.mmd"]);
    expect(unwritable.code).toBe(2);
    expect(unwritable.err).toContain("Cannot write the diagram to /proc/netlab.mmd: ENOENT; give --out a writable file path (or - for stdout).");
  });

  it("writes a Mermaid diagram", async () => {
    const r = await lab(["diagram"]);
    expect(r.code).toBe(0);
    const text = readFileSync(join(r.cwd, "netlab-s01.mmd"), "utf8");
    expect(text.startsWith("flowchart LR")).toBe(true);
    expect(text).toContain('["VPC02 10.2.0.0/16"]');
  });

  it("rehearses with the JSON contract, exactly: scenario, ok, steps of step and checks of id and status", async () => {
    // GIVEN a fresh simulated lab / WHEN two scenarios are rehearsed with --json
    const r = await lab(["rehearse", "flow-logs-off", "cpu-alarm", "--json"]);
    // THEN exit 0, and every object has exactly the contract's keys, with its types
    expect(r.code).toBe(0);
    const out = JSON.parse(r.out) as Record<string, unknown>[];
    expect(out.map((x) => [x.scenario, x.ok])).toEqual([
      ["flow-logs-off", true],
      ["cpu-alarm", true],
    ]);
    for (const x of out) {
      expect(Object.keys(x)).toEqual(["scenario", "ok", "steps"]);
      const steps = x.steps as Record<string, unknown>[];
      expect(steps.map((s) => s.step)).toEqual(["baseline", "inject", "solve", "reset"]);
      for (const s of steps) {
        expect(Object.keys(s)).toEqual(["step", "checks", "collateral"]);
        expect(s.collateral).toEqual([]);
        for (const c of s.checks as Record<string, unknown>[]) {
          expect(Object.keys(c)).toEqual(["id", "status"]);
          expect(["pass", "fail", "inconclusive"]).toContain(c.status);
        }
      }
    }
  });

  it("stops a scenario at a failed baseline, goes on with the next, and exits 1", async () => {
    // GIVEN a lab whose VPC02-A default route was deleted outside netlab (no ledger entry)
    const cwd = mkdtempSync(join(tmpdir(), "netlab-cli-"));
    const cloud = await openSimLab(join(cwd, "state"));
    await cloud.apply({ kind: "delete-route", routeTable: "VPC02-Private-Subnet-A-RT", destination: "0.0.0.0/0" });
    await cloud.close();
    // WHEN tgw-default-route and flow-logs-off are rehearsed
    const r = await lab(["rehearse", "tgw-default-route", "flow-logs-off", "--json"], cwd);
    // THEN each stops after its baseline (nothing injected): tgw-default-route on its checks, flow-logs-off on the
    // lab's steady state (the missing route is collateral damage to it), and the JSON names the broken component
    expect(r.code).toBe(1);
    const out = JSON.parse(r.out) as { scenario: string; ok: boolean; steps: { step: string; collateral: { component: string }[] }[] }[];
    expect(out.map((x) => [x.scenario, x.ok, x.steps.map((s) => s.step)])).toEqual([
      ["tgw-default-route", false, ["baseline"]],
      ["flow-logs-off", false, ["baseline"]],
    ]);
    expect(out[1].steps[0].collateral.map((c) => c.component)).toContain("VPC02-Private-Subnet-A-RT");
    expect(JSON.parse((await lab(["status", "--json"], cwd)).out)[0].active).toEqual([]);
    // AND the human output says where it stopped
    const text = await lab(["rehearse", "tgw-default-route"], cwd);
    expect(text.out).toContain("the rehearsal of this scenario stops here: nothing was injected");
  });

  it("refuses --json over several labs (its contract has no lab field), before opening any", async () => {
    const cwd = mkdtempSync(join(tmpdir(), "netlab-cli-"));
    writeFileSync(join(cwd, "netlab.config.json"), JSON.stringify({ participants: [{ id: "s01" }, { id: "s02" }] }));
    const r = await lab(["rehearse", "cpu-alarm", "--all", "--json"], cwd);
    expect(r.code).toBe(2);
    expect(r.err).toContain("rehearse --json reports on one lab (its JSON has no lab field); give --lab ID, once per lab: s01, s02.");
    expect(existsSync(join(cwd, "state"))).toBe(false);
  });

  it("refuses to rehearse on a lab with an active fault", async () => {
    const cwd = mkdtempSync(join(tmpdir(), "netlab-cli-"));
    await lab(["inject", "cpu-alarm"], cwd);
    const r = await lab(["rehearse", "cpu-alarm"], cwd);
    expect(r.code).toBe(1);
    expect(r.err).toContain("rehearse needs a lab with no active fault, and lab s01 has cpu-alarm");
  });
});

describe("config errors", () => {
  it("names the bad field and value, exit 2, nothing changed", async () => {
    const cwd = mkdtempSync(join(tmpdir(), "netlab-cli-"));
    writeFileSync(join(cwd, "netlab.config.json"), JSON.stringify({ participants: [{ id: "Student 1" }] }));
    const r = await lab(["inject", "cpu-alarm"], cwd);
    expect(r.code).toBe(2);
    expect(r.err).toContain('field "participants.0.id" is "Student 1": must be 1–20 characters of a-z, 0-9 and -.');
    expect(existsSync(join(cwd, "state"))).toBe(false);
  });

  it("refuses a corrupt simulated state without replacing it", async () => {
    const cwd = mkdtempSync(join(tmpdir(), "netlab-cli-"));
    await lab(["status"], cwd);
    const path = join(cwd, "state", "s01", "state.json");
    writeFileSync(path, "{ broken");
    const r = await lab(["inject", "cpu-alarm"], cwd);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`The simulated lab state ${path} is corrupt`);
    expect(readFileSync(path, "utf8")).toBe("{ broken");
  });

  it("says when the synth dir is missing", async () => {
    const io = bufferIo({ cwd: mkdtempSync(join(tmpdir(), "netlab-cli-")) });
    const code = await run(["status", "--offline", "--synth-dir", "/nonexistent/cdktf.out", "--state-dir", join(io.cwd, "s")], io);
    expect(code).toBe(2);
    expect(io.stderr).toContain("The synth directory /nonexistent/cdktf.out does not exist; run `npx cdktf synth` or pass --synth-dir.");
  });
});

describe("--synth-dir without --offline", () => {
  it("analyzes that synth offline: a synth dir only describes the simulated lab, so nothing goes to AWS", async () => {
    // GIVEN no AWS credentials at all (every SDK call would fail), and a synth dir
    const cwd = mkdtempSync(join(tmpdir(), "netlab-cli-"));
    const io = bufferIo({ cwd, env: { AWS_ACCESS_KEY_ID: "", AWS_PROFILE: "netlab-test-no-such-profile" } });
    // WHEN explain is given --synth-dir but not --offline
    const code = await run(["explain", "--synth-dir", synthDir, "--state-dir", join(cwd, "state"), "--from", "VPC02-Private-A-10.2.20.101", "--to", "internet", "--json"], io);
    // THEN it answers from the synthesized lab
    expect(io.stderr).toBe("");
    expect(code).toBe(0);
    expect(JSON.parse(io.stdout)).toMatchObject({ reachable: true, egressIp: "203.0.113.10" });
  });
});

describe("an AWS error in a one-lab verb", () => {
  it("names the lab it happened in, also when --lab was not given", async () => {
    // GIVEN a config whose one participant has a profile that does not exist
    const cwd = mkdtempSync(join(tmpdir(), "netlab-cli-"));
    writeFileSync(join(cwd, "netlab.config.json"), JSON.stringify({ participants: [{ id: "s07", profile: "netlab-profile-that-does-not-exist" }] }));
    const saved = { ...process.env };
    Object.assign(process.env, { AWS_CONFIG_FILE: join(cwd, "none"), AWS_SHARED_CREDENTIALS_FILE: join(cwd, "none"), AWS_EC2_METADATA_DISABLED: "true" });
    try {
      // WHEN explain goes to AWS without --lab
      const io = bufferIo({ cwd, env: process.env });
      const code = await run(["explain", "--from", "VPC02-Private-A-10.2.20.101", "--to", "internet"], io);
      // THEN the sentence names s07, not a placeholder
      expect(code).toBe(2);
      expect(io.stderr).toContain("No AWS credentials for lab s07:");
    } finally {
      process.env = saved;
    }
  });
});
