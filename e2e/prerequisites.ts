import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { runProcess } from "./processes";

/** Where the offline filesystem mirror of the AWS provider lives on these machines. */
export const DEFAULT_PLUGIN_DIR = "/opt/tf-plugins";
export const PROVIDER_SOURCE = "registry.terraform.io/hashicorp/aws";

export interface Prerequisites {
  python: string;
  terraform: string;
  pluginDir: string;
  /** The provider version the mirror holds (the newest, if several). */
  providerVersion: string;
}

/** The AWS provider versions a filesystem mirror holds (its `<host>/<namespace>/<type>/<version>/` folders). */
export function mirrorVersions(pluginDir: string): string[] {
  const dir = join(pluginDir, PROVIDER_SOURCE);
  if (!existsSync(dir)) return [];
  const key = (v: string) => v.split(".").map((n) => n.padStart(6, "0")).join(".");
  return readdirSync(dir)
    .filter((v) => /^\d+\.\d+\.\d+$/.test(v))
    .sort((a, b) => key(a).localeCompare(key(b)));
}

/**
 * Checks that moto, terraform and the provider mirror are there. Returns what it found, or throws one
 * error that names everything missing and how to get it (CI must fail, never skip).
 */
export async function checkPrerequisites(env: NodeJS.ProcessEnv = process.env): Promise<Prerequisites> {
  const python = env.NETLAB_E2E_PYTHON ?? "python3";
  const terraform = env.NETLAB_E2E_TERRAFORM ?? "terraform";
  const pluginDir = env.NETLAB_E2E_PLUGIN_DIR ?? DEFAULT_PLUGIN_DIR;
  const missing: string[] = [];
  const moto = await runProcess(python, ["-c", "import moto, moto.server; print(moto.__version__)"], { env, timeoutMs: 60_000 });
  if (moto.code !== 0) missing.push(`moto (with its server) for ${python}: \`${python} -c "import moto.server"\` failed (${(moto.stderr.trim().split("\n").pop() ?? "").slice(0, 200)}); install it with \`pip install 'moto[server]'\` or set NETLAB_E2E_PYTHON`);
  const tf = await runProcess(terraform, ["version"], { env, timeoutMs: 30_000 });
  if (tf.code !== 0) missing.push(`terraform: \`${terraform} version\` failed (${tf.stderr.trim().slice(0, 200)}); install Terraform ≥ 1.10 or set NETLAB_E2E_TERRAFORM`);
  const versions = mirrorVersions(pluginDir);
  if (!versions.length) missing.push(`the offline AWS provider mirror: no ${PROVIDER_SOURCE}/<version>/ under ${pluginDir}; set NETLAB_E2E_PLUGIN_DIR to the mirror root`);
  if (missing.length) throw new PrerequisiteError(missing);
  return { python, terraform, pluginDir, providerVersion: versions[versions.length - 1] };
}

export class PrerequisiteError extends Error {
  constructor(readonly missing: string[]) {
    super(`The emulator end-to-end run cannot start; missing:\n${missing.map((m) => `  - ${m}`).join("\n")}`);
    this.name = "PrerequisiteError";
  }
}
