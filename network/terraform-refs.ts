import { createHash } from "node:crypto";

/** The synthesized lab cannot be read or modelled. The message names the file, stack, resource or reference. */
export class SynthError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SynthError";
  }
}

/** One resource (or data source) of a synthesized stack. */
export interface TfResource {
  /** Stack name, e.g. `netlab-s01-core`. */
  stack: string;
  /** `aws_vpc`, or `data.aws_route53_zone` for data sources. */
  type: string;
  /** Logical name inside the stack. */
  name: string;
  /** The raw body, references unresolved. */
  body: Record<string, unknown>;
}

type Blocks = Record<string, Record<string, Record<string, unknown>>>;

/** A provider block's default tags: CDKTF writes a one-element list; hand-written JSON may use an object. */
type DefaultTags = { tags?: Record<string, string> } | { tags?: Record<string, string> }[];

/** A synthesized stack: `cdk.tf.json` parsed. */
export interface TfStackJson {
  resource?: Blocks;
  data?: Blocks;
  provider?: { aws?: { alias?: string; region?: string; default_tags?: DefaultTags }[] };
}

/** A parsed `type.name.attr` reference (`data.type.name.attr` for data sources). */
export interface TfReference {
  /** `aws_vpc` or `data.aws_route53_zone`. */
  type: string;
  name: string;
  /** The attribute path after the name, e.g. `id` or `names`. */
  attr: string;
}

/** Keys whose values are never read by the model and may hold shell `${…}` or HCL functions. */
const OPAQUE_KEYS = new Set(["//", "user_data", "user_data_base64", "policy", "assume_role_policy", "depends_on", "lifecycle", "provisioner", "connection"]);

/** Deterministic hex of a key: the same synth gives the same fake ids on every run. */
export function stableHex(key: string, length: number): string {
  return createHash("sha256").update(key).digest("hex").slice(0, length);
}

export function listResources(stack: string, json: TfStackJson): TfResource[] {
  const out: TfResource[] = [];
  for (const [type, byName] of Object.entries(json.resource ?? {})) {
    for (const [name, body] of Object.entries(byName)) out.push({ stack, type, name, body });
  }
  for (const [type, byName] of Object.entries(json.data ?? {})) {
    for (const [name, body] of Object.entries(byName)) out.push({ stack, type: `data.${type}`, name, body });
  }
  return out;
}

/** Splits `aws_vpc.x.id` / `data.aws_zone.x.zone_id` into its parts; undefined when it is not a plain reference. */
export function parseReference(expression: string): TfReference | undefined {
  const m = /^(data\.)?([a-z][a-z0-9_]*)\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_.]+)$/.exec(expression);
  if (!m) return undefined;
  return { type: `${m[1] ?? ""}${m[2]}`, name: m[3], attr: m[4] };
}

/** The resource a raw whole-string reference names, e.g. `aws_subnet.s` for `"${aws_subnet.s.id}"`. */
export function referencedResource(value: unknown): { type: string; name: string } | undefined {
  if (typeof value !== "string") return undefined;
  const m = /^\$\{([^}]+)\}$/.exec(value);
  const ref = m ? parseReference(m[1].trim()) : undefined;
  return ref ? { type: ref.type, name: ref.name } : undefined;
}

/**
 * Resolves `${…}` expressions inside a value (strings, lists, objects) with `lookup(expression)`.
 * A string that is exactly one expression keeps the resolved value's type (a list stays a list);
 * embedded ones are stringified. `$${` is Terraform's escape for a literal `${`.
 */
export function resolveRefs(value: unknown, lookup: (expression: string) => unknown): unknown {
  if (typeof value === "string") {
    const whole = /^\$\{([^}]+)\}$/.exec(value);
    if (whole) return lookup(whole[1].trim());
    return value.replace(/\$(\$?)\{([^}]+)\}/g, (match, escape: string, expr: string) => (escape ? match.slice(1) : String(lookup(expr.trim()))));
  }
  if (Array.isArray(value)) return value.map((v) => resolveRefs(v, lookup));
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (!OPAQUE_KEYS.has(k)) out[k] = resolveRefs(v, lookup);
    return out;
  }
  return value;
}
