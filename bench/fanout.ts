import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { bufferIo } from "../cli/io";
import { forEachLab, makeContext } from "../cli/context";
import { createAwsCloud } from "../cloud/aws/aws-cloud";
import { grade } from "../lifecycle/grade";
import { findScenario } from "../scenarios";
import type { Snapshot } from "../network/snapshot";
import { mockLabAccount } from "../test/helpers/aws-lab-mock";
import { round } from "./stats";

export interface FanoutFigure {
  participants: number;
  concurrency: number;
  probeLatencySeconds: number;
  wallSeconds: number;
  ratioToProbeLatency: number;
  sendCommandsPerParticipant: number;
  maxPollsPerInvocationPerSecond: number;
  apiCalls: Record<string, number>;
  allPassed: boolean;
}

/**
 * Grades `participants` labs on one scenario through the real AWS backend code, with every client
 * mocked: describe calls answer at once, each SSM command answers `latencyMs` after it was sent.
 */
export async function benchFanout(lab: Snapshot, participants: number, concurrency: number, latencyMs: number): Promise<FanoutFigure> {
  const account = mockLabAccount(lab, { latencyMs });
  const polls: number[] = [];
  try {
    const cwd = mkdtempSync(join(tmpdir(), "netlab-bench-"));
    const ctx = makeContext(bufferIo({ cwd }), { all: true });
    ctx.config = { ...ctx.config, concurrency, participants: Array.from({ length: participants }, (_, i) => ({ id: `s${String(i + 1).padStart(2, "0")}` })) };
    const scenario = findScenario("tgw-default-route");
    const start = process.hrtime.bigint();
    const outcomes = await forEachLab(ctx, (cloud) => grade(cloud, scenario), (_ctx, p, idle) =>
      createAwsCloud(p, lab.region, { clients: account.clients, run: { pollIntervalMs: 1000, sleep: (ms) => (polls.push(ms), idle(ms)) } }),
    );
    const wall = Number(process.hrtime.bigint() - start) / 1e9;
    const sends = account.calls.get("SendCommand") ?? 0;
    return {
      participants,
      concurrency,
      probeLatencySeconds: latencyMs / 1000,
      wallSeconds: round(wall),
      ratioToProbeLatency: round(wall / (latencyMs / 1000), 2),
      sendCommandsPerParticipant: round(sends / participants, 2),
      // Every poll of an invocation is preceded by a sleep of the poll interval: ≤ 1 call/s per command.
      maxPollsPerInvocationPerSecond: polls.length ? round(1000 / Math.min(...polls), 2) : 0,
      apiCalls: Object.fromEntries([...account.calls].sort()),
      allPassed: outcomes.every((o) => o.result?.status === "pass"),
    };
  } finally {
    account.restore();
  }
}
