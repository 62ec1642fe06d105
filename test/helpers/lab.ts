import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseConfig } from "../../config/config";
import { SimLabCloud } from "../../cloud/sim/sim-cloud";
import { deriveFromBaseline } from "../../lifecycle/steady-state";
import { loadSynthDir } from "../../network/from-terraform";
import type { Snapshot } from "../../network/snapshot";
import { synthesizeLab } from "../../network/synth";

const ROOT = resolve(__dirname, "../..");
let synthDir: Promise<string> | undefined;

/** The default lab (one participant, s01) synthesized once per test process (cached in .netlab/synth). */
export function labSynthDir(): Promise<string> {
  synthDir ??= synthesizeLab({ config: parseConfig({}), cwd: ROOT });
  return synthDir;
}

/** A fresh copy of the synthesized lab's snapshot. */
export async function labSnapshot(): Promise<Snapshot> {
  return loadSynthDir(await labSynthDir(), "s01", "ap-northeast-2");
}

/** A simulated lab of its own (own state dir), starting from the synthesized lab. */
export async function openSimLab(stateDir = mkdtempSync(join(tmpdir(), "netlab-test-"))): Promise<SimLabCloud> {
  const baseline = await labSnapshot();
  return SimLabCloud.open({ lab: "s01", region: "ap-northeast-2", stateDir, baseline: async () => structuredClone(baseline), derive: deriveFromBaseline });
}
