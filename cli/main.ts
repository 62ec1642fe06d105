import { resolve } from "node:path";
import { run } from "./run";

// The only place that touches the process.
// The SDK warns on every run that its releases after January 2027 need Node 22; that is for whoever
// upgrades the lockfile (README, Development), not for an instructor in front of a class.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
run(process.argv.slice(2), {
  out: (text) => process.stdout.write(text.endsWith("\n") ? text : `${text}\n`),
  err: (text) => process.stderr.write(text.endsWith("\n") ? text : `${text}\n`),
  isTTY: Boolean(process.stdout.isTTY),
  env: process.env,
  cwd: process.cwd(),
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
