import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import type { Command } from "commander";
import { CHANGE_KINDS, type Change, type ChangeKind } from "../../cloud/change";
import { changeSchema } from "../../cloud/change-schema";
import { describeForms, studentChangeForms } from "../../cloud/student-rights";
import { tryChanges, type TryOutcome } from "../../lifecycle/try";
import { forEachLab } from "../context";
import { EXIT, UsageError, type ExitCode } from "../exit-codes";
import { reportLabErrors, withLabOptions, worstOf, type CommandHost } from "../common";
import { paint, type Io } from "../io";

const EXAMPLE = `'{"kind":"create-route","routeTable":"VPC02-Private-Subnet-A-RT","destination":"0.0.0.0/1","target":{"kind":"tgw","name":"netlab-tgw"}}'`;

/** The fields of each kind besides "kind" (cloud/change-schema.ts checks them). */
const FIELDS: Record<ChangeKind, string> = {
  "delete-route": "routeTable, destination",
  "create-route": "routeTable, destination, target",
  "replace-route": "routeTable, destination, target",
  "stop-instance": "instance",
  "start-instance": "instance",
  "set-source-dest-check": "instance, enabled",
  "revoke-sg-rule": "securityGroup, direction, rule",
  "authorize-sg-rule": "securityGroup, direction, rule",
  "deregister-target": "targetGroup, instance, port",
  "register-target": "targetGroup, instance, port",
  "disassociate-zone": "zone, vpc",
  "associate-zone": "zone, vpc",
  "delete-flow-log": "vpc",
  "create-flow-log": "vpc, logGroup, trafficType (ACCEPT | REJECT | ALL)",
  "set-os-state": "instance, key (masquerade | cpuLoad), value",
};

/** The help's list of what a student may and may not change, derived from the student policy. */
function kindsHelp(): string {
  const { allowed, refused } = studentChangeForms();
  return [
    "",
    "Makes a student's change on the simulated lab (--offline), so that an instructor can rehearse a repair,",
    "right or wrong, then grade it with `lab check <scenario> --offline`. A change is one JSON object, or a",
    "JSON array of them applied in order (the same objects as scenarios' inject and solve; see docs/REPAIRS.md).",
    "",
    "Change kinds the student IAM policy allows (and how the student makes them):",
    ...allowed.map((f) => `  ${f.direction ? `${f.kind} (${f.direction})` : f.kind} {${FIELDS[f.kind]}}: ${f.way}`),
    "Refused as the policy refuses them on AWS:",
    ...refused.map((f) => `  ${f.direction ? `${f.kind} (${f.direction})` : f.kind}`),
    "",
    "Names are the Name tags students see (VPC02-Private-Subnet-A-RT, NAT-Instance, DMZVPC-PrivateSG…); destination",
    'is a CIDR; target is {"kind":"tgw"|"igw"|"nat-gateway","name":…} or {"kind":"instance-eni","instance":…};',
    'rule is {"protocol":"tcp"|"udp"|"icmp"|"-1","fromPort","toPort", and "cidr" or "peerSecurityGroup"}.',
    "",
    "The changes are the student's: they are not recorded in the fault ledger, so `lab reset` undoes the fault",
    "and leaves them as they are (a student's extra change stays until someone undoes it).",
    "",
    "Exit codes:",
    "  0  every change was made (--dry-run: would be made)",
    "  1  refused, nothing changed: the student policy would deny a change (UnauthorizedOperation / AccessDenied…),",
    "     or AWS would refuse it on the lab as it is (InvalidTarget, RouteAlreadyExists, InvalidParameterValue…)",
    "  2  bad input, nothing changed: not JSON, an unknown kind or field, a name the lab does not have",
    "",
    `Example: lab try ${EXAMPLE} --offline --lab s01`,
  ].join("\n");
}

/** The changes of `text` (one object or an array of them), checked field by field; `where` names the source. */
export function parseChanges(text: string, where: string): Change[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`${where} is not JSON (${(e as Error).message}). Give one change as a JSON object, or a JSON array of changes, e.g. ${EXAMPLE}.`);
  }
  const items = Array.isArray(value) ? value : [value];
  if (!items.length) throw new UsageError(`${where} holds an empty list: give at least one change.`);
  const valid = describeForms(studentChangeForms().allowed);
  return items.map((item, i) => {
    const at = Array.isArray(value) ? `${where}, change ${i + 1},` : where;
    if (typeof item !== "object" || item === null || Array.isArray(item)) throw new UsageError(`${at} is not a JSON object: each change is an object with a "kind", e.g. ${EXAMPLE}.`);
    const kind = (item as { kind?: unknown }).kind;
    if (typeof kind !== "string" || !(CHANGE_KINDS as readonly string[]).includes(kind)) {
      throw new UsageError(`${at} has ${kind === undefined ? "no kind" : `an unknown kind ${JSON.stringify(kind)}`}; the kinds a student may make: ${valid}.`);
    }
    const parsed = changeSchema.safeParse(item);
    if (!parsed.success) {
      const issues = parsed.error.issues.slice(0, 3).map((x) => {
        const bad = x.path.reduce<unknown>((o, k) => (o as Record<string | number, unknown> | undefined)?.[k], item);
        const options = "options" in x && !/Expected/.test(x.message) ? ` (valid: ${(x.options as unknown[]).join(", ")})` : "";
        const keys = "keys" in x ? ` ${(x.keys as string[]).map((k) => JSON.stringify(k)).join(", ")}` : "";
        return `${x.path.length ? x.path.join(".") : "the change"}${bad !== undefined && typeof bad !== "object" ? ` = ${JSON.stringify(bad)}` : ""}: ${x.message}${keys}${options}`;
      });
      throw new UsageError(`${at} is not a valid ${kind} change: ${issues.join("; ")}.`);
    }
    return parsed.data as Change;
  });
}

export function registerTry(program: Command, host: CommandHost): void {
  withLabOptions(program.command("try [change]").description("make a student's change(s) on the simulated lab (--offline), as the student policy and AWS allow it; then grade with lab check"))
    .option("--file <file>", "read the change(s) from a JSON file (an object or an array) instead of the argument")
    .option("--dry-run", "check the change(s) against the student policy and the lab; change nothing")
    .addHelpText("after", kindsHelp)
    .action(
      host.action(async (ctx, arg: string | undefined, opts: { file?: string; dryRun?: boolean }) => {
        if (arg !== undefined && opts.file !== undefined) throw new UsageError("Give the change(s) either as the argument or with --file, not both.");
        if (arg === undefined && opts.file === undefined) throw new UsageError(`Give the change(s) to make: lab try '<change json>' --offline, or lab try --file changes.json --offline; e.g. lab try ${EXAMPLE} --offline.`);
        if (!ctx.options.offline) {
          throw new UsageError("lab try works on the simulated lab only: add --offline. On AWS a student's change is made as the student makes it, with the student's own credentials (and policy).");
        }
        const changes = opts.file === undefined ? parseChanges(arg as string, "The change argument") : parseChanges(readChangesFile(ctx.io, opts.file), `--file ${opts.file}`);
        const outcomes = await forEachLab(ctx, async (cloud) => {
          const result = await tryChanges(cloud, changes, { dryRun: opts.dryRun });
          const active = (await cloud.ledger.list()).map((e) => e.scenario);
          return { result, active };
        });
        let code: ExitCode = reportLabErrors(ctx.io, outcomes);
        const json: unknown[] = [];
        for (const { lab, result } of outcomes) {
          if (!result) continue;
          code = worstOf(code, result.result.status === "refused" ? EXIT.FAILED : EXIT.OK);
          if (ctx.options.json) json.push({ lab, ...tryJson(result.result) });
          else print(ctx.io, lab, result.result, result.active);
        }
        if (ctx.options.json) ctx.io.out(JSON.stringify(json.length === 1 && !ctx.options.all ? json[0] : json, null, 2));
        return code;
      }),
    );
}

function readChangesFile(io: Io, file: string): string {
  try {
    return readFileSync(resolve(io.cwd, file), "utf8");
  } catch (e) {
    throw new UsageError(`--file ${file} cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); give the path of a JSON file of changes.`);
  }
}

function tryJson(r: TryOutcome): Record<string, unknown> {
  if (r.status === "refused") return { status: r.status, by: r.by, index: r.index, change: r.change, description: r.description, code: r.code, reason: r.reason };
  return { status: r.status, changes: r.changes.map((c) => ({ change: c.change, description: c.description, way: c.way })) };
}

function print(io: Io, lab: string, r: TryOutcome, active: string[]): void {
  if (r.status === "refused") {
    io.err(`lab ${lab}: ${paint(io, "red", "refused")} change ${r.index + 1} (${r.description}): ${r.reason}. Nothing was changed.`);
    return;
  }
  const n = r.changes.length;
  io.out(
    r.status === "dry-run"
      ? `lab ${lab}: dry run — nothing was changed. The student policy and AWS would let a student make ${n === 1 ? "this change" : `these ${n} changes`}:`
      : `lab ${lab}: made ${n === 1 ? "the student's change" : `the student's ${n} changes`} (not in the fault ledger: reset leaves ${n === 1 ? "it" : "them"} in place):`,
  );
  r.changes.forEach((c, i) => io.out(`  ${i + 1}. ${c.description}  — ${c.way}`));
  if (r.status === "applied") {
    io.out(active.length ? `  Grade it: ${active.map((s) => `lab check ${s} --offline --lab ${lab}`).join("; ")}` : `  No fault is active in lab ${lab}; grade it with lab check <scenario> --offline --lab ${lab}.`);
  }
}
