import { reach } from "../network/analyzer";
import type { Snapshot } from "../network/snapshot";
import { summarize, timeRuns, type Figure } from "./stats";

/**
 * One snapshot holding `n` participants' labs side by side (ids made unique per copy), as the
 * analyzer would face a class-wide model.
 */
export function classSnapshot(one: Snapshot, n: number): Snapshot {
  const copies = Array.from({ length: n }, (_, i) => {
    const text = JSON.stringify(one).replace(/"((?:vpc|subnet|rtb|acl|sg|sgr|i|eni|igw|nat|eipalloc|tgw|tgw-attach|tgw-rtb|vpce|fl)-[0-9a-zA-Z]+|Z[A-Z0-9]{20})"/g, (_m, id: string) => `"${id}x${i}"`);
    const copy = JSON.parse(text) as Snapshot;
    // Names stay unique too, so that lookups by Name stay unambiguous.
    for (const inst of copy.instances) inst.name = `${inst.name}#${i}`;
    return copy;
  });
  const merged = structuredClone(copies[0]);
  for (const key of Object.keys(merged) as (keyof Snapshot)[]) {
    if (Array.isArray(merged[key])) (merged as unknown as Record<string, unknown[]>)[key] = copies.flatMap((c) => c[key] as unknown[]);
  }
  return merged;
}

/** All-pairs reachability among the instances of each lab, plus each instance to the internet. */
export function allPairs(s: Snapshot): number {
  let queries = 0;
  const byLab = new Map<string, typeof s.instances>();
  for (const inst of s.instances) {
    const lab = inst.name.split("#")[1] ?? "0";
    byLab.set(lab, [...(byLab.get(lab) ?? []), inst]);
  }
  for (const group of byLab.values()) {
    for (const a of group) {
      reach(s, a.id, { kind: "internet" }, { protocol: "tcp", port: 443 });
      queries++;
      for (const b of group) {
        if (a === b) continue;
        reach(s, a.id, { kind: "instance", ref: b.id }, { protocol: "icmp" });
        queries++;
      }
    }
  }
  return queries;
}

export async function benchAnalyzer(one: Snapshot, sizes: readonly number[], runs: number): Promise<Record<string, Figure & { queries: number; microsecondsPerQuery: number }>> {
  const out: Record<string, Figure & { queries: number; microsecondsPerQuery: number }> = {};
  for (const n of sizes) {
    const s = classSnapshot(one, n);
    let queries = 0;
    const samples = await timeRuns(runs, () => (queries = allPairs(s)), 1);
    const figure = summarize(samples, "s");
    out[`${n}`] = { ...figure, queries, microsecondsPerQuery: Math.round((figure.median / queries) * 1e7) / 10 };
  }
  return out;
}
