import { createHash } from "node:crypto";

/** One resource (or data source) of a synthesized stack. */
export interface TfResource {
  stack: string;
  /** `aws_vpc`, or `data.aws_route53_zone` for data sources. */
  type: string;
  name: string;
  body: Record<string, unknown>;
}

/** A synthesized stack: `cdk.tf.json` parsed. */
export interface TfStackJson {
  resource?: Record<string, Record<string, Record<string, unknown>>>;
  data?: Record<string, Record<string, Record<string, unknown>>>;
  provider?: { aws?: { default_tags?: { tags?: Record<string, string> }[]; region?: string }[] };
}

const REF = /\$\{([^}]+)\}/g;

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

/**
 * Resolves `${type.name.attr}` references inside a value (strings, lists, objects), using
 * `lookup(expression)` for each expression. Whole-string references keep the resolved value's type.
 */
export function resolveRefs(value: unknown, lookup: (expression: string) => unknown): unknown {
  if (typeof value === "string") {
    const whole = /^\$\{([^}]+)\}$/.exec(value);
    if (whole) return lookup(whole[1].trim());
    return value.replace(REF, (_m, expr: string) => String(lookup(expr.trim())));
  }
  if (Array.isArray(value)) return value.map((v) => resolveRefs(v, lookup));
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (k !== "//") out[k] = resolveRefs(v, lookup);
    return out;
  }
  return value;
}
