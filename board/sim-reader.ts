import { parseLedgerEntry } from "../cloud/change-schema";
import { answerProbes } from "../cloud/sim/sim-probes";
import { SimStateStore } from "../cloud/sim/state-store";
import type { LabCloud, LedgerEntry } from "../cloud/port";
import type { Participant } from "../config/config";
import { openCloud, simStateDir, type Context } from "../cli/context";

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
 * A simulated lab opened for reading only, without its lock: the board grades every few seconds, and
 * holding the lock would make an instructor's `lab inject --offline` in another terminal fail with "in
 * use". Reading without the lock is safe because the state file is only ever replaced whole (temp file +
 * rename, SimStateStore.write): a read sees the lab before a change or after it, never half.
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
  const state = store.read();
  const entry = (scenario: string): LedgerEntry =>
    parseLedgerEntry(state.ledger[scenario], `"${scenario}" in ${store.statePath}`, {
      lab,
      scenario,
      clear: `remove "${scenario}" from the "ledger" object of ${store.statePath} while no lab command runs`,
    });
  return {
    lab,
    backend: "sim",
    // Not a copy (a copy costs more than the grading it serves): the state was parsed from the file for this
    // reader alone, and nothing a reader is given is ever written back.
    snapshot: async () => state.snapshot,
    probe: async (requests) => answerProbes(state.snapshot, requests),
    apply: async () => {
      throw new ReadOnlyLabError(lab, "apply a change");
    },
    ledger: {
      list: async () => Object.keys(state.ledger).map(entry),
      scenarios: async () => Object.keys(state.ledger),
      get: async (scenario) => (Object.hasOwn(state.ledger, scenario) ? entry(scenario) : undefined),
      create: async () => {
        throw new ReadOnlyLabError(lab, "record a fault");
      },
      remove: async () => {
        throw new ReadOnlyLabError(lab, "clear a fault");
      },
    },
    close: async () => undefined,
  };
}
