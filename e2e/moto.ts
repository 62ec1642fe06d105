import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { createInterface } from "node:readline";

/** The patch launcher: applies e2e/moto_patches.py's patches, then serves moto on a free loopback port. */
export const MOTO_LAUNCHER = join(__dirname, "moto_patches.py");
/** How long moto may take to import and listen (it loads AWS's managed IAM policies at start). */
export const DEFAULT_MOTO_START_TIMEOUT_MS = 60_000;

/** One patch of moto, as the launcher lists it. */
export interface EmulatorPatch {
  id: string;
  /** The AWS API action whose documented behaviour it restores. */
  api: string;
  /** The AWS API reference page. */
  reference: string;
  /** The sentence of that page the patch makes true. */
  quote: string;
}

export interface MotoServer {
  /** http://127.0.0.1:<port> */
  endpoint: string;
  patches: EmulatorPatch[];
  /** The server's process id. */
  pid: number;
  /** Stops the server and waits for it to exit; safe to call twice. */
  stop(): Promise<void>;
}

export interface StartMotoOptions {
  python?: string;
  timeoutMs?: number;
  /** Extra environment for the server. */
  env?: Record<string, string>;
}

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((r) => child.once("exit", () => r()));
}

/**
 * Starts the patched moto server. It listens on 127.0.0.1 only, on a port the OS picks, and exits when
 * its stdin closes: if this process dies, however it dies, the server goes with it.
 */
export async function startMoto(options: StartMotoOptions = {}): Promise<MotoServer> {
  const python = options.python ?? "python3";
  const timeoutMs = options.timeoutMs ?? DEFAULT_MOTO_START_TIMEOUT_MS;
  // AWS-managed policies such as AmazonSSMManagedInstanceCore exist in every account; moto loads them only when asked.
  const env = { ...process.env, MOTO_IAM_LOAD_MANAGED_POLICIES: "true", PYTHONUNBUFFERED: "1", ...options.env };
  const child = spawn(python, [MOTO_LAUNCHER], { stdio: ["pipe", "pipe", "pipe"], env });
  let stderr = "";
  child.stderr?.on("data", (d: Buffer) => {
    // Keep the tail only: moto logs every request.
    stderr = (stderr + d.toString()).slice(-20_000);
  });
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.stdin?.end();
      const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
      child.kill("SIGTERM");
      await exited(child);
      clearTimeout(timer);
    }
  };
  try {
    const first = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`moto did not start within ${timeoutMs / 1000} s`)), timeoutMs);
      createInterface({ input: child.stdout! }).once("line", (line) => {
        clearTimeout(timer);
        resolve(line);
      });
      child.once("error", (e) => {
        clearTimeout(timer);
        reject(new Error(`cannot run ${python}: ${e.message}`));
      });
      child.once("exit", (code) => {
        clearTimeout(timer);
        reject(new Error(`moto exited with code ${code} before it listened: ${stderr.trim().split("\n").slice(-5).join("\n")}`));
      });
    });
    const { port, patches } = JSON.parse(first) as { port: number; patches: EmulatorPatch[] };
    return { endpoint: `http://127.0.0.1:${port}`, patches, pid: child.pid!, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}
