import { ALARM_CLOCK_SKEW_MS, runChecks } from "../../checks/evaluate";
import type { CheckSpec } from "../../checks/types";
import { applyToSnapshot } from "../../cloud/model-apply";
import type { LabCloud, LedgerEntry } from "../../cloud/port";
import { grade } from "../../lifecycle/grade";
import { inject } from "../../lifecycle/inject";
import { solve } from "../../lifecycle/solve";
import type { Snapshot } from "../../network/snapshot";
import { findScenario } from "../../scenarios";
import { labSnapshot, openSimLab } from "../helpers/lab";

const ALARM = "VPC02-Private-A-10.2.20.101-CPUUtilization-High";
const INSTANCE = "VPC02-Private-A-10.2.20.101";
const fired: CheckSpec = { id: "fired", kind: "alarm-fired", alarm: ALARM, title: { en: "x", ko: "엑스" }, hint: { en: "x", ko: "엑스" } };
const fault = (injectedAt: string): LedgerEntry => ({ scenario: "cpu-alarm", lab: "s01", injectedAt, by: "t", changes: [], inverses: [] });

function labOf(s: Snapshot): LabCloud {
  return { lab: "s01", backend: "sim", snapshot: async () => s, apply: async () => undefined, probe: async () => [], ledger: {} as LabCloud["ledger"], close: async () => undefined };
}

describe("the alarm-fired check", () => {
  it("passes when no fault is active: a baseline has nothing to fire for", async () => {
    const [r] = (await runChecks(labOf(await labSnapshot()), [fired])).results;
    expect(r).toMatchObject({ status: "pass", evidence: `no fault is active, so ${ALARM} has nothing to fire for (it is OK)` });
  });

  it("passes when the alarm entered ALARM at or after the inject, even once it is back to OK", async () => {
    // GIVEN a load that ran from 10:00 and was stopped
    const s = await labSnapshot();
    applyToSnapshot(s, { kind: "set-os-state", instance: INSTANCE, key: "cpuLoad", value: true }, new Date("2026-11-24T10:00:00Z"));
    applyToSnapshot(s, { kind: "set-os-state", instance: INSTANCE, key: "cpuLoad", value: false }, new Date("2026-11-24T10:20:00Z"));
    // WHEN checked against a fault injected at 10:00 / THEN it passes
    const [r] = (await runChecks(labOf(s), [fired], { fault: fault("2026-11-24T10:00:00.000Z") })).results;
    expect(r).toMatchObject({ status: "pass", evidence: `${ALARM} entered ALARM at 2026-11-24T10:00:00.000Z, after cpu-alarm was injected at 2026-11-24T10:00:00.000Z; it is OK now` });
  });

  it("passes when the alarm's time is up to two minutes before the inject: the instructor's clock may run ahead of AWS's", async () => {
    // GIVEN an alarm that CloudWatch dates 90 s before the laptop's inject time
    const s = await labSnapshot();
    s.alarms[0].lastAlarmAt = "2026-11-24T09:58:30.000Z";
    // WHEN checked against a fault injected at 10:00 (laptop clock) / THEN it passes
    const [r] = (await runChecks(labOf(s), [fired], { fault: fault("2026-11-24T10:00:00.000Z") })).results;
    expect(r.status).toBe("pass");
  });

  it.each([
    ["it never fired", undefined, `expected ${ALARM} to enter ALARM after cpu-alarm was injected at 2026-11-24T10:00:00.000Z; it never entered ALARM (it is OK now)`],
    ["it fired before the fault", "2026-11-24T09:00:00.000Z", `expected ${ALARM} to enter ALARM after cpu-alarm was injected at 2026-11-24T10:00:00.000Z; it last entered ALARM at 2026-11-24T09:00:00.000Z, before the fault (it is OK now)`],
  ])("fails when %s", async (_what, lastAlarmAt, evidence) => {
    // GIVEN an active fault and an alarm whose last ALARM is not after it
    const s = await labSnapshot();
    if (lastAlarmAt) s.alarms[0].lastAlarmAt = lastAlarmAt;
    // WHEN checked / THEN it fails with the times
    const [r] = (await runChecks(labOf(s), [fired], { fault: fault("2026-11-24T10:00:00.000Z") })).results;
    expect(r).toMatchObject({ status: "fail", evidence });
  });

  it("fails on AWS too when the alarm's history holds no entry into ALARM since the fault (the history is read, not guessed)", async () => {
    // GIVEN a live snapshot whose alarm is OK and whose history (DescribeAlarmHistory) has no ALARM
    const s = { ...(await labSnapshot()), source: "aws" as const };
    // WHEN checked against an active fault / THEN it is a fail, not inconclusive
    const [r] = (await runChecks(labOf(s), [fired], { fault: fault("2026-11-24T10:00:00.000Z") })).results;
    expect(r).toMatchObject({ status: "fail", evidence: expect.stringContaining("it never entered ALARM") });
  });

  it("names an alarm the lab does not have", async () => {
    const [r] = (await runChecks(labOf(await labSnapshot()), [{ ...fired, alarm: "Nope" } as CheckSpec])).results;
    expect(r).toMatchObject({ status: "fail", evidence: "expected alarm Nope; the lab has none by that name" });
  });
});

describe("the simulated CPU alarm", () => {
  it("records the transition into ALARM once, not while it stays there", async () => {
    const s = await labSnapshot();
    applyToSnapshot(s, { kind: "set-os-state", instance: INSTANCE, key: "cpuLoad", value: true }, new Date("2026-11-24T10:00:00Z"));
    applyToSnapshot(s, { kind: "set-os-state", instance: INSTANCE, key: "cpuLoad", value: true }, new Date("2026-11-24T10:05:00Z"));
    expect(s.alarms[0]).toMatchObject({ state: "ALARM", lastAlarmAt: "2026-11-24T10:00:00.000Z" });
  });

  it("has no data while the instance is stopped and follows the load again once started", async () => {
    const s = await labSnapshot();
    applyToSnapshot(s, { kind: "stop-instance", instance: INSTANCE });
    expect(s.alarms[0].state).toBe("INSUFFICIENT_DATA");
    applyToSnapshot(s, { kind: "start-instance", instance: INSTANCE });
    expect(s.alarms[0].state).toBe("OK");
  });

  it("grades cpu-alarm: the alarm fired after the inject, then returns to OK once the load is stopped", async () => {
    // GIVEN cpu-alarm injected on the simulated lab
    const cloud = await openSimLab();
    try {
      const scenario = findScenario("cpu-alarm");
      await inject(cloud, scenario, { by: "jest" });
      // WHEN graded during the fault / THEN the alarm fired, and it is not back to OK yet
      expect((await grade(cloud, scenario)).checks.map((c) => [c.id, c.status])).toEqual([
        ["vpc02-a-cpu-alarm-entered-alarm-during-the-fault", "pass"],
        ["vpc02-a-cpu-alarm-watches-the-instance-and-returns-to-ok", "fail"],
        ["vpc02-a-cpu-load-stopped", "fail"],
      ]);
      // AND after the load is stopped, every check passes
      await solve(cloud, scenario);
      expect((await grade(cloud, scenario)).status).toBe("pass");
      // AND an alarm that fired before the fault was injected does not count
      const entry = (await cloud.ledger.get("cpu-alarm"))!;
      const later = { ...entry, injectedAt: new Date(Date.parse((await cloud.snapshot()).alarms[0].lastAlarmAt!) + ALARM_CLOCK_SKEW_MS + 1).toISOString() };
      expect((await grade(cloud, scenario, { fault: later })).checks[0].status).toBe("fail");
    } finally {
      await cloud.close();
    }
  });
});
