import { sleepAtLeast } from "../sleep";
import type { AwsClients } from "./clients";
import { onlineInstances } from "./run-command";

/** The wait between two DescribeInstanceInformation calls while waiting. */
export const ONLINE_POLL_INTERVAL_MS = 10_000;

export interface OnlineWaitOptions {
  /** Give up after this long (0: ask once, never wait). */
  timeoutMs: number;
  /** Wait between two polls. @default ONLINE_POLL_INTERVAL_MS */
  pollIntervalMs?: number;
  /** Injectable for tests: resolves after `ms`. @default a timer */
  sleep?: (ms: number) => Promise<void>;
  /** Injectable clock (ms). @default Date.now */
  now?: () => number;
  /** Called once, before the first wait, with the instances not Online yet. */
  onWait?: (notOnline: readonly string[]) => void;
}

export interface OnlineWait {
  /** Each instance's last ping status ("Online", "ConnectionLost"…); absent when not registered at all. */
  readonly status: ReadonlyMap<string, string>;
  /** Instances still not Online when the wait ended. */
  readonly notOnline: readonly string[];
  /** DescribeInstanceInformation rounds made. */
  readonly polls: number;
  /** How long it waited, in ms (the longer of the time slept and the time the clock says passed). */
  readonly waitedMs: number;
}

/**
 * Polls Systems Manager until every instance is Online, or the bound has passed. Time is counted both by
 * the waits asked of `sleep` and by the clock, so the bound holds with a real timer and with a test's
 * instant one. The instances of `ids` are those expected to come Online (running ones).
 */
export async function waitUntilOnline(c: AwsClients, ids: readonly string[], options: OnlineWaitOptions): Promise<OnlineWait> {
  if (!Number.isFinite(options.timeoutMs) || options.timeoutMs < 0) throw new Error(`The wait for SSM must be 0 ms or more; got ${options.timeoutMs}.`);
  const interval = Math.max(1, options.pollIntervalMs ?? ONLINE_POLL_INTERVAL_MS);
  const sleep = options.sleep ?? ((ms: number) => sleepAtLeast(ms));
  const now = options.now ?? Date.now;
  const start = now();
  let slept = 0;
  let polls = 0;
  const waited = () => Math.max(slept, now() - start);
  for (;;) {
    const status = ids.length ? await onlineInstances(c, ids) : new Map<string, string>();
    polls++;
    const notOnline = ids.filter((id) => status.get(id) !== "Online");
    const left = options.timeoutMs - waited();
    // Asked once and never slept: no wait happened, however long the one answer took.
    if (!notOnline.length || left <= 0) return { status, notOnline, polls, waitedMs: slept > 0 ? waited() : 0 };
    if (slept === 0) options.onWait?.(notOnline);
    const ms = Math.min(interval, left);
    await sleep(ms);
    slept += ms;
  }
}
