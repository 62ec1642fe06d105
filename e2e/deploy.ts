import { existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { applyEmulatorOverride, type EmulatorOverride } from "./override";
import { runProcess, type ProcessResult } from "./processes";

const ROOT = resolve(__dirname, "..");

/**
 * The CLI that drives the engine: `cdktf` (CDK for Terraform) or `cdktn` (CDK Terrain, its community fork, same
 * commands). NETLAB_ENGINE tells the app which library synthesizes the stacks. Without the cdktn CLI (cdktn-cli
 * needs Node >= 22.19 and is not a dependency of this project), the cdktf CLI runs the same app with CDK Terrain
 * inside it: the CLI only runs the app and Terraform, so the stacks deployed are CDK Terrain's.
 */
export function engineCli(engine: string, root = ROOT): string {
  const bin = (name: string) => join(root, "node_modules", ".bin", name);
  if (engine === "cdktn") {
    if (!existsSync(join(root, "node_modules", "cdktn"))) throw new Error(`The cdktn engine is not installed (${join(root, "node_modules", "cdktn")}): run npm ci, or use --engine cdktf.`);
    if (existsSync(bin("cdktn"))) return bin("cdktn");
  }
  if (!existsSync(bin("cdktf"))) throw new Error(`The cdktf CLI is not installed (${bin("cdktf")}): run npm ci.`);
  return bin("cdktf");
}

export interface DeployEnvironment {
  /** The folder the run owns: cdktf output, Terraform CLI config, state. */
  workDir: string;
  /** The netlab config of the one participant. */
  configFile: string;
  pluginDir: string;
  /** cdktf | cdktn: passed to the app as NETLAB_ENGINE. */
  engine: string;
  /** Environment with the emulator's endpoint and dummy credentials. */
  env: NodeJS.ProcessEnv;
}

/**
 * A Terraform CLI config that installs hashicorp/aws from the offline filesystem mirror only (no
 * registry is reachable) and everything else as usual.
 * https://developer.hashicorp.com/terraform/cli/config/config-file#provider-installation
 */
export function terraformCliConfig(pluginDir: string): string {
  return [
    "provider_installation {",
    "  filesystem_mirror {",
    `    path    = ${JSON.stringify(pluginDir)}`,
    '    include = ["registry.terraform.io/hashicorp/aws"]',
    "  }",
    "  direct {",
    '    exclude = ["registry.terraform.io/hashicorp/aws"]',
    "  }",
    "}",
    "",
  ].join("\n");
}

/** The environment cdktf and terraform run with: the mirror, no telemetry, the engine, the config. */
export function cdktfEnv(d: DeployEnvironment): NodeJS.ProcessEnv {
  const tfrc = join(d.workDir, "terraform.rc");
  writeFileSync(tfrc, terraformCliConfig(d.pluginDir));
  return {
    ...d.env,
    TF_CLI_CONFIG_FILE: tfrc,
    TF_IN_AUTOMATION: "1",
    CHECKPOINT_DISABLE: "1",
    CDKTF_DISABLE_PLUGIN_CACHE_ENV: "1",
    NETLAB_CONFIG: d.configFile,
    NETLAB_ENGINE: d.engine,
    CI: "1",
  };
}

const outDir = (d: DeployEnvironment) => join(d.workDir, "cdktf.out");

/** The synthesized stacks' folders (`<out>/stacks/<name>`). */
export function stackDirs(d: DeployEnvironment): string[] {
  const dir = join(outDir(d), "stacks");
  return existsSync(dir) ? readdirSync(dir).sort().map((s) => join(dir, s)) : [];
}

/** `cdktf synth` of the app (the real one, through cdktf.json), then the emulator override on every stack. */
export async function synthForEmulator(d: DeployEnvironment, override: EmulatorOverride): Promise<ProcessResult & { stacks: string[] }> {
  const r = await runProcess(engineCli(d.engine), ["synth", "--output", outDir(d)], { cwd: ROOT, env: cdktfEnv(d), timeoutMs: 180_000 });
  if (r.code !== 0) return { ...r, stacks: [] };
  const stacks = stackDirs(d);
  for (const dir of stacks) {
    const file = join(dir, "cdk.tf.json");
    writeFileSync(file, JSON.stringify(applyEmulatorOverride(JSON.parse(readFileSync(file, "utf8")), override), null, 2));
  }
  return { ...r, stacks: stacks.map((s) => s.split("/").pop() ?? s) };
}

/** `cdktf deploy` or `cdktf destroy` (or the cdktn equivalents) of the synthesized (and overridden) stacks: no second synth. */
export function cdktf(d: DeployEnvironment, verb: "deploy" | "destroy", stacks: readonly string[], onLine?: (l: string) => void): Promise<ProcessResult> {
  const args = [verb, ...stacks, "--skip-synth", "--output", outDir(d), "--auto-approve", "--no-color", "--terraform-parallelism", "20"];
  if (verb === "deploy") args.push("--skip-provider-lock");
  return runProcess(engineCli(d.engine), args, { cwd: ROOT, env: cdktfEnv(d), timeoutMs: 600_000, onLine });
}

/** Managed resource instances in the stacks' local Terraform state. */
export function resourcesInState(d: DeployEnvironment): number {
  let n = 0;
  for (const dir of stackDirs(d)) {
    const state = readdirSync(dir).find((f) => f.endsWith(".tfstate"));
    if (!state) continue;
    const json = JSON.parse(readFileSync(join(dir, state), "utf8")) as { resources?: { mode: string; instances: unknown[] }[] };
    for (const r of json.resources ?? []) if (r.mode === "managed") n += r.instances.length;
  }
  return n;
}
