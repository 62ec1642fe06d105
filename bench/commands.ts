import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** Runs a command to completion and returns its wall time in seconds; a failed command fails the benchmark. */
export function timeCommand(what: string, command: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = process.env): { seconds: number; result: SpawnSyncReturns<string> } {
  const start = process.hrtime.bigint();
  const result = spawnSync(command, [...args], { cwd, env, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (result.status !== 0) throw new Error(`${what} failed (exit ${result.status ?? result.signal}) in ${cwd}:\n${(result.stderr ?? "").slice(-2000)}`);
  return { seconds, result };
}

/** `node bin/lab.js rehearse --offline` in `projectDir`: its own synth cache, a fresh state dir. */
export function rehearseCommandOnce(projectDir: string): number {
  const state = mkdtempSync(join(tmpdir(), "netlab-bench-state-"));
  try {
    return timeCommand("lab rehearse --offline", process.execPath, [join(projectDir, "bin/lab.js"), "rehearse", "--offline", "--state-dir", state], projectDir).seconds;
  } finally {
    rmSync(state, { recursive: true, force: true });
  }
}

/** `npm run -s synth` in `projectDir` (the real cdktf CLI), into a fresh output dir. */
export function npmSynthOnce(projectDir: string): number {
  const out = mkdtempSync(join(tmpdir(), "netlab-bench-cdktf-"));
  try {
    return timeCommand("npm run synth", "npm", ["run", "-s", "synth", "--", "--output", out], projectDir).seconds;
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

/** `npm test` (the whole jest suite), with its peak RSS and CPU time when GNU time is installed. */
export function npmTestOnce(projectDir: string, jestArgs: readonly string[] = []): { seconds: number; peakRssMb?: number; cpuSeconds?: number } {
  const gnuTime = existsSync("/usr/bin/time");
  const npm = ["npm", "test", "-s", "--", "--silent", ...jestArgs];
  const { seconds, result } = gnuTime ? timeCommand("npm test", "/usr/bin/time", ["-v", ...npm], projectDir) : timeCommand("npm test", npm[0], npm.slice(1), projectDir);
  // GNU time reports the largest resident set of any one process it waited for (jest and its workers).
  const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(result.stderr);
  // User + system CPU seconds of the whole process tree: what the suite costs, whatever else the machine runs.
  const user = /User time \(seconds\): ([\d.]+)/.exec(result.stderr);
  const system = /System time \(seconds\): ([\d.]+)/.exec(result.stderr);
  return { seconds, ...(m ? { peakRssMb: Number(m[1]) / 1024 } : {}), ...(user && system ? { cpuSeconds: Number(user[1]) + Number(system[1]) } : {}) };
}
