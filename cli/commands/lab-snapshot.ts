import { resolve } from "node:path";
import type { Snapshot } from "../../network/snapshot";
import { baselineSnapshot, openCloud, selectLabs, simLabExists, type Context } from "../context";
import { UsageError } from "../exit-codes";

/**
 * The snapshot a read-only verb (explain, diagram) looks at: saved describe outputs (--aws-configs),
 * the simulated lab as it is now (--offline; with --synth-dir, the one built from that synth, as check
 * grades it, or the synth as synthesized if no simulated lab exists yet: a read creates none), or the
 * live account.
 */
export async function snapshotFor(ctx: Context, awsConfigs: string | undefined): Promise<Snapshot> {
  if (awsConfigs) {
    if (ctx.options.offline) throw new UsageError("--aws-configs reads saved AWS state; it cannot be combined with --offline.");
    // Loaded lazily: offline commands must not pay for modules they do not use.
  const { loadAwsConfigs } = require("../../network/aws-configs") as typeof import("../../network/aws-configs");
    return loadAwsConfigs(resolve(ctx.io.cwd, awsConfigs), { lab: ctx.options.lab });
  }
  const labs = selectLabs(ctx);
  if (labs.length !== 1) throw new UsageError("This verb looks at one lab: give --lab ID, not --all.");
  if (ctx.options.offline && ctx.options.synthDir && !simLabExists(ctx, labs[0].id)) return baselineSnapshot(ctx, labs[0].id);
  try {
    const cloud = await openCloud(ctx, labs[0]);
    try {
      return await cloud.snapshot();
    } finally {
      await cloud.close();
    }
  } catch (e) {
    // The error's sentence names the lab it happened in (credentials, access, throttling).
    if (e instanceof Error) Object.assign(e, { lab: (e as { lab?: string }).lab ?? labs[0].id });
    throw e;
  }
}
