import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { manifestProblem } from "./describe-schema";
import { DESCRIBE_LIST_KEYS, DescribeShapeError, snapshotFromDescribe, validateDescribeOutputs, type AwsDescribeKey, type AwsDescribeOutputs } from "./from-aws-describe";
import type { Snapshot } from "./snapshot";

export const MANIFEST_FILE = "manifest.json";

export interface AwsConfigsManifest {
  lab: string;
  region: string;
  /** ISO time of the describe calls. */
  time: string;
  toolVersion: string;
  /** `aws` (live describe calls) or `sim` (written from the simulated lab). */
  source?: "aws" | "sim";
}

const KNOWN = new Set(Object.keys(DESCRIBE_LIST_KEYS));
const REGION = /^[a-z]{2}(-gov)?-[a-z]+-\d$/;

/** The folder that holds the JSON files: DIR, DIR/aws_configs, or one region folder below either. */
function configsFolder(dir: string): { folder: string; region?: string } {
  if (!existsSync(dir)) throw new DescribeShapeError(`${dir} is not a folder of AWS describe outputs (it does not exist).`);
  if (!statSync(dir).isDirectory()) throw new DescribeShapeError(`${dir} is a file, not a folder of AWS describe outputs: give the folder that \`lab snapshot save --out\` wrote (or Batfish's snapshot folder).`);
  const base = existsSync(join(dir, "aws_configs")) ? join(dir, "aws_configs") : dir;
  const hasJson = (d: string) => readdirSync(d).some((f) => KNOWN.has(f.replace(/\.json$/, "")));
  if (hasJson(base)) return { folder: base };
  const regions = readdirSync(base).filter((f) => REGION.test(f) && statSync(join(base, f)).isDirectory());
  if (regions.length === 1) return { folder: join(base, regions[0]), region: regions[0] };
  if (regions.length > 1) throw new DescribeShapeError(`${base} holds several regions (${regions.join(", ")}); point --aws-configs at one of them.`);
  throw new DescribeShapeError(`${dir} holds no AWS describe outputs (expected files such as Vpcs.json, Subnets.json, RouteTables.json).`);
}

/** Reads every known file; unknown files are ignored, a malformed one is an error naming it. */
export function readAwsConfigs(dir: string): { outputs: AwsDescribeOutputs; manifest?: AwsConfigsManifest; region?: string; folder: string } {
  const { folder, region } = configsFolder(dir);
  const outputs: Record<string, unknown> = {};
  for (const file of readdirSync(folder)) {
    const key = file.replace(/\.json$/, "");
    if (!file.endsWith(".json") || !KNOWN.has(key)) continue;
    try {
      outputs[key] = JSON.parse(readFileSync(join(folder, file), "utf8"));
    } catch (e) {
      throw new DescribeShapeError(`${join(folder, file)} is not valid JSON: ${(e as Error).message}`);
    }
  }
  const manifestPath = [join(folder, MANIFEST_FILE), join(dir, MANIFEST_FILE)].find(existsSync);
  return { outputs: outputs as AwsDescribeOutputs, manifest: manifestPath ? readManifest(manifestPath) : undefined, region, folder };
}

function readManifest(file: string): AwsConfigsManifest {
  let content: unknown;
  try {
    content = JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    throw new DescribeShapeError(`${file} is not valid JSON: ${(e as Error).message}`);
  }
  const problem = manifestProblem(content, file);
  if (problem) throw new DescribeShapeError(problem);
  return content as AwsConfigsManifest;
}

/** The region of a saved snapshot: the manifest, else the region folder, else the subnets' AZs. */
function regionOf(outputs: AwsDescribeOutputs, manifest?: AwsConfigsManifest, folderRegion?: string): string {
  if (manifest?.region) return manifest.region;
  if (folderRegion) return folderRegion;
  const az = (outputs.Subnets?.Subnets ?? [])[0]?.AvailabilityZone;
  return az ? az.replace(/[a-z]$/, "") : "unknown";
}

/** Loads a saved AWS snapshot (Batfish's layout) into the snapshot model. */
export function loadAwsConfigs(dir: string, options: { lab?: string } = {}): Snapshot {
  const { outputs, manifest, region, folder } = readAwsConfigs(dir);
  validateDescribeOutputs(outputs, (key) => join(folder, `${key}.json`));
  return snapshotFromDescribe(outputs, {
    lab: options.lab ?? manifest?.lab ?? basename(dir),
    region: regionOf(outputs, manifest, region),
    source: "aws-configs",
    fileOf: (key) => join(folder, `${key}.json`),
  });
}

/** Writes describe outputs in the same layout, with a manifest. Returns the files written. */
export function writeAwsConfigs(dir: string, outputs: AwsDescribeOutputs, manifest: AwsConfigsManifest): string[] {
  mkdirSync(dir, { recursive: true });
  const written: string[] = [];
  for (const key of Object.keys(DESCRIBE_LIST_KEYS) as AwsDescribeKey[]) {
    if (outputs[key] === undefined) continue;
    const file = join(dir, `${key}.json`);
    writeFileSync(file, `${JSON.stringify(outputs[key], null, 1)}\n`);
    written.push(file);
  }
  const m = join(dir, MANIFEST_FILE);
  writeFileSync(m, `${JSON.stringify(manifest, null, 2)}\n`);
  return [...written, m];
}
