import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { bufferIo } from "../cli/io";
import { run } from "../cli/run";
import { parseConfig } from "../config/config";
import { loadSynthDir } from "../network/from-terraform";
import { synthesizeLab } from "../network/synth";
import { benchAnalyzer } from "./analyzer";
import { BenchUsageError, parseBenchArgs, runsSection, type BenchOptions } from "./args";
import { projectAt } from "./before";
import { npmSynthOnce, npmTestOnce, rehearseCommandOnce, timeCommand } from "./commands";
import { benchFanout } from "./fanout";
import { markdownTable, summaryRows, type BeforeAfter, type BenchResult } from "./figures";
import { loadNow, machine } from "./machine";
import { fmt, round, summarize, timeRuns, type Figure } from "./stats";
import { benchSteadyState } from "./steady-state";
import { benchSynth } from "./synth";

const ROOT = resolve(__dirname, "..");

/** Runs `after` (and `before`, when given) `runs` times each, alternating, after one unrecorded warm-up of each (unless `warmup` is false). */
function alternate(runs: number, warmup: boolean, after: () => number, before?: () => number): { after: Figure; before?: Figure } {
  if (warmup) {
    before?.();
    after();
  }
  const a: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < runs; i++) {
    if (before) b.push(before());
    a.push(after());
  }
  return { after: summarize(a, "s"), ...(before ? { before: summarize(b, "s") } : {}) };
}

const compare = (x: { after: Figure; before?: Figure }): BeforeAfter | undefined =>
  x.before ? { before: x.before, after: x.after, ratio: round(x.before.median / x.after.median, 2) } : undefined;

export async function runBench(options: BenchOptions, log: (line: string) => void): Promise<BenchResult> {
  const loadAtStart = loadNow();
  const { quick } = options;
  const runs = options.runs ?? (quick ? 3 : 5);
  const fewer = options.runs ?? (quick ? 2 : 5);
  const want = (s: Parameters<typeof runsSection>[1]) => runsSection(options, s);
  const before = options.before ? { ref: options.before, ...projectAt(options.before) } : undefined;
  const result: Omit<BenchResult, "summary" | "loadAtEnd" | "totalWallSeconds"> & Partial<BenchResult> = {
    date: loadAtStart.at,
    command: ["tsx", "bench/run.ts", ...process.argv.slice(2)].join(" "),
    quick,
    machine: machine(),
    loadAtStart,
    ...(before ? { before: { ref: before.ref, commit: before.commit } } : {}),
  };
  log(`load at start: ${loadAtStart.uptime}`);

  if (want("synth")) {
    log("synth in-process (a fresh node process per run) …");
    const sizes = quick ? [1, 10] : [1, 10, 30];
    result.synth = benchSynth(runs, sizes, quick && !options.runs ? 1 : fewer, before && { ...before, sizes: [1, sizes[sizes.length - 1]] });
    for (const [n, f] of Object.entries(result.synth.deep)) log(`  ${n} participant(s): ${fmt(f)}${result.synth.before?.bySize[n] ? `; before: ${fmt(result.synth.before.bySize[n].before)}` : ""}`);
    log(`  1 participant, package-root imports: ${fmt(result.synth.rootImports1)} (×${result.synth.ratioRootOverDeep1})`);
  }
  if (want("npmSynth")) {
    log(`npm run synth (the cdktf CLI)${before ? `, alternating with ${before.commit.slice(0, 7)}` : ""} …`);
    const x = alternate(quick && !options.runs ? 1 : fewer, !quick, () => npmSynthOnce(ROOT), before && (() => npmSynthOnce(before.dir)));
    result.npmSynth = x.after;
    if (result.before) result.before.npmSynth = compare(x);
    log(`  ${fmt(x.after)}${x.before ? `; before: ${fmt(x.before)}` : ""}`);
  }

  const lab = want("rehearse") || want("analyzer") || want("steadyState") || want("fanout") ? await synthesizedLab() : undefined;
  if (want("rehearse") && lab) {
    log("rehearse --offline, all scenarios, in-process (synth cached) …");
    const samples = await timeRuns(runs, async () => {
      const io = bufferIo({ cwd: mkdtempSync(join(tmpdir(), "netlab-bench-")) });
      const code = await run(["rehearse", "--offline", "--synth-dir", lab.dir, "--state-dir", join(io.cwd, "state")], io);
      if (code !== 0) throw new Error(`rehearse failed: ${io.stderr}`);
    });
    result.rehearseInProcess = summarize(samples, "s");
    log(`  ${fmt(result.rehearseInProcess)}`);
  }
  if (want("rehearseCli")) {
    log(`rehearse --offline as a command (node bin/lab.js, synth cached)${before ? `, alternating with ${before.commit.slice(0, 7)}` : ""} …`);
    const x = alternate(fewer, true, () => rehearseCommandOnce(ROOT), before && (() => rehearseCommandOnce(before.dir)));
    result.rehearseCli = x.after;
    if (result.before) result.before.rehearseCli = compare(x);
    log(`  ${fmt(x.after)}${x.before ? `; before: ${fmt(x.before)}` : ""}`);
  }
  if (want("analyzer") && lab) {
    log("analyzer: all pairs of instances + internet, per lab, on class-sized snapshots …");
    result.analyzer = await benchAnalyzer(lab.snapshot, quick ? [1, 10, 30] : [1, 10, 30, 100], runs);
    for (const [n, f] of Object.entries(result.analyzer)) log(`  ${n} participant(s): ${fmt(f)}, ${f.queries} queries`);
  }
  if (want("steadyState") && lab) {
    log("steady-state comparison of a class of 30 simulated labs …");
    result.steadyState = await benchSteadyState(lab.snapshot, 30, runs);
    log(`  30 labs: ${fmt(result.steadyState.class)}, ${result.steadyState.class.factsPerLab} facts per lab; baselines derived anew: ${fmt(result.steadyState.classCold)}; 1 lab: ${fmt(result.steadyState.perLab)}`);
  }
  if (want("fanout") && lab) {
    log("class grading fan-out, AWS backend with mocked clients, SSM answering after 2 s …");
    result.fanout = await benchFanout(lab.snapshot, { participants: 30, concurrencies: [10, 30], runs: quick && !options.runs ? 2 : runs, latencyMs: 2000 });
    for (const c of result.fanout.byConcurrency) log(`  concurrency ${c.concurrency}: ${fmt(c.wall)} (×${c.ratioToProbeLatency.median} of one probe)`);
    log(`  calls: ${JSON.stringify({ ...result.fanout.calls, apiCallsPerParticipant: undefined })}`);
  }
  if (want("npmTest")) {
    log(`npm test${before ? ", alternating with the same suite in band (--maxWorkers=1, jest's setting before)" : ""} …`);
    const samples: ReturnType<typeof npmTestOnce>[] = [];
    const inBand: number[] = [];
    for (let i = 0; i < runs; i++) {
      if (before) inBand.push(npmTestOnce(ROOT, ["--maxWorkers=1"]).seconds);
      samples.push(npmTestOnce(ROOT));
    }
    const rss = samples.flatMap((s) => (s.peakRssMb === undefined ? [] : [s.peakRssMb]));
    const cpu = samples.flatMap((s) => (s.cpuSeconds === undefined ? [] : [s.cpuSeconds]));
    result.npmTest = {
      wall: summarize(samples.map((s) => s.seconds), "s"),
      ...(rss.length ? { peakRssMb: summarize(rss, "MB") } : {}),
      ...(cpu.length ? { cpu: summarize(cpu, "s") } : {}),
    };
    if (result.before && inBand.length) result.before.npmTestInBand = compare({ before: summarize(inBand, "s"), after: result.npmTest.wall });
    log(`  ${fmt(result.npmTest.wall)}${result.npmTest.peakRssMb ? `, peak RSS ${fmt(result.npmTest.peakRssMb)}` : ""}${result.npmTest.cpu ? `, CPU ${fmt(result.npmTest.cpu)}` : ""}${inBand.length ? `; in band: ${fmt(summarize(inBand, "s"))}` : ""}`);
  }
  if (want("quickRun")) {
    log("a --quick run of this benchmark, timed from outside …");
    const { seconds, result: child } = timeCommand("bench --quick", join(ROOT, "node_modules", ".bin", "tsx"), ["bench/run.ts", "--quick", "--json"], ROOT);
    // Its stdout must be exactly one JSON object: parsing all of it checks that too.
    const quickResult = JSON.parse(child.stdout) as BenchResult;
    result.quickRun = { wallSeconds: round(seconds), ownTotalWallSeconds: quickResult.totalWallSeconds };
    log(`  ${result.quickRun.wallSeconds} s`);
  }

  result.loadAtEnd = loadNow();
  result.totalWallSeconds = round(process.uptime());
  log(`load at end: ${result.loadAtEnd.uptime}`);
  const full = result as Omit<BenchResult, "summary">;
  return { ...full, summary: summaryRows(full) };
}

/** The default lab, synthesized once (cached in .netlab/synth/), and its snapshot. */
async function synthesizedLab() {
  const dir = await synthesizeLab({ config: parseConfig({}), cwd: ROOT });
  return { dir, snapshot: loadSynthDir(dir, "s01", "ap-northeast-2") };
}

async function main(argv: readonly string[]): Promise<number> {
  let options: BenchOptions;
  try {
    options = parseBenchArgs(argv);
  } catch (e) {
    if (!(e instanceof BenchUsageError)) throw e;
    process.stderr.write(`error: ${e.message}\n`);
    return 2;
  }
  // With --json, stdout carries exactly one JSON object: anything else written to it (progress, a
  // library's warning) goes to stderr. npm's own "> netlab@… bench" banner is printed by npm before this
  // process starts, so machine-readable runs use `npm run -s bench -- --json` or `npx tsx bench/run.ts --json`.
  const stdout = process.stdout.write.bind(process.stdout);
  if (options.json) process.stdout.write = process.stderr.write.bind(process.stderr) as typeof process.stdout.write;
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const result = await runBench(options, options.json ? log : (line) => stdout(`${line}\n`));
  const text = `${JSON.stringify(result, null, 2)}\n`;
  if (options.out) writeFileSync(resolve(options.out), text);
  if (options.json) stdout(text);
  else stdout(`\n${markdownTable(result.summary)}\n`);
  return 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (e: unknown) => {
      process.stderr.write(`benchmark failed: ${(e as Error).stack ?? String(e)}\n`);
      process.exitCode = 1;
    },
  );
}
