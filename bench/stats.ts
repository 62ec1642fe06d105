/** Medians and ranges: these machines are noisy, so a single figure is never reported. */
export interface Figure {
  median: number;
  min: number;
  max: number;
  runs: number;
  unit: string;
}

export function summarize(samples: readonly number[], unit: string): Figure {
  if (!samples.length) throw new Error("No samples to summarize.");
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { median: round(median), min: round(sorted[0]), max: round(sorted[sorted.length - 1]), runs: samples.length, unit };
}

export function round(x: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/** Runs `fn` `runs` times (after `warmup` unrecorded runs) and returns the seconds of each. */
export async function timeRuns(runs: number, fn: () => Promise<unknown> | unknown, warmup = 0): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await fn();
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    await fn();
    out.push(Number(process.hrtime.bigint() - start) / 1e9);
  }
  return out;
}

export const fmt = (f: Figure): string => `${f.median} ${f.unit} (min ${f.min}, max ${f.max}, n=${f.runs})`;
