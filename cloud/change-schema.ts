import { z } from "zod";
import { isCidr } from "../topology/cidr";
import type { Change, ChangeKind } from "./change";
import type { LedgerEntry } from "./port";

/**
 * What a ledger entry must be, read back from where it is stored (the simulated lab's state file,
 * Parameter Store): every Change kind of cloud/change.ts, field by field. An entry that is not is
 * never used (reset would apply half an inverse) and never dropped (its inverses may be the only
 * record of the fault): the command stops with CorruptLedgerError and says how to clear it by hand.
 */

const name = z.string().min(1);
const destination = z.string().refine(isCidr, "must be an IPv4 CIDR such as 0.0.0.0/0");
const onOff = z.boolean();
const port = z.number().int().min(1).max(65535);
const direction = z.enum(["ingress", "egress"]);

const routeTarget = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("tgw"), name }).strict(),
  z.object({ kind: z.literal("igw"), name }).strict(),
  z.object({ kind: z.literal("nat-gateway"), name }).strict(),
  z.object({ kind: z.literal("instance-eni"), instance: name }).strict(),
]);

const sgRule = z
  .object({
    protocol: z.enum(["-1", "tcp", "udp", "icmp"]),
    fromPort: z.number().int().min(-1).max(65535),
    toPort: z.number().int().min(-1).max(65535),
    cidr: name.optional(),
    peerSecurityGroup: name.optional(),
    description: z.string().optional(),
  })
  .strict()
  .refine((r) => (r.cidr === undefined) !== (r.peerSecurityGroup === undefined), "must name exactly one source: cidr or peerSecurityGroup");

const target = z.object({ targetGroup: name, instance: name, port });
const zone = z.object({ zone: name, vpc: name });

export const changeSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("delete-route"), routeTable: name, destination }).strict(),
  z.object({ kind: z.literal("create-route"), routeTable: name, destination, target: routeTarget }).strict(),
  z.object({ kind: z.literal("replace-route"), routeTable: name, destination, target: routeTarget }).strict(),
  z.object({ kind: z.literal("stop-instance"), instance: name }).strict(),
  z.object({ kind: z.literal("start-instance"), instance: name }).strict(),
  z.object({ kind: z.literal("set-source-dest-check"), instance: name, enabled: onOff }).strict(),
  z.object({ kind: z.literal("revoke-sg-rule"), securityGroup: name, direction, rule: sgRule }).strict(),
  z.object({ kind: z.literal("authorize-sg-rule"), securityGroup: name, direction, rule: sgRule }).strict(),
  target.extend({ kind: z.literal("deregister-target") }).strict(),
  target.extend({ kind: z.literal("register-target") }).strict(),
  zone.extend({ kind: z.literal("disassociate-zone") }).strict(),
  zone.extend({ kind: z.literal("associate-zone") }).strict(),
  z.object({ kind: z.literal("delete-flow-log"), vpc: name }).strict(),
  z.object({ kind: z.literal("create-flow-log"), vpc: name, logGroup: name, trafficType: z.enum(["ACCEPT", "REJECT", "ALL"]) }).strict(),
  z.object({ kind: z.literal("set-os-state"), instance: name, key: z.enum(["masquerade", "cpuLoad"]), value: onOff }).strict(),
]);

// The schema covers every kind of Change, and reads back exactly the Change type (checked by the compiler).
type SchemaKind = z.infer<typeof changeSchema>["kind"];
const everyKind: [Exclude<ChangeKind, SchemaKind>, Exclude<SchemaKind, ChangeKind>] extends [never, never] ? true : false = true;
const sameShape = (c: z.infer<typeof changeSchema>): Change => c;
void everyKind;
void sameShape;

const ledgerEntrySchema = z
  .object({
    scenario: name,
    lab: name,
    injectedAt: z.string().datetime({ offset: true }),
    by: z.string(),
    changes: z.array(changeSchema),
    inverses: z.array(changeSchema),
  })
  .strict()
  .refine((e) => e.changes.length === e.inverses.length, { message: "must hold one inverse per change", path: ["inverses"] });

/** Where an entry is stored, and how an instructor removes it by hand. */
export interface LedgerLocation {
  lab: string;
  /** The scenario it is stored under (the key, the parameter name's last part). */
  scenario: string;
  /** The command or edit that removes it. */
  clear: string;
}

/** A ledger entry that cannot be read back: exit 2, nothing changed, and how to clear it by hand. */
export class CorruptLedgerError extends Error {
  constructor(
    readonly where: string,
    /** What it is not: "not JSON", "not a netlab ledger entry", … */
    readonly problem: string,
    /** Which fields are wrong, and how. */
    readonly detail: string,
    readonly location: LedgerLocation,
  ) {
    const { lab, scenario } = location;
    super(
      `The ledger entry ${where} cannot be read (${problem}): ${detail}. It is the record of scenario "${scenario}" in lab ${lab}, and it was left as it is; nothing was changed. ` +
        `Check the lab by hand first (\`lab check ${scenario} --lab ${lab}\`, and the resources the scenario's brief names), put back what the fault changed if it is still in, then clear the entry: ${location.clear}.`,
    );
    this.name = "CorruptLedgerError";
  }
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((i) => `${i.path.length ? i.path.join(".") : "the entry"}: ${i.message}`)
    .join("; ");
}

/** The entry `value` is, checked field by field; throws CorruptLedgerError naming what is wrong. */
export function parseLedgerEntry(value: unknown, where: string, location: LedgerLocation): LedgerEntry {
  const parsed = ledgerEntrySchema.safeParse(value);
  if (!parsed.success) throw new CorruptLedgerError(where, "not a netlab ledger entry", describeIssues(parsed.error), location);
  const entry = parsed.data;
  if (entry.lab !== location.lab || entry.scenario !== location.scenario) {
    throw new CorruptLedgerError(where, "stored in another entry's place", `it is stored for scenario "${location.scenario}" of lab ${location.lab}, but records scenario "${entry.scenario}" of lab ${entry.lab}`, location);
  }
  return entry;
}

/** The same, from stored text (a Parameter Store value). */
export function parseLedgerJson(text: string | undefined, where: string, location: LedgerLocation): LedgerEntry {
  let value: unknown;
  try {
    value = JSON.parse(text ?? "");
  } catch (e) {
    throw new CorruptLedgerError(where, "not JSON", (e as Error).message, location);
  }
  return parseLedgerEntry(value, where, location);
}
