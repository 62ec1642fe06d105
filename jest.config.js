const { availableParallelism } = require("node:os");
const { engineFrom, jestModuleNameMapper } = require("./stacks/engine");

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  // Fast transform, no type-check inside jest: `npm run typecheck` is its own step.
  transform: { "^.+\\.ts$": ["@swc/jest", { jsc: { target: "es2022", parser: { syntax: "typescript" } } }] },
  // NETLAB_ENGINE=cdktn runs the suite on CDK Terrain: jest resolves modules itself, so the engine's aliases are given to it here.
  moduleNameMapper: jestModuleNameMapper(engineFrom(process.env)),
  setupFilesAfterEnv: ["<rootDir>/test/setup.ts"],
  testTimeout: 60000,
  // Jest's default (cores - 1) runs in band on a 2-core machine; many suites wait on child processes, so two
  // workers finish the suite about 1.3× sooner there (BENCHMARKS.md). Larger machines keep the default.
  maxWorkers: Math.max(2, availableParallelism() - 1),
};
