import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DescribeVpcsCommand, EC2Client } from "@aws-sdk/client-ec2";
import { ElasticLoadBalancingV2Client } from "@aws-sdk/client-elastic-load-balancing-v2";
import { Route53Client } from "@aws-sdk/client-route-53";
import { GetParameterCommand, GetParametersByPathCommand, SSMClient } from "@aws-sdk/client-ssm";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { mockClient } from "aws-sdk-client-mock";
import { bufferIo } from "../../cli/io";
import { run } from "../../cli/run";
import { SimStateStore } from "../../cloud/sim/state-store";
import { labSynthDir } from "../helpers/lab";

/** A simulated lab whose ledger holds `entry` under `scenario`, written as a hand edit or a bad tool would. */
async function simLabWith(scenario: string, entry: unknown) {
  const cwd = mkdtempSync(join(tmpdir(), "netlab-ledger-"));
  const stateDir = join(cwd, "state");
  await run(["status", "--offline", "--synth-dir", await labSynthDir(), "--state-dir", stateDir], bufferIo({ cwd }));
  const store = new SimStateStore(stateDir, "s01");
  store.lock();
  const state = store.read();
  (state.ledger as Record<string, unknown>)[scenario] = entry;
  store.write(state);
  store.unlock();
  return { cwd, stateDir, statePath: store.statePath, before: readFileSync(store.statePath, "utf8") };
}

async function labOffline(p: { cwd: string; stateDir: string }, args: string[]) {
  const io = bufferIo({ cwd: p.cwd });
  const code = await run([...args, "--offline", "--synth-dir", await labSynthDir(), "--state-dir", p.stateDir], io);
  return { code, out: io.stdout, err: io.stderr };
}

/** tgw-default-route's entry whose inverse lost its destination and target, as a bad hand edit leaves it. */
const LOST_FIELDS = {
  scenario: "tgw-default-route",
  lab: "s01",
  injectedAt: "2026-11-24T10:00:00.000Z",
  by: "alice@host",
  changes: [{ kind: "delete-route", routeTable: "VPC02-Private-Subnet-A-RT", destination: "0.0.0.0/0" }],
  inverses: [{ kind: "create-route", routeTable: "VPC02-Private-Subnet-A-RT" }],
};
const clearBy = (statePath: string, scenario: string) => `clear the entry: remove "${scenario}" from the "ledger" object of ${statePath} while no lab command runs.`;

describe("a corrupt ledger entry on the simulated lab: exit 2, named, nothing changed", () => {
  it("B30 an inverse without its fields: reset names the fields instead of crashing", async () => {
    // GIVEN tgw-default-route's entry with an inverse that lost its destination and target
    const p = await simLabWith("tgw-default-route", LOST_FIELDS);
    // WHEN that scenario, then every fault, is reset
    for (const args of [["reset", "tgw-default-route"], ["reset"]]) {
      const r = await labOffline(p, args);
      // THEN exit 2, a sentence that names the lab, the scenario, the file, the fields and how to clear it; the state is byte for byte the same
      expect(r.code).toBe(2);
      expect(r.err).toContain(`lab s01: error: The ledger entry "tgw-default-route" in ${p.statePath} cannot be read (not a netlab ledger entry): inverses.0.destination: Required; inverses.0.target: Required.`);
      expect(r.err).toContain('It is the record of scenario "tgw-default-route" in lab s01, and it was left as it is; nothing was changed.');
      // (the hint keeps the flags that chose this lab: pasted, it checks the same simulated lab)
      expect(r.err).toContain(`Check the lab by hand first (\`lab check tgw-default-route --lab s01 --offline --synth-dir ${await labSynthDir()} --state-dir ${p.stateDir}\``);
      expect(r.err).toContain(clearBy(p.statePath, "tgw-default-route"));
      expect(r.err).not.toContain("internal error");
      expect(readFileSync(p.statePath, "utf8")).toBe(p.before);
    }
  });

  it("B31 an entry that is not an object: status says so instead of crashing", async () => {
    // GIVEN an entry that is the string "garbage"
    const p = await simLabWith("cpu-alarm", "garbage");
    // WHEN the lab's status is asked / THEN exit 2, named, nothing changed
    const r = await labOffline(p, ["status"]);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`The ledger entry "cpu-alarm" in ${p.statePath} cannot be read (not a netlab ledger entry): the entry: Expected object, received string.`);
    expect(r.err).toContain(clearBy(p.statePath, "cpu-alarm"));
    expect(readFileSync(p.statePath, "utf8")).toBe(p.before);
  });

  it("B32 an entry without its time and author: inject refuses with the reason, never 'since undefined, by undefined'", async () => {
    // GIVEN cpu-alarm's entry without injectedAt and by
    const p = await simLabWith("cpu-alarm", {
      scenario: "cpu-alarm",
      lab: "s01",
      changes: [{ kind: "set-os-state", instance: "VPC02-Private-A-10.2.20.101", key: "cpuLoad", value: true }],
      inverses: [{ kind: "set-os-state", instance: "VPC02-Private-A-10.2.20.101", key: "cpuLoad", value: false }],
    });
    // WHEN cpu-alarm is injected / THEN exit 2, the missing fields named, nothing changed
    const r = await labOffline(p, ["inject", "cpu-alarm"]);
    expect(r.code).toBe(2);
    expect(r.err).toContain("(not a netlab ledger entry): injectedAt: Required; by: Required.");
    expect(r.err).not.toContain("undefined");
    expect(readFileSync(p.statePath, "utf8")).toBe(p.before);
  });
  it("B35 a corrupt entry does not stop a check: the lab is graded as it is, and the entry stays", async () => {
    // GIVEN tgw-default-route's entry with a broken inverse (its fault was never applied)
    const p = await simLabWith("tgw-default-route", LOST_FIELDS);
    // WHEN the lab is checked, as the corrupt-ledger message advises
    const r = await labOffline(p, ["check", "tgw-default-route"]);
    // THEN it grades the lab (every route is there: pass), and the state file is untouched
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    expect(r.out).toContain("lab s01 · tgw-default-route · score 100% · PASS");
    expect(readFileSync(p.statePath, "utf8")).toBe(p.before);
  });
});

describe("a corrupt ledger entry in Parameter Store: exit 2, named, no mutating call", () => {
  const ssm = mockClient(SSMClient);
  const ec2 = mockClient(EC2Client);
  const sts = mockClient(STSClient);
  const elbv2 = mockClient(ElasticLoadBalancingV2Client);
  const route53 = mockClient(Route53Client);
  const mocks = [ssm, ec2, sts, elbv2, route53];
  beforeEach(() => {
    mocks.forEach((m) => m.reset());
    // The account holds lab s01 (the VPC carries its tag).
    sts.on(GetCallerIdentityCommand).resolves({ Account: "123456789012" });
    ec2.on(DescribeVpcsCommand).resolves({ Vpcs: [{ VpcId: "vpc-1", Tags: [{ Key: "netlab:lab", Value: "s01" }] }] });
  });
  afterAll(() => mocks.forEach((m) => m.restore()));

  /** Every call any client made was a read. */
  const onlyReads = () => mocks.flatMap((m) => m.calls().map((c) => (c.args[0] as object).constructor.name)).filter((n) => !/^(Describe|Get|List|Search)/.test(n));

  async function labOnAws(args: string[]) {
    const cwd = mkdtempSync(join(tmpdir(), "netlab-ledger-"));
    const io = bufferIo({ cwd });
    const code = await run(args, io);
    return { code, out: io.stdout, err: io.stderr };
  }

  it("B33 GetParameter returns an entry whose inverse lost its fields: reset stops before any change", async () => {
    // GIVEN tgw-default-route's parameter with a broken inverse
    const value = JSON.stringify(LOST_FIELDS);
    ssm.on(GetParameterCommand).resolves({ Parameter: { Name: "/netlab/s01/ledger/tgw-default-route", Value: value } });
    // WHEN reset on AWS
    const r = await labOnAws(["reset", "tgw-default-route", "--lab", "s01"]);
    // THEN exit 2, the parameter and how to delete it named, and no call changed anything
    expect(r.code).toBe(2);
    expect(r.err).toContain("lab s01: error: The ledger entry /netlab/s01/ledger/tgw-default-route cannot be read (not a netlab ledger entry): inverses.0.destination: Required; inverses.0.target: Required.");
    expect(r.err).toContain("clear the entry: aws ssm delete-parameter --name /netlab/s01/ledger/tgw-default-route (with lab s01's credentials and region).");
    expect(ssm.commandCalls(GetParameterCommand)).toHaveLength(1);
    expect(onlyReads()).toEqual([]);
  });

  it("B34 GetParametersByPath returns a value that is not JSON: status and reset of every fault stop there", async () => {
    // GIVEN the lab's ledger path holding a truncated value
    ssm.on(GetParametersByPathCommand).resolves({ Parameters: [{ Name: "/netlab/s01/ledger/cpu-alarm", Value: '{"scenario":"cpu-al' }] });
    for (const args of [["status", "--lab", "s01"], ["reset", "--lab", "s01"]]) {
      // WHEN asked / THEN exit 2 naming the parameter, no change
      const r = await labOnAws(args);
      expect(r.code).toBe(2);
      expect(r.err).toContain("The ledger entry /netlab/s01/ledger/cpu-alarm cannot be read (not JSON):");
      expect(r.err).toContain('It is the record of scenario "cpu-alarm" in lab s01');
      expect(onlyReads()).toEqual([]);
    }
  });

  it("B36 the ledger names its faults without reading them: a value that is not JSON still counts as an active fault", async () => {
    // GIVEN the ledger path holding a truncated value and a good one, over two pages
    ssm
      .on(GetParametersByPathCommand)
      .resolvesOnce({ Parameters: [{ Name: "/netlab/s01/ledger/cpu-alarm", Value: '{"scenario":"cpu-al' }], NextToken: "t" })
      .resolvesOnce({ Parameters: [{ Name: "/netlab/s01/ledger/flow-logs-off", Value: "{}" }] });
    const { ParameterStoreLedger } = await import("../../cloud/aws/ledger");
    const ledger = new ParameterStoreLedger({ ssm: new SSMClient({ region: "ap-northeast-2" }) } as never, "s01");
    // WHEN the active scenarios are asked for
    const scenarios = await ledger.scenarios();
    // THEN both are named, from the parameter names under the lab's path, and nothing was parsed or changed
    expect(scenarios).toEqual(["cpu-alarm", "flow-logs-off"]);
    expect(ssm.commandCalls(GetParametersByPathCommand).map((c) => c.args[0].input.Path)).toEqual(["/netlab/s01/ledger/", "/netlab/s01/ledger/"]);
    expect(onlyReads()).toEqual([]);
  });
});
