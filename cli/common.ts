import { Command, Option } from "commander";
import { LANGS, type Lang, type Localized } from "../checks/types";
import { findScenario } from "../scenarios";
import type { Scenario } from "../scenarios/types";
import { classifyError, EXIT, UsageError, type ExitCode } from "./exit-codes";
import type { Context, LabOutcome } from "./context";
import type { Io } from "./io";

/** Adds the options every verb takes. */
export function withLabOptions(cmd: Command): Command {
  return cmd
    .option("--offline", "use the simulated lab (built from the synthesized Terraform) instead of AWS")
    .option("--lab <id>", "the participant's lab to work on")
    .option("--all", "every participant's lab in the config")
    .option("--json", "machine-readable output")
    .option("--config <file>", "config file (default: netlab.config.json or $NETLAB_CONFIG)")
    .option("--synth-dir <dir>", "the synthesized lab (a cdktf.out) the simulated lab is built from, instead of synthesizing it (implies --offline); a simulated lab built from another synth is refused")
    .option("--state-dir <dir>", "offline: where simulated labs are kept (default .netlab/sim)")
    .option("-v, --verbose", "show detail");
}

/** The lab options that a verb reading no lab refuses (instead of accepting and ignoring them). */
const LAB_ONLY_OPTIONS = [
  { flags: "--lab <id>", key: "lab" },
  { flags: "--all", key: "all" },
  { flags: "--synth-dir <dir>", key: "synthDir" },
  { flags: "--state-dir <dir>", key: "stateDir" },
] as const;

/**
 * The options of a verb that reads no lab (list, brief, cost): --offline (it never goes to AWS anyway),
 * --json, --config and -v. --lab, --all, --synth-dir and --state-dir are refused with the reason (exit 2):
 * accepted and ignored, they would let a user believe they chose something.
 */
export function withoutLabOptions(cmd: Command, why: string): Command {
  cmd
    .option("--offline", "accepted for symmetry: this verb never goes to AWS")
    .option("--json", "machine-readable output")
    .option("--config <file>", "config file (default: netlab.config.json or $NETLAB_CONFIG)")
    .option("-v, --verbose", "show detail");
  for (const o of LAB_ONLY_OPTIONS) cmd.addOption(new Option(o.flags).hideHelp());
  return cmd.hook("preAction", (_program, action) => {
    const given = LAB_ONLY_OPTIONS.find((o) => action.opts()[o.key] !== undefined);
    if (given) throw new UsageError(`lab ${action.name()} takes no ${given.flags.split(" ")[0]}: ${why}. Its options: ${action.options.filter((o) => !o.hidden).map((o) => o.long).join(", ")}.`);
  });
}

export function langOption(): Option {
  return new Option("--lang <lang>", "language of the student's text").choices([...LANGS]);
}

export function parseLang(value: string | undefined, fallback: Lang = "en"): Lang {
  if (value === undefined) return fallback;
  if (!(LANGS as readonly string[]).includes(value)) throw new UsageError(`Unknown language "${value}"; valid languages: ${LANGS.join(", ")}.`);
  return value as Lang;
}

export function localized(text: Localized, lang: Lang): string {
  return text[lang];
}

/** Scenario by id, or a usage error listing the valid ids. */
export function scenarioArg(id: string): Scenario {
  try {
    return findScenario(id);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

/**
 * Prints each lab's own failure and returns the worst exit code among them (OK if none failed). With
 * `grading`, a lab whose AWS calls could not be made (throttled after every retry, AWS out of reach…)
 * was not graded: it is inconclusive (3), not a fail; credentials and access stay 2.
 */
export function reportLabErrors<T>(io: Io, outcomes: readonly LabOutcome<T>[], options: { grading?: boolean } = {}): ExitCode {
  let worst: ExitCode = EXIT.OK;
  for (const o of outcomes) {
    if (o.error === undefined) continue;
    const c = classifyError(o.error, o.lab);
    const inconclusive = options.grading && c.couldNotRun;
    io.err(`lab ${o.lab}: ${inconclusive ? `inconclusive, not graded: ${c.reason}` : c.message}`);
    worst = worstOf(worst, inconclusive ? EXIT.INCONCLUSIVE : c.code);
  }
  return worst;
}

export function worstOf(...codes: ExitCode[]): ExitCode {
  // 2 (bad input) > 1 (failed) > 3 (inconclusive) > 0.
  const rank = (c: ExitCode) => [0, 2, 3, 1][c];
  return codes.reduce((a, b) => (rank(b) > rank(a) ? b : a), EXIT.OK as ExitCode);
}

/** What a verb module gets to register itself. */
export interface CommandHost {
  io: Io;
  /** Wraps an action: builds the context from the options, maps errors to exit codes. */
  action<A extends unknown[]>(fn: (ctx: Context, ...args: A) => Promise<ExitCode>): (...args: unknown[]) => Promise<void>;
}
