/** The parts of the benchmark, in the order they run. */
export const SECTIONS = ["synth", "npmSynth", "rehearse", "rehearseCli", "analyzer", "steadyState", "fanout", "npmTest", "quickRun"] as const;
export type Section = (typeof SECTIONS)[number];

export interface BenchOptions {
  /** Fewer runs and sizes: the whole run stays under a minute. */
  quick: boolean;
  /** Print one JSON object on stdout (progress goes to stderr). */
  json: boolean;
  /** Also write the JSON to this file. */
  out?: string;
  /** The sections to run (default: all; quickRun only in a full run). */
  only: Section[];
  /** Runs per figure, instead of 5 (full) or fewer (quick). */
  runs?: number;
  /** A git revision to compare the command-line figures against, in the same run. */
  before?: string;
}

/** Bad command-line input: the benchmark exits 2 without running anything. */
export class BenchUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "BenchUsageError";
  }
}

export const USAGE = `usage: tsx bench/run.ts [--quick] [--json] [--out FILE] [--only ${SECTIONS.join(",")}] [--runs N] [--before GIT-REF]`;

export function parseBenchArgs(argv: readonly string[]): BenchOptions {
  const options: BenchOptions = { quick: false, json: false, only: [] };
  const value = (i: number, flag: string): string => {
    const v = argv[i + 1];
    if (v === undefined || v.startsWith("--")) throw new BenchUsageError(`${flag} needs a value.\n${USAGE}`);
    return v;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--quick") options.quick = true;
    else if (a === "--json") options.json = true;
    else if (a === "--out") options.out = value(i++, a);
    else if (a === "--before") options.before = value(i++, a);
    else if (a === "--runs") {
      const v = value(i++, a);
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1) throw new BenchUsageError(`--runs must be a whole number of at least 1; got "${v}".`);
      options.runs = n;
    } else if (a === "--only") {
      for (const name of value(i++, a).split(",")) {
        if (!(SECTIONS as readonly string[]).includes(name)) throw new BenchUsageError(`Unknown section "${name}" in --only; the sections are: ${SECTIONS.join(", ")}.`);
        options.only.push(name as Section);
      }
    } else throw new BenchUsageError(`Unknown option "${a}".\n${USAGE}`);
  }
  return options;
}

/**
 * Whether a section runs: the ones named by --only, else all of them. A quick run leaves out `npm test`
 * (the suite alone takes about half its minute; CI runs it anyway) and, of course, the timing of a quick run.
 */
export function runsSection(options: BenchOptions, section: Section): boolean {
  if (options.only.length) return options.only.includes(section);
  return !options.quick || (section !== "quickRun" && section !== "npmTest");
}
