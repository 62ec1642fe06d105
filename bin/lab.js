#!/usr/bin/env node
// The `lab` bin: runs the TypeScript CLI through tsx's loader, so `npx lab` needs no build step.
require("tsx/cjs");
// The engine (NETLAB_ENGINE) is chosen before the CLI can load cdktf to synthesize the lab.
require("../stacks/engine").useEngineOrExit();
require("../cli/main.ts");
