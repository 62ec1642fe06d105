/** Where a command writes. Only cli/main.ts binds it to the process. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
  /** stdout is a terminal: colour and progress are allowed. */
  isTTY: boolean;
  /** Environment (NETLAB_CONFIG, USER…). */
  env: Readonly<Record<string, string | undefined>>;
  /** Where relative paths given by the user (--config, --out, --state-dir…) start. */
  cwd: string;
  /**
   * The project root: netlab.config.json is read from here and `.netlab/` (simulated labs, synth cache)
   * lives here, whatever the current directory. @default cwd
   */
  root?: string;
  /**
   * How a command waits between two polls of AWS (SSM command results, instance states). Tests and
   * transcripts pass one that returns at once. @default a timer
   */
  sleep?: (ms: number) => Promise<void>;
  /**
   * Resolves when the user asks a long-running verb (`board`) to stop (Ctrl-C), with the signal's name.
   * Only cli/main.ts binds it to the process, and only when a verb calls it. @default the verb runs until killed
   */
  untilStopped?: () => Promise<string>;
  /**
   * How a command runs another program (`lab deploy` runs `cdktf deploy`), its output going straight to
   * the terminal; resolves with its exit code. Tests pass one that records the call. @default a child process
   */
  runProgram?: ProgramRunner;
}

/** Runs `command args…` in `cwd` with `env`; resolves with its exit code (rejects if it could not start). */
export type ProgramRunner = (command: string, args: readonly string[], options: { cwd: string; env: Readonly<Record<string, string | undefined>> }) => Promise<number>;

/** The project root of an Io: its `root`, else its `cwd`. */
export function projectRoot(io: Io): string {
  return io.root ?? io.cwd;
}

export function paint(io: Io, code: "red" | "green" | "yellow" | "dim" | "bold", text: string): string {
  if (!io.isTTY || io.env.NO_COLOR) return text;
  const codes = { red: 31, green: 32, yellow: 33, dim: 2, bold: 1 } as const;
  return `\u001b[${codes[code]}m${text}\u001b[0m`;
}

/** An Io that records what was written, for tests and for embedding. */
export function bufferIo(options: Partial<Pick<Io, "isTTY" | "env" | "cwd" | "root" | "sleep" | "runProgram">> = {}): Io & { stdout: string; stderr: string } {
  const io = {
    stdout: "",
    stderr: "",
    isTTY: options.isTTY ?? false,
    env: options.env ?? {},
    cwd: options.cwd ?? process.cwd(),
    ...(options.root !== undefined ? { root: options.root } : {}),
    ...(options.sleep !== undefined ? { sleep: options.sleep } : {}),
    ...(options.runProgram !== undefined ? { runProgram: options.runProgram } : {}),
    out(text: string) {
      io.stdout += text.endsWith("\n") ? text : `${text}\n`;
    },
    err(text: string) {
      io.stderr += text.endsWith("\n") ? text : `${text}\n`;
    },
  };
  return io;
}
