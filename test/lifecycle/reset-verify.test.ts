import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createAwsCloud } from "../../cloud/aws/aws-cloud";
import type { Change } from "../../cloud/change";
import { effectOf } from "../../cloud/inverse";
import { applyToSnapshot } from "../../cloud/model-apply";
import type { LabCloud, ProbeRequest } from "../../cloud/port";
import { bufferIo } from "../../cli/io";
import { run } from "../../cli/run";
import { inject } from "../../lifecycle/inject";
import { reset, resetAll } from "../../lifecycle/reset";
import { findScenario } from "../../scenarios";
import { mockLabAccount, type MockedAccount } from "../helpers/aws-lab-mock";
import { labSnapshot, labSynthDir, openSimLab } from "../helpers/lab";

const A_RT = "VPC02-Private-Subnet-A-RT";
const toEni: Change = { kind: "create-route", routeTable: A_RT, destination: "0.0.0.0/0", target: { kind: "instance-eni", instance: "VPC02-Private-B-10.2.24.101" } };

async function withSimLab(fn: (cloud: LabCloud) => Promise<void>, stateDir?: string): Promise<void> {
  const cloud = await openSimLab(stateDir);
  try {
    await fn(cloud);
  } finally {
    await cloud.close();
  }
}

describe("reset checks that the lab is back to its baseline", () => {
  it("says so when a student's wrong repair held an inverse back, keeps that repair and the ledger entry", async () => {
    await withSimLab(async (cloud) => {
      // GIVEN tgw-default-route injected, and a student who routed VPC02-A's default route to an instance of VPC02
      await inject(cloud, findScenario("tgw-default-route"), { by: "t" });
      await cloud.apply(toEni);
      // WHEN reset
      const r = await reset(cloud, "tgw-default-route");
      // THEN it is not restored: the failing check is named, the student's route kept, the entry kept with the reason
      expect(r.status).toBe("not-restored");
      if (r.status !== "not-restored") return;
      expect(r.verification.checks.map((c) => [c.id, c.status])).toEqual([
        ["vpc02-a-reaches-internet-via-dmz-nat", "fail"],
        ["vpc02-b-reaches-internet-via-dmz-nat", "pass"],
      ]);
      expect(r.steps.map((s) => [s.outcome, s.detail])).toEqual([
        ["applied", undefined],
        ["left-as-is", "VPC02-Private-Subnet-A-RT already routes 0.0.0.0/0 to the ENI of VPC02-Private-B-10.2.24.101"],
      ]);
      expect(r.ledger).toBe("kept");
      expect(r.why).toContain("1 of its inverses was held back by a change someone made in its place");
      expect(r.why).toContain("then run `lab reset tgw-default-route --lab s01` again to apply it");
      expect(await cloud.ledger.get("tgw-default-route")).toBeDefined();
      expect(effectOf(await cloud.snapshot(), toEni).state).toBe("in-effect");
      // AND once the instructor removes the student's route, a second reset finishes and verifies
      await cloud.apply({ kind: "delete-route", routeTable: A_RT, destination: "0.0.0.0/0" });
      expect((await reset(cloud, "tgw-default-route")).status).toBe("reset");
      expect(await cloud.ledger.list()).toEqual([]);
    });
  });

  it.each([
    ["to another log group", { kind: "create-flow-log", vpc: "VPC02", logGroup: "/other", trafficType: "ALL" }, "VPC02 already has a flow log to /other (ALL)", "VPC02 (it has ALL to /other)"],
    ["of rejected traffic only", { kind: "create-flow-log", vpc: "VPC02", logGroup: "/aws/vpc/flowlogs", trafficType: "REJECT" }, "VPC02 already has a flow log to /aws/vpc/flowlogs (REJECT)", "VPC02 (it has REJECT to /aws/vpc/flowlogs)"],
  ] as [string, Change, string, string][])("keeps a student's flow log %s, and says the lab is not restored", async (_what, studentLog, kept, missing) => {
    await withSimLab(async (cloud) => {
      // GIVEN flow-logs-off injected, and a student's flow log that is not the one the brief asks for
      await inject(cloud, findScenario("flow-logs-off"), { by: "t" });
      await cloud.apply(studentLog);
      // WHEN reset / THEN the student's log is kept, the check fails on it, the entry is kept
      const r = await reset(cloud, "flow-logs-off");
      expect(r.status).toBe("not-restored");
      if (r.status !== "not-restored") return;
      expect(r.steps[0]).toMatchObject({ outcome: "left-as-is", detail: kept });
      expect(r.verification.checks[0].evidence).toContain(`missing for ${missing}`);
      expect(r.ledger).toBe("kept");
      const s = await cloud.snapshot();
      const vpc02 = s.vpcs.find((v) => v.name === "VPC02")!.id;
      const { logGroup, trafficType } = studentLog as Extract<Change, { kind: "create-flow-log" }>;
      expect(s.flowLogs.filter((f) => f.resourceId === vpc02).map((f) => [f.logGroupName, f.trafficType])).toEqual([[logGroup, trafficType]]);
    });
  });

  it("clears the entry when every inverse is applied but a change the fault did not make still fails a check", async () => {
    await withSimLab(async (cloud) => {
      // GIVEN alb-sg-blocked injected, and a student who opened port 80 to the world instead
      await inject(cloud, findScenario("alb-sg-blocked"), { by: "t" });
      const world: Change = { kind: "authorize-sg-rule", securityGroup: "DMZVPC-PrivateSG", direction: "ingress", rule: { protocol: "tcp", fromPort: 80, toPort: 80, cidr: "0.0.0.0/0" } };
      await cloud.apply(world);
      // WHEN reset
      const r = await reset(cloud, "alb-sg-blocked");
      // THEN the fault is undone, the student's rule kept, the lab reported as not restored, the entry cleared with the reason
      expect(r.status).toBe("not-restored");
      if (r.status !== "not-restored") return;
      expect(r.steps.map((s) => s.outcome)).toEqual(["applied"]);
      expect(r.verification.checks.find((c) => c.status === "fail")).toMatchObject({ id: "web-port-80-not-open-to-world", evidence: expect.stringContaining("DMZVPC-PrivateSG: tcp/80 from 0.0.0.0/0") });
      expect(r.ledger).toBe("cleared");
      expect(r.why).toContain("every change the fault made is undone");
      expect(await cloud.ledger.list()).toEqual([]);
      expect(effectOf(await cloud.snapshot(), world).state).toBe("in-effect");
    });
  });

  it("reports a check that could not run after the reset as not verified", async () => {
    await withSimLab(async (cloud) => {
      // GIVEN tgw-default-route injected, and Session Manager that cannot run any probe (an agent outage, not the network)
      await inject(cloud, findScenario("tgw-default-route"), { by: "t" });
      const offline: LabCloud = Object.assign(Object.create(cloud) as LabCloud, {
        probe: async (requests: readonly ProbeRequest[]) => requests.map((request) => ({ request, ran: false as const, reason: "the SSM agent is not Online" })),
      });
      // WHEN reset / THEN both routes are back, but the lab is not verified; nothing was held back, so the entry is cleared
      const r = await reset(offline, "tgw-default-route");
      expect(r.status).toBe("unverified");
      expect(r.status === "unverified" && r.ledger).toBe("cleared");
    });
  });

  it("reports an instance a student stopped meanwhile as collateral damage, and leaves it stopped", async () => {
    await withSimLab(async (cloud) => {
      // GIVEN tgw-default-route injected, and a VPC01 instance stopped meanwhile (nothing the fault did)
      await inject(cloud, findScenario("tgw-default-route"), { by: "t" });
      await cloud.apply({ kind: "stop-instance", instance: "VPC01-Private-B-10.1.24.101" });
      // WHEN reset
      const r = await reset(cloud, "tgw-default-route");
      // THEN the routes are back and the checks pass, but the lab is not restored: the stopped instance is named as collateral
      expect(r.status).toBe("not-restored");
      if (r.status !== "not-restored") return;
      expect(r.verification.checks.every((c) => c.status === "pass")).toBe(true);
      expect(r.verification.collateral.length).toBeGreaterThan(0);
      expect(new Set(r.verification.collateral.map((c) => `${c.component} ${c.reason}`))).toEqual(new Set(["VPC01-Private-B-10.1.24.101 INSTANCE_NOT_RUNNING"]));
      expect(r.ledger).toBe("cleared");
      // AND reset changed nothing the ledger does not name: the instance is still stopped
      expect((await cloud.snapshot()).instances.find((i) => i.name === "VPC01-Private-B-10.1.24.101")?.state).toBe("stopped");
    });
  });

  it("verifies each scenario of resetAll once every fault is undone, and names the faults still active when one fails", async () => {
    await withSimLab(async (cloud) => {
      // GIVEN alb-target-stopped then alb-sg-blocked injected (alb-sg-blocked's checks need the stopped target back)
      await inject(cloud, findScenario("alb-target-stopped"), { by: "t" });
      await inject(cloud, findScenario("alb-sg-blocked"), { by: "t", now: new Date(Date.now() + 1000) });
      // WHEN every fault is reset / THEN both verify
      expect((await resetAll(cloud)).map((r) => [r.scenario, r.status])).toEqual([
        ["alb-sg-blocked", "reset"],
        ["alb-target-stopped", "reset"],
      ]);
      // AND a single reset while another fault is still in says that it may be the cause
      await inject(cloud, findScenario("alb-target-stopped"), { by: "t" });
      await inject(cloud, findScenario("alb-sg-blocked"), { by: "t" });
      const r = await reset(cloud, "alb-sg-blocked");
      expect(r.status === "not-restored" && r.why).toContain("other faults are still active in lab s01: alb-target-stopped; they may be what fails");
    });
  });

  it("skips verification with verify: false", async () => {
    await withSimLab(async (cloud) => {
      await inject(cloud, findScenario("tgw-default-route"), { by: "t" });
      await cloud.apply(toEni);
      const r = await reset(cloud, "tgw-default-route", { verify: false });
      expect(r).toMatchObject({ status: "reset", verification: { status: "skipped", reason: "not verified (--no-verify)" } });
    });
  });
});

describe("lab reset on the command line", () => {
  async function lab(args: string[], cwd: string) {
    const io = bufferIo({ cwd });
    const code = await run([...args, "--offline", "--synth-dir", await labSynthDir(), "--state-dir", join(cwd, "state")], io);
    return { code, out: io.stdout, err: io.stderr };
  }

  it("exits 1 and says which check fails and what was kept; --no-verify exits 0", async () => {
    // GIVEN tgw-default-route injected and the student's route to an instance
    const cwd = mkdtempSync(join(tmpdir(), "netlab-cli-"));
    expect((await lab(["inject", "tgw-default-route"], cwd)).code).toBe(0);
    await withSimLab((cloud) => cloud.apply(toEni), join(cwd, "state"));
    // WHEN reset / THEN exit 1 with the failing check, the kept change and what became of the ledger
    const r = await lab(["reset", "tgw-default-route"], cwd);
    expect(r.code).toBe(1);
    expect(r.out).toContain("lab s01: reset tgw-default-route — NOT BACK TO ITS BASELINE: a check fails after the reset");
    expect(r.out).toContain("FAIL vpc02-a-reaches-internet-via-dmz-nat: expected HTTP 200 from VPC02-Private-A-10.2.20.101 to the internet");
    expect(r.out).toContain("Kept as it is (someone's change, never undone by reset): VPC02-Private-Subnet-A-RT already routes 0.0.0.0/0 to the ENI of VPC02-Private-B-10.2.24.101.");
    expect(r.out).toContain("The ledger entry is kept: 1 of its inverses was held back");
    const json = JSON.parse((await lab(["reset", "tgw-default-route", "--json"], cwd)).out);
    expect(json[0]).toMatchObject({ status: "not-restored", ledger: "kept", verification: { status: "fail" } });
    // AND with --no-verify the same reset exits 0, saying it was not verified, and clears the entry
    const unverified = await lab(["reset", "tgw-default-route", "--no-verify"], cwd);
    expect(unverified.code).toBe(0);
    expect(unverified.out).toContain("lab s01: reset tgw-default-route (not verified (--no-verify))");
    expect((await lab(["status", "--json"], cwd)).out).toContain('"active": []');
  });
});

describe("reset verification through the AWS backend (mocked account)", () => {
  let account: MockedAccount;
  afterEach(() => account?.restore());

  it("probes through SSM after the reset, keeps the student's route and the Parameter Store entry", async () => {
    // GIVEN an account where tgw-default-route is injected, and VPC02-A's default route points at an instance of VPC02
    const lab = await labSnapshot();
    for (const rt of [A_RT, "VPC02-Private-Subnet-B-RT"]) applyToSnapshot(lab, { kind: "delete-route", routeTable: rt, destination: "0.0.0.0/0" });
    applyToSnapshot(lab, toEni);
    account = mockLabAccount(lab, { latencyMs: 0 });
    const cloud = await createAwsCloud({ id: "s01" }, "ap-northeast-2", { clients: account.clients, run: { pollIntervalMs: 0, sleep: async () => undefined } });
    const tgw = { kind: "tgw" as const, name: "netlab-tgw" };
    await cloud.ledger.create({
      scenario: "tgw-default-route",
      lab: "s01",
      injectedAt: "2026-11-24T10:00:00.000Z",
      by: "t",
      changes: findScenario("tgw-default-route").inject,
      inverses: [A_RT, "VPC02-Private-Subnet-B-RT"].map((routeTable) => ({ kind: "create-route", routeTable, destination: "0.0.0.0/0", target: tgw })),
    });
    // WHEN reset
    const r = await reset(cloud, "tgw-default-route");
    // THEN B's route was recreated by the SDK, A's left to the student, the SSM probe of A failed, and the entry stays
    expect(account.calls.get("CreateRoute")).toBe(1);
    expect(account.calls.get("SendCommand")).toBe(1);
    expect(r.status).toBe("not-restored");
    expect(r.status === "not-restored" && r.verification.checks.map((c) => c.status)).toEqual(["fail", "pass"]);
    expect(r.status === "not-restored" && r.ledger).toBe("kept");
    expect(await cloud.ledger.get("tgw-default-route")).toBeDefined();
  });
});
