import { osStateConfirmation, osStateScript } from "../../../cloud/aws/apply";
import { buildProbeScript, EGRESS_ECHO_URL, RESULT_PREFIX } from "../../../cloud/aws/probes";
import type { ProbeObservation, ProbeSpec } from "../../../cloud/port";
import { answerProbes } from "../../../cloud/sim/sim-probes";
import { labView } from "../lab-view";
import type { OsStateKey } from "../../../cloud/change";
import { defaultOsState, type InstanceModel, type Snapshot } from "../../../network/snapshot";

export interface ScriptRun {
  status: "Success" | "Failed";
  stdout: string;
  stderr: string;
  /** The script changed the instance's OS state. */
  changedOs?: boolean;
}

const ROLES = ["web", "nat", "workstation", "probe"] as const;
const roleOf = (inst: InstanceModel) => ROLES.find((r) => r === inst.tags["netlab:role"]) ?? "unknown";

/** The probe a script runs: read back from its text, then checked by building the script again. */
function probeOf(script: string, albDnsName: string | undefined): ProbeSpec | undefined {
  const n = (re: RegExp) => Number(re.exec(script)?.[1]);
  const s = (re: RegExp) => re.exec(script)?.[1];
  let spec: ProbeSpec | undefined;
  if (script.includes("net.ipv4.ip_forward")) spec = { kind: "os-state" };
  else if (script.includes(EGRESS_ECHO_URL)) spec = { kind: "http", to: "internet", timeoutSeconds: n(/curl -sS -m (\d+)/) };
  else if (script.includes("%{http_code}")) {
    const [, host = "", path = "/"] = /'http:\/\/([^/']+)(\/[^']*)?'/.exec(script) ?? [];
    spec = { kind: "http", to: host === albDnsName ? "alb" : host, path, timeoutSeconds: n(/curl -sS -m (\d+)/), requests: n(/seq 1 (\d+)/) };
  } else if (script.includes("getent ahostsv4")) spec = { kind: "dns", name: s(/getent ahostsv4 '([^']+)'/) ?? "" };
  else if (script.includes("/dev/tcp/")) spec = { kind: "tcp", host: s(/\/dev\/tcp\/([^/]+)\//) ?? "", port: n(/\/dev\/tcp\/[^/]+\/(\d+)/), timeoutSeconds: n(/timeout (\d+) bash/) };
  else if (script.includes("ping -c 1")) spec = { kind: "icmp", host: s(/ping -c 1 -W \d+ '([^']+)'/) ?? "", timeoutSeconds: n(/ping -c 1 -W (\d+)/) };
  return spec && buildProbeScript(spec, { albDnsName }) === script ? spec : undefined;
}

/**
 * curl's exit code for what stopped a request: 7 when the host answered but nothing listens, 6 when the
 * name has no address, else 28 (timed out: a dropped packet gets no answer). https://curl.se/docs/manpage.html#EXIT
 */
function curlExit(simError: string | undefined): number {
  const reason = /\(([A-Z_]+)\)$/.exec(simError ?? "")?.[1];
  return reason === "SERVICE_DOWN" ? 7 : reason === "DNS_NO_ANSWER" ? 6 : 28;
}

/**
 * The result line the probe script itself prints (cloud/aws/probes.ts) for what the analyzer found: an
 * instance sees curl's exit code or a silence, never the analyzer's reasons (those come from the snapshot).
 */
function printedBy(spec: ProbeSpec, o: ProbeObservation): ProbeObservation {
  switch (spec.kind) {
    case "http": {
      const rc = o.httpStatus ? 0 : curlExit(o.error);
      const err = rc ? { error: `curl exit ${rc}` } : {};
      if (spec.to === "internet") return rc ? { httpStatus: 0, ...err } : { httpStatus: o.httpStatus, egressIp: o.egressIp };
      return { httpStatus: o.httpStatus, servedBy: o.servedBy ?? [], body: o.body ?? "", ...err };
    }
    case "dns":
      return { addresses: o.addresses ?? [] };
    case "tcp":
      return o.connected ? { connected: true } : { connected: false, error: "no answer" };
    case "icmp":
      return o.connected ? { connected: true } : { connected: false, error: "no reply" };
    case "os-state":
      return o;
  }
}

/** The OS change a script makes (the scripts that set-os-state changes run). */
function osChangeOf(script: string): { key: OsStateKey; value: boolean } | undefined {
  for (const key of ["masquerade", "cpuLoad"] as const) for (const value of [true, false]) if (osStateScript(key, value) === script) return { key, value };
  return undefined;
}

/**
 * What a running instance of the account does with an AWS-RunShellScript command: OS changes change
 * its OS state (and a CPU load drives its CPU alarm), probes are answered by the analyzer on the
 * account's network, and a script it does not know fails, so that a new script shows up in tests.
 */
export function runOnInstance(s: Snapshot, inst: InstanceModel, script: string, now: Date): ScriptRun {
  const change = osChangeOf(script);
  if (change) {
    const os = inst.os ?? defaultOsState(roleOf(inst));
    inst.os = change.key === "masquerade" ? { ...os, masquerade: change.value, masqueradeSaved: change.value } : { ...os, cpuLoad: change.value };
    if (change.key === "cpuLoad") {
      for (const alarm of s.alarms.filter((a) => a.instanceId === inst.id && a.metricName === "CPUUtilization")) {
        alarm.state = change.value ? "ALARM" : "OK";
        if (change.value) alarm.lastAlarmAt = now.toISOString();
      }
    }
    return { status: "Success", stdout: `${osStateConfirmation(change.key, change.value)}\n`, stderr: "", changedOs: true };
  }
  // The instance probes its own lab's network (an account may hold several labs).
  const view = labView(s, inst.tags["netlab:lab"]);
  const spec = probeOf(script, view.loadBalancers[0]?.dnsName);
  if (!spec) return { status: "Failed", stdout: "", stderr: "mocked instance: this script is neither a netlab probe nor an OS change it knows" };
  const [answer] = answerProbes(view, [{ from: inst.id, spec }]);
  if (!answer.ran) return { status: "Failed", stdout: "", stderr: answer.reason };
  return { status: "Success", stdout: `${RESULT_PREFIX}${JSON.stringify(printedBy(spec, answer.observation))}\n`, stderr: "" };
}
