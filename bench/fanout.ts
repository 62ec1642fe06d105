import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { bufferIo } from "../cli/io";
import { forEachLab, makeContext } from "../cli/context";
import { createAwsCloud } from "../cloud/aws/aws-cloud";
import { grade } from "../lifecycle/grade";
import { findScenario } from "../scenarios";
import type { Snapshot } from "../network/snapshot";
import { mockLabAccount, relabelLab, type MockedAccount } from "../test/helpers/aws-lab-mock";
import { callTable, maxPerCommandIdPerSecond, minGapPerCommandId, rangeOf, type Range } from "./calls";
import { round, summarize, type Figure } from "./stats";

/** The scenario a class is graded on. */
export const FANOUT_SCENARIO = "tgw-default-route";

/** What one participant's mocked account saw during one grade. */
export interface AccountCounts {
  calls: ReadonlyMap<string, number>;
  /** SendCommand calls per distinct script (one probe batch each). */
  sendsPerScript: ReadonlyMap<string, number>;
  maxListPerCommandInAnySecond: number;
  maxGetPerCommandInAnySecond: number;
  minMsBetweenListCallsOfOneCommand?: number;
}

/** What one grading of the class did, counted from the mocked accounts. */
interface ClassRun {
  wallSeconds: number;
  allPassed: boolean;
  accounts: AccountCounts[];
}

/** Counts one account's calls (kept instead of the account, which holds a whole lab). */
export function countAccount(a: Pick<MockedAccount, "calls" | "sent" | "log">): AccountCounts {
  const sendsPerScript = new Map<string, number>();
  for (const s of a.sent) sendsPerScript.set(s.script, (sendsPerScript.get(s.script) ?? 0) + 1);
  return {
    calls: new Map(a.calls),
    sendsPerScript,
    maxListPerCommandInAnySecond: maxPerCommandIdPerSecond(a.log, "ListCommandInvocations"),
    maxGetPerCommandInAnySecond: maxPerCommandIdPerSecond(a.log, "GetCommandInvocation"),
    minMsBetweenListCallsOfOneCommand: minGapPerCommandId(a.log, "ListCommandInvocations"),
  };
}

/** API-call counts over every run, all counted from the calls each mocked account recorded. */
export interface FanoutCalls {
  /** SendCommand calls per participant for one grade. */
  sendCommandsPerParticipant: Range;
  /** Probe batches per participant: distinct scripts sent to the lab's instances (one batch each, ≤ 50 instances). */
  probeBatchesPerParticipant: Range;
  /** The most SendCommand calls carrying one batch's script to one lab. Target: 1. */
  maxSendCommandsPerProbeBatch: number;
  /** The most ListCommandInvocations calls naming one CommandId in any 1-second window. Target: ≤ 1. */
  maxListCommandInvocationsPerCommandInAnySecond: number;
  /** The most GetCommandInvocation calls naming one CommandId in any 1-second window. Target: ≤ 1. */
  maxGetCommandInvocationPerCommandInAnySecond: number;
  /** The shortest time between two ListCommandInvocations calls naming one CommandId (ms). */
  minMsBetweenListCallsOfOneCommand?: number;
  /** Every API call of one grade, per participant: the range of its count over participants and runs. */
  apiCallsPerParticipant: Record<string, Range>;
}

export interface FanoutFigure {
  participants: number;
  concurrency: number;
  probeLatencySeconds: number;
  wall: Figure;
  /** Wall time over one probe's latency: median, min and max. Target: ≤ 2. */
  ratioToProbeLatency: { median: number; min: number; max: number };
  allPassed: boolean;
}

export interface FanoutFigures {
  scenario: string;
  byConcurrency: FanoutFigure[];
  calls: FanoutCalls;
}

/** A clock with sub-millisecond resolution (epoch ms), so that calls 1 s apart are never seen closer. */
const preciseNow = () => performance.timeOrigin + performance.now();

/**
 * Grades `participants` labs once, through the real AWS backend code (`describeLab`, the checks,
 * `runProbes`) with every client mocked: one mocked account per participant, as a class runs; describe
 * calls answer at once, each SSM command answers `latencyMs` after it was sent.
 */
async function gradeClassOnce(lab: Snapshot, participants: number, concurrency: number, latencyMs: number): Promise<ClassRun> {
  const ids = Array.from({ length: participants }, (_, i) => `s${String(i + 1).padStart(2, "0")}`);
  const accounts = new Map(ids.map((id) => [id, mockLabAccount(relabelLab(lab, id), { latencyMs, mock: "clients", now: preciseNow })]));
  try {
    const ctx = makeContext(bufferIo({ cwd: mkdtempSync(join(tmpdir(), "netlab-bench-")) }), { all: true });
    ctx.config = { ...ctx.config, concurrency, participants: ids.map((id) => ({ id })) };
    const scenario = findScenario(FANOUT_SCENARIO);
    const start = process.hrtime.bigint();
    const outcomes = await forEachLab(ctx, (cloud) => grade(cloud, scenario), (_ctx, p, idle) =>
      createAwsCloud(p, lab.region, { clients: accounts.get(p.id)?.clients, run: { sleep: idle } }),
    );
    const wallSeconds = Number(process.hrtime.bigint() - start) / 1e9;
    return { wallSeconds, allPassed: outcomes.every((o) => o.result?.status === "pass"), accounts: [...accounts.values()].map(countAccount) };
  } finally {
    for (const a of accounts.values()) a.restore();
  }
}

const minOf = (gaps: number[]) => (gaps.length ? { minMsBetweenListCallsOfOneCommand: round(Math.min(...gaps), 2) } : {});

/** Puts together what every participant's account saw, over every run. */
export function countCalls(accounts: readonly AccountCounts[]): FanoutCalls {
  return {
    sendCommandsPerParticipant: rangeOf(accounts.map((a) => a.calls.get("SendCommand") ?? 0)),
    probeBatchesPerParticipant: rangeOf(accounts.map((a) => a.sendsPerScript.size)),
    maxSendCommandsPerProbeBatch: Math.max(0, ...accounts.flatMap((a) => [...a.sendsPerScript.values()])),
    maxListCommandInvocationsPerCommandInAnySecond: Math.max(0, ...accounts.map((a) => a.maxListPerCommandInAnySecond)),
    maxGetCommandInvocationPerCommandInAnySecond: Math.max(0, ...accounts.map((a) => a.maxGetPerCommandInAnySecond)),
    ...minOf(accounts.flatMap((a) => (a.minMsBetweenListCallsOfOneCommand === undefined ? [] : [a.minMsBetweenListCallsOfOneCommand]))),
    apiCallsPerParticipant: callTable(accounts.map((a) => a.calls)),
  };
}

/**
 * Grades a class of `participants` `runs` times at each concurrency, alternating the concurrencies run by
 * run so that both see the same machine load. Wall times are medians with their range.
 */
export async function benchFanout(lab: Snapshot, options: { participants: number; concurrencies: readonly number[]; runs: number; latencyMs: number }): Promise<FanoutFigures> {
  const samples = new Map(options.concurrencies.map((c) => [c, [] as ClassRun[]]));
  for (let i = 0; i < options.runs; i++) {
    for (const c of options.concurrencies) samples.get(c)?.push(await gradeClassOnce(lab, options.participants, c, options.latencyMs));
  }
  const latency = options.latencyMs / 1000;
  const byConcurrency = options.concurrencies.map((concurrency): FanoutFigure => {
    const runs = samples.get(concurrency) ?? [];
    const wall = summarize(runs.map((r) => r.wallSeconds), "s");
    return {
      participants: options.participants,
      concurrency,
      probeLatencySeconds: latency,
      wall,
      ratioToProbeLatency: { median: round(wall.median / latency, 2), min: round(wall.min / latency, 2), max: round(wall.max / latency, 2) },
      allPassed: runs.every((r) => r.allPassed),
    };
  });
  return { scenario: FANOUT_SCENARIO, byConcurrency, calls: countCalls([...samples.values()].flat().flatMap((r) => r.accounts)) };
}
