import { Command, CommanderError } from "commander";
import { classifyError, EXIT, type ExitCode } from "./exit-codes";
import { makeContext, type CommonOptions } from "./context";
import type { CommandHost } from "./common";
import { hintingIo } from "./hints";
import type { Io } from "./io";
import { VERSION } from "./version";
import { registerBoard } from "./commands/board";
import { registerBrief } from "./commands/brief";
import { registerCheck } from "./commands/check";
import { registerCost } from "./commands/cost";
import { registerDeploy } from "./commands/deploy";
import { registerDiagram } from "./commands/diagram";
import { registerExplain } from "./commands/explain";
import { registerInject } from "./commands/inject";
import { registerLeftovers } from "./commands/leftovers";
import { registerList } from "./commands/list";
import { registerPreflight } from "./commands/preflight";
import { registerRehearse } from "./commands/rehearse";
import { registerReset } from "./commands/reset";
import { registerSnapshot } from "./commands/snapshot";
import { registerSolve } from "./commands/solve";
import { registerStatus } from "./commands/status";
import { registerTry } from "./commands/try";


/** The `lab` command: parses argv, runs one verb, returns its exit code. Touches no process state. */
export async function run(argv: readonly string[], io: Io): Promise<ExitCode> {
  let exitCode: ExitCode = EXIT.OK;
  const program = new Command("lab")
    .description("netlab: deploy, break, grade and reset an AWS networking lab — offline (--offline) or on AWS.")
    .version(VERSION)
    .exitOverride()
    .showHelpAfterError("(run lab --help for the verbs)")
    .configureOutput({ writeOut: (s) => io.out(s.replace(/\n$/, "")), writeErr: (s) => io.err(s.replace(/\n$/, "")) });
  const host: CommandHost = {
    io,
    action(fn) {
      return async (...args: unknown[]) => {
        const cmd = args[args.length - 1] as Command;
        const options = cmd.optsWithGlobals() as CommonOptions;
        // A synth dir only describes the simulated lab: with it, a verb never goes to AWS.
        if (options.synthDir !== undefined) options.offline = true;
        // Every `lab …` command the verb suggests keeps the flags that chose this lab (--offline, --config…).
        const hinting = hintingIo(io, options);
        try {
          const ctx = makeContext(hinting, options);
          exitCode = await (fn as (c: typeof ctx, ...a: unknown[]) => Promise<ExitCode>)(ctx, ...args.slice(0, -1));
        } catch (e) {
          const { code, message } = classifyError(e, options.lab ?? (e as { lab?: string }).lab);
          hinting.err(message);
          exitCode = code;
        }
      };
    },
  };
  for (const register of [
    registerList,
    registerBrief,
    registerInject,
    registerCheck,
    registerSolve,
    registerTry,
    registerReset,
    registerStatus,
    registerRehearse,
    registerExplain,
    registerDiagram,
    registerSnapshot,
    registerPreflight,
    registerDeploy,
    registerCost,
    registerLeftovers,
    registerBoard,
  ]) {
    register(program, host);
  }
  program.commands.forEach((c) => c.exitOverride());
  try {
    await program.parseAsync([...argv], { from: "user" });
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version exit 0; any other parse error is the user's input.
      return e.exitCode === 0 || e.code === "commander.helpDisplayed" || e.code === "commander.version" ? EXIT.OK : EXIT.USAGE;
    }
    const { code, message } = classifyError(e);
    io.err(message);
    return code;
  }
  return exitCode;
}
