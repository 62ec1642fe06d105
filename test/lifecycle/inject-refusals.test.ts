import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { bufferIo } from "../../cli/io";
import { run } from "../../cli/run";
import { ChangeNotMadeError } from "../../cloud/port";
import { inject } from "../../lifecycle/inject";
import { reset } from "../../lifecycle/reset";
import { findScenario } from "../../scenarios";
import { labSynthDir, openSimLab } from "../helpers/lab";

const STOPPED = "DMZVPC-Private-B-10.11.24.102";

describe("a fault whose change the lab already shows", () => {
  it("is refused before the ledger is written: alb-target-stopped on an instance that is already stopped", async () => {
    // GIVEN a lab where the target was stopped before the fault (by someone else)
    const cloud = await openSimLab();
    try {
      await cloud.apply({ kind: "stop-instance", instance: STOPPED });
      // WHEN alb-target-stopped is injected
      const out = await inject(cloud, findScenario("alb-target-stopped"), { by: "jest" });
      // THEN it is refused with the reason, no ledger entry is written, and a reset has nothing to start
      expect(out).toEqual({
        status: "refused",
        reason: `Lab s01 is not in the state "alb-target-stopped" starts from: Cannot stop instance ${STOPPED}: ${STOPPED} is already stopped, so the fault would change nothing there, and its reset would undo a state the fault did not make. Reset the lab or repair it, then inject again.`,
      });
      expect(await cloud.ledger.list()).toEqual([]);
      expect(await reset(cloud, "alb-target-stopped")).toEqual({ status: "not-active", scenario: "alb-target-stopped" });
      expect((await cloud.snapshot()).instances.find((i) => i.name === STOPPED)?.state).toBe("stopped");
    } finally {
      await cloud.close();
    }
  });

  it("exits 1 from the CLI and leaves the simulated lab byte for byte as it was", async () => {
    // GIVEN a simulated lab whose cpu-alarm load already runs (started outside netlab)
    const cwd = mkdtempSync(join(tmpdir(), "netlab-cli-"));
    const stateDir = join(cwd, "state");
    const cloud = await openSimLab(stateDir);
    await cloud.apply({ kind: "set-os-state", instance: "VPC02-Private-A-10.2.20.101", key: "cpuLoad", value: true });
    await cloud.close();
    const path = join(stateDir, "s01", "state.json");
    const before = readFileSync(path, "utf8");
    // WHEN cpu-alarm is injected from the CLI
    const io = bufferIo({ cwd });
    const code = await run(["inject", "cpu-alarm", "--offline", "--synth-dir", await labSynthDir(), "--state-dir", stateDir], io);
    // THEN exit 1 with the sentence, and nothing was written
    expect(code).toBe(1);
    expect(io.stderr).toContain("refused: Lab s01 is not in the state \"cpu-alarm\" starts from: Cannot start the CPU load on VPC02-Private-A-10.2.20.101: a CPU load already runs on VPC02-Private-A-10.2.20.101");
    expect(readFileSync(path, "utf8")).toBe(before);
  });
});

describe("a fault whose first change certainly was not made", () => {
  it("is refused, and its ledger entry removed: nothing changed, so nothing is left to reset", async () => {
    // GIVEN a lab whose instances cannot be reached by Run Command (no command is sent to them)
    const cloud = await openSimLab();
    try {
      cloud.apply = async (change) => {
        throw new ChangeNotMadeError(`Cannot ${change.kind} on NAT-Instance: the instance is not Online in Systems Manager (ping status: not registered); no command was sent.`);
      };
      // WHEN nat-instance-masquerade is injected
      const out = await inject(cloud, findScenario("nat-instance-masquerade"), { by: "jest" });
      // THEN it is refused with the reason, and no ledger entry is left behind
      expect(out).toEqual({
        status: "refused",
        reason: "Nothing was changed in lab s01: Cannot set-os-state on NAT-Instance: the instance is not Online in Systems Manager (ping status: not registered); no command was sent.",
      });
      expect(await cloud.ledger.list()).toEqual([]);
    } finally {
      await cloud.close();
    }
  });

  it("after an earlier change was made, stops as partial and keeps the entry for reset", async () => {
    // GIVEN a lab where the second change of nat-instance-route cannot be sent
    const cloud = await openSimLab();
    try {
      const real = cloud.apply.bind(cloud);
      let n = 0;
      cloud.apply = async (change) => {
        if (n++ === 1) throw new ChangeNotMadeError("not sent");
        await real(change);
      };
      // WHEN it is injected
      const out = await inject(cloud, findScenario("nat-instance-route"), { by: "jest" });
      // THEN one change was applied, and the ledger keeps every inverse
      expect(out).toMatchObject({ status: "partial", applied: 1 });
      expect((await cloud.ledger.list()).map((e) => e.scenario)).toEqual(["nat-instance-route"]);
    } finally {
      await cloud.close();
    }
  });
});
