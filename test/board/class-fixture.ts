import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { makeContext, type Context } from "../../cli/context";
import { bufferIo } from "../../cli/io";
import { SimLabCloud } from "../../cloud/sim/sim-cloud";
import { labSnapshot } from "../helpers/lab";
import { relabelLab } from "../helpers/relabel-lab";

export interface OfflineClass {
  dir: string;
  configFile: string;
  stateDir: string;
  /** The flags a `lab` command needs to work on this class. */
  flags: string[];
  context(): Context;
}

/** A class of simulated labs, each its own copy of the synthesized lab (own ids), with a config listing them. */
export async function offlineClass(ids: readonly string[]): Promise<OfflineClass> {
  const dir = mkdtempSync(join(tmpdir(), "netlab-board-"));
  const stateDir = join(dir, "sim");
  const configFile = join(dir, "netlab.config.json");
  if (ids.length) writeFileSync(configFile, JSON.stringify({ participants: ids.map((id) => ({ id })) }));
  const base = await labSnapshot();
  for (const id of ids) {
    const lab = await SimLabCloud.open({ lab: id, region: "ap-northeast-2", stateDir, baseline: async () => (id === base.lab ? structuredClone(base) : relabelLab(base, id)) });
    await lab.close();
  }
  const flags = ["--offline", "--config", configFile, "--state-dir", stateDir];
  return { dir, configFile, stateDir, flags, context: () => makeContext(bufferIo({ cwd: dir }), { offline: true, all: true, config: configFile, stateDir }) };
}
