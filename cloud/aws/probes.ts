import type { ProbeObservation, ProbeRequest, ProbeResult, ProbeSpec } from "../port";
import type { AwsClients } from "./clients";
import { runScript, type RunOptions } from "./run-command";

/** The only line of a probe's output that is read. */
export const RESULT_PREFIX = "NETLAB-RESULT ";

/**
 * An echo service that answers with the caller's public IP; AWS's own docs use it to find your IP.
 * https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/authorizing-access-to-an-instance.html
 */
export const EGRESS_ECHO_URL = "https://checkip.amazonaws.com";

export interface ProbeContext {
  /** DNS name of the lab's ALB (for `to: "alb"`). */
  albDnsName?: string;
}

const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** A bash script that runs one probe and prints exactly one `NETLAB-RESULT {json}` line. */
export function buildProbeScript(spec: ProbeSpec, ctx: ProbeContext = {}): string {
  const emit = `emit() { printf '${RESULT_PREFIX}%s\\n' "$1"; }`;
  switch (spec.kind) {
    case "http": {
      const t = spec.timeoutSeconds ?? 5;
      if (spec.to === "internet") {
        return [emit, `ip=$(curl -sS -m ${t} ${EGRESS_ECHO_URL} 2>/tmp/netlab-err | tr -d '[:space:]'); rc=$?`,
          `if [ $rc -eq 0 ] && [ -n "$ip" ]; then emit "{\\"httpStatus\\":200,\\"egressIp\\":\\"$ip\\"}"; else emit "{\\"httpStatus\\":0,\\"error\\":\\"curl exit $rc\\"}"; fi`].join("\n");
      }
      const host = spec.to === "alb" ? ctx.albDnsName : spec.to;
      if (!host) throw new Error("The ALB probe needs the ALB's DNS name, and the lab has no load balancer.");
      const url = `http://${host}${spec.path ?? "/"}`;
      const n = spec.requests ?? 1;
      // The last page's first 2000 bytes come back as `body`, on one line, JSON-escaped (for expectBodyContains).
      return [emit, `ids=""; code=0; last=""`,
        `for i in $(seq 1 ${n}); do body=$(curl -sS -m ${t} -w '\\n%{http_code}' ${q(url)} 2>/dev/null); code=$(printf '%s' "$body" | tail -n1); last=$(printf '%s' "$body" | sed '$d'); id=$(printf '%s' "$body" | grep -o 'i-[0-9a-f]\\{8,17\\}' | head -n1); [ -n "$id" ] && ids="$ids\\"$id\\","; done`,
        `page=$(printf '%s' "$last" | head -c 2000 | tr -d '\\000-\\037' | sed 's/\\\\/\\\\\\\\/g; s/"/\\\\"/g')`,
        `emit "{\\"httpStatus\\":\${code:-0},\\"servedBy\\":[\${ids%,}],\\"body\\":\\"$page\\"}"`].join("\n");
    }
    case "dns":
      return [emit, `addrs=$(getent ahostsv4 ${q(spec.name)} | awk '{print $1}' | sort -u | sed 's/.*/"&"/' | paste -sd, -)`, `emit "{\\"addresses\\":[$addrs]}"`].join("\n");
    case "tcp":
      return [emit, `if timeout ${spec.timeoutSeconds ?? 5} bash -c ${q(`</dev/tcp/${spec.host}/${spec.port}`)} 2>/dev/null; then emit '{"connected":true}'; else emit '{"connected":false,"error":"no answer"}'; fi`].join("\n");
    case "icmp":
      return [emit, `if ping -c 1 -W ${spec.timeoutSeconds ?? 3} ${q(spec.host)} >/dev/null 2>&1; then emit '{"connected":true}'; else emit '{"connected":false,"error":"no reply"}'; fi`].join("\n");
    case "os-state":
      return [emit,
        `fwd=$(sysctl -n net.ipv4.ip_forward 2>/dev/null || echo 0)`,
        `live=$(iptables -t nat -S POSTROUTING 2>/dev/null | grep -c MASQUERADE)`,
        `saved=$(grep -c MASQUERADE /etc/sysconfig/iptables 2>/dev/null || echo 0)`,
        // Saved means loaded at the next boot: the file is read only by an enabled iptables.service (iptables-services).
        `systemctl is-enabled --quiet iptables 2>/dev/null || saved=0`,
        `load=0; [ -f /run/netlab-cpu-load.pid ] && kill -0 "$(cat /run/netlab-cpu-load.pid)" 2>/dev/null && load=1`,
        `b() { [ "$1" -gt 0 ] 2>/dev/null && echo true || echo false; }`,
        `emit "{\\"os\\":{\\"ipForward\\":$(b $fwd),\\"masquerade\\":$(b $live),\\"masqueradeSaved\\":$(b $saved),\\"cpuLoad\\":$(b $load)}}"`].join("\n");
  }
}

function isObservation(v: unknown, kind: ProbeSpec["kind"]): v is ProbeObservation {
  if (!v || typeof v !== "object" || Array.isArray(v)) return false;
  const o = v as Record<string, unknown>;
  switch (kind) {
    case "http":
      return typeof o.httpStatus === "number" && (o.egressIp === undefined || typeof o.egressIp === "string") && (o.servedBy === undefined || Array.isArray(o.servedBy)) && (o.body === undefined || typeof o.body === "string");
    case "dns":
      return Array.isArray(o.addresses) && o.addresses.every((a) => typeof a === "string");
    case "tcp":
    case "icmp":
      return typeof o.connected === "boolean";
    case "os-state": {
      const os = o.os as Record<string, unknown> | undefined;
      return !!os && ["ipForward", "masquerade", "masqueradeSaved", "cpuLoad"].every((k) => typeof os[k] === "boolean");
    }
  }
}

/** Strict: exactly one result line, valid JSON of the probe's shape; anything else is malformed. */
export function parseProbeOutput(stdout: string, kind: ProbeSpec["kind"]): { observation: ProbeObservation } | { malformed: string } {
  const lines = stdout.split("\n").filter((l) => l.startsWith(RESULT_PREFIX));
  if (lines.length !== 1) return { malformed: `expected one ${RESULT_PREFIX.trim()} line, found ${lines.length}` };
  let parsed: unknown;
  try {
    parsed = JSON.parse(lines[0].slice(RESULT_PREFIX.length));
  } catch {
    return { malformed: "the result line is not valid JSON (truncated output?)" };
  }
  return isObservation(parsed, kind) ? { observation: parsed } : { malformed: `the result line does not have the shape of a ${kind} probe` };
}

/**
 * Runs probes by SSM: requests with the same script share one SendCommand per 50 instances. A probe
 * that could not run, or whose output cannot be parsed, is inconclusive (ran: false) with the raw text.
 */
export async function runProbes(c: AwsClients, requests: readonly ProbeRequest[], instanceId: (ref: string) => string, ctx: ProbeContext, options: RunOptions = {}): Promise<ProbeResult[]> {
  const scripts = requests.map((r) => buildProbeScript(r.spec, ctx));
  const groups = new Map<string, number[]>();
  scripts.forEach((s, i) => groups.set(s, [...(groups.get(s) ?? []), i]));
  const results: ProbeResult[] = new Array(requests.length);
  await Promise.all(
    [...groups].map(async ([script, indexes]) => {
      const ids = indexes.map((i) => instanceId(requests[i].from));
      const outcomes = await runScript(c, ids, script, options);
      indexes.forEach((i, k) => {
        const o = outcomes.get(ids[k]);
        const request = requests[i];
        if (!o) results[i] = { request, ran: false, reason: "no invocation was made" };
        else if (!o.ran) results[i] = { request, ran: false, reason: o.reason, ...(o.stdout ? { raw: o.stdout } : {}) };
        else {
          const parsed = parseProbeOutput(o.stdout, request.spec.kind);
          results[i] = "observation" in parsed ? { request, ran: true, observation: parsed.observation, raw: o.stdout } : { request, ran: false, reason: `the probe's output could not be read: ${parsed.malformed}`, raw: o.stdout };
        }
      });
    }),
  );
  return results;
}
