import { userInfo, hostname } from "node:os";
import { resolve } from "node:path";
import { findParticipant, loadConfig, type NetlabConfig, type Participant } from "../config/config";
import type { LabCloud } from "../cloud/port";
import { SimLabCloud } from "../cloud/sim/sim-cloud";
import { DEFAULT_STATE_DIR } from "../cloud/sim/state-store";
import type { Snapshot } from "../network/snapshot";
import { UsageError } from "./exit-codes";
import { Slots, type LabSlot } from "./slots";
import { projectRoot, type Io } from "./io";

/** Options every verb takes. */
export interface CommonOptions {
  /** Use the simulated lab instead of AWS. */
  offline?: boolean;
  lab?: string;
  all?: boolean;
  json?: boolean;
  config?: string;
  /** Read the synthesized lab from here instead of synthesizing it (sim). */
  synthDir?: string;
  /** Where simulated labs are kept. @default .netlab/sim under the project root */
  stateDir?: string;
  verbose?: boolean;
}

export interface Context {
  io: Io;
  config: NetlabConfig;
  options: CommonOptions;
}

export function makeContext(io: Io, options: CommonOptions): Context {
  const config = loadConfig({ file: options.config, cwd: io.cwd, root: projectRoot(io), env: io.env });
  return { io, config, options };
}

/** The participants a command works on: --lab ID, --all, or the only one configured. */
export function selectLabs(ctx: Context): Participant[] {
  const { lab, all } = ctx.options;
  if (lab && all) throw new UsageError("Give either --lab ID or --all, not both.");
  if (all) return [...ctx.config.participants];
  if (lab) return [findParticipant(ctx.config, lab)];
  if (ctx.config.participants.length === 1) return [ctx.config.participants[0]];
  throw new UsageError(`Choose a lab with --lab ID or --all; the config lists: ${ctx.config.participants.map((p) => p.id).join(", ")}.`);
}

/** user@host, recorded in the ledger with each inject. */
export function whoAmI(io: Io): string {
  let user = io.env.USER ?? "";
  try {
    user ||= userInfo().username;
  } catch {
    user ||= "unknown";
  }
  return `${user}@${hostname()}`;
}

/** The synthesized lab of one participant, as the simulator's starting point. */
export async function baselineSnapshot(ctx: Context, lab: string): Promise<Snapshot> {
  // Loaded lazily: offline commands must not pay for modules they do not use.
  const { loadSynthDir } = require("../network/from-terraform") as typeof import("../network/from-terraform");
  let dir = ctx.options.synthDir ? resolve(ctx.io.cwd, ctx.options.synthDir) : undefined;
  if (!dir) {
    // Loaded lazily: offline commands must not pay for modules they do not use.
  const { synthesizeLab } = require("../network/synth") as typeof import("../network/synth");
    dir = await synthesizeLab({ config: ctx.config, cwd: projectRoot(ctx.io) });
  }
  return loadSynthDir(dir, lab, ctx.config.region, { variants: ctx.config.variants });
}

/** The backend for one lab: the simulated copy (--offline) or the participant's AWS account. */
export async function openCloud(ctx: Context, participant: Participant, idle?: (ms: number) => Promise<void>): Promise<LabCloud> {
  if (ctx.options.offline) {
    return SimLabCloud.open({
      lab: participant.id,
      region: ctx.config.region,
      stateDir: ctx.options.stateDir ? resolve(ctx.io.cwd, ctx.options.stateDir) : resolve(projectRoot(ctx.io), DEFAULT_STATE_DIR),
      baseline: () => baselineSnapshot(ctx, participant.id),
      // Loaded lazily, and only when a lab is created: offline commands must not pay for modules they do not use.
      derive: (baseline) => (require("../lifecycle/steady-state") as typeof import("../lifecycle/steady-state")).deriveFromBaseline(baseline),
    });
  }
  // Loaded lazily: offline commands must not pay for modules they do not use.
  const { createAwsCloud } = require("../cloud/aws/aws-cloud") as typeof import("../cloud/aws/aws-cloud");
  const baseline = () => baselineSnapshot(ctx, participant.id);
  return createAwsCloud(participant, ctx.config.region, idle ? { run: { sleep: idle }, baseline } : { baseline });
}

export interface LabOutcome<T> {
  lab: string;
  result?: T;
  /** The lab's own failure; other labs carry on. */
  error?: unknown;
}

/**
 * Runs `fn` for each participant with bounded concurrency (the config's "concurrency"; one at a time
 * offline, where the simulated labs share one process and one state dir). Each lab holds one slot,
 * which it gives back while it only waits (its LabSlot). One lab's failure is that lab's only: it is
 * reported and the others finish. On a terminal, a line per finished lab shows the progress.
 */
export async function fanOut<T>(
  ctx: Context,
  labs: readonly Participant[],
  fn: (participant: Participant, slot: LabSlot) => Promise<T>,
  sleep?: (ms: number) => Promise<void>,
): Promise<LabOutcome<T>[]> {
  const slots = new Slots(ctx.options.offline ? 1 : ctx.config.concurrency, sleep ?? ctx.io.sleep);
  let done = 0;
  const progress = ctx.io.isTTY && labs.length > 1 && !ctx.options.json;
  return Promise.all(
    labs.map(async (participant): Promise<LabOutcome<T>> => {
      const slot = slots.forLab();
      await slot.acquire();
      let failed = false;
      try {
        return { lab: participant.id, result: await fn(participant, slot) };
      } catch (error) {
        failed = true;
        return { lab: participant.id, error };
      } finally {
        slot.close();
        done++;
        if (progress) ctx.io.err(`[${done}/${labs.length}] ${participant.id} ${failed ? "could not finish (see below)" : "done"}`);
      }
    }),
  );
}

/**
 * Runs `fn` on each selected lab's backend through fanOut; the cloud is always closed (locks released)
 * before the lab's slot is given back.
 */
export async function forEachLab<T>(
  ctx: Context,
  fn: (cloud: LabCloud, participant: Participant) => Promise<T>,
  open: (ctx: Context, participant: Participant, idle: (ms: number) => Promise<void>) => Promise<LabCloud> = openCloud,
  sleep?: (ms: number) => Promise<void>,
): Promise<LabOutcome<T>[]> {
  return fanOut(
    ctx,
    selectLabs(ctx),
    async (participant, slot) => {
      let cloud: LabCloud | undefined;
      try {
        cloud = await open(ctx, participant, (ms) => slot.idle(ms));
        return await fn(cloud, participant);
      } finally {
        await cloud?.close().catch(() => undefined);
      }
    },
    sleep,
  );
}
