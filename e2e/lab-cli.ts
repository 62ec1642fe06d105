import { join, resolve } from "node:path";
import { run } from "../cli/run";
import { bufferIo } from "../cli/io";
import { runProcess } from "./processes";

const ROOT = resolve(__dirname, "..");
const LAB_BIN = join(ROOT, "bin", "lab.js");

export interface LabRun {
  argv: string[];
  exit: number;
  stdout: string;
  stderr: string;
  seconds: number;
  /** stdout parsed, when it was JSON. */
  json?: unknown;
}

function parsed(stdout: string): unknown {
  try {
    return JSON.parse(stdout);
  } catch {
    return undefined;
  }
}

/** The real `lab` command, as an instructor runs it (bin/lab.js in a process of its own), on the AWS backend. */
export async function lab(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<LabRun> {
  const r = await runProcess(process.execPath, [LAB_BIN, ...argv], { cwd: ROOT, env, timeoutMs: 300_000 });
  return { argv: [...argv], exit: r.code, stdout: r.stdout, stderr: r.stderr, seconds: r.seconds, json: parsed(r.stdout) };
}

/**
 * The CLI's core (`run(argv, io)`, what bin/lab.js calls) in this process, on the AWS backend: the same
 * verbs, options and output without a Node start-up per verb. The process's environment must already point
 * the SDK at the emulator (the harness sets it).
 */
export async function labInProcess(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<LabRun> {
  const io = bufferIo({ env, cwd: ROOT, root: ROOT });
  const started = Date.now();
  const exit = await run([...argv], io);
  return { argv: [...argv], exit, stdout: io.stdout, stderr: io.stderr, seconds: (Date.now() - started) / 1000, json: parsed(io.stdout) };
}

/** The same CLI core, in this process, on the simulator (`--offline`): the reference the emulator's verdicts are compared with. */
export async function simLab(argv: readonly string[], env: NodeJS.ProcessEnv, stateDir: string): Promise<LabRun> {
  const io = bufferIo({ env, cwd: ROOT, root: ROOT });
  const started = Date.now();
  const all = [...argv, "--offline", "--state-dir", stateDir];
  const exit = await run(all, io);
  return { argv: all, exit, stdout: io.stdout, stderr: io.stderr, seconds: (Date.now() - started) / 1000, json: parsed(io.stdout) };
}
