import { spawnSync } from "node:child_process";
import { cpus, loadavg, totalmem } from "node:os";

/** The machine's load at one moment: `uptime`'s line and the 1, 5 and 15-minute load averages. */
export interface Load {
  at: string;
  uptime: string;
  loadAverages: number[];
}

export function loadNow(): Load {
  const up = spawnSync("uptime", [], { encoding: "utf8" });
  return { at: new Date().toISOString(), uptime: (up.stdout ?? "").trim(), loadAverages: loadavg().map((x) => Math.round(x * 100) / 100) };
}

export interface Machine {
  cpus: number;
  cpuModel: string;
  memoryGb: number;
  node: string;
  platform: string;
}

export function machine(): Machine {
  const list = cpus();
  return {
    cpus: list.length,
    cpuModel: list[0]?.model ?? "unknown",
    memoryGb: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
  };
}
