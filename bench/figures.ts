import type { FanoutFigures } from "./fanout";
import type { Load, Machine } from "./machine";
import type { Figure } from "./stats";
import type { SteadyStateFigures } from "./steady-state";
import type { SynthFigures } from "./synth";

/** One side-by-side comparison measured in the same run (runs alternate between the two sides). */
export interface BeforeAfter {
  before: Figure;
  after: Figure;
  /** before.median / after.median: how many times faster "after" is. */
  ratio: number;
}

/** Everything one benchmark run measured (`--json` prints this object). */
export interface BenchResult {
  date: string;
  command: string;
  quick: boolean;
  machine: Machine;
  loadAtStart: Load;
  loadAtEnd: Load;
  /** This run's own wall time, from node's start to the end of the last section. */
  totalWallSeconds: number;
  synth?: SynthFigures;
  npmSynth?: Figure;
  rehearseInProcess?: Figure;
  rehearseCli?: Figure;
  analyzer?: Record<string, Figure & { queries: number; microsecondsPerQuery: number }>;
  steadyState?: SteadyStateFigures;
  fanout?: FanoutFigures;
  npmTest?: { wall: Figure; peakRssMb?: Figure; /** User + system CPU seconds (GNU time). */ cpu?: Figure };
  /** A `--quick` run of the benchmark, timed from outside (full runs only). */
  quickRun?: { wallSeconds: number; ownTotalWallSeconds: number };
  /** With --before REF: the command-line figures at REF and now, runs alternating. */
  before?: { ref: string; commit: string; rehearseCli?: BeforeAfter; npmSynth?: BeforeAfter; /** `npm test` in band (--maxWorkers=1, jest's setting at REF on 2 cores) → now. */ npmTestInBand?: BeforeAfter };
  /** One line per figure: its target and whether the median meets it. */
  summary: SummaryRow[];
}

export interface SummaryRow {
  figure: string;
  target: string;
  measured: string;
  met: "yes" | "no" | "—";
}

const f = (x: Figure): string => `${x.median} ${x.unit} (${x.min}–${x.max}, n=${x.runs})`;
const met = (ok: boolean): "yes" | "no" => (ok ? "yes" : "no");

/** The summary table: every figure with its target, and whether the median meets it. */
export function summaryRows(r: Omit<BenchResult, "summary">): SummaryRow[] {
  const rows: SummaryRow[] = [];
  if (r.synth) {
    const d = r.synth.deep;
    rows.push({ figure: "synth, 1 participant (both stacks), deep imports, in-process", target: "≤ 1.5 s", measured: f(d["1"]), met: met(d["1"].median <= 1.5) });
    const slopes = Object.entries(r.synth.perParticipantSlopes);
    for (const [n, fig] of Object.entries(d).filter(([n]) => n !== "1")) {
      rows.push({ figure: `synth, ${n} participants`, target: "at most linear growth", measured: f(fig), met: "—" });
    }
    if (slopes.length) {
      const [first, last] = [slopes[0][1], slopes[slopes.length - 1][1]];
      rows.push({
        figure: "synth, seconds per extra participant",
        target: "not growing (last ≤ 1.25 × first, for noise)",
        measured: slopes.map(([k, v]) => `${k}: ${v} s`).join("; "),
        met: met(last <= first * 1.25),
      });
    }
    rows.push({ figure: "synth, 1 participant, package-root imports (baseline)", target: "— (deep imports stay)", measured: `${f(r.synth.rootImports1)}: deep imports ×${r.synth.ratioRootOverDeep1} faster`, met: "—" });
  }
  if (r.npmSynth) rows.push({ figure: "`npm run synth` (the cdktf CLI), 1 participant", target: "— (context for the 1.5 s in-process target)", measured: f(r.npmSynth), met: "—" });
  if (r.rehearseInProcess) rows.push({ figure: "`lab rehearse --offline`, all scenarios, in-process (synth cached)", target: "≤ 3 s", measured: f(r.rehearseInProcess), met: met(r.rehearseInProcess.median <= 3) });
  if (r.rehearseCli) rows.push({ figure: "`node bin/lab.js rehearse --offline` as a command (synth cached)", target: "≤ 3 s", measured: f(r.rehearseCli), met: met(r.rehearseCli.median <= 3) });
  for (const [n, a] of Object.entries(r.analyzer ?? {})) {
    rows.push({
      figure: `analyzer, all pairs + internet, ${n} participant${n === "1" ? "" : "s"} (${a.queries} queries)`,
      target: n === "30" ? "≤ 1 s" : "growth curve",
      measured: `${f(a)}, ${a.microsecondsPerQuery} µs/query`,
      met: n === "30" ? met(a.median <= 1) : "—",
    });
  }
  if (r.steadyState) {
    const c = r.steadyState.class;
    rows.push({ figure: `steady-state comparison, a class of ${c.labs} labs offline (${c.factsPerLab} facts per lab; baselines kept, as the sim keeps them)`, target: "≤ 1 s", measured: f(c), met: met(c.median <= 1) });
    rows.push({ figure: `same, each baseline's steady state derived anew (each lab's first grade)`, target: "—", measured: f(r.steadyState.classCold), met: "—" });
    rows.push({ figure: "steady-state comparison, 1 lab (baseline kept)", target: "—", measured: f(r.steadyState.perLab), met: "—" });
  }
  if (r.fanout) {
    for (const c of r.fanout.byConcurrency) {
      const x = c.ratioToProbeLatency;
      rows.push({
        figure: `grading ${c.participants} participants (AWS backend, mocked, SSM answers after ${c.probeLatencySeconds} s), concurrency ${c.concurrency}`,
        target: `≤ 2 × one probe (${2 * c.probeLatencySeconds} s)`,
        measured: `${f(c.wall)}: ×${x.median} (×${x.min}–×${x.max})${c.allPassed ? "" : ", NOT all graded pass"}`,
        met: met(x.median <= 2 && c.allPassed),
      });
    }
    const k = r.fanout.calls;
    rows.push({ figure: "SendCommand per participant (one grade)", target: "≤ 1 per probe batch", measured: `${k.sendCommandsPerParticipant.min}–${k.sendCommandsPerParticipant.max}, for ${k.probeBatchesPerParticipant.min}–${k.probeBatchesPerParticipant.max} probe batch(es)`, met: "—" });
    rows.push({ figure: "SendCommand per probe batch (most, any participant)", target: "≤ 1", measured: `${k.maxSendCommandsPerProbeBatch}`, met: met(k.maxSendCommandsPerProbeBatch <= 1) });
    rows.push({ figure: "ListCommandInvocations naming one CommandId, most in any 1 s window (counted)", target: "≤ 1", measured: `${k.maxListCommandInvocationsPerCommandInAnySecond}${k.minMsBetweenListCallsOfOneCommand === undefined ? "" : ` (closest two: ${k.minMsBetweenListCallsOfOneCommand} ms apart)`}`, met: met(k.maxListCommandInvocationsPerCommandInAnySecond <= 1) });
    rows.push({ figure: "GetCommandInvocation naming one CommandId, most in any 1 s window (counted)", target: "≤ 1", measured: `${k.maxGetCommandInvocationPerCommandInAnySecond}`, met: met(k.maxGetCommandInvocationPerCommandInAnySecond <= 1) });
  }
  if (r.npmTest) {
    rows.push({ figure: "`npm test` wall time", target: "≤ 60 s", measured: f(r.npmTest.wall), met: met(r.npmTest.wall.median <= 60) });
    if (r.npmTest.cpu) rows.push({ figure: "`npm test` CPU time (user + system, all processes)", target: "— (shows how much of the wall time is load)", measured: f(r.npmTest.cpu), met: "—" });
    if (r.npmTest.peakRssMb) rows.push({ figure: "`npm test` peak RSS (largest process, GNU time)", target: "—", measured: f(r.npmTest.peakRssMb), met: "—" });
  }
  if (r.quickRun) rows.push({ figure: "`--quick` benchmark run, total wall time", target: "< 60 s", measured: `${r.quickRun.wallSeconds} s (n=1)`, met: met(r.quickRun.wallSeconds < 60) });
  for (const [n, b] of Object.entries(r.synth?.before?.bySize ?? {})) {
    rows.push({ figure: `synth in-process, ${n} participant${n === "1" ? "" : "s"}, before (${r.synth?.before?.commit.slice(0, 7)}) → now`, target: "faster", measured: `${f(b.before)} → ${f(b.after)}: ×${b.ratio}`, met: met(b.ratio > 1) });
  }
  if (r.before?.rehearseCli) {
    const b = r.before.rehearseCli;
    rows.push({ figure: `\`lab rehearse --offline\` as a command, before (${r.before.commit.slice(0, 7)}) → now`, target: "faster", measured: `${f(b.before)} → ${f(b.after)}: ×${b.ratio}`, met: met(b.ratio > 1) });
  }
  if (r.before?.npmSynth) {
    const b = r.before.npmSynth;
    rows.push({ figure: `\`npm run synth\`, before (${r.before.commit.slice(0, 7)}) → now`, target: "faster", measured: `${f(b.before)} → ${f(b.after)}: ×${b.ratio}`, met: met(b.ratio > 1) });
  }
  if (r.before?.npmTestInBand) {
    const b = r.before.npmTestInBand;
    rows.push({ figure: "`npm test`, in band (--maxWorkers=1, as before) → 2 workers", target: "faster", measured: `${f(b.before)} → ${f(b.after)}: ×${b.ratio}`, met: met(b.ratio > 1) });
  }
  return rows;
}

export function markdownTable(rows: readonly SummaryRow[]): string {
  const esc = (s: string) => s.replace(/\|/g, "\\|");
  return ["| figure | target | measured: median (min–max, runs) | met |", "| --- | --- | --- | --- |", ...rows.map((r) => `| ${esc(r.figure)} | ${esc(r.target)} | ${esc(r.measured)} | ${r.met} |`)].join("\n");
}
