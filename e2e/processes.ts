import { spawn, type ChildProcess } from "node:child_process";

export interface ProcessResult {
  code: number;
  stdout: string;
  stderr: string;
  seconds: number;
}

export interface RunProcessOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Killed after this long (its result then has code 124, as timeout(1) reports). */
  timeoutMs?: number;
  /** Each line of output as it comes (progress for a long deploy). */
  onLine?: (line: string) => void;
}

/** Children still running: the harness's Ctrl-C handler ends them before it stops moto. */
export const running = new Set<ChildProcess>();

/** Runs a command to its end and captures its output; never throws for a non-zero exit. */
export function runProcess(command: string, args: readonly string[], options: RunProcessOptions = {}): Promise<ProcessResult> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ["ignore", "pipe", "pipe"] });
    running.add(child);
    let stdout = "";
    let stderr = "";
    let partial = "";
    child.stdout!.on("data", (d: Buffer) => {
      stdout += d.toString();
      if (options.onLine) {
        const lines = (partial + d.toString()).split("\n");
        partial = lines.pop() ?? "";
        lines.forEach(options.onLine);
      }
    });
    child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
    let timedOut = false;
    const timer = options.timeoutMs ? setTimeout(() => ((timedOut = true), child.kill("SIGTERM")), options.timeoutMs) : undefined;
    const done = (code: number) => {
      if (timer) clearTimeout(timer);
      running.delete(child);
      resolve({ code: timedOut ? 124 : code, stdout, stderr: timedOut ? `${stderr}\n(killed after ${options.timeoutMs! / 1000} s)` : stderr, seconds: (Date.now() - started) / 1000 });
    };
    child.once("error", (e) => done(((stderr += `cannot run ${command}: ${e.message}`), 127)));
    child.once("close", (code, signal) => done(code ?? (signal ? 128 : 1)));
  });
}

/** Ends every child still running (SIGTERM). */
export function stopRunning(): void {
  for (const child of running) child.kill("SIGTERM");
}
