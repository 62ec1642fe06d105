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
