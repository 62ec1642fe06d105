import { compareSteadyState, effectCovers } from "../../checks/collateral";
import { steadyState, type SteadyFact, type SteadyState } from "../../checks/steady-state";
import type { LabCloud, ProbeRequest, ProbeResult } from "../../cloud/port";
import { observeSteadyState } from "../../lifecycle/steady-state";
import type { Snapshot } from "../../network/snapshot";
import { labSnapshot } from "../helpers/lab";

let lab: Snapshot;
beforeAll(async () => {
  lab = await labSnapshot();
});

const state = (facts: SteadyFact[]): SteadyState => ({ lab: "s01", source: "terraform", facts });
const f = (kind: SteadyFact["kind"], from: string, to: string, ok: boolean | undefined, value: string, rest: Partial<SteadyFact> = {}): SteadyFact => ({ key: `${kind}|${from}|${to}`, kind, from, to, ok, value, ...rest });

describe("the lab's steady state", () => {
  it("is derived from the lab: every ordered pair of instances, each instance to the internet and the ALB, each target, each SSM path, every private name in every VPC, the alarm, each VPC's flow logs", () => {
    // GIVEN the synthesized lab / WHEN its steady state is derived
    const s = steadyState(lab);
    const n = lab.instances.length;
    const names = new Set(lab.hostedZones.flatMap((z) => z.records.map((r) => r.name)));
    const byKind = (k: SteadyFact["kind"]) => s.facts.filter((x) => x.kind === k).length;
    // THEN it has a fact for each, counted from the lab itself
    expect([byKind("reach"), byKind("internet"), byKind("alb"), byKind("ssm")]).toEqual([n * (n - 1), n, n, n]);
    expect(byKind("web-target")).toBe(lab.targetGroups.flatMap((g) => g.targets).length);
    expect(byKind("dns")).toBe(lab.vpcs.length * names.size);
    expect([byKind("alarm"), byKind("flow-log")]).toEqual([lab.alarms.length, lab.vpcs.length]);
    expect(new Set(s.facts.map((x) => x.key)).size).toBe(s.facts.length);
  });

  it("holds what a healthy lab shows: spokes leave through a DMZ NAT gateway, the private instances through NAT-Instance, every target healthy, names resolved", () => {
    const s = new Map(steadyState(lab).facts.map((x) => [x.key, x]));
    expect(s.get("internet|VPC02-Private-A-10.2.20.101|internet")).toMatchObject({ ok: true, value: "via DMZVPC-NATGW-A" });
    expect(s.get("internet|Private-EC2-1|internet")).toMatchObject({ ok: true, value: "via NAT-Instance" });
    expect(s.get("web-target|DMZVPC-TG-web|DMZVPC-Private-B-10.11.24.102")).toMatchObject({ ok: true, value: "port 80 healthy" });
    expect(s.get("dns|VPC02|vpc01-a.netlab.internal")).toMatchObject({ ok: true, value: "10.1.20.101" });
    expect(s.get("ssm|NAT-Instance|")).toMatchObject({ ok: true, value: "reachable via vpc-endpoint" });
    // Isolated by design (NATInstance-VPC1 has no TGW attachment): known and blocked, not damage
    expect(s.get("reach|VPC01-Private-A-10.1.20.101|Private-EC2-1")).toMatchObject({ ok: false, blockedBy: { reason: "TGW_NO_ROUTE" } });
  });

  it("compares with itself as the same: no collateral, nothing expected, nothing unknown", () => {
    const s = steadyState(lab);
    expect(compareSteadyState(s, steadyState(structuredClone(lab)))).toEqual({ status: "same", compared: s.facts.length, collateral: [], expected: [], widened: [], unknown: [] });
  });

  it("on a live snapshot (no OS seen), leaves the paths through NAT-Instance to a probe, and knows those the control plane blocks further on", () => {
    // GIVEN the lab as describe calls show it: no instance's OS is known
    const live: Snapshot = { ...structuredClone(lab), source: "aws" };
    for (const i of live.instances) delete i.os;
    const s = new Map(steadyState(live).facts.map((x) => [x.key, x]));
    // THEN the way out of Private-EC2-1 is unknown, with the probe that can tell and the instance it cannot see
    expect(s.get("internet|Private-EC2-1|internet")).toMatchObject({ ok: undefined, value: "unknown", opaque: "NAT-Instance", probe: { from: "Private-EC2-1", spec: { kind: "http", to: "internet" } } });
    // AND a path blocked beyond NAT-Instance (no route to VPC01) is known, whatever its OS does
    expect(s.get("reach|Private-EC2-1|VPC01-Private-A-10.1.20.101")).toMatchObject({ ok: false });
    expect(s.get("reach|Private-EC2-1|VPC01-Private-A-10.1.20.101")?.probe).toBeUndefined();
  });
});

describe("observing the steady state with probes where the control plane cannot tell", () => {
  const live = (): Snapshot => {
    const s: Snapshot = { ...structuredClone(lab), source: "aws" };
    for (const i of s.instances) delete i.os;
    return s;
  };
  const cloudAnswering = (answer: (r: ProbeRequest) => ProbeResult): { cloud: LabCloud; asked: ProbeRequest[] } => {
    const asked: ProbeRequest[] = [];
    const cloud = { lab: "s01", backend: "aws", probe: async (rs: readonly ProbeRequest[]) => rs.map((r) => (asked.push(r), answer(r))) } as unknown as LabCloud;
    return { cloud, asked };
  };

  it("names the exit from the egress IP the probe saw, in one batch of probes", async () => {
    const s = live();
    const eip = s.elasticIps.find((e) => e.instanceId === s.instances.find((i) => i.name === "NAT-Instance")?.id)!.publicIp;
    const { cloud, asked } = cloudAnswering((request) => ({ request, ran: true, observation: { httpStatus: 200, egressIp: eip } }));
    const observed = new Map((await observeSteadyState(cloud, s)).facts.map((x) => [x.key, x]));
    expect(observed.get("internet|Private-EC2-1|internet")).toMatchObject({ ok: true, value: "via NAT-Instance", detail: `egress IP ${eip}` });
    expect(asked.map((r) => r.from).sort()).toEqual(["Private-EC2-1", "Private-EC2-1", "Private-EC2-2", "Private-EC2-2"]);
  });

  it("blames NAT-Instance when the probe gets no answer, and leaves the fact unknown (never a pass) when the probe could not run", async () => {
    const baseline = steadyState(lab);
    const failing = cloudAnswering((request) => ({ request, ran: true, observation: { httpStatus: 0, error: "curl exit 28" } }));
    const broken = compareSteadyState(baseline, await observeSteadyState(failing.cloud, live()));
    expect(broken.status).toBe("collateral");
    expect(broken.collateral.find((c) => c.fact === "internet|Private-EC2-1|internet")).toMatchObject({ component: "NAT-Instance", reason: "NAT_NOT_FORWARDING" });
    const offline = cloudAnswering((request) => ({ request, ran: false, reason: "not Online in Systems Manager" }));
    const unknown = compareSteadyState(baseline, await observeSteadyState(offline.cloud, live()));
    expect(unknown.status).toBe("inconclusive");
    expect(unknown.unknown.map((u) => u.fact)).toContain("internet|Private-EC2-1|internet");
    expect(unknown.unknown[0].why).toContain("not Online in Systems Manager");
  });
});

describe("comparing a steady state with its baseline", () => {
  const baseline = state([
    f("internet", "A", "internet", true, "via NATGW-A"),
    f("reach", "A", "B", true, "reachable"),
    f("reach", "A", "C", false, "blocked"),
    f("alarm", "cpu", "", true, "CPU of A > 70"),
    f("flow-log", "VPC02", "", true, "ALL to /aws/vpc/flowlogs"),
  ]);

  it("calls a fact that broke, changed or went collateral damage, with the component and reason explain gives", () => {
    const now = state([
      f("internet", "A", "internet", true, "via NATGW-B"),
      f("reach", "A", "B", false, "blocked", { blockedBy: { component: "RT-A", reason: "NO_ROUTE", detail: "no route matches 10.0.0.2" } }),
      f("reach", "A", "C", false, "blocked"),
      f("flow-log", "VPC02", "", true, "ALL to /aws/vpc/flowlogs"),
    ]);
    const c = compareSteadyState(baseline, now);
    expect(c.status).toBe("collateral");
    expect(c.collateral.map((x) => [x.fact, x.component, x.reason, x.was, x.now])).toEqual([
      ["internet|A|internet", "A", "CHANGED", "via NATGW-A", "via NATGW-B"],
      ["reach|A|B", "RT-A", "NO_ROUTE", "reachable", "blocked"],
      ["alarm|cpu|", "cpu", "GONE", "CPU of A > 70", "gone"],
    ]);
    const entry = c.collateral[1];
    expect(entry).toMatchObject({ kind: "collateral", subject: "A → B (ping)" });
    expect(entry.instructor.en).toContain("blocked at RT-A (NO_ROUTE): no route matches 10.0.0.2");
    expect(entry.instructor.ko).toContain("차단 위치: RT-A (NO_ROUTE)");
    // The student's hint names the symptom, never the component
    expect(entry.hint.en).toContain("A could ping B");
    expect(entry.hint.en).not.toContain("RT-A");
    expect(entry.hint.ko).not.toContain("RT-A");
  });

  it("excuses exactly what the active faults declare, and counts what opened as widened, not damage", () => {
    const now = state([
      f("internet", "A", "internet", false, "blocked"),
      f("reach", "A", "B", false, "blocked"),
      f("reach", "A", "C", true, "reachable"),
      f("alarm", "cpu", "", true, "CPU of A > 70"),
      f("flow-log", "VPC02", "", true, "ALL to /aws/vpc/flowlogs"),
    ]);
    const c = compareSteadyState(baseline, now, [{ kind: "internet", from: "A" }, { kind: "reach", to: "B*" }]);
    expect(c).toMatchObject({ status: "same", collateral: [], expected: ["internet|A|internet", "reach|A|B"], widened: ["reach|A|C"] });
  });

  it("matches declared effects by kind and by exact names or prefixes ending in *", () => {
    const fact = { kind: "reach" as const, from: "VPC02-Private-A-10.2.20.101", to: "VPC01-Private-A-10.1.20.101" };
    expect(effectCovers({ kind: "reach", from: "VPC02-*" }, fact)).toBe(true);
    expect(effectCovers({ kind: "reach", to: "VPC01-Private-A-10.1.20.101" }, fact)).toBe(true);
    expect(effectCovers({ kind: "reach", from: "VPC02" }, fact)).toBe(false);
    expect(effectCovers({ kind: "internet", from: "VPC02-*" }, fact)).toBe(false);
    expect(effectCovers({ kind: "reach", from: "VPC01-*" }, fact)).toBe(false);
  });
});

describe("the baseline's steady state, kept with a simulated lab", () => {
  it("is derived when the lab is created, kept beside its state file (baseline.json), and read back by later commands without deriving it again", async () => {
    const { mkdtempSync, readFileSync } = await import("node:fs");
    const { join } = await import("node:path");
    const { tmpdir } = await import("node:os");
    const { openSimLab } = await import("../helpers/lab");
    const { baselineSteadyState, BASELINE_STEADY_STATE_KEY } = await import("../../lifecycle/steady-state");
    // GIVEN a simulated lab, created (as the CLI creates it) and closed
    const dir = mkdtempSync(join(tmpdir(), "netlab-kept-"));
    await (await openSimLab(dir)).close();
    // WHEN a later command opens it and asks, with a derivation that must not run
    const later = await openSimLab(dir);
    let ran = false;
    const kept = await later.remember(BASELINE_STEADY_STATE_KEY, async () => ((ran = true), undefined));
    // THEN the kept value is the baseline's steady state, read from baseline.json
    expect(ran).toBe(false);
    expect(kept).toEqual(steadyState(lab));
    // AND another key (another derivation or version) is derived, in memory only: reading never writes the state file
    const before = readFileSync(later.statePath, "utf8");
    expect(await later.remember("baseline-steady-state/v0", async () => "fresh")).toBe("fresh");
    expect(((await baselineSteadyState(later)) as SteadyState).facts.length).toBe(steadyState(lab).facts.length);
    expect(readFileSync(later.statePath, "utf8")).toBe(before);
    await later.close();
  });
});

describe("a baseline that cannot be had", () => {
  it("grades the checks, reports the steady state as not compared with the reason, and is inconclusive (it cannot tell), never a pass", async () => {
    const { openSimLab } = await import("../helpers/lab");
    const { grade } = await import("../../lifecycle/grade");
    const { findScenario } = await import("../../scenarios");
    // GIVEN a lab whose baseline cannot be read (its plan does not synthesize)
    const cloud = await openSimLab();
    const broken = Object.assign(Object.create(cloud) as LabCloud, {
      remember: undefined,
      baseline: async () => {
        throw new Error("cdktf synth failed");
      },
    });
    // WHEN graded
    const g = await grade(broken, findScenario("flow-logs-off"));
    // THEN the checks pass, the comparison says why it was not made, and the grade cannot be a pass
    expect(g.checks.every((c) => c.status === "pass")).toBe(true);
    expect(g.steadyState).toEqual({ status: "not-compared", reason: "the baseline of lab s01 could not be read: cdktf synth failed", unreadable: true });
    expect(g.status).toBe("inconclusive");
    expect(g.collateral).toEqual([]);
    await cloud.close();
  });
});
