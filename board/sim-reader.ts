import { resolve } from "node:path";
import { parseLedgerEntry } from "../cloud/change-schema";
import { SimLabCloud } from "../cloud/sim/sim-cloud";
import { answerProbes } from "../cloud/sim/sim-probes";
import { DEFAULT_STATE_DIR, SimStateStore } from "../cloud/sim/state-store";
import type { LabCloud, LedgerEntry } from "../cloud/port";
import type { Participant } from "../config/config";
import { baselineSnapshot, type Context } from "../cli/context";
import { projectRoot } from "../cli/io";

/** The board never changes a lab: a change reaching a read-only lab is a bug in netlab, not a user's error. */
class ReadOnlyLabError extends Error {
  constructor(lab: string, what: string) {
    super(`Internal error: the class board tried to ${what} in lab ${lab}; the board is read-only (inject, solve and reset are lab CLI verbs).`);
    this.name = "ReadOnlyLabError";
  }
}

/**
 * A simulated lab opened for reading only, without its lock: the board grades every few seconds, and
 * holding the lock would make an instructor's `lab inject --offline` in another terminal fail with "in
 * use". Reading without the lock is safe because the state file is only ever replaced whole (temp file +
 * rename, SimStateStore.write): a read sees the lab before a change or after it, never half. A lab never
 * touched yet is created from the baseline once, under the lock, as any verb would.
 */
export async function openSimReader(ctx: Context, participant: Participant): Promise<LabCloud> {
  const stateDir = ctx.options.stateDir ? resolve(ctx.io.cwd, ctx.options.stateDir) : resolve(projectRoot(ctx.io), DEFAULT_STATE_DIR);
  const lab = participant.id;
  const store = new SimStateStore(stateDir, lab);
  if (!store.exists()) {
    const created = await SimLabCloud.open({ lab, region: ctx.config.region, stateDir, baseline: () => baselineSnapshot(ctx, lab) });
    await created.close();
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
