/** Types of engine.js (plain CommonJS, loaded by jest.config.js and bin/lab.js without a TypeScript loader). */
export type EngineName = "cdktf" | "cdktn";
export declare const DEFAULT_ENGINE: "cdktf";
export declare const ENGINE_ENV: "NETLAB_ENGINE";
/** Per engine, the package each package name the stacks import becomes. */
export declare const ENGINES: Readonly<Record<EngineName, Readonly<Record<"cdktf" | "@cdktf/provider-aws", string>>>>;
/** A NETLAB_ENGINE that names no engine (the user's), or an engine chosen too late in a process (netlab's). */
export declare class EngineError extends Error {}
export declare function engineFrom(env?: NodeJS.ProcessEnv): EngineName;
export declare function aliasRequest(request: string, engine: EngineName): string;
export declare function jestModuleNameMapper(engine: EngineName): Record<string, string>;
export declare function useEngine(env?: NodeJS.ProcessEnv): EngineName;
export declare function useEngineOrExit(env?: NodeJS.ProcessEnv): EngineName;
