import { GetCommandInvocationCommand, ListCommandInvocationsCommand, SendCommandCommand } from "@aws-sdk/client-ssm";
import { buildProbeScript } from "../../cloud/aws/probes";
import { diffLabs } from "../../lifecycle/compare";
import { inject } from "../../lifecycle/inject";
import { rehearse } from "../../lifecycle/rehearse";
import { reset } from "../../lifecycle/reset";
import type { Snapshot } from "../../network/snapshot";
import { SCENARIOS } from "../../scenarios";
import type { Scenario } from "../../scenarios/types";
import { accountFingerprint, mockLabAccount, openAwsLab, type FaultMode, type MockedAccount } from "../helpers/aws-lab-mock";
import { labSnapshot } from "../helpers/lab";

let lab: Snapshot;
beforeAll(async () => {
  lab = await labSnapshot();
});

let account: MockedAccount;
afterEach(() => account?.restore());

/**
 * GIVEN an account holding the lab, WHEN an inject of `scenario` is cut after `k` changes (`mode`),
 * THEN another instructor's machine finds every inverse in Parameter Store, and its reset gives back
 * the account exactly: what describe calls show, what runs inside the instances, and every tag.
 */
async function crashThenReset(scenario: Scenario, k: number, mode: FaultMode): Promise<void> {
  account = mockLabAccount(lab);
  const first = await openAwsLab(account);
  const before = { described: await first.snapshot(), account: accountFingerprint(account.state) };
  const n = scenario.inject.length;

  const died = account.failAfter(k, mode);
  if (mode === "api-error") {
    const out = await inject(first, scenario, { by: "alice@laptop" });
    account.disarm();
    expect(out.status).toBe(k < n ? "partial" : "injected");
    expect(account.mutations()).toHaveLength(Math.min(k + 1, n));
  } else {
    // The process is gone in the middle of its (k+1)-th change, which AWS applied: its promise never settles.
    void inject(first, scenario, { by: "alice@laptop" });
    await died;
    expect(account.mutations()).toHaveLength(k + 1);
  }

  const second = await openAwsLab(account);
  const entry = await second.ledger.get(scenario.id);
  expect(entry?.changes).toEqual(scenario.inject);
  expect(entry?.inverses).toHaveLength(n);
  expect((await reset(second, scenario.id)).status).toBe("reset");
  expect(diffLabs(before.described, await second.snapshot())).toEqual([]);
  expect(accountFingerprint(account.state)).toEqual(before.account);
  expect([...account.parameters.keys()]).toEqual([]);
}

const upTo = (last: (s: Scenario) => number) => SCENARIOS.flatMap((s) => Array.from({ length: last(s) + 1 }, (_, k) => [s.id, k, s] as const));

describe("the mocked account answers as AWS does", () => {
  it.each(SCENARIOS.map((s) => [s.id, s] as const))("%s rehearses through the AWS backend: baseline pass, inject fail, solve pass, reset to the baseline", async (_id, scenario) => {
    // GIVEN an account holding the lab / WHEN the scenario is rehearsed through the AWS backend
    account = mockLabAccount(lab);
    const r = await rehearse(await openAwsLab(account), scenario, "jest");
    // THEN every step holds, as on the sim: the account implements every change and probe the scenario uses
    expect(r.steps.flatMap((s) => s.problems)).toEqual([]);
    expect(r.ok).toBe(true);
  });
});

describe("the mocked account's Run Command", () => {
  it("reports each invocation the same way to GetCommandInvocation and to ListCommandInvocations, before and after the result is in", async () => {
    // GIVEN an account whose commands answer after 2 s, and one of the two probed instances stopped
    let clock = 0;
    const stopped = structuredClone(lab);
    const [a, b] = ["VPC02-Private-A-10.2.20.101", "VPC02-Private-B-10.2.24.101"].map((n) => stopped.instances.find((i) => i.name === n)!);
    b.state = "stopped";
    account = mockLabAccount(stopped, { latencyMs: 2000, now: () => clock });
    const { ssm } = account.clients;
    // WHEN a probe is sent to both, and read per invocation and per command, at once and 2 s later
    const sent = await ssm.send(new SendCommandCommand({ DocumentName: "AWS-RunShellScript", InstanceIds: [a.id, b.id], Parameters: { commands: [buildProbeScript({ kind: "http", to: "internet" })] } }));
    const commandId = sent.Command?.CommandId;
    const read = async () => {
      const each = await Promise.all([a.id, b.id].map((id) => ssm.send(new GetCommandInvocationCommand({ CommandId: commandId, InstanceId: id }))));
      const list = (await ssm.send(new ListCommandInvocationsCommand({ CommandId: commandId, Details: true }))).CommandInvocations ?? [];
      return {
        each: each.map((i) => [i.InstanceId, i.Status, i.StatusDetails, i.StandardOutputContent]),
        list: list.map((i) => [i.InstanceId, i.Status, i.StatusDetails, i.CommandPlugins?.[0]?.Output]),
      };
    };
    const early = await read();
    clock = 2000;
    const late = await read();
    // THEN both say the same: in progress at first; then the running one's result line, and the stopped one's delivery timeout
    for (const r of [early, late]) expect(r.list).toEqual(r.each);
    expect(early.each.map((i) => i[1])).toEqual(["InProgress", "InProgress"]);
    expect(late.each[0]).toEqual([a.id, "Success", "Success", expect.stringMatching(/^NETLAB-RESULT \{"httpStatus":200,"egressIp":"[\d.]+"\}\n$/)]);
    expect(late.each[1]).toEqual([b.id, "TimedOut", "DeliveryTimedOut", ""]);
  });
});

describe("R17 crash safety on AWS: the API fails after each of a scenario's k changes", () => {
  it.each(upTo((s) => s.inject.length))("R17 %s, the API failing after %i change(s): every inverse is in Parameter Store, and reset from another machine restores the account exactly", async (_id, k, scenario) => {
    await crashThenReset(scenario, k, "api-error");
  });
});

describe("R18 crash safety on AWS: the process dies during a scenario's (k+1)-th change, after AWS applied it", () => {
  it.each(upTo((s) => s.inject.length - 1))("R18 %s, the process dying after %i change(s) and during the next: every inverse is in Parameter Store, and reset from another machine restores the account exactly", async (_id, k, scenario) => {
    await crashThenReset(scenario, k, "process-dies");
  });
});
