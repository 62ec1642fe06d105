import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { bufferIo } from "../../cli/io";
import { run } from "../../cli/run";
import type { LedgerEntry } from "../../cloud/port";
import { inject } from "../../lifecycle/inject";
import { reset } from "../../lifecycle/reset";
import type { Snapshot } from "../../network/snapshot";
import { findScenario, SCENARIOS } from "../../scenarios";
import { accountFingerprint, mockLabAccount, openAwsLab, relabelLab, type MockedAccount } from "../helpers/aws-lab-mock";
import { labSnapshot } from "../helpers/lab";
import { labView } from "../helpers/lab-view";

let lab: Snapshot;
beforeAll(async () => {
  lab = await labSnapshot();
});

let account: MockedAccount;
afterEach(() => account?.restore());

/** What the account has been asked to change so far: lab-changing calls and ledger writes. */
const changesSoFar = () => ({ mutations: account.mutations().length, ledgerWrites: account.ledgerWrites().length });

describe("idempotence on AWS", () => {
  it.each(SCENARIOS.map((s) => [s.id, s] as const))("R19 %s: a second inject, from another machine, is refused before any call that changes something", async (_id, scenario) => {
    // GIVEN the scenario injected by one instructor
    account = mockLabAccount(lab);
    expect((await inject(await openAwsLab(account), scenario, { by: "alice@laptop" })).status).toBe("injected");
    const before = { calls: changesSoFar(), account: accountFingerprint(account.state), parameters: structuredClone([...account.parameters]) };
    // WHEN another instructor injects it again
    const again = await inject(await openAwsLab(account), scenario, { by: "bob@desktop" });
    // THEN it is refused, naming the active fault; no lab-changing call, no ledger write; the account is as it was
    expect(again).toEqual({ status: "refused", reason: expect.stringContaining(`Scenario "${scenario.id}" is already injected in lab s01`) });
    expect(changesSoFar()).toEqual(before.calls);
    expect([...account.parameters]).toEqual(before.parameters);
    expect(accountFingerprint(account.state)).toEqual(before.account);
  });

  it.each(SCENARIOS.map((s) => [s.id, s] as const))("R20 %s: a second reset, from another machine, is a no-op that says so", async (_id, scenario) => {
    // GIVEN the scenario injected and reset
    account = mockLabAccount(lab);
    const first = await openAwsLab(account);
    await inject(first, scenario, { by: "alice@laptop" });
    expect((await reset(first, scenario.id)).status).toBe("reset");
    const before = { calls: changesSoFar(), account: accountFingerprint(account.state) };
    // WHEN reset again from another machine
    const again = await reset(await openAwsLab(account), scenario.id);
    // THEN it says the scenario is not active, and changes nothing
    expect(again).toEqual({ status: "not-active", scenario: scenario.id });
    expect(changesSoFar()).toEqual(before.calls);
    expect(accountFingerprint(account.state)).toEqual(before.account);
  });

  it("R21 `lab reset --all` after a partial class run restores every lab, and leaves an untouched lab alone", async () => {
    // GIVEN one account with three labs: s01 with three faults, s02 with an inject that failed after one change, s03 untouched
    // (instances reach their state at once: the CLI's own state polls would sleep for real)
    account = mockLabAccount(["s01", "s02", "s03"].map((id) => relabelLab(lab, id)), { transitionReads: 0 });
    const baseline = accountFingerprint(account.state);
    const s03 = JSON.stringify(labView(account.state, "s03"));
    for (const id of ["tgw-default-route", "alb-sg-blocked", "alb-target-stopped"]) expect((await inject(await openAwsLab(account, "s01"), findScenario(id), { by: "t" })).status).toBe("injected");
    void account.failAfter(1, "api-error");
    expect((await inject(await openAwsLab(account, "s02"), findScenario("alb-port-mismatch"), { by: "t" })).status).toBe("partial");
    const before = account.log.length;
    const cwd = mkdtempSync(join(tmpdir(), "netlab-reset-all-"));
    writeFileSync(join(cwd, "netlab.config.json"), JSON.stringify({ participants: [{ id: "s01" }, { id: "s02" }, { id: "s03" }] }));
    // WHEN the instructor resets every lab with the CLI (its own clients, one per participant)
    const io = bufferIo({ cwd });
    const code = await run(["reset", "--all"], io);
    // THEN every fault is undone, the ledgers are empty and the account is as deployed
    expect(io.stderr).toBe("");
    expect(code).toBe(0);
    expect(io.stdout).toContain("lab s01: reset alb-target-stopped");
    expect(io.stdout).toContain("lab s02: reset alb-port-mismatch");
    expect(io.stdout).toContain("lab s03: no active fault; nothing to reset");
    expect([...account.parameters.keys()]).toEqual([]);
    expect(accountFingerprint(account.state)).toEqual(baseline);
    // AND no call of the reset named any resource of s03
    const s03Ids = [...new Set(JSON.stringify(labView(account.state, "s03")).match(/"(?:vpc|subnet|rtb|sg|i|eni|igw|nat|tgw|fl)-[0-9a-f]{17}"/g))];
    expect(s03Ids.length).toBeGreaterThan(20);
    const resetCalls = account.log.slice(before).filter((c) => account.mutations().includes(c));
    expect(resetCalls.filter((c) => s03Ids.some((id) => JSON.stringify(c.input).includes(id)))).toEqual([]);
    expect(JSON.stringify(labView(account.state, "s03"))).toBe(s03);
  });
});

describe("R07 two instructors on one account", () => {
  it("R07 exactly one inject wins (PutParameter with Overwrite: false); the other is refused before any change", async () => {
    // GIVEN one lab, and two instructors' machines
    account = mockLabAccount(lab);
    const [alice, bob] = [await openAwsLab(account), await openAwsLab(account)];
    const scenario = findScenario("flow-logs-off");
    // WHEN both inject the same scenario at once
    const outcomes = await Promise.all([inject(alice, scenario, { by: "alice@laptop" }), inject(bob, scenario, { by: "bob@desktop" })]);
    // THEN both wrote the ledger entry with Overwrite: false, and exactly one write won
    const puts = account.log.filter((c) => c.command === "PutParameter");
    expect(puts.map((p) => (p.input as { Name: string; Overwrite?: boolean }).Overwrite)).toEqual([false, false]);
    expect(outcomes.map((o) => o.status).sort()).toEqual(["injected", "refused"]);
    const winner = outcomes.findIndex((o) => o.status === "injected");
    const loser = outcomes[1 - winner];
    expect(loser).toEqual({ status: "refused", reason: expect.stringContaining('Scenario "flow-logs-off" is already injected in lab s01') });
    // AND the stored entry is the winner's, and the fault was applied once
    const stored = JSON.parse(account.parameters.get("/netlab/s01/ledger/flow-logs-off")?.Value ?? "{}") as LedgerEntry;
    expect(stored.by).toBe(["alice@laptop", "bob@desktop"][winner]);
    expect(stored.changes).toEqual(scenario.inject);
    expect(account.mutations().map((c) => c.command)).toEqual(["DeleteFlowLogs"]);
  });
});
