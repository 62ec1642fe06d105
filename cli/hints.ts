import type { CommonOptions } from "./context";
import type { Io } from "./io";

/** A value as a shell word: as is when plain, else single-quoted. */
export function shellWord(value: string): string {
  return /^[A-Za-z0-9_./:=@%+,-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * The flags that chose the lab a command worked on, in the order a user types them: a hint printed
 * without them would, pasted, work on another lab (the AWS one instead of the simulated one, another
 * config, another state dir) or fail with a credentials error.
 */
export function labFlags(options: CommonOptions): string[][] {
  const flags: string[][] = [];
  if (options.offline) flags.push(["--offline"]);
  if (options.config !== undefined) flags.push(["--config", options.config]);
  if (options.synthDir !== undefined) flags.push(["--synth-dir", options.synthDir]);
  if (options.stateDir !== undefined) flags.push(["--state-dir", options.stateDir]);
  return flags;
}

/**
 * Adds the lab flags to every command netlab suggests in backquotes (`lab reset X --lab s01`), unless the
 * command already has them. Lower layers (lifecycle, ledger) word their hints without knowing the flags;
 * this is the one place that knows them. In JSON output the hint sits inside a JSON string: what is added
 * is escaped for it.
 */
export function withLabFlags(text: string, flags: readonly (readonly string[])[], json = false): string {
  if (!flags.length) return text;
  return text.replace(/`lab ([^`\n]*)`/g, (_whole, command: string) => {
    const words = command.split(/\s+/);
    const missing = flags.filter(([flag]) => !words.includes(flag)).map((f) => f.map(shellWord).join(" "));
    if (!missing.length) return `\`lab ${command}\``;
    const added = ` ${missing.join(" ")}`;
    return `\`lab ${command}${json ? JSON.stringify(added).slice(1, -1) : added}\``;
  });
}

/** An Io whose hints keep the lab flags of these options. */
export function hintingIo(io: Io, options: CommonOptions): Io {
  const flags = labFlags(options);
  if (!flags.length) return io;
  return {
    ...io,
    out: (text) => io.out(withLabFlags(text, flags, Boolean(options.json))),
    err: (text) => io.err(withLabFlags(text, flags)),
  };
}
