import { ConfigError, loadConfig } from "./config/config";
import { EngineError, useEngine } from "./stacks/engine";
import { TopologyError } from "./topology/validate";

// The cdktf app (cdktf.json: "node --require tsx/cjs main.ts": no npx start-up, about 1 s less per synth). Per-participant values come from netlab.config.json.
try {
  // The engine (NETLAB_ENGINE) is chosen before anything loads cdktf: the stacks are required after it.
  useEngine();
  const { App } = require("cdktf") as typeof import("cdktf");
  const { synthApp } = require("./stacks/synth-app") as typeof import("./stacks/synth-app");
  const app = new App();
  // From the project root (this file's folder), whatever directory cdktf was started from.
  synthApp(app, loadConfig({ root: __dirname }));
} catch (e) {
  if (e instanceof EngineError || e instanceof ConfigError || e instanceof TopologyError) {
    process.stderr.write(`error: ${e.message}\n`);
    process.exit(2);
  }
  throw e;
}
