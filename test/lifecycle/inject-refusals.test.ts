import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { bufferIo } from "../../cli/io";
import { run } from "../../cli/run";
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
