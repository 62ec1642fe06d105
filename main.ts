import { App } from "cdktf";
import { ConfigError, loadConfig } from "./config/config";
import { buildApp } from "./stacks/app";
import { TopologyError } from "./topology/validate";

// The cdktf app (cdktf.json: "npx tsx main.ts"). Per-participant values come from netlab.config.json.
try {
  const app = new App();
  // From the project root (this file's folder), whatever directory cdktf was started from.
  buildApp(app, loadConfig({ root: __dirname }));
  app.synth();
} catch (e) {
  if (e instanceof ConfigError || e instanceof TopologyError) {
    process.stderr.write(`error: ${e.message}\n`);
    process.exit(2);
  }
  throw e;
}
