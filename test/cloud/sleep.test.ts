import { sleepAtLeast, type SleepClock } from "../../cloud/sleep";

/** A fake clock whose timer fires `early` ms before it should, and records each wait asked. */
function earlyClock(early: number): SleepClock & { waits: number[]; time: number } {
  const clock = {
    time: 0,
    waits: [] as number[],
    now: () => clock.time,
    wait: async (ms: number) => {
      clock.waits.push(ms);
      clock.time += ms - early;
    },
  };
  return clock;
}

describe("sleepAtLeast", () => {
  it("waits again when the timer fired early, until the whole time has passed", async () => {
    // GIVEN a timer that fires 0.3 ms early
    const clock = earlyClock(0.3);
    // WHEN sleeping 1000 ms
    await sleepAtLeast(1000, clock);
    // THEN it waited once more, and at least 1000 ms passed
    expect(clock.waits).toEqual([1000, 1]);
    expect(clock.time).toBeGreaterThanOrEqual(1000);
  });

  it("waits once when the timer is on time", async () => {
    const clock = earlyClock(0);
    await sleepAtLeast(1000, clock);
    expect(clock.waits).toEqual([1000]);
    expect(clock.time).toBe(1000);
  });

  it("does not wait for nothing", async () => {
    const clock = earlyClock(0);
    await sleepAtLeast(0, clock);
    expect(clock.waits).toEqual([]);
  });
});
