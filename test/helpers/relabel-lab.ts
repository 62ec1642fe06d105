import { createHash } from "node:crypto";
import type { Snapshot } from "../../network/snapshot";

/** Keys whose values are a resource's own id (every other id in a snapshot refers to one of these). */
const ID_KEYS = new Set(["id", "arn", "eniId", "allocationId", "dnsName"]);

/** The same hex length and case, from a hash of the lab and the old value. */
function rehex(value: string, lab: string): string {
  const runs = [...value.matchAll(/[0-9a-fA-F]{8,}/g)];
  const last = runs[runs.length - 1];
  if (!last || last.index === undefined) return `${value}-${lab}`;
  const run = last[0];
  const h = createHash("sha256").update(`${lab}|${value}`).digest("hex").slice(0, run.length);
  return value.slice(0, last.index) + (/[A-F]/.test(run) ? h.toUpperCase() : h) + value.slice(last.index + run.length);
}

/**
 * The same lab as another participant would have it: every resource id replaced by one of its own (the
 * same in every reference), the `netlab:lab` tag and the lab's name in ARNs set to `lab`. Names stay
 * the same, as they do between participants. Several labs can then live in one mocked account.
 */
export function relabelLab(s: Snapshot, lab: string): Snapshot {
  const from = s.lab;
  const ids = new Map<string, string>([[from, lab]]);
  const collect = (v: unknown, key?: string): void => {
    if (typeof v === "string" && key && ID_KEYS.has(key)) ids.set(v, rehex(v, lab));
    else if (Array.isArray(v)) v.forEach((x) => collect(x));
    else if (v && typeof v === "object") for (const [k, x] of Object.entries(v)) collect(x, k);
  };
  collect(s);
  return JSON.parse(JSON.stringify(s), (_key, v: unknown) => (typeof v === "string" ? (ids.get(v) ?? v.replaceAll(`netlab-${from}-`, `netlab-${lab}-`)) : v)) as Snapshot;
}
