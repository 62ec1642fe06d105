/** One API call as a mocked account recorded it. */
export interface TimedCall {
  command: string;
  input: unknown;
  /** When it was made (ms). */
  at: number;
}

/** The most of `times` that fall in any window [t, t + windowMs): counted, not derived from a sleep setting. */
export function maxInAnyWindow(times: readonly number[], windowMs = 1000): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  let first = 0;
  for (let last = 0; last < sorted.length; last++) {
    while (sorted[last] - sorted[first] >= windowMs) first++;
    best = Math.max(best, last - first + 1);
  }
  return best;
}

/** The times of calls of `command`, by the CommandId they name. */
function timesByCommandId(calls: readonly TimedCall[], command: string): number[][] {
  const byId = new Map<string, number[]>();
  for (const c of calls) {
    if (c.command !== command) continue;
    const id = String((c.input as { CommandId?: string }).CommandId ?? "");
    byId.set(id, [...(byId.get(id) ?? []), c.at]);
  }
  return [...byId.values()];
}

/** For calls of `command`, the most that name one CommandId in any second (0 when there were none). */
export function maxPerCommandIdPerSecond(calls: readonly TimedCall[], command: string): number {
  return Math.max(0, ...timesByCommandId(calls, command).map((times) => maxInAnyWindow(times)));
}

/** For calls of `command`, the shortest time between two that name the same CommandId (undefined: never twice). */
export function minGapPerCommandId(calls: readonly TimedCall[], command: string): number | undefined {
  const gaps = timesByCommandId(calls, command).flatMap((times) => {
    const sorted = [...times].sort((a, b) => a - b);
    return sorted.slice(1).map((t, i) => t - sorted[i]);
  });
  return gaps.length ? Math.min(...gaps) : undefined;
}

/** The smallest and largest of some counts. */
export interface Range {
  min: number;
  max: number;
}

export function rangeOf(values: readonly number[]): Range {
  return values.length ? { min: Math.min(...values), max: Math.max(...values) } : { min: 0, max: 0 };
}

/** Per command name, the range of its count over participants (a participant that never made it counts 0). */
export function callTable(perParticipant: readonly ReadonlyMap<string, number>[]): Record<string, Range> {
  const names = [...new Set(perParticipant.flatMap((m) => [...m.keys()]))].sort();
  return Object.fromEntries(names.map((name) => [name, rangeOf(perParticipant.map((m) => m.get(name) ?? 0))]));
}
