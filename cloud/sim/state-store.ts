import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import type { Snapshot } from "../../network/snapshot";
import type { LedgerEntry } from "../port";

export const SIM_STATE_FORMAT = "netlab-sim-state";
export const SIM_STATE_VERSION = 1;
/** Where separate `lab` invocations keep their shared simulated labs. */
export const DEFAULT_STATE_DIR = ".netlab/sim";

export interface SimState {
  format: typeof SIM_STATE_FORMAT;
  version: number;
  lab: string;
  region: string;
  createdAt: string;
  updatedAt: string;
  snapshot: Snapshot;
  ledger: Record<string, LedgerEntry>;
}

/**
 * What a lab was created from, kept beside its state (`baseline.json`), written once when the lab is
 * created and read only when a grade asks: the state file, rewritten at every change, stays small.
 */
export interface SimBaseline {
  /** The `createdAt` of the state it belongs to: a baseline of another creation of the lab is ignored. */
  createdAt: string;
  /** The lab as created (the synthesized plan). */
  snapshot: Snapshot;
  /** Values derived from it alone, by key (LabCloud.remember). */
  derived: Record<string, unknown>;
}

/** The state file cannot be trusted: it is never silently replaced. */
export class SimStateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SimStateError";
  }
}

/** Another `lab` process holds this simulated lab. */
export class SimLockedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SimLockedError";
  }
}

interface LockInfo {
  pid: number;
  host: string;
  since: string;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

function readLockInfo(raw: string | undefined): LockInfo | undefined {
  try {
    return raw === undefined ? undefined : (JSON.parse(raw) as LockInfo);
  } catch {
    return undefined;
  }
}

function readOrUndefined(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw e;
  }
}

/** Test seams: run at the racy moments, so that a test can put another process's step there. */
export interface SimStateStoreHooks {
  /** After a stale lock was read, before it is taken over. */
  beforeTakeover?: () => void;
}

/** The files of one simulated lab: `<dir>/<lab>/state.json` and its lock. */
export class SimStateStore {
  readonly labDir: string;
  readonly statePath: string;
  readonly baselinePath: string;
  readonly lockPath: string;
  private locked = false;

  constructor(
    readonly stateDir: string,
    readonly lab: string,
    private readonly hooks: SimStateStoreHooks = {},
  ) {
    this.labDir = join(stateDir, lab);
    this.statePath = join(this.labDir, "state.json");
    this.baselinePath = join(this.labDir, "baseline.json");
    this.lockPath = join(this.labDir, "lock");
  }

  private lockInfo(): string {
    return JSON.stringify({ pid: process.pid, host: hostname(), since: new Date().toISOString() } satisfies LockInfo);
  }

  /**
   * Takes the lab's lock (O_EXCL create). A lock left by a dead process on this host is taken over;
   * a live one is refused at once, so two commands never interleave their changes.
   */
  lock(): void {
    mkdirSync(this.labDir, { recursive: true });
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        const fd = openSync(this.lockPath, "wx");
        writeFileSync(fd, this.lockInfo());
        closeSync(fd);
        this.locked = true;
        return;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      }
      const raw = readOrUndefined(this.lockPath);
      if (raw === undefined) continue; // released meanwhile: try again
      const holder = readLockInfo(raw);
      if (holder && holder.host === hostname() && !isAlive(holder.pid)) {
        this.hooks.beforeTakeover?.();
        this.takeOver(raw);
        continue;
      }
      const who = holder ? `process ${holder.pid} on ${holder.host} since ${holder.since}` : "another process";
      throw new SimLockedError(
        `The simulated lab ${this.lab} is in use by ${who}. Wait for that lab command to finish; if none is running, delete ${this.lockPath}.`,
      );
    }
    throw new SimLockedError(`Could not lock the simulated lab ${this.lab} (${this.lockPath}): other lab commands keep taking it; run the command again.`);
  }

  /**
   * Removes the lock only if it still is the stale one that was read. Two processes may find the same
   * stale lock; without care the slower one would delete the lock the faster one has just created.
   * So the check-and-remove runs under a takeover guard (an O_EXCL file): while one process holds it,
   * nobody else removes the lock, and a stale lock can change only by being removed. (Renaming the lock
   * away first would leave a moment with no lock, in which a third process could slip in.)
   */
  private takeOver(stale: string): void {
    const guard = `${this.lockPath}.takeover`;
    let fd: number;
    try {
      fd = openSync(guard, "wx");
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      const holder = readLockInfo(readOrUndefined(guard));
      if (holder && holder.host === hostname() && !isAlive(holder.pid)) {
        throw new SimLockedError(
          `A takeover of the simulated lab ${this.lab}'s stale lock was interrupted (process ${holder.pid} is gone). Make sure no lab command is running, then delete ${guard} and ${this.lockPath}.`,
        );
      }
      throw new SimLockedError(`The simulated lab ${this.lab} is being taken over by another lab command right now; wait for it to finish.`);
    }
    try {
      try {
        writeFileSync(fd, this.lockInfo());
      } finally {
        closeSync(fd);
      }
      if (readOrUndefined(this.lockPath) === stale) rmSync(this.lockPath, { force: true });
    } finally {
      rmSync(guard, { force: true });
    }
  }

  unlock(): void {
    if (!this.locked) return;
    rmSync(this.lockPath, { force: true });
    this.locked = false;
  }

  exists(): boolean {
    return existsSync(this.statePath);
  }

  /** Reads and checks the state file; a corrupt or foreign file is an error naming it. */
  read(): SimState {
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(this.statePath, "utf8"));
    } catch (e) {
      throw new SimStateError(
        `The simulated lab state ${this.statePath} is corrupt (${(e as Error).message}). It was left as it is; move it away and run the command again to start from a fresh lab (its active faults will be forgotten).`,
      );
    }
    const s = parsed as Partial<SimState>;
    if (!s || typeof s !== "object" || s.format !== SIM_STATE_FORMAT) {
      throw new SimStateError(`${this.statePath} is not a netlab simulated-lab state file (no "format": "${SIM_STATE_FORMAT}"). It was left as it is.`);
    }
    if (s.version !== SIM_STATE_VERSION) {
      throw new SimStateError(`${this.statePath} has state version ${String(s.version)}, but this netlab reads version ${SIM_STATE_VERSION}. It was left as it is.`);
    }
    if (s.lab !== this.lab) {
      throw new SimStateError(`${this.statePath} belongs to lab "${String(s.lab)}", not "${this.lab}". It was left as it is.`);
    }
    if (!s.snapshot || !Array.isArray(s.snapshot.vpcs) || !s.ledger || typeof s.ledger !== "object") {
      throw new SimStateError(`${this.statePath} is incomplete (no snapshot or ledger). It was left as it is.`);
    }
    return s as SimState;
  }

  /** Writes atomically (temp file + rename): a crash leaves the old state or the new one, never half. */
  write(state: SimState): void {
    if (!this.locked) throw new Error(`Internal error: the simulated lab ${this.lab} was written without its lock.`);
    mkdirSync(this.labDir, { recursive: true });
    const tmp = `${this.statePath}.tmp-${process.pid}`;
    writeFileSync(tmp, JSON.stringify({ ...state, updatedAt: new Date().toISOString() }));
    renameSync(tmp, this.statePath);
  }

  /** The baseline kept beside the state, if there is one for this creation of the lab (else undefined: derive it). */
  readBaseline(createdAt: string): SimBaseline | undefined {
    const raw = readOrUndefined(this.baselinePath);
    if (raw === undefined) return undefined;
    try {
      const b = JSON.parse(raw) as Partial<SimBaseline>;
      return b.createdAt === createdAt && b.snapshot && b.derived ? (b as SimBaseline) : undefined;
    } catch {
      return undefined;
    }
  }

  /** Writes the baseline beside the state, atomically. */
  writeBaseline(baseline: SimBaseline): void {
    if (!this.locked) throw new Error(`Internal error: the simulated lab ${this.lab} was written without its lock.`);
    const tmp = `${this.baselinePath}.tmp-${process.pid}`;
    writeFileSync(tmp, JSON.stringify(baseline));
    renameSync(tmp, this.baselinePath);
  }

  /** Forgets the simulated lab (after `cdktf destroy` in offline mode). */
  remove(): void {
    rmSync(this.statePath, { force: true });
    rmSync(this.baselinePath, { force: true });
  }
}
