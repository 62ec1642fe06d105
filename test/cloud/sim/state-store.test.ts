import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { emptySnapshot } from "../../../network/snapshot";
import { SIM_STATE_FORMAT, SIM_STATE_VERSION, SimLockedError, SimStateError, SimStateStore, type SimState } from "../../../cloud/sim/state-store";

function state(lab = "s01"): SimState {
  return {
    format: SIM_STATE_FORMAT,
    version: SIM_STATE_VERSION,
    lab,
    region: "ap-northeast-2",
    createdAt: "2026-11-24T00:00:00.000Z",
    updatedAt: "2026-11-24T00:00:00.000Z",
    snapshot: emptySnapshot(lab, "ap-northeast-2", "terraform"),
    ledger: {},
  };
}

const dir = () => mkdtempSync(join(tmpdir(), "netlab-sim-"));
/** A pid above Linux's pid_max: no process has it. */
const DEAD_PID = 2 ** 22 + 12345;

describe("SimStateStore", () => {
  it("writes and reads a lab's state", () => {
    // GIVEN a locked store / WHEN a state is written / THEN it reads back
    const store = new SimStateStore(dir(), "s01");
    store.lock();
    store.write(state());
    expect(store.read().lab).toBe("s01");
    store.unlock();
  });

  it("refuses a second holder of the lock, naming the first", () => {
    // GIVEN one store holding the lab's lock
    const d = dir();
    const first = new SimStateStore(d, "s01");
    first.lock();
    // WHEN a second one (another lab command) tries to take it
    const second = new SimStateStore(d, "s01");
    // THEN it is refused with who holds it and how to clear a stale lock
    expect(() => second.lock()).toThrow(SimLockedError);
    expect(() => second.lock()).toThrow(`is in use by process ${process.pid} on ${hostname()}`);
    first.unlock();
    expect(() => second.lock()).not.toThrow();
    second.unlock();
  });

  it("takes over a lock left by a dead process on this host", () => {
    // GIVEN a lock file whose process no longer exists
    const d = dir();
    mkdirSync(join(d, "s01"), { recursive: true });
    writeFileSync(join(d, "s01", "lock"), JSON.stringify({ pid: 2 ** 22 + 12345, host: hostname(), since: "2026-01-01T00:00:00Z" }));
    // WHEN a command locks the lab / THEN it succeeds
    const store = new SimStateStore(d, "s01");
    expect(() => store.lock()).not.toThrow();
    store.unlock();
    expect(existsSync(join(d, "s01", "lock"))).toBe(false);
  });

  it("does not delete a fresh lock that another process created after taking over the same stale one", () => {
    // GIVEN a stale lock, and a command that reads it, then pauses just before taking it over
    const d = dir();
    mkdirSync(join(d, "s01"), { recursive: true });
    writeFileSync(join(d, "s01", "lock"), JSON.stringify({ pid: DEAD_PID, host: hostname(), since: "2026-01-01T00:00:00Z" }));
    const faster = new SimStateStore(d, "s01");
    const slower = new SimStateStore(d, "s01", {
      // WHEN, in that pause, another command takes the stale lock over and locks the lab
      beforeTakeover: () => faster.lock(),
    });
    // THEN the slower one finds the lab in use and refuses, and the faster one's lock is still there
    expect(() => slower.lock()).toThrow(SimLockedError);
    expect(JSON.parse(readFileSync(faster.lockPath, "utf8"))).toMatchObject({ pid: process.pid });
    expect(existsSync(`${faster.lockPath}.takeover`)).toBe(false);
    faster.unlock();
  });

  it("refuses, naming both files, when a takeover was interrupted by a process that died", () => {
    // GIVEN a stale lock and a takeover guard left by a dead process
    const d = dir();
    mkdirSync(join(d, "s01"), { recursive: true });
    const stale = JSON.stringify({ pid: DEAD_PID, host: hostname(), since: "2026-01-01T00:00:00Z" });
    writeFileSync(join(d, "s01", "lock"), stale);
    writeFileSync(join(d, "s01", "lock.takeover"), stale);
    // WHEN a command locks the lab / THEN it is refused with both paths, and both files are left
    const store = new SimStateStore(d, "s01");
    expect(() => store.lock()).toThrow(`A takeover of the simulated lab s01's stale lock was interrupted (process ${DEAD_PID} is gone). Make sure no lab command is running, then delete ${join(d, "s01", "lock.takeover")} and ${join(d, "s01", "lock")}.`);
    expect(readFileSync(join(d, "s01", "lock"), "utf8")).toBe(stale);
  });

  it("refuses while another live command holds the takeover guard", () => {
    const d = dir();
    mkdirSync(join(d, "s01"), { recursive: true });
    writeFileSync(join(d, "s01", "lock"), JSON.stringify({ pid: DEAD_PID, host: hostname(), since: "2026-01-01T00:00:00Z" }));
    writeFileSync(join(d, "s01", "lock.takeover"), JSON.stringify({ pid: process.pid, host: hostname(), since: "2026-01-01T00:00:00Z" }));
    expect(() => new SimStateStore(d, "s01").lock()).toThrow("The simulated lab s01 is being taken over by another lab command right now; wait for it to finish.");
  });

  it("lets exactly one of several processes that race for the same stale lock hold it at a time", async () => {
    // GIVEN a stale lock and four lab processes (child processes) started together
    const d = dir();
    mkdirSync(join(d, "s01"), { recursive: true });
    writeFileSync(join(d, "s01", "lock"), JSON.stringify({ pid: DEAD_PID, host: hostname(), since: "2026-01-01T00:00:00Z" }));
    const children = [0, 1, 2, 3].map((id) =>
      spawn(process.execPath, ["--import", "tsx", join(__dirname, "lock-child.ts"), d, String(id)], { cwd: join(__dirname, "../../..") }),
    );
    const outputs = children.map(
      (c) =>
        new Promise<string>((resolve, reject) => {
          let out = "";
          let err = "";
          c.stdout.on("data", (b: Buffer) => (out += b.toString()));
          c.stderr.on("data", (b: Buffer) => (err += b.toString()));
          c.on("error", reject);
          c.on("close", (code) => (code === 0 ? resolve(out) : reject(new Error(`child exited ${code}: ${err}`))));
        }),
    );
    while (![0, 1, 2, 3].every((id) => existsSync(join(d, `ready-${id}`)))) await new Promise((r) => setTimeout(r, 10));
    // WHEN they all try to lock the lab at once
    writeFileSync(join(d, "go"), "");
    const results = (await Promise.all(outputs)).map((o) => JSON.parse(o.trim()) as { locked: boolean; stolen: boolean; error?: string });
    // THEN no holder ever saw its lock replaced or removed, at least one got it, and the others were told the lab is in use
    expect(results.filter((r) => r.stolen)).toEqual([]);
    expect(results.some((r) => r.locked)).toBe(true);
    for (const r of results.filter((x) => !x.locked)) expect(r.error).toMatch(/^SimLockedError: /);
    expect(existsSync(join(d, "s01", "lock"))).toBe(false);
  });

  it("refuses to write without the lock", () => {
    const store = new SimStateStore(dir(), "s01");
    expect(() => store.write(state())).toThrow("was written without its lock");
  });

  it.each([
    ["corrupt JSON", "{ not json", "is corrupt"],
    ["a foreign file", JSON.stringify({ hello: "world" }), 'is not a netlab simulated-lab state file (no "format": "netlab-sim-state")'],
    ["another version", JSON.stringify({ ...state(), version: 99 }), "has state version 99, but this netlab reads version 1"],
    ["another lab's state", JSON.stringify(state("s02")), 'belongs to lab "s02", not "s01"'],
    ["an incomplete state", JSON.stringify({ ...state(), snapshot: undefined }), "is incomplete (no snapshot or ledger)"],
  ])("refuses %s and leaves it untouched", (_what, content, message) => {
    // GIVEN a state file that cannot be trusted
    const d = dir();
    mkdirSync(join(d, "s01"), { recursive: true });
    const path = join(d, "s01", "state.json");
    writeFileSync(path, content);
    const store = new SimStateStore(d, "s01");
    // WHEN read / THEN a SimStateError names the file, and the file is unchanged
    expect(() => store.read()).toThrow(SimStateError);
    expect(() => store.read()).toThrow(message);
    expect(() => store.read()).toThrow(path);
    expect(readFileSync(path, "utf8")).toBe(content);
  });
});

describe("the baseline kept beside a lab's state", () => {
  const baseline = { createdAt: "2026-11-24T00:00:00.000Z", snapshot: emptySnapshot("s01", "ap-northeast-2", "terraform"), derived: { answer: 42 } };

  it("reads back the baseline of the same creation of the lab", () => {
    const store = new SimStateStore(dir(), "s01");
    store.lock();
    store.writeBaseline(baseline);
    expect(store.readBaseline(baseline.createdAt)).toEqual(baseline);
    store.unlock();
  });

  it.each([
    ["there is none", (_store: SimStateStore) => undefined],
    ["it belongs to another creation of the lab", (store: SimStateStore) => store.writeBaseline({ ...baseline, createdAt: "2026-11-01T00:00:00.000Z" })],
    ["it is corrupt", (store: SimStateStore) => writeFileSync(store.baselinePath, "{ not json")],
    ["it lacks its derived values", (store: SimStateStore) => writeFileSync(store.baselinePath, JSON.stringify({ createdAt: baseline.createdAt, snapshot: baseline.snapshot }))],
  ])("gives nothing (so it is derived again) when %s", (_why, arrange) => {
    // GIVEN a lab's directory in that condition
    const store = new SimStateStore(dir(), "s01");
    store.lock();
    arrange(store);
    // WHEN read / THEN nothing is returned, and nothing is thrown
    expect(store.readBaseline(baseline.createdAt)).toBeUndefined();
    store.unlock();
  });

  it("refuses to write without the lab's lock, and forgets it with the lab", () => {
    const store = new SimStateStore(dir(), "s01");
    expect(() => store.writeBaseline(baseline)).toThrow("was written without its lock");
    store.lock();
    store.writeBaseline(baseline);
    store.remove();
    expect(existsSync(store.baselinePath)).toBe(false);
    store.unlock();
  });
});
