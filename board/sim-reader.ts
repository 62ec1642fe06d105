import { SimLabCloud } from "../cloud/sim/sim-cloud";
import { SimStateStore } from "../cloud/sim/state-store";
import type { LabCloud } from "../cloud/port";
import type { Participant } from "../config/config";
import { baselineSnapshot, openCloud, simStateDir, type Context } from "../cli/context";

/** The board never changes a lab: a change reaching a read-only lab is a bug in netlab, not a user's error. */
class ReadOnlyLabError extends Error {
  constructor(lab: string, what: string) {
    super(`Internal error: the class board tried to ${what} in lab ${lab}; the board is read-only (inject, solve and reset are lab CLI verbs).`);
    this.name = "ReadOnlyLabError";
  }
}

/** The labs whose simulated state this board has opened once the way every verb does (per context, i.e. per board). */
const opened = new WeakMap<Context, Set<string>>();

/**
 * A simulated lab opened for reading only, without its lock (SimLabCloud.read): the board grades every few
 * seconds, and holding the lock would make an instructor's `lab inject --offline` in another terminal fail.
 * It keeps the lab's baseline, so the board's grades compare the whole lab's steady state as `lab check` does.
 *
 * The first time the board reads a lab, it opens it as every verb does (openCloud, under the lock): a lab
 * never used is created from its baseline, and with --synth-dir a lab built from another synth is refused
 * (exit 2 with the ways out) rather than silently graded in its place.
 */
export async function openSimReader(ctx: Context, participant: Participant): Promise<LabCloud> {
  const lab = participant.id;
  const store = new SimStateStore(simStateDir(ctx), lab);
  const seen = opened.get(ctx) ?? new Set<string>();
  opened.set(ctx, seen);
  if (!seen.has(lab) || !store.exists()) {
    const cloud = await openCloud(ctx, participant);
    await cloud.close();
    seen.add(lab);
  }
  return SimLabCloud.read({ lab, stateDir: simStateDir(ctx), baseline: () => baselineSnapshot(ctx, lab) }, (what) => new ReadOnlyLabError(lab, what));
}
