#!/usr/bin/env node
// The `lab` bin: runs the TypeScript CLI through tsx's loader, so `npx lab` needs no build step.
require("tsx/cjs");
require("../cli/main.ts");
