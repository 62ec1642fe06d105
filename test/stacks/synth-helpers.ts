import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App, TerraformStack, Testing } from "cdktf";
import { parseConfig } from "../../config/config";
import { buildApp } from "../../stacks/app";

// test/setup.ts only imports the matchers' types; this registers them with jest.
Testing.setupJest();

/** A resource or data block as it appears in the synthesized Terraform JSON. */
export type TfBlock = Record<string, any>;

/** One stack's synthesized Terraform JSON. */
export interface TfJson {
  readonly resource: Record<string, Record<string, TfBlock>>;
  readonly data?: Record<string, Record<string, TfBlock>>;
  readonly output?: Record<string, { value: unknown; description?: string }>;
  readonly provider?: Record<string, TfBlock[]>;
  readonly terraform?: { backend?: Record<string, TfBlock> } & TfBlock;
}

/** A synthesized stack: the raw JSON string (for the cdktf matchers) and its parsed form. */
export interface SynthStack {
  readonly stack: TerraformStack;
  readonly json: string;
  readonly tf: TfJson;
}

/** An app built from a raw config object, with every stack synthesized once. */
export interface SynthApp {
  readonly app: App;
  readonly stacks: ReadonlyMap<string, SynthStack>;
}

/** Builds the app with `buildApp` from a raw config (validated by parseConfig) and synthesizes each stack. */
export function synthLab(configInput: unknown = {}): SynthApp {
  const app = new App({ outdir: mkdtempSync(join(tmpdir(), "netlab-stacks-")), skipValidation: true });
  buildApp(app, parseConfig(configInput));
  const stacks = new Map<string, SynthStack>();
  for (const child of app.node.children) {
    if (!(child instanceof TerraformStack)) continue;
    const json = Testing.synth(child);
    stacks.set(child.node.id, { stack: child, json, tf: JSON.parse(json) as TfJson });
  }
  return { app, stacks };
}

/** The named stack, or a failure that lists the stacks there are. */
export function stackOf(lab: SynthApp, name: string): SynthStack {
  const s = lab.stacks.get(name);
  if (!s) throw new Error(`No stack "${name}"; the app has: ${[...lab.stacks.keys()].join(", ")}.`);
  return s;
}

/** Every block of a resource type as [logical id, body]. */
export function resourcesOf(tf: TfJson, type: string): Array<[string, TfBlock]> {
  return Object.entries(tf.resource[type] ?? {});
}

/** Every data block of a type as [logical id, body]. */
export function dataOf(tf: TfJson, type: string): Array<[string, TfBlock]> {
  return Object.entries(tf.data?.[type] ?? {});
}

/** The single resource of a type whose `tags.Name` is `name` (fails when there are none or several). */
export function byNameTag(tf: TfJson, type: string, name: string): [string, TfBlock] {
  const found = resourcesOf(tf, type).filter(([, b]) => b.tags?.Name === name);
  if (found.length !== 1) throw new Error(`Expected exactly one ${type} tagged Name=${name}; found ${found.length}.`);
  return found[0];
}

/** The single resource of a type matching a predicate. */
export function single(tf: TfJson, type: string, pred: (b: TfBlock) => boolean, what: string): [string, TfBlock] {
  const found = resourcesOf(tf, type).filter(([, b]) => pred(b));
  if (found.length !== 1) throw new Error(`Expected exactly one ${type} (${what}); found ${found.length}.`);
  return found[0];
}

/** A Terraform interpolation of a resource attribute: `${type.id.attr}`. */
export function ref(type: string, id: string, attr: string): string {
  return `\${${type}.${id}.${attr}}`;
}

/** A Terraform interpolation of a data source attribute: `${data.type.id.attr}`. */
export function dataRef(type: string, id: string, attr: string): string {
  return `\${data.${type}.${id}.${attr}}`;
}

/** The resource an interpolation `${type.id.attr}` points at, followed in the same stack. */
export function follow(tf: TfJson, interpolation: unknown): { type: string; id: string; attr: string; block: TfBlock } {
  const m = typeof interpolation === "string" ? /^\$\{([a-z0-9_]+)\.([^.}]+)\.([a-z0-9_]+)\}$/.exec(interpolation) : null;
  if (!m) throw new Error(`Not a plain resource reference: ${JSON.stringify(interpolation)}.`);
  const [, type, id, attr] = m;
  const block = tf.resource[type]?.[id];
  if (!block) throw new Error(`The reference ${interpolation} points at no resource of this stack.`);
  return { type, id, attr, block };
}

/** User data as the instance will see it: clear text, decoded when it is base64. */
export function userDataText(instance: TfBlock): string {
  if (typeof instance.user_data === "string") return instance.user_data;
  if (typeof instance.user_data_base64 === "string") return Buffer.from(instance.user_data_base64, "base64").toString("utf8");
  return "";
}
