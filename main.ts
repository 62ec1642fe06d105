import { App } from "cdktf";
import { ConfigError, loadConfig } from "./config/config";
import { synthApp } from "./stacks/synth-app";
import { TopologyError } from "./topology/validate";

// The cdktf app (cdktf.json: "node --require tsx/cjs main.ts": no npx start-up, about 1 s less per synth). Per-participant values come from netlab.config.json.
try {
  const app = new App();
  // From the project root (this file's folder), whatever directory cdktf was started from.
  synthApp(app, loadConfig({ root: __dirname }));
} catch (e) {
  if (e instanceof ConfigError || e instanceof TopologyError) {
    process.stderr.write(`error: ${e.message}\n`);
    process.exit(2);
  }
  throw e;
}
