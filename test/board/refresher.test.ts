import { Refresher } from "../../board/refresher";
import type { LabRun } from "../../board/view";
import type { LabOutcome } from "../../cli/context";

const run = (lab: string, gradedAt = "2026-12-01T09:00:00.000Z"): LabRun => ({ lab, gradedAt, active: [], grades: [], explain: {}, diagram: null });

/** A timer that fires only when the test says so. */
function manualTimers() {
  const pending: { fn: () => void; ms: number; cleared: boolean }[] = [];
  return {
    pending,
    setTimer: (fn: () => void, ms: number) => {
      const t = { fn, ms, cleared: false };
      pending.push(t);
      return t;
    },
    clearTimer: (t: unknown) => void ((t as { cleared: boolean }).cleared = true),
    fire: () => {
      const t = pending.shift();
      if (t && !t.cleared) t.fn();
    },
  };
}

function deferred<T>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe("the board's refresh loop", () => {
  it("never has more than one grading run in flight: refreshes asked for during a run join it", async () => {
    // GIVEN a grading run that takes until the test releases it
    const gate = deferred<LabOutcome<LabRun>[]>();
    let inFlight = 0;
    let peak = 0;
    const timers = manualTimers();
    const r = new Refresher({
      labs: [{ id: "s01" }],
      intervalMs: 5000,
      gradeAll: async () => {
        peak = Math.max(peak, ++inFlight);
        const out = await gate.promise;
        inFlight--;
        return out;
      },
      ...timers,
    });
    // WHEN the board starts and five more refreshes are asked for while the first run is going
    const first = r.start();
    const joined = [r.refresh(), r.refresh(), r.refresh(), r.refresh(), r.refresh()];
    expect(r.grading).toBe(true);
    // THEN no timer is set while it runs, and only one run started
    expect(timers.pending).toHaveLength(0);
    gate.resolve([{ lab: "s01", result: run("s01") }]);
    await Promise.all([first, ...joined]);
    expect(r.runs).toBe(1);
    expect(peak).toBe(1);
    // AND the next run is scheduled an interval after this one ended
    expect(timers.pending.map((t) => t.ms)).toEqual([5000]);
    expect(r.grading).toBe(false);
  });

  it("grades again when the interval has passed, and stops scheduling after stop()", async () => {
    // GIVEN a board whose runs finish at once
    const timers = manualTimers();
    let n = 0;
    const r = new Refresher({ labs: [{ id: "s01" }], intervalMs: 1000, gradeAll: async () => [{ lab: "s01", result: run("s01", `2026-12-01T09:00:0${++n}.000Z`) }], ...timers });
    await r.start();
    // WHEN the interval passes
    timers.fire();
    await r.settled();
    // THEN a second run graded the lab again
    expect(r.runs).toBe(2);
    expect(r.labs[0].run?.gradedAt).toBe("2026-12-01T09:00:02.000Z");
    // AND after stop() the pending timer is cleared and nothing more runs
    r.stop();
    expect(timers.pending.every((t) => t.cleared)).toBe(true);
    expect(r.nextRunAt).toBeUndefined();
  });

  it("keeps a lab's last grades when its grading fails, says why, and clears the error when it works again", async () => {
    // GIVEN s01 graded once, then a run where its account denies access, then a good run
    const denied = Object.assign(new Error("User is not authorized to perform: ec2:DescribeVpcs"), { name: "UnauthorizedOperation", $metadata: { httpStatusCode: 403 } });
    const results: LabOutcome<LabRun>[][] = [
      [{ lab: "s01", result: run("s01") }, { lab: "s02", result: run("s02") }],
      [{ lab: "s01", error: denied }, { lab: "s02", result: run("s02", "2026-12-01T09:00:05.000Z") }],
      [{ lab: "s01", result: run("s01", "2026-12-01T09:00:10.000Z") }, { lab: "s02", result: run("s02", "2026-12-01T09:00:10.000Z") }],
    ];
    const timers = manualTimers();
    const r = new Refresher({ labs: [{ id: "s01" }, { id: "s02" }], intervalMs: 1000, gradeAll: async () => results.shift()!, ...timers });
    await r.start();
    // WHEN the second run fails for s01
    timers.fire();
    await r.settled();
    // THEN s01 keeps its first grading and says why the last one failed; s02 moved on
    expect(r.labs[0].run?.gradedAt).toBe("2026-12-01T09:00:00.000Z");
    expect(r.labs[0].error?.message).toMatch(/s01/);
    expect(r.labs[0].error?.message).toMatch(/not authorized|access/i);
    expect(r.labs[1].run?.gradedAt).toBe("2026-12-01T09:00:05.000Z");
    expect(r.lastRun).toMatchObject({ labs: 2, failedLabs: 1 });
    // AND the next good run clears the error
    timers.fire();
    await r.settled();
    expect(r.labs[0].error).toBeUndefined();
    expect(r.labs[0].run?.gradedAt).toBe("2026-12-01T09:00:10.000Z");
  });

  it("reports a run that failed as a whole on every lab, and keeps going", async () => {
    // GIVEN a run that throws before grading any lab (a config the board cannot read)
    const timers = manualTimers();
    const r = new Refresher({
      labs: [{ id: "s01" }, { id: "s02" }],
      intervalMs: 1000,
      gradeAll: async () => {
        throw Object.assign(new Error("netlab.config.json: field \"region\" is \"mars-1\""), { name: "ConfigError" });
      },
      ...timers,
    });
    // WHEN it runs
    await r.start();
    // THEN both labs show the reason, without a stack trace, and the next run is still scheduled
    expect(r.labs.map((l) => l.error?.message)).toEqual(['netlab.config.json: field "region" is "mars-1"', 'netlab.config.json: field "region" is "mars-1"']);
    expect(timers.pending).toHaveLength(1);
  });
});

describe("the board during a long run", () => {
  it("shows each lab as soon as it is graded, before the slower labs of the run are done", async () => {
    // GIVEN a run where s01 is graded at once and s02 waits (an account slow to answer SSM)
    const slow = deferred<void>();
    const timers = manualTimers();
    const r = new Refresher({
      labs: [{ id: "s01" }, { id: "s02" }],
      intervalMs: 1000,
      gradeAll: async (report) => {
        report({ lab: "s01", result: run("s01") });
        await slow.promise;
        return [{ lab: "s01", result: run("s01") }, { lab: "s02", result: run("s02") }];
      },
      ...timers,
    });
    // WHEN the run is under way
    const started = r.start();
    await new Promise((res) => setImmediate(res));
    // THEN s01 already has its grading while s02 has none yet, and the run is still in flight
    expect(r.grading).toBe(true);
    expect(r.labs[0].run?.lab).toBe("s01");
    expect(r.labs[1].run).toBeUndefined();
    slow.resolve();
    await started;
    expect(r.labs[1].run?.lab).toBe("s02");
  });
});
