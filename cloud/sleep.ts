/** A clock and a timer: injectable so that a test can make the timer fire early. */
export interface SleepClock {
  /** Milliseconds on a monotonic clock. */
  now(): number;
  /** Resolves after about `ms` milliseconds. */
  wait(ms: number): Promise<void>;
}

const realClock: SleepClock = {
  now: () => performance.now(),
  wait: (ms) => new Promise<void>((r) => setTimeout(r, ms)),
};

/**
 * Resolves once at least `ms` milliseconds have passed on the monotonic clock. A timer alone may fire
 * up to a millisecond early (libuv keeps its loop time in whole milliseconds, "the callback will likely not
 * be invoked in precisely delay milliseconds": https://nodejs.org/api/timers.html#settimeoutcallback-delay-args),
 * so a loop that waits 1000 ms between two polls of a command could poll it twice within a second;
 * the poll rate of SSM commands (at most one call a second per command) relies on this wait.
 */
export async function sleepAtLeast(ms: number, clock: SleepClock = realClock): Promise<void> {
  const end = clock.now() + ms;
  for (let left = ms; left > 0; left = end - clock.now()) {
    await clock.wait(Math.max(1, Math.ceil(left)));
  }
}
