import { userInfo, hostname } from "node:os";
import { resolve } from "node:path";
import { findParticipant, loadConfig, type NetlabConfig, type Participant } from "../config/config";
import type { LabCloud } from "../cloud/port";
import { SimLabCloud } from "../cloud/sim/sim-cloud";
import { DEFAULT_STATE_DIR } from "../cloud/sim/state-store";
import type { Snapshot } from "../network/snapshot";
import { UsageError } from "./exit-codes";
import { Slots } from "./slots";
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
    });
  }
  // Loaded lazily: offline commands must not pay for modules they do not use.
  const { createAwsCloud } = require("../cloud/aws/aws-cloud") as typeof import("../cloud/aws/aws-cloud");
  return createAwsCloud(participant, ctx.config.region, idle ? { run: { sleep: idle } } : {});
}

export interface LabOutcome<T> {
  lab: string;
  result?: T;
  /** The lab's own failure; other labs carry on. */
  error?: unknown;
}

/**
 * Runs `fn` on each selected lab with bounded concurrency; one broken lab is reported and the others
 * finish. The cloud is always closed (locks released).
 */
export async function forEachLab<T>(
  ctx: Context,
  fn: (cloud: LabCloud, participant: Participant) => Promise<T>,
  open: (ctx: Context, participant: Participant, idle: (ms: number) => Promise<void>) => Promise<LabCloud> = openCloud,
): Promise<LabOutcome<T>[]> {
  const labs = selectLabs(ctx);
  // The simulated labs share one process and one state dir: one at a time.
  const slots = new Slots(ctx.options.offline ? 1 : ctx.config.concurrency);
  let done = 0;
  const progress = ctx.io.isTTY && labs.length > 1 && !ctx.options.json;
  return Promise.all(
    labs.map(async (participant): Promise<LabOutcome<T>> => {
      await slots.acquire();
      let cloud: LabCloud | undefined;
      try {
        cloud = await open(ctx, participant, (ms) => slots.idle(ms));
        return { lab: participant.id, result: await fn(cloud, participant) };
      } catch (error) {
        return { lab: participant.id, error };
      } finally {
        await cloud?.close().catch(() => undefined);
        slots.release();
        done++;
        if (progress) ctx.io.err(`[${done}/${labs.length}] ${participant.id} done`);
      }
    }),
  );
}

