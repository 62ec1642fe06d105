import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { mkdtempSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runChildProcess } from "../../cli/commands/deploy";
import { bufferIo, type ProgramRunner } from "../../cli/io";
import { run } from "../../cli/run";
import type { Snapshot } from "../../network/snapshot";
import { DEFAULT_QUOTAS, RAISED_QUOTAS } from "../helpers/class-transcript";
import { labSnapshot } from "../helpers/lab";
import { mockLabAccount, type MockedAccount } from "../helpers/aws-lab-mock";
import { mockEveryClient } from "../helpers/mocked-clients";

// `lab deploy`: preflight first, then `cdktf deploy` of the participants' stacks. cdktf never runs here:
// the Io's runProgram records what would have been run. Each account is the stateful mocked one.

interface Ran {
  command: string;
  args: readonly string[];
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
}

let cwd: string;
let account: MockedAccount | undefined;
beforeEach(() => {
  cwd = realpathSync(mkdtempSync(join(tmpdir(), "netlab-deploy-")));
});
afterEach(() => {
  account?.restore();
  account = undefined;
  rmSync(cwd, { recursive: true, force: true });
});

function config(participants: object[] = [{ id: "s01", profile: "netlab-s01" }], extra: object = {}, file = "netlab.config.json"): void {
  writeFileSync(join(cwd, file), JSON.stringify({ region: "ap-northeast-2", participants, ...extra }));
}

/** Runs `lab …` with a recording runner that answers `status` (or throws `fails`). */
async function lab(argv: string[], runner: { status?: number; fails?: Error } = {}) {
  const ran: Ran[] = [];
  const runProgram: ProgramRunner = async (command, args, options) => {
    ran.push({ command, args, cwd: options.cwd, env: options.env });
    if (runner.fails) throw runner.fails;
    return runner.status ?? 0;
  };
  const io = bufferIo({ cwd, runProgram, env: { PATH: "/usr/bin" } });
  const code = await run(argv, io);
  return { code, out: io.stdout, err: io.stderr, ran };
}

const mutations = () => account!.mutations();

describe("lab deploy: preflight first", () => {
  it("stops on a full VPC quota (the default VPC counts): exit 1 with the ways out, cdktf never runs, nothing changes", async () => {
    // GIVEN an account with its default VPC and AWS's default quota of 5 VPCs
    config();
    account = mockLabAccount([], { defaultVpc: true, serviceQuotas: DEFAULT_QUOTAS });
    // WHEN the instructor deploys
    const r = await lab(["deploy", "--lab", "s01", "--auto-approve"]);
    // THEN refused with the quota and the ways out; nothing ran, nothing changed
    expect(r.code).toBe(1);
    expect(r.out).toContain("  FULL VPCs per Region: 1 in use + 5 needed, limit 5");
    expect(r.out).toContain("way out: Delete the default VPC of ap-northeast-2");
    expect(r.out).toContain("way out: Ask for more VPCs: aws service-quotas request-service-quota-increase --service-code vpc --quota-code L-F678F1CE --desired-value 6");
    expect(r.err).toContain("refused: nothing was deployed: preflight found a problem (see above); fix it, or deploy the labs that fit with --lab ID.");
    expect(r.ran).toEqual([]);
    expect(mutations()).toEqual([]);
  });

  it("once the lab fits, runs cdktf deploy of the participant's stacks, core first, with --auto-approve passed through; exit 0", async () => {
    // GIVEN the same account after a VPC quota increase
    config();
    account = mockLabAccount([], { defaultVpc: true, serviceQuotas: RAISED_QUOTAS });
    // WHEN deployed with --auto-approve
    const r = await lab(["deploy", "--lab", "s01", "--auto-approve"]);
    // THEN the project's own cdktf deployed both stacks, in the project, with this config and no telemetry
    expect(r.code).toBe(0);
    expect(r.ran).toHaveLength(1);
    expect(r.ran[0]).toEqual({
      command: "npx",
      args: ["--no", "cdktf", "deploy", "netlab-s01-core", "netlab-s01-natinstance", "--auto-approve"],
      cwd,
      env: expect.objectContaining({ NETLAB_CONFIG: join(cwd, "netlab.config.json"), CHECKPOINT_DISABLE: "1", PATH: "/usr/bin" }),
    });
    // AND the preflight report and the cost estimate came first
    expect(r.out).toMatch(/region ap-northeast-2 — ready[\s\S]*per participant[\s\S]*deploying netlab-s01-core, netlab-s01-natinstance: npx --no cdktf deploy/);
    // AND netlab itself changed nothing in the account (cdktf does the deploy)
    expect(mutations()).toEqual([]);
  });

  it("without --auto-approve, cdktf asks for approval itself (no flag is passed)", async () => {
    config();
    account = mockLabAccount([], { serviceQuotas: RAISED_QUOTAS });
    const r = await lab(["deploy"]);
    expect(r.code).toBe(0);
    expect(r.ran[0].args).toEqual(["--no", "cdktf", "deploy", "netlab-s01-core", "netlab-s01-natinstance"]);
  });

  it('deploys only the variants of the config ("variants": ["core"])', async () => {
    config(undefined, { variants: ["core"] });
    account = mockLabAccount([], { defaultVpc: true, serviceQuotas: DEFAULT_QUOTAS });
    // GIVEN 4 VPCs needed + the default VPC = 5: it fits the default quota
    const r = await lab(["deploy", "--auto-approve"]);
    expect(r.code).toBe(0);
    expect(r.ran[0].args).toEqual(["--no", "cdktf", "deploy", "netlab-s01-core", "--auto-approve"]);
  });

  it("--config names the config cdktf synthesizes from (NETLAB_CONFIG, absolute)", async () => {
    config(undefined, {}, "class-b.json");
    account = mockLabAccount([], { serviceQuotas: RAISED_QUOTAS });
    const r = await lab(["deploy", "--config", "class-b.json"]);
    expect(r.code).toBe(0);
    expect(r.ran[0].env.NETLAB_CONFIG).toBe(join(cwd, "class-b.json"));
  });

  it("refuses two participants whose credentials reach one account: exit 1, cdktf never runs", async () => {
    // GIVEN two participants (different profiles) that both land in account 123456789012
    config([
      { id: "s01", profile: "a" },
      { id: "s02", profile: "b" },
    ]);
    account = mockLabAccount([], { serviceQuotas: RAISED_QUOTAS });
    const r = await lab(["deploy", "--all", "--auto-approve"]);
    expect(r.code).toBe(1);
    expect(r.err).toContain("refused: Participants s01, s02 reach the same AWS account 123456789012 in ap-northeast-2");
    expect(r.ran).toEqual([]);
  });

  it("cdktf failing: exit 1, says what is left and how to go on", async () => {
    config();
    account = mockLabAccount([], { serviceQuotas: RAISED_QUOTAS });
    const r = await lab(["deploy", "--auto-approve"], { status: 1 });
    expect(r.code).toBe(1);
    expect(r.err).toContain("failed: cdktf deploy exited with 1 (its output is above). What it created stays; run lab deploy again to finish, or npx cdktf destroy to remove it.");
  });

  it("cdktf missing: exit 2, says to install the project", async () => {
    config();
    account = mockLabAccount([], { serviceQuotas: RAISED_QUOTAS });
    const r = await lab(["deploy"], { fails: Object.assign(new Error("spawn npx ENOENT"), { code: "ENOENT" }) });
    expect(r.code).toBe(2);
    expect(r.err).toContain(`error: cdktf could not be started (spawn npx ENOENT): run npm ci in ${cwd}`);
  });

  it("--offline is refused (exit 2): a deploy creates AWS resources", async () => {
    config();
    const r = await lab(["deploy", "--offline"]);
    expect(r.code).toBe(2);
    expect(r.err).toContain("deploy checks real AWS accounts; it has no --offline mode.");
    expect(r.ran).toEqual([]);
  });

  it("an unknown lab is bad input (exit 2), naming the valid ones; nothing runs", async () => {
    config();
    const r = await lab(["deploy", "--lab", "s99"]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('Unknown lab "s99"; the config lists: s01.');
    expect(r.ran).toEqual([]);
  });
});

describe("lab deploy: credentials", () => {
  it("expired credentials: exit 2, cdktf never runs", async () => {
    // GIVEN credentials STS rejects
    config();
    const mocks = mockEveryClient();
    try {
      mocks.sts.on(GetCallerIdentityCommand).rejects(Object.assign(new Error("The security token included in the request is expired"), { name: "ExpiredToken", $fault: "client", $metadata: { httpStatusCode: 403 } }));
      // WHEN deployed
      const r = await lab(["deploy", "--auto-approve"]);
      // THEN exit 2 with the way out, and nothing ran
      expect(r.code).toBe(2);
      expect(r.err).toContain("have expired or are not valid");
      expect(r.err).toContain("refused: nothing was deployed: a lab's account could not be read (see above).");
      expect(r.ran).toEqual([]);
    } finally {
      mocks.all.forEach((m) => m.restore());
    }
  });
});

describe("lab deploy --diff: a plan that is sane before core is applied", () => {
  /** The synthesized lab with only its core stack's VPCs (the NAT instance stack not deployed). */
  async function coreOnly(): Promise<Snapshot> {
    const s = await labSnapshot();
    s.vpcs = s.vpcs.filter((v) => v.name !== "NATInstance-VPC1");
    return s;
  }

  it("nothing deployed yet: plans core only, and says why the natinstance stack is not planned; a full quota does not stop a plan", async () => {
    // GIVEN an empty account with its default VPC and the default quota (a deploy would not fit)
    config();
    account = mockLabAccount([], { defaultVpc: true, serviceQuotas: DEFAULT_QUOTAS });
    // WHEN the instructor asks for a plan
    const r = await lab(["deploy", "--diff", "--auto-approve"]);
    // THEN cdktf diff of the core stack only; the natinstance stack's lookups would fail without core
    expect(r.code).toBe(0);
    expect(r.ran.map((x) => x.args)).toEqual([["--no", "cdktf", "diff", "netlab-s01-core"]]);
    expect(r.err).toContain("netlab-s01-natinstance: not planned: it looks up netlab-s01-core's private zone and flow-log group, which exist only once that stack is applied (lab deploy applies it first).");
    expect(r.out).toContain("FULL VPCs per Region");
    expect(mutations()).toEqual([]);
  });

  it("core deployed: plans both stacks", async () => {
    config();
    account = mockLabAccount([await coreOnly()], { serviceQuotas: RAISED_QUOTAS });
    const r = await lab(["deploy", "--diff"]);
    // THEN one cdktf diff per stack (cdktf diff takes a single stack), core first
    expect(r.code).toBe(0);
    expect(r.ran.map((x) => x.args)).toEqual([
      ["--no", "cdktf", "diff", "netlab-s01-core"],
      ["--no", "cdktf", "diff", "netlab-s01-natinstance"],
    ]);
    expect(r.err).not.toContain("not planned");
  });

  it("a diff that fails: exit 1, the other stacks are still planned", async () => {
    config();
    account = mockLabAccount([await coreOnly()], { serviceQuotas: RAISED_QUOTAS });
    const r = await lab(["deploy", "--diff"], { status: 1 });
    expect(r.code).toBe(1);
    expect(r.ran).toHaveLength(2);
    expect(r.err).toContain("failed: cdktf diff netlab-s01-core exited with 1 (its output is above).");
    expect(r.err).toContain("failed: cdktf diff netlab-s01-natinstance exited with 1 (its output is above).");
  });
});

describe("the default runner (a child process)", () => {
  it("resolves with the program's exit code, run in the given directory with the given environment", async () => {
    // GIVEN a program that checks its directory and environment, then exits 3
    const script = `process.exit(process.cwd() === ${JSON.stringify(cwd)} && process.env.NETLAB_X === "1" ? 3 : 9)`;
    // WHEN run
    const code = await runChildProcess(process.execPath, ["-e", script], { cwd, env: { NETLAB_X: "1" } });
    // THEN its exit code comes back
    expect(code).toBe(3);
  });

  it("rejects when the program cannot start", async () => {
    await expect(runChildProcess(join(cwd, "no-such-program"), [], { cwd, env: {} })).rejects.toThrow(/ENOENT/);
  });
});
