import type { Snapshot } from "../network/snapshot";
import { targetHealth } from "../network/target-health";
import { ssmPath } from "../network/ssm-path";
import type { LabCloud, LedgerEntry, ProbeRequest, ProbeResult } from "../cloud/port";
import { egressAddresses } from "./egress";
import { explainDns, explainEgress, explainOs, explainPath, explainServers } from "./explain";
import { evaluateEffectiveSgRule } from "./sg-effective";
import { describeSgRule, patternCidrs, ruleAdmits, sgOpenings } from "./sg-pattern";
import type { CheckResult, CheckSpec, CheckStatus } from "./types";

type Verdict = { status: CheckStatus; evidence: string; explanation?: string };

const pass = (evidence: string): Verdict => ({ status: "pass", evidence });
const fail = (evidence: string, explanation?: string): Verdict => ({ status: "fail", evidence, ...(explanation ? { explanation } : {}) });
const inconclusive = (evidence: string): Verdict => ({ status: "inconclusive", evidence });

/**
 * `injectedAt` is the instructor's clock; an alarm's transition time is CloudWatch's. A laptop a little
 * ahead of AWS must not fail a correct run, so a transition this much before the inject still counts.
 * It cannot come from an earlier load: inject refuses to start a CPU load that is already running, and
 * the alarm needs at least one full evaluation period of load (minutes) to enter ALARM.
 */
export const ALARM_CLOCK_SKEW_MS = 2 * 60_000;

/** The probes a check needs, in order. State checks need none. */
export function probesOf(check: CheckSpec): ProbeRequest[] {
  switch (check.kind) {
    case "http":
      return [{ from: check.from, spec: check.probe }];
    case "dns":
      return [{ from: check.from, spec: { kind: "dns", name: check.name } }];
    case "tcp":
      return [{ from: check.from, spec: { kind: "tcp", host: check.host, port: check.port } }];
    case "icmp":
      return [{ from: check.from, spec: { kind: "icmp", host: check.host } }];
    case "os-state":
      return [{ from: check.instance, spec: { kind: "os-state" } }];
    case "ssm-reachable":
      return check.instances.map((from) => ({ from, spec: { kind: "os-state" } }));
    default:
      return [];
  }
}

/** The start of a long text, on one line, for evidence. */
function excerpt(text: string, max = 120): string {
  const line = text.replace(/\s+/g, " ").trim();
  return line.length > max ? `${line.slice(0, max)}…` : line;
}

function nameOf(s: Snapshot, instanceId: string): string {
  return s.instances.find((i) => i.id === instanceId)?.name ?? instanceId;
}

function evaluateProbe(s: Snapshot, check: CheckSpec, results: readonly ProbeResult[]): Verdict {
  const notRun = results.find((r): r is Extract<ProbeResult, { ran: false }> => !r.ran);
  if (check.kind === "ssm-reachable") return evaluateSsmReachable(s, check, results);
  if (notRun) return inconclusive(`the probe could not run on ${notRun.request.from}: ${notRun.reason}`);
  const o = (results[0] as Extract<ProbeResult, { ran: true }>).observation;
  switch (check.kind) {
    case "http": {
      const where = check.probe.to === "internet" ? "the internet" : check.probe.to === "alb" ? "the ALB" : check.probe.to;
      const expected = check.expectStatus ?? 200;
      if (o.httpStatus !== expected) {
        const found = o.httpStatus ? `HTTP ${o.httpStatus}` : `no response (${o.error ?? "no answer"})`;
        return fail(`expected HTTP ${expected} from ${check.from} to ${where}; found ${found}`, explainPath(s, check));
      }
      const seen: string[] = [`HTTP ${o.httpStatus}`];
      if (check.expectBodyContains !== undefined) {
        if (!(o.body ?? "").includes(check.expectBodyContains)) {
          const found = o.body ? `"${excerpt(o.body)}"` : "an empty body";
          return fail(`expected the page from ${where} to contain "${check.expectBodyContains}"; found ${found}`, explainPath(s, check));
        }
        seen.push(`the page shows "${check.expectBodyContains}"`);
      }
      if (check.egressVia) {
        const { label, addresses } = egressAddresses(s, check.egressVia);
        if (!o.egressIp || !addresses.includes(o.egressIp)) {
          return fail(`expected ${check.from} to leave through ${label} (${addresses.join(", ") || "none found"}); found egress IP ${o.egressIp ?? "unknown"}`, explainEgress(s, check, label, addresses));
        }
        return pass(`${check.from} reached ${where} (${seen.join(", ")}) with egress IP ${o.egressIp}, one of ${label}`);
      }
      if (check.minDistinctServers !== undefined) {
        const servers = [...new Set(o.servedBy ?? [])];
        const names = servers.map((id) => nameOf(s, id)).join(", ") || "none";
        if (servers.length < check.minDistinctServers) {
          return fail(`expected ${where} to spread ${check.probe.requests ?? 1} requests over at least ${check.minDistinctServers} instances; found ${servers.length} (${names})`, explainServers(s));
        }
        return pass(`${where} served ${check.probe.requests ?? 1} requests from ${servers.length} instances (${names}; ${seen.join(", ")})`);
      }
      return pass(`${check.from} reached ${where} (${seen.join(", ")})`);
    }
    case "dns": {
      const found = o.addresses ?? [];
      return found.includes(check.expectIp)
        ? pass(`${check.name} resolves to ${found.join(", ")} from ${check.from}`)
        : fail(`expected ${check.name} to resolve to ${check.expectIp} from ${check.from}; found ${found.length ? found.join(", ") : o.error ?? "no answer"}`, explainDns(s, check));
    }
    case "tcp":
    case "icmp": {
      const what = check.kind === "tcp" ? `TCP ${check.host}:${check.port}` : `ping ${check.host}`;
      return o.connected
        ? pass(`${check.from}: ${what} answered`)
        : fail(`expected ${check.from}: ${what} to answer; found ${o.error ?? "no answer"}`, explainPath(s, check));
    }
    case "os-state": {
      if (!o.os) return inconclusive(`the probe on ${check.instance} returned no OS state`);
      const os = o.os;
      const wrong = (Object.keys(check.expect) as (keyof typeof os)[]).filter((k) => os[k] !== check.expect[k]);
      const shown = (Object.keys(check.expect) as (keyof typeof os)[]).map((k) => `${k}=${os[k]}`).join(", ");
      return wrong.length
        ? fail(`expected on ${check.instance}: ${wrong.map((k) => `${k}=${check.expect[k]}`).join(", ")}; found ${wrong.map((k) => `${k}=${os[k]}`).join(", ")}`, explainOs(s, check))
        : pass(`${check.instance}: ${shown}`);
    }
    default:
      return inconclusive(`internal error: ${check.kind} is not a probe check`);
  }
}

/** What checks may read beyond the snapshot. */
export interface CheckContext {
  /** The ledger entry of the scenario's active fault, if one is active. */
  fault?: LedgerEntry;
}

function evaluateState(s: Snapshot, check: CheckSpec, context: CheckContext): Verdict {
  switch (check.kind) {
    case "route-present": {
      const rt = s.routeTables.find((t) => t.name === check.routeTable || t.id === check.routeTable);
      if (!rt) return fail(`expected route table ${check.routeTable}; the lab has none by that name`);
      const route = rt.routes.find((r) => r.destination === check.destination);
      if (!route) return fail(`expected ${rt.name} to route ${check.destination} to a ${check.targetKind}; it has no route for ${check.destination}`);
      if (route.target.kind !== check.targetKind || route.state !== "active") {
        return fail(`expected ${rt.name} to route ${check.destination} to a ${check.targetKind} (active); found ${route.target.kind} (${route.state})`);
      }
      return pass(`${rt.name} routes ${check.destination} to ${route.target.kind} ${"id" in route.target ? route.target.id : ""}`.trim());
    }
    case "target-health": {
      const tg = s.targetGroups.find((g) => g.name === check.targetGroup || g.arn === check.targetGroup);
      if (!tg) return fail(`expected target group ${check.targetGroup}; the lab has none by that name`);
      const states = tg.targets.map((t) => ({ t, h: targetHealth(s, tg, t) }));
      const shown = states.map(({ t, h }) => `${nameOf(s, t.instanceId)}:${t.port} ${h.state}${h.reason ? ` (${h.reason})` : ""}`).join("; ");
      const healthy = states.filter(({ h }) => h.state === "healthy").length;
      if (healthy < check.minTargets || healthy < states.length) {
        return fail(`expected all targets of ${tg.name} healthy (at least ${check.minTargets}); found ${healthy} of ${states.length}: ${shown}`);
      }
      return pass(`${healthy} of ${states.length} targets of ${tg.name} healthy: ${shown}`);
    }
    case "target-registered": {
      const tg = s.targetGroups.find((g) => g.name === check.targetGroup || g.arn === check.targetGroup);
      const inst = s.instances.find((i) => i.name === check.instance || i.id === check.instance);
      if (!tg || !inst) return fail(`expected target group ${check.targetGroup} and instance ${check.instance}; the lab lacks ${tg ? check.instance : check.targetGroup}`);
      const ports = tg.targets.filter((t) => t.instanceId === inst.id).map((t) => t.port);
      if (ports.length === 1 && ports[0] === check.port) return pass(`${inst.name} is registered in ${tg.name} on port ${check.port}`);
      return fail(`expected ${inst.name} registered in ${tg.name} on port ${check.port} only; found ${ports.length ? `port ${ports.join(", ")}` : "no registration"}`);
    }
    case "sg-rule": {
      if (typeof check.securityGroups === "object" && !Array.isArray(check.securityGroups)) return evaluateEffectiveSgRule(s, check, check.securityGroups.carriedBy);
      const groups = check.securityGroups === "all" ? s.securityGroups : s.securityGroups.filter((g) => (check.securityGroups as string[]).some((n) => n === g.name || n === g.id));
      const peerId = check.rule.peerSecurityGroup ? s.securityGroups.find((g) => g.name === check.rule.peerSecurityGroup || g.id === check.rule.peerSecurityGroup)?.id : undefined;
      const source = check.rule.cidr !== undefined ? patternCidrs(check.rule).join(" or ") : `SG ${check.rule.peerSecurityGroup}`;
      const what = `${check.direction} ${check.rule.protocol}/${check.rule.port} from ${source}`;
      const matches = groups.flatMap((g) =>
        (check.direction === "ingress" ? g.ingress : g.egress).filter((r) => ruleAdmits(r, check.rule, peerId)).map((r) => `${g.name}: ${describeSgRule(r, s.securityGroups)}`),
      );
      if (check.expect === "absent") {
        // From a CIDR: any set of rules whose CIDRs cover it together admits it as surely as one rule would.
        const found = check.rule.cidr !== undefined ? sgOpenings(s, groups, check.direction, check.rule) : matches;
        return found.length ? fail(`expected no security group to admit ${what}; found ${found.join("; ")}`) : pass(`none of ${groups.length} security groups admits ${what}`);
      }
      const missing = groups.filter((g) => !matches.some((m) => m.startsWith(`${g.name}:`))).map((g) => g.name);
      if (!groups.length) return fail(`expected security groups ${String(check.securityGroups)}; the lab has none by those names`);
      return missing.length ? fail(`expected ${missing.join(", ")} to admit ${what}; no rule does`) : pass(`${matches.join("; ")}`);
    }
    case "source-dest-check": {
      const inst = s.instances.find((i) => i.name === check.instance || i.id === check.instance);
      if (!inst) return fail(`expected instance ${check.instance}; the lab has none by that name`);
      const show = (v: boolean) => (v ? "on" : "off");
      return inst.sourceDestCheck === check.expect
        ? pass(`source/dest check is ${show(inst.sourceDestCheck)} on ${inst.name}`)
        : fail(`expected source/dest check ${show(check.expect)} on ${inst.name}; found ${show(inst.sourceDestCheck)}`);
    }
    case "zone-associated": {
      const zone = s.hostedZones.find((z) => z.name === check.zone.replace(/\.$/, ""));
      if (!zone) return fail(`expected private zone ${check.zone}; the lab has none`);
      const missing = check.vpcs.filter((v) => {
        const vpc = s.vpcs.find((x) => x.name === v || x.id === v);
        return !vpc || !zone.vpcIds.includes(vpc.id);
      });
      return missing.length
        ? fail(`expected ${zone.name} associated with ${check.vpcs.join(", ")}; not with ${missing.join(", ")}`)
        : pass(`${zone.name} is associated with ${check.vpcs.join(", ")}`);
    }
    case "flow-log-active": {
      const vpcs = check.vpcs === "all" ? s.vpcs : s.vpcs.filter((v) => (check.vpcs as string[]).includes(v.name));
      const what = `an active flow log of ${check.trafficType} traffic to ${check.logGroup}`;
      // What the VPC's active flow logs to the group capture together: an ACCEPT and a REJECT log are ALL of it.
      const covers = (logs: typeof s.flowLogs) => {
        const types = new Set(logs.filter((f) => f.logGroupName === check.logGroup && f.status === "ACTIVE").map((f) => f.trafficType));
        const all = types.has("ALL") || (types.has("ACCEPT") && types.has("REJECT"));
        return check.trafficType === "ALL" ? all : all || types.has(check.trafficType);
      };
      const missing = vpcs.flatMap((v) => {
        const logs = s.flowLogs.filter((f) => f.resourceId === v.id);
        if (covers(logs)) return [];
        const has = logs.map((f) => `${f.trafficType} to ${f.logGroupName}${f.status === "ACTIVE" ? "" : ` (${f.status})`}`).join(", ");
        return [`${v.name} (${has ? `it has ${has}` : "it has none"})`];
      });
      return missing.length ? fail(`expected ${what} for every lab VPC; missing for ${missing.join("; ")}`) : pass(`${vpcs.length} VPCs have ${what}`);
    }
    case "alarm": {
      const alarm = s.alarms.find((a) => a.name === check.alarm);
      if (!alarm) return fail(`expected alarm ${check.alarm}; the lab has none by that name`);
      const inst = s.instances.find((i) => i.name === check.instance || i.id === check.instance);
      if (!inst || alarm.instanceId !== inst.id) return fail(`expected ${alarm.name} to watch ${check.instance}; it watches ${alarm.instanceId ? nameOf(s, alarm.instanceId) : "no instance"}`);
      const fired = alarm.lastAlarmAt ? `; it last entered ALARM at ${alarm.lastAlarmAt}` : "";
      return alarm.state === check.expectState
        ? pass(`${alarm.name} watches ${inst.name} and is ${alarm.state}${fired}`)
        : fail(`expected ${alarm.name} to be ${check.expectState}; found ${alarm.state}${fired}`);
    }
    case "alarm-fired": {
      const alarm = s.alarms.find((a) => a.name === check.alarm);
      if (!alarm) return fail(`expected alarm ${check.alarm}; the lab has none by that name`);
      if (!context.fault) return pass(`no fault is active, so ${alarm.name} has nothing to fire for (it is ${alarm.state})`);
      const since = context.fault.injectedAt;
      const last = alarm.lastAlarmAt;
      if (last && Date.parse(last) >= Date.parse(since) - ALARM_CLOCK_SKEW_MS) {
        return pass(`${alarm.name} entered ALARM at ${last}, after ${context.fault.scenario} was injected at ${since}; it is ${alarm.state} now`);
      }
      // On AWS, lastAlarmAt comes from the alarm's history (DescribeAlarmHistory), so it is known after the alarm is OK again.
      const found = last ? `it last entered ALARM at ${last}, before the fault` : "it never entered ALARM";
      return fail(`expected ${alarm.name} to enter ALARM after ${context.fault.scenario} was injected at ${since}; ${found} (it is ${alarm.state} now)`);
    }
    default:
      return inconclusive(`internal error: ${check.kind} is not a state check`);
  }
}

export interface CheckRun {
  results: CheckResult[];
  /** The snapshot the checks read. */
  snapshot: Snapshot;
  /** The answers to `extraProbes`, in their order. */
  extraAnswers: ProbeResult[];
}

export interface RunChecksOptions {
  /** The snapshot to read. @default a fresh one */
  snapshot?: Snapshot;
  /** More probes to run in the same batch (the steady state's): one SSM command per script on AWS for all. */
  extraProbes?: readonly ProbeRequest[];
}

/** Runs checks: every probe in one batch (one SSM command per script on AWS), then state checks on one snapshot. */
export async function runChecks(cloud: LabCloud, checks: readonly CheckSpec[], context: CheckContext = {}, options: RunChecksOptions = {}): Promise<CheckRun> {
  const snapshot = options.snapshot ?? (await cloud.snapshot());
  const requests = checks.map(probesOf);
  const extra = options.extraProbes ?? [];
  const flat = [...requests.flat(), ...extra];
  const all = flat.length ? await cloud.probe(flat) : [];
  const answers = all.slice(0, flat.length - extra.length);
  const extraAnswers = all.slice(flat.length - extra.length);
  let next = 0;
  const results = checks.map((check, i): CheckResult => {
    const mine = answers.slice(next, (next += requests[i].length));
    let verdict: Verdict;
    try {
      verdict = requests[i].length ? evaluateProbe(snapshot, check, mine) : evaluateState(snapshot, check, context);
    } catch (e) {
      verdict = inconclusive(`the check could not be evaluated: ${(e as Error).message}`);
    }
    return { id: check.id, status: verdict.status, evidence: verdict.evidence, hint: check.hint, ...(verdict.explanation ? { explanation: verdict.explanation } : {}) };
  });
  return { results, snapshot, extraAnswers };
}

/** pass / fail / inconclusive of a whole run: any fail fails; else any inconclusive is inconclusive. */
export function overallStatus(results: readonly CheckResult[]): CheckStatus {
  if (results.some((r) => r.status === "fail")) return "fail";
  if (results.some((r) => r.status === "inconclusive")) return "inconclusive";
  return "pass";
}

/** Share of checks that pass, 0–100, rounded. */
export function score(results: readonly CheckResult[]): number {
  return results.length ? Math.round((100 * results.filter((r) => r.status === "pass").length) / results.length) : 0;
}

/**
 * Session Manager itself is what this check grades. An instance it could not reach is the student's fail
 * only when the network shows why (its agent's HTTPS to the SSM services is blocked, or it is stopped);
 * when the network path is open, the cause lies outside the lab (the agent, IAM, the SSM service), so
 * the check is inconclusive, as every probe that could not run is.
 */
function evaluateSsmReachable(s: Snapshot, check: Extract<CheckSpec, { kind: "ssm-reachable" }>, results: readonly ProbeResult[]): Verdict {
  const notRun = results.filter((r): r is Extract<ProbeResult, { ran: false }> => !r.ran);
  if (!notRun.length) return pass(`Session Manager ran a command on ${check.instances.join(", ")}`);
  for (const r of notRun) {
    const path = ssmPath(s, r.request.from);
    if (!path.ok && path.blockedBy) {
      const b = path.blockedBy;
      return fail(
        `expected Session Manager to run a command on ${r.request.from}; it could not: ${r.reason}`,
        `blocked at ${b.component} (${b.reason}): ${b.detail}${path.service ? ` (the agent's HTTPS to ${path.service})` : ""}`,
      );
    }
  }
  const first = notRun[0];
  return inconclusive(`Session Manager could not run a command on ${first.request.from} (${first.reason}), though the lab's network lets its agent reach ssm, ssmmessages and ec2messages: the cause is outside the network (the agent, its IAM role, or the SSM service)`);
}
