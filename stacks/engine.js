"use strict";
// The CDK engine the stacks are synthesized with: CDKTF (`cdktf`, the default) or its community fork
// CDK Terrain (`cdktn`), chosen by NETLAB_ENGINE. The stacks are written once, against `cdktf` and
// `@cdktf/provider-aws/lib/<resource>`; with cdktn those package names are resolved to the fork's
// (`cdktn`, `@cdktn/provider-aws/lib/<resource>`), which keeps the same modules and classes. There is no
// second copy of any stack code, and the stacks' types stay cdktf's.
//
// Plain CommonJS so that jest.config.js and bin/lab.js can load it without a TypeScript loader.
const Module = require("node:module");

/** The engines netlab synthesizes with, and the package each name of the stacks' imports becomes. */
const ENGINES = Object.freeze({
  cdktf: Object.freeze({ cdktf: "cdktf", "@cdktf/provider-aws": "@cdktf/provider-aws" }),
  cdktn: Object.freeze({ cdktf: "cdktn", "@cdktf/provider-aws": "@cdktn/provider-aws" }),
});
const DEFAULT_ENGINE = "cdktf";
const ENGINE_ENV = "NETLAB_ENGINE";

class EngineError extends Error {
  constructor(message) {
    super(message);
    this.name = "EngineError";
  }
}

function choices() {
  return Object.keys(ENGINES)
    .map((e) => (e === DEFAULT_ENGINE ? `${e} (the default)` : e))
    .join(", ");
}

/** The engine NETLAB_ENGINE names (unset or empty: the default). Throws EngineError on any other value. */
function engineFrom(env = process.env) {
  const value = env[ENGINE_ENV];
  const engine = value === undefined || value === "" ? DEFAULT_ENGINE : value;
  if (!Object.prototype.hasOwnProperty.call(ENGINES, engine)) {
    throw new EngineError(`${ENGINE_ENV}=${JSON.stringify(value)} is not an engine netlab can synthesize with; valid choices: ${choices()}.`);
  }
  return engine;
}

/** `request` (a module name as the stacks write it) as `engine` resolves it: `cdktf/x` → `cdktn/x`, `@cdktf/provider-aws/lib/vpc` → `@cdktn/provider-aws/lib/vpc`. */
function aliasRequest(request, engine) {
  for (const [from, to] of Object.entries(ENGINES[engine])) {
    if (request === from) return to;
    if (request.startsWith(`${from}/`)) return to + request.slice(from.length);
  }
  return request;
}

/** The same aliases as jest `moduleNameMapper` entries (jest resolves modules itself, without Node's resolver). */
function jestModuleNameMapper(engine) {
  const mapper = {};
  for (const [from, to] of Object.entries(ENGINES[engine])) {
    if (from === to) continue;
    const escaped = from.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
    mapper[`^${escaped}$`] = to;
    mapper[`^${escaped}/(.*)$`] = `${to}/$1`;
  }
  return mapper;
}

let active;

/**
 * Makes this process load the engine of NETLAB_ENGINE wherever the stacks (or anything else) require
 * `cdktf` or `@cdktf/provider-aws/...`, and returns its name. Call it before anything loads cdktf:
 * one process synthesizes with one engine (a cdktf App cannot hold cdktn stacks).
 *
 * Node has no documented synchronous resolve hook on Node 20 (module.registerHooks arrived in 22.15 as a
 * release candidate), so this wraps Module._resolveFilename, the resolver that tsx's own CommonJS loader
 * wraps in the same way: https://github.com/privatenumber/tsx/blob/master/src/cjs/api/module-resolve-filename.ts
 */
function useEngine(env = process.env) {
  const engine = engineFrom(env);
  if (active !== undefined) {
    if (active !== engine) throw new EngineError(`This process already synthesizes with ${active}; it cannot switch to ${engine}.`);
    return engine;
  }
  if (engine !== DEFAULT_ENGINE) {
    const loaded = Object.keys(require.cache).find((f) => /[\\/]node_modules[\\/](cdktf|@cdktf[\\/]provider-aws)[\\/]/.test(f));
    if (loaded) throw new EngineError(`netlab bug: cdktf was loaded (${loaded}) before the engine was chosen, so ${ENGINE_ENV}=${engine} cannot apply to this process.`);
    const resolveFilename = Module._resolveFilename;
    Module._resolveFilename = function (request, ...rest) {
      return resolveFilename.call(this, typeof request === "string" ? aliasRequest(request, engine) : request, ...rest);
    };
  }
  active = engine;
  return engine;
}

/** useEngine for an entry point that has done nothing yet: on a bad NETLAB_ENGINE, the reason on stderr and exit 2. */
function useEngineOrExit(env = process.env) {
  try {
    return useEngine(env);
  } catch (e) {
    if (!(e instanceof EngineError)) throw e;
    process.stderr.write(`error: ${e.message}\n`);
    process.exit(2);
  }
}

module.exports = { DEFAULT_ENGINE, ENGINE_ENV, ENGINES, EngineError, aliasRequest, engineFrom, jestModuleNameMapper, useEngine, useEngineOrExit };

// `node stacks/engine.js`: checks NETLAB_ENGINE before a command that runs the app through another tool
// (`npm run synth`: the cdktf CLI reports any failure of the app as exit 1).
if (require.main === module) useEngineOrExit();
