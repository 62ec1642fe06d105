import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { bufferIo } from "../cli/io";
import { run } from "../cli/run";
import { parseConfig } from "../config/config";
import { loadSynthDir } from "../network/from-terraform";
import { synthesizeLab } from "../network/synth";
import { benchAnalyzer } from "./analyzer";
import { benchFanout } from "./fanout";
import { benchSynth } from "./synth";
import { fmt, summarize, timeRuns, type Figure } from "./stats";

const ROOT = resolve(__dirname, "..");

/** `npm test` wall time and peak RSS (GNU time when the machine has it). */
function benchTests(runs: number): { wall: Figure; peakRssMb?: Figure } {
  const walls: number[] = [];
  const rss: number[] = [];
  const gnuTime = existsSync("/usr/bin/time");
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    const r = gnuTime
      ? spawnSync("/usr/bin/time", ["-v", "npx", "jest", "--silent"], { cwd: ROOT, encoding: "utf8" })
      : spawnSync("npx", ["jest", "--silent"], { cwd: ROOT, encoding: "utf8" });
    walls.push(Number(process.hrtime.bigint() - start) / 1e9);
    if (r.status !== 0) throw new Error(`npm test failed during the benchmark:\n${r.stderr.slice(-2000)}`);
    const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr);
    if (m) rss.push(Number(m[1]) / 1024);
  }
  return { wall: summarize(walls, "s"), ...(rss.length ? { peakRssMb: summarize(rss, "MB") } : {}) };
}

async function main(): Promise<void> {
  const quick = process.argv.includes("--quick");
  const json = process.argv.includes("--json");
  const runs = quick ? 3 : 5;
  const log = (s: string) => (json ? process.stderr.write(`${s}\n`) : process.stdout.write(`${s}\n`));
  const synthDir = await synthesizeLab({ config: parseConfig({}), cwd: ROOT });
  const lab = loadSynthDir(synthDir, "s01", "ap-northeast-2");

  log("synth (fresh process per run) …");
  const synth = benchSynth(runs, quick ? [1, 10] : [1, 10, 30]);
  log(`  1 participant: ${fmt(synth.deep["1"])}; root imports: ${fmt(synth.rootImports1)} (×${synth.ratioRootOverDeep1})`);

  log("rehearse --offline, all scenarios (in-process, synth cached) …");
  const rehearseSamples = await timeRuns(runs, async () => {
    const io = bufferIo({ cwd: mkdtempSync(join(tmpdir(), "netlab-bench-")) });
    const code = await run(["rehearse", "--offline", "--synth-dir", synthDir, "--state-dir", join(io.cwd, "state")], io);
    if (code !== 0) throw new Error(`rehearse failed: ${io.stderr}`);
  });
  const rehearse = summarize(rehearseSamples, "s");
  log(`  ${fmt(rehearse)}`);
  log("rehearse --offline as a command (node bin/lab.js, synth cached) …");
  const cliSamples = await timeRuns(quick ? 2 : 5, () => {
    const state = mkdtempSync(join(tmpdir(), "netlab-bench-"));
    const r = spawnSync(process.execPath, [join(ROOT, "bin/lab.js"), "rehearse", "--offline", "--state-dir", state], { cwd: ROOT, encoding: "utf8" });
    if (r.status !== 0) throw new Error(`lab rehearse failed: ${r.stderr}`);
  });
  const rehearseCli = summarize(cliSamples, "s");
  log(`  ${fmt(rehearseCli)}`);

  log("analyzer: all pairs of instances + internet, per lab, on class-sized snapshots …");
  const analyzer = await benchAnalyzer(lab, quick ? [1, 10, 30] : [1, 10, 30, 100], runs);
  for (const [n, f] of Object.entries(analyzer)) log(`  ${n} participants: ${fmt(f)}, ${f.queries} queries`);

  log("class grading fan-out, AWS backend with mocked clients, SSM answering after 2 s …");
  const fanout = [await benchFanout(lab, 30, 10, 2000), await benchFanout(lab, 30, 30, 2000)];
  for (const f of fanout) log(`  30 participants, concurrency ${f.concurrency}: ${f.wallSeconds} s (×${f.ratioToProbeLatency} of one probe), ${f.sendCommandsPerParticipant} SendCommand per participant`);

  log("npm test …");
  const tests = benchTests(quick ? 1 : 5);
  log(`  ${fmt(tests.wall)}${tests.peakRssMb ? `, peak RSS ${fmt(tests.peakRssMb)}` : ""}`);

  const result = {
    machine: { cpus: require("node:os").cpus().length, node: process.version, quick },
    synth,
    rehearseInProcess: rehearse,
    rehearseCli,
    analyzer,
    fanout,
    npmTest: tests,
  };
  if (json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`benchmark failed: ${(e as Error).stack ?? String(e)}\n`);
  process.exitCode = 1;
});
