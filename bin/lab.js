#!/usr/bin/env node
// The `lab` bin: runs the TypeScript CLI through tsx's loader, so `npx lab` needs no build step.
require("tsx/cjs");
// The engine (NETLAB_ENGINE) is chosen before the CLI can load cdktf to synthesize the lab.
const { EngineError, useEngine } = require("../stacks/engine");
try {
  useEngine();
} catch (e) {
  if (!(e instanceof EngineError)) throw e;
  process.stderr.write(`error: ${e.message}\n`);
  process.exit(2);
}
require("../cli/main.ts");
