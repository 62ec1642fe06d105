import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { bufferIo } from "../cli/io";
import { forEachLab, makeContext } from "../cli/context";
import { createAwsCloud } from "../cloud/aws/aws-cloud";
import { grade } from "../lifecycle/grade";
import { findScenario } from "../scenarios";
import type { Snapshot } from "../network/snapshot";
import { mockLabAccount, relabelLab } from "../test/helpers/aws-lab-mock";
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
  const ids = Array.from({ length: participants }, (_, i) => `s${String(i + 1).padStart(2, "0")}`);
  // One mocked account per participant, as a class runs: each holds that participant's lab.
  const accounts = new Map(ids.map((id) => [id, mockLabAccount(relabelLab(lab, id), { latencyMs, mock: "clients" })]));
  const polls: number[] = [];
  try {
    const cwd = mkdtempSync(join(tmpdir(), "netlab-bench-"));
    const ctx = makeContext(bufferIo({ cwd }), { all: true });
    ctx.config = { ...ctx.config, concurrency, participants: ids.map((id) => ({ id })) };
    const scenario = findScenario("tgw-default-route");
    const start = process.hrtime.bigint();
    const outcomes = await forEachLab(ctx, (cloud) => grade(cloud, scenario), (_ctx, p, idle) =>
      createAwsCloud(p, lab.region, { clients: accounts.get(p.id)?.clients, run: { pollIntervalMs: 1000, sleep: (ms) => (polls.push(ms), idle(ms)) } }),
    );
    const wall = Number(process.hrtime.bigint() - start) / 1e9;
    const calls = new Map<string, number>();
    for (const a of accounts.values()) for (const [name, n] of a.calls) calls.set(name, (calls.get(name) ?? 0) + n);
    const sends = calls.get("SendCommand") ?? 0;
    return {
      participants,
      concurrency,
      probeLatencySeconds: latencyMs / 1000,
      wallSeconds: round(wall),
      ratioToProbeLatency: round(wall / (latencyMs / 1000), 2),
      sendCommandsPerParticipant: round(sends / participants, 2),
      // Every poll of an invocation is preceded by a sleep of the poll interval: ≤ 1 call/s per command.
      maxPollsPerInvocationPerSecond: polls.length ? round(1000 / Math.min(...polls), 2) : 0,
      apiCalls: Object.fromEntries([...calls].sort()),
      allPassed: outcomes.every((o) => o.result?.status === "pass"),
    };
  } finally {
    for (const a of accounts.values()) a.restore();
  }
}
