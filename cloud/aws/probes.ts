import type { ProbeObservation, ProbeRequest, ProbeResult, ProbeSpec } from "../port";
import type { AwsClients } from "./clients";
import { runScripts, type RunOptions } from "./run-command";

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
  /** The egress echo service (tests point it at a local server). @default EGRESS_ECHO_URL */
  echoUrl?: string;
}

const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/**
 * Shell (POSIX sh, as AWS-RunShellScript runs it) that fetches `url` with curl and sets:
 * `rc` curl's own exit code (28 = timed out, 7 = refused), `code` the HTTP status as a plain number
 * (curl prints 000 when nothing answered: that becomes 0, so the result line stays valid JSON) and
 * `body` the response without the status line.
 */
function curlInto(url: string, timeoutSeconds: number): string {
  return [
    `out=$(curl -sS -m ${timeoutSeconds} -w '\\n%{http_code}' ${q(url)} 2>/dev/null); rc=$?`,
    `code=$(printf '%s' "$out" | tail -n1 | sed 's/^0*//'); case "$code" in ''|*[!0-9]*) code=0;; esac`,
    `body=$(printf '%s' "$out" | sed '$d')`,
  ].join("; ");
}

/** A bash script that runs one probe and prints exactly one `NETLAB-RESULT {json}` line. */
export function buildProbeScript(spec: ProbeSpec, ctx: ProbeContext = {}): string {
  const emit = `emit() { printf '${RESULT_PREFIX}%s\\n' "$1"; }`;
  const curlError = `err=""; [ "$rc" -ne 0 ] && err=",\\"error\\":\\"curl exit $rc\\""`;
  switch (spec.kind) {
    case "http": {
      const t = spec.timeoutSeconds ?? 5;
      if (spec.to === "internet") {
        // Only digits and dots of the echo's answer are kept: the address, and nothing that could break the JSON.
        return [emit, curlInto(ctx.echoUrl ?? EGRESS_ECHO_URL, t), `ip=$(printf '%s' "$body" | tr -dc '0-9.')`, curlError,
          `if [ "$rc" -eq 0 ] && [ -n "$ip" ]; then emit "{\\"httpStatus\\":$code,\\"egressIp\\":\\"$ip\\"}"; else [ "$rc" -eq 0 ] && err=",\\"error\\":\\"the answer held no IP address\\""; emit "{\\"httpStatus\\":$code$err}"; fi`].join("\n");
      }
      const host = spec.to === "alb" ? ctx.albDnsName : spec.to;
      if (!host) throw new Error("The ALB probe needs the ALB's DNS name, and the lab has no load balancer.");
      const url = `http://${host}${spec.path ?? "/"}`;
      const n = spec.requests ?? 1;
      // The last page's first 2000 bytes come back as `body`, on one line, JSON-escaped (for expectBodyContains).
      return [emit, `ids=""; code=0; rc=0; last=""`,
        `for i in $(seq 1 ${n}); do ${curlInto(url, t)}; last="$body"; id=$(printf '%s' "$body" | grep -o 'i-[0-9a-f]\\{8,17\\}' | head -n1); [ -n "$id" ] && ids="$ids\\"$id\\","; done`,
        curlError,
        `page=$(printf '%s' "$last" | head -c 2000 | tr -d '\\000-\\037' | sed 's/\\\\/\\\\\\\\/g; s/"/\\\\"/g')`,
        `emit "{\\"httpStatus\\":$code,\\"servedBy\\":[\${ids%,}],\\"body\\":\\"$page\\"$err}"`].join("\n");
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

/** A short, one-line excerpt of a probe's raw output, for the instructor's evidence. */
export function excerpt(raw: string, max = 200): string {
  const flat = raw.replace(/\s+/g, " ").trim();
  if (!flat) return "nothing";
  if (flat.length <= max) return flat;
  const head = Math.floor(max * 0.6);
  return `${flat.slice(0, head)} … ${flat.slice(flat.length - (max - head))} (${flat.length} characters in all)`;
}

/**
 * Runs probes by SSM: requests with the same script share one SendCommand per 50 instances, and all
 * of a lab's commands are polled in one loop. A probe that could not run, or whose output cannot be
 * parsed, is inconclusive (ran: false); its reason quotes a shortened excerpt of what the script
 * printed, and `raw` keeps the whole text.
 */
export async function runProbes(c: AwsClients, requests: readonly ProbeRequest[], instanceId: (ref: string) => string, ctx: ProbeContext, options: RunOptions = {}): Promise<ProbeResult[]> {
  const groups = new Map<string, number[]>();
  requests.forEach((r, i) => {
    const script = buildProbeScript(r.spec, ctx);
    groups.set(script, [...(groups.get(script) ?? []), i]);
  });
  const jobs = [...groups].map(([script, indexes]) => ({ script, indexes, instanceIds: indexes.map((i) => instanceId(requests[i].from)) }));
  const outcomes = await runScripts(c, jobs, options);
  const results: ProbeResult[] = new Array(requests.length);
  jobs.forEach((job, j) =>
    job.indexes.forEach((i, k) => {
      const o = outcomes[j].get(job.instanceIds[k]);
      const request = requests[i];
      if (!o) results[i] = { request, ran: false, reason: "no invocation was made" };
      else if (!o.ran) results[i] = { request, ran: false, reason: o.stdout ? `${o.reason}; it printed: ${excerpt(o.stdout)}` : o.reason, ...(o.stdout ? { raw: o.stdout } : {}) };
      else {
        const parsed = parseProbeOutput(o.stdout, request.spec.kind);
        results[i] =
          "observation" in parsed
            ? { request, ran: true, observation: parsed.observation, raw: o.stdout }
            : { request, ran: false, reason: `the probe's output could not be read: ${parsed.malformed}; it printed: ${excerpt(o.stdout)}`, raw: o.stdout };
      }
    }),
  );
  return results;
}
