import { createHash } from "node:crypto";
import type { Snapshot } from "../../network/snapshot";
import type { Change } from "../change";
import { parseLedgerEntry } from "../change-schema";
import { applyToSnapshot } from "../model-apply";
import { LedgerConflictError, type LabCloud, type Ledger, type LedgerEntry, type ProbeRequest, type ProbeResult } from "../port";
import { answerProbes } from "./sim-probes";
import { DEFAULT_STATE_DIR, SIM_STATE_FORMAT, SIM_STATE_VERSION, SimStateError, SimStateStore, type SimBaseline, type SimState } from "./state-store";

export interface SimCloudOptions {
  lab: string;
  region: string;
  /** @default DEFAULT_STATE_DIR (`.netlab/sim`) */
  stateDir?: string;
  /** The lab as deployed: used when no state exists yet, and to compare with it (sameBaseline). */
  baseline: () => Promise<Snapshot>;
  /** Where the baseline comes from, in words ("the synth dir /x/cdktf.out"); recorded with a new state. */
  baselineFrom?: string;
  /**
   * The user named the baseline (--synth-dir): an existing simulated lab must have been built from the
   * same one, else it is refused (SimStateError) rather than silently used in its place.
   */
  sameBaseline?: boolean;
  /**
   * Values derived from the baseline alone (its steady state), kept in the state file from its creation on,
   * by key (see LabCloud.remember). @default none: they are derived when asked
   */
  derive?: (baseline: Snapshot) => Record<string, unknown>;
}

/** The fingerprint of a baseline snapshot: two synths of the same lab give the same one. */
export function baselineDigest(snapshot: Snapshot): string {
  return createHash("sha256").update(JSON.stringify(snapshot)).digest("hex");
}

/** The simulated backend: a snapshot of the synthesized lab, changed in place, persisted between commands. */
export class SimLabCloud implements LabCloud {
  readonly backend = "sim" as const;
  readonly ledger: Ledger;
  private closed = false;
  /** null: read, and there is none. */
  private keptBaseline?: SimBaseline | null;
  private planned?: Snapshot;
  private readonly derivedNow: Record<string, unknown> = {};

  private constructor(
    private readonly store: SimStateStore,
    private state: SimState,
    private readonly plan: () => Promise<Snapshot>,
    /** Set for a reader (SimLabCloud.read): every change is refused with this error, before anything moves. */
    private readonly refuse?: (what: string) => Error,
  ) {
    this.ledger = {
      list: async () => Object.keys(this.state.ledger).map((scenario) => this.entry(scenario)),
      scenarios: async () => Object.keys(this.state.ledger),
      get: async (scenario) => (Object.hasOwn(this.state.ledger, scenario) ? this.entry(scenario) : undefined),
      create: async (entry: LedgerEntry) => {
        this.writable("record a fault");
        if (this.state.ledger[entry.scenario]) throw new LedgerConflictError(this.lab, entry.scenario);
        this.state.ledger[entry.scenario] = entry;
        this.persist();
      },
      remove: async (scenario) => {
        this.writable("clear a fault");
        delete this.state.ledger[scenario];
        this.persist();
      },
    };
  }

  /** The stored entry, checked: a corrupt one stops the command with how to clear it by hand. */
  private entry(scenario: string): LedgerEntry {
    return parseLedgerEntry(this.state.ledger[scenario], `"${scenario}" in ${this.store.statePath}`, {
      lab: this.state.lab,
      scenario,
      clear: `remove "${scenario}" from the "ledger" object of ${this.store.statePath} while no lab command runs`,
    });
  }

  /** Opens (and locks) the simulated lab, creating it from the baseline on first use. */
  static async open(options: SimCloudOptions): Promise<SimLabCloud> {
    const store = new SimStateStore(options.stateDir ?? DEFAULT_STATE_DIR, options.lab);
    store.lock();
    try {
      let state: SimState;
      if (store.exists()) {
        state = store.read();
        if (options.sameBaseline) await checkSameBaseline(store, state, options);
      } else {
        const now = new Date().toISOString();
        const snapshot = await options.baseline();
        state = {
          format: SIM_STATE_FORMAT,
          version: SIM_STATE_VERSION,
          lab: options.lab,
          region: options.region,
          createdAt: now,
          updatedAt: now,
          baseline: { from: options.baselineFrom ?? "netlab's own synth of the project", digest: baselineDigest(snapshot) },
          snapshot,
          ledger: {},
        };
        store.write(state);
        const baseline = structuredClone(state.snapshot);
        store.writeBaseline({ createdAt: state.createdAt, snapshot: baseline, derived: options.derive?.(baseline) ?? {} });
      }
      return new SimLabCloud(store, state, options.baseline);
    } catch (e) {
      store.unlock();
      throw e;
    }
  }

  /**
   * The simulated lab as it is now, for a reader that never changes it (the class board), without its lock:
   * a reader that grades every few seconds must not make the instructor's `lab inject --offline` fail with
   * "in use". Reading unlocked is safe because the state file is only ever replaced whole (temp file +
   * rename, SimStateStore.write): a read sees the lab before a change or after it, never half. The lab must
   * exist (open it once first). `refuse` makes the error every attempted change gets.
   */
  static read(options: Pick<SimCloudOptions, "lab" | "stateDir" | "baseline">, refuse: (what: string) => Error): SimLabCloud {
    const store = new SimStateStore(options.stateDir ?? DEFAULT_STATE_DIR, options.lab);
    return new SimLabCloud(store, store.read(), options.baseline, refuse);
  }

  get lab(): string {
    return this.state.lab;
  }

  get statePath(): string {
    return this.store.statePath;
  }

  async snapshot(): Promise<Snapshot> {
    // A reader's state was parsed for it alone and is never written back: no copy (it costs more than a grade).
    return this.refuse ? this.state.snapshot : structuredClone(this.state.snapshot);
  }

  /** The baseline kept beside the state, read once; a lab created before baselines were kept has none. */
  private kept(): SimBaseline | undefined {
    if (this.keptBaseline === undefined) this.keptBaseline = this.store.readBaseline(this.state.createdAt) ?? null;
    return this.keptBaseline ?? undefined;
  }

  /** The lab as created, else (a lab created before baselines were kept) its plan. */
  async baseline(): Promise<Snapshot> {
    return this.kept()?.snapshot ?? (this.planned ??= await this.plan());
  }

  /**
   * The value kept under `key` since the lab was created, else derived now and kept in memory only: no
   * command writes a lab's files to keep it.
   */
  async remember<T>(key: string, derive: () => Promise<T>): Promise<T> {
    const kept = this.kept()?.derived ?? {};
    if (Object.hasOwn(kept, key)) return kept[key] as T;
    if (!Object.hasOwn(this.derivedNow, key)) this.derivedNow[key] = await derive();
    return this.derivedNow[key] as T;
  }

  async apply(change: Change): Promise<void> {
    this.writable("apply a change");
    // Apply to a copy first: a change that fails leaves the lab untouched.
    const next = structuredClone(this.state.snapshot);
    applyToSnapshot(next, change);
    this.state.snapshot = next;
    this.persist();
  }

  async probe(requests: readonly ProbeRequest[]): Promise<ProbeResult[]> {
    return answerProbes(this.state.snapshot, requests);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.store.unlock();
  }

  private writable(what: string): void {
    if (this.refuse) throw this.refuse(what);
  }

  private persist(): void {
    if (this.closed) throw new Error(`Internal error: the simulated lab ${this.lab} was changed after it was closed.`);
    this.store.write(this.state);
  }
}

/** Refuses a simulated lab built from another baseline than the one the user named. */
async function checkSameBaseline(store: SimStateStore, state: SimState, options: SimCloudOptions): Promise<void> {
  const wanted = baselineDigest(await options.baseline());
  if (state.baseline?.digest === wanted) return;
  const named = options.baselineFrom ?? "the baseline given";
  const builtFrom = state.baseline ? `was built from ${state.baseline.from}, which differs from ${named}` : `was built by an older netlab that did not record what from, so it may not be ${named}`;
  throw new SimStateError(
    `The simulated lab ${state.lab} in ${store.statePath} ${builtFrom}; it holds that lab's faults and repairs, so it is not used in place of ${named}. ` +
      `Run without --synth-dir to work on it, give --state-dir DIR to keep a separate simulated lab built from ${named}, or delete ${store.labDir} to rebuild it from ${named} (its active faults are forgotten).`,
  );
}
