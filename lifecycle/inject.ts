import { describeChange, type Change } from "../cloud/change";
import { invertChanges } from "../cloud/inverse";
import { ChangeConflictError } from "../cloud/model-apply";
import { ChangeNotMadeError, LedgerConflictError, type LabCloud, type LedgerEntry } from "../cloud/port";
import type { Scenario } from "../scenarios/types";

/** Why an inject did nothing or stopped. `refused`: nothing was changed. */
export type InjectOutcome =
  | { status: "dry-run"; changes: Change[]; inverses: Change[] }
  | { status: "injected"; entry: LedgerEntry }
  | { status: "refused"; reason: string }
  /** Some changes were applied, then one failed: the ledger holds every inverse, so `reset` restores the lab. */
  | { status: "partial"; entry: LedgerEntry; applied: number; error: string };

export interface InjectOptions {
  dryRun?: boolean;
  /** Who injects (user@host), for the ledger. */
  by: string;
  now?: Date;
}

/**
 * Puts a scenario's fault into a lab. The inverses are computed from a fresh snapshot and written to
 * the ledger before the first change is applied, so that a crash at any point leaves a resettable lab.
 */
export async function inject(cloud: LabCloud, scenario: Scenario, options: InjectOptions): Promise<InjectOutcome> {
  const active = await cloud.ledger.get(scenario.id);
  if (active) {
    return { status: "refused", reason: `Scenario "${scenario.id}" is already injected in lab ${cloud.lab} (since ${active.injectedAt}, by ${active.by}); run \`lab reset ${scenario.id} --lab ${cloud.lab}\` first.` };
  }
  let inverses: Change[];
  try {
    inverses = invertChanges(await cloud.snapshot(), scenario.inject);
  } catch (e) {
    if (!(e instanceof ChangeConflictError)) throw e;
    return { status: "refused", reason: `Lab ${cloud.lab} is not in the state "${scenario.id}" starts from: ${e.message} Reset the lab or repair it, then inject again.` };
  }
  if (options.dryRun) return { status: "dry-run", changes: [...scenario.inject], inverses };
  const entry: LedgerEntry = {
    scenario: scenario.id,
    lab: cloud.lab,
    injectedAt: (options.now ?? new Date()).toISOString(),
    by: options.by,
    changes: [...scenario.inject],
    inverses,
  };
  try {
    await cloud.ledger.create(entry);
  } catch (e) {
    if (e instanceof LedgerConflictError) return { status: "refused", reason: e.message };
    throw e;
  }
  for (let i = 0; i < scenario.inject.length; i++) {
    try {
      await cloud.apply(scenario.inject[i]);
    } catch (e) {
      // The first change certainly not made: the lab is as it was, so the entry goes too (a reset would
      // try to undo what never happened, and on an unreachable instance could never clear it).
      if (i === 0 && e instanceof ChangeNotMadeError) {
        await cloud.ledger.remove(scenario.id);
        return { status: "refused", reason: `Nothing was changed in lab ${cloud.lab}: ${e.message}` };
      }
      return { status: "partial", entry, applied: i, error: `${describeChange(scenario.inject[i])} failed: ${(e as Error).message}` };
    }
  }
  return { status: "injected", entry };
}
