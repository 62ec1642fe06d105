import { resolve } from "node:path";
import { run } from "./run";

// The only place that touches the process.
// The SDK warns on every run that its releases after January 2027 need Node 22; that is for whoever
// upgrades the lockfile (README, Development), not for an instructor in front of a class.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
// `lab … | head` closes the pipe early. Writing then stops, quietly, and the verb still finishes: a reset
// or an inject must not stop half-way because its reader went away.
const open = { stdout: true, stderr: true };
for (const name of ["stdout", "stderr"] as const) {
  process[name].on("error", (e: NodeJS.ErrnoException) => {
    if (e.code !== "EPIPE") throw e;
    open[name] = false;
  });
}
const line = (text: string) => (text.endsWith("\n") ? text : `${text}\n`);

run(process.argv.slice(2), {
  out: (text) => void (open.stdout && process.stdout.write(line(text))),
  err: (text) => void (open.stderr && process.stderr.write(line(text))),
  isTTY: Boolean(process.stdout.isTTY),
  env: process.env,
  cwd: process.cwd(),
  // Listened to only when a long-running verb asks: Ctrl-C keeps its default meaning for every other verb.
  untilStopped: () => new Promise((resolve) => (["SIGINT", "SIGTERM"] as const).forEach((s) => process.once(s, () => resolve(s)))),
  // The package folder: netlab.config.json and .netlab/ are found from any subdirectory.
  root: resolve(__dirname, ".."),
}).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`netlab internal error: ${String(e)}\n`);
    process.exitCode = 1;
  },
);
