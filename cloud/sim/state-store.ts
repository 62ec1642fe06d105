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

/** The files of one simulated lab: `<dir>/<lab>/state.json` and its lock. */
export class SimStateStore {
  readonly labDir: string;
  readonly statePath: string;
  readonly lockPath: string;
  private locked = false;

  constructor(
    readonly stateDir: string,
    readonly lab: string,
  ) {
    this.labDir = join(stateDir, lab);
    this.statePath = join(this.labDir, "state.json");
    this.lockPath = join(this.labDir, "lock");
  }

  /**
   * Takes the lab's lock (O_EXCL create). A lock left by a dead process on this host is taken over;
   * a live one is refused at once, so two commands never interleave their changes.
   */
  lock(): void {
    mkdirSync(this.labDir, { recursive: true });
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const fd = openSync(this.lockPath, "wx");
        writeFileSync(fd, JSON.stringify({ pid: process.pid, host: hostname(), since: new Date().toISOString() } satisfies LockInfo));
        closeSync(fd);
        this.locked = true;
        return;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      }
      let holder: LockInfo | undefined;
      try {
        holder = JSON.parse(readFileSync(this.lockPath, "utf8")) as LockInfo;
      } catch {
        holder = undefined;
      }
      if (holder && holder.host === hostname() && !isAlive(holder.pid)) {
        rmSync(this.lockPath, { force: true });
        continue;
      }
      const who = holder ? `process ${holder.pid} on ${holder.host} since ${holder.since}` : "another process";
      throw new SimLockedError(
        `The simulated lab ${this.lab} is in use by ${who}. Wait for that lab command to finish; if none is running, delete ${this.lockPath}.`,
      );
    }
    throw new SimLockedError(`Could not lock the simulated lab ${this.lab} (${this.lockPath}).`);
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

  /** Forgets the simulated lab (after `cdktf destroy` in offline mode). */
  remove(): void {
    rmSync(this.statePath, { force: true });
  }
}
