import { createHash } from "node:crypto";
import { compareSteadyState, type SteadyStateComparison, type SteadyStateEffect } from "../checks/collateral";
import { STEADY_STATE_VERSION, steadyState, type SteadyFact, type SteadyState } from "../checks/steady-state";
import type { LabCloud, ProbeRequest, ProbeResult } from "../cloud/port";
import type { Snapshot } from "../network/snapshot";
import { SCENARIOS } from "../scenarios";

export { compareSteadyState, type CollateralEntry, type SteadyStateComparison, type SteadyStateEffect } from "../checks/collateral";
export { steadyState, type SteadyFact, type SteadyState } from "../checks/steady-state";

/** Why no comparison was made: the backend knows no baseline. Reported, never silently a pass. */
export interface NotCompared {
  status: "not-compared";
  reason: string;
  /** The backend has a baseline but it could not be read: the grade cannot tell, so it is inconclusive at best. */
  unreadable?: true;
}

const memo = new WeakMap<Snapshot, SteadyState>();
/** Steady states by the exact content of their snapshot: a lab graded again unchanged (rehearse's steps) costs a hash. */
const byContent = new Map<string, SteadyState>();
const BY_CONTENT_LIMIT = 64;

/**
 * The steady state of a snapshot, derived once per content in this process: the key is a hash of the whole
 * snapshot, so any difference (a route, a tag, an alarm's time) derives it anew. Callers never change it.
 */
export function steadyStateByContent(s: Snapshot): SteadyState {
  const key = createHash("sha256").update(JSON.stringify(s)).digest("base64");
  const hit = byContent.get(key);
  if (hit) return hit;
  const state = steadyState(s);
  if (byContent.size >= BY_CONTENT_LIMIT) byContent.delete(byContent.keys().next().value as string);
  byContent.set(key, state);
  return state;
}

/** The steady state of a snapshot nobody changes (a baseline), derived once per snapshot object. */
export function steadyStateOf(s: Snapshot): SteadyState {
  let state = memo.get(s);
  if (!state) memo.set(s, (state = steadyStateByContent(s)));
  return state;
}

/** A probe's answer to a fact the control plane could not tell; a probe that could not run leaves it unknown. */
function fromProbe(s: Snapshot, f: SteadyFact, r: ProbeResult | undefined): SteadyFact {
  const { probe: _probe, opaque: _opaque, ...rest } = f;
  if (!r || !r.ran) return { ...rest, ok: undefined, value: "unknown", detail: `the probe could not run: ${r && !r.ran ? r.reason : "no answer"}` };
  const o = r.observation;
  // The control plane shows the path open up to the instance it cannot see into: the probe's failure lies there.
  const blocked = (detail: string): SteadyFact => ({ ...rest, ok: false, value: "blocked", blockedBy: { component: f.opaque ?? f.from, reason: f.opaque ? "NAT_NOT_FORWARDING" : "UNMODELED_TARGET", detail } });
  if (f.kind === "internet") {
    if (o.httpStatus !== 200) return blocked(`the probe from ${f.from} got ${o.httpStatus ? `HTTP ${o.httpStatus}` : (o.error ?? "no answer")}`);
    const ip = o.egressIp;
    const exit = s.natGateways.find((n) => n.publicIp === ip)?.name ?? s.instances.find((i) => i.publicIp === ip || s.elasticIps.some((e) => e.publicIp === ip && (e.instanceId === i.id || e.eniId === i.eniId)))?.name;
    // The value names the way out when the IP is the lab's; else the IP itself is the value (no detail repeats it).
    return { ...rest, ok: true, value: exit ? `via ${exit}` : `egress IP ${ip ?? "unknown"}`, ...(ip && exit ? { detail: `egress IP ${ip}` } : {}) };
  }
  if (f.kind === "alb") return o.httpStatus === 200 ? { ...rest, ok: true, value: "reachable" } : blocked(`the probe from ${f.from} to the ALB got ${o.httpStatus ? `HTTP ${o.httpStatus}` : (o.error ?? "no answer")}`);
  return o.connected ? { ...rest, ok: true, value: "reachable" } : blocked(`the ping from ${f.from} got ${o.error ?? "no answer"}`);
}

/**
 * The lab's steady state now: the analyzer's answers on `snapshot`, and for the facts the control plane
 * cannot tell (on AWS, a path through an instance whose OS it cannot see) one batch of probes. Offline
 * every fact is known and no probe runs.
 */
export async function observeSteadyState(cloud: LabCloud, snapshot: Snapshot, baseline?: SteadyState): Promise<SteadyState> {
  const state = steadyState(snapshot);
  const probes = probesOfSteadyState(state, baseline);
  return probes.length ? withProbeAnswers(state, snapshot, await cloud.probe(probes), baseline) : state;
}

/**
 * Whether a fact's probe is worth running: the control plane cannot tell it, and, given a baseline, it held
 * there (a fact that did not hold at baseline can only widen, which is never damage).
 */
function needsProbe(f: SteadyFact, held: ReadonlySet<string> | undefined): boolean {
  return f.probe !== undefined && (held === undefined || held.has(f.key));
}

const heldIn = (baseline: SteadyState | undefined) => (baseline ? new Set(baseline.facts.filter((f) => f.ok === true).map((f) => f.key)) : undefined);

/** The probes a steady state needs (its facts the control plane cannot tell), in the order of its facts. */
export function probesOfSteadyState(state: SteadyState, baseline?: SteadyState): ProbeRequest[] {
  const held = heldIn(baseline);
  return state.facts.flatMap((f) => (needsProbe(f, held) ? [f.probe!] : []));
}

/** The steady state with the answers to {@link probesOfSteadyState}'s probes (same baseline, same order). */
export function withProbeAnswers(state: SteadyState, snapshot: Snapshot, answers: readonly ProbeResult[], baseline?: SteadyState): SteadyState {
  const held = heldIn(baseline);
  let next = 0;
  return { ...state, facts: state.facts.map((f) => (needsProbe(f, held) ? fromProbe(snapshot, f, answers[next++]) : f)) };
}

/** Where a lab keeps its baseline's steady state (LabCloud.remember); the version changes with the derivation. */
export const BASELINE_STEADY_STATE_KEY = `baseline-steady-state/v${STEADY_STATE_VERSION}`;

/** What a simulated lab keeps from its creation on, derived from its baseline alone (SimCloudOptions.derive). */
export function deriveFromBaseline(baseline: Snapshot): Record<string, unknown> {
  return { [BASELINE_STEADY_STATE_KEY]: steadyStateOf(baseline) };
}

/**
 * The baseline's steady state, when the backend knows a baseline: kept with the lab where it can be, else
 * derived. A baseline that cannot be had (the plan does not synthesize) is a reason, not a failed grade.
 */
export async function baselineSteadyState(cloud: LabCloud): Promise<SteadyState | NotCompared> {
  const baseline = cloud.baseline?.bind(cloud);
  if (!baseline) return { status: "not-compared", reason: `the ${cloud.backend} backend of lab ${cloud.lab} knows no baseline to compare with` };
  const derive = async () => steadyStateOf(await baseline());
  try {
    return await (cloud.remember ? cloud.remember(BASELINE_STEADY_STATE_KEY, derive) : derive());
  } catch (e) {
    return { status: "not-compared", reason: `the baseline of lab ${cloud.lab} could not be read: ${(e as Error).message}`, unreadable: true };
  }
}

/** The differences the given scenarios' faults are meant to cause (unknown ids declare none). */
export function declaredEffects(scenarioIds: Iterable<string>): SteadyStateEffect[] {
  const ids = new Set(scenarioIds);
  return SCENARIOS.filter((s) => ids.has(s.id)).flatMap((s) => s.effects);
}

/**
 * Compares the lab's steady state now (observed) with its baseline's. `expected`: the differences the active
 * faults declare. Not compared (with the reason) when the backend knows no baseline.
 */
export function compareWithBaseline(baseline: SteadyState | NotCompared, now: SteadyState, expected: readonly SteadyStateEffect[]): SteadyStateComparison | NotCompared {
  return "status" in baseline ? baseline : compareSteadyState(baseline, now, expected);
}
