import type { App } from "cdktf";
import type { NetlabConfig } from "../config/config";
import { buildApp } from "./app";

/**
 * Runs `fn` with Node's source-map support for stack traces turned off, then puts it back as it was.
 *
 * cdktf records a full-depth creation stack trace for every token it makes (each `Intrinsic` and `Lazy`,
 * i.e. every reference such as `vpc.id`), and reads it at once. Under tsx, source maps are on, so Node
 * maps every frame of every one of those traces through a source map: measured with `--cpu-prof`, that
 * was about a third of a synth of 30 participants. With it off, a trace cdktf records during the synth
 * shows positions in tsx's compiled JavaScript (cdktf prints them only when a token cannot be resolved);
 * an error thrown out of `fn` is formatted when it is read, after the setting is back, so it still points
 * at the TypeScript source. https://nodejs.org/api/process.html#processsetsourcemapsenabledval
 */
export function withoutSourceMappedTraces<T>(fn: () => T): T {
  const was = process.sourceMapsEnabled;
  // Node before 20.7 cannot say whether they were on: leave the setting alone.
  if (was === undefined) return fn();
  process.setSourceMapsEnabled(false);
  try {
    return fn();
  } finally {
    process.setSourceMapsEnabled(was);
  }
}

/** Adds every participant's stacks to `app` (see `buildApp`) and writes them to its outdir. */
export function synthApp(app: App, config: NetlabConfig): void {
  withoutSourceMappedTraces(() => {
    buildApp(app, config);
    app.synth();
  });
}
