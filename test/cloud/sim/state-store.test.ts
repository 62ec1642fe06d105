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
