import { describeChange, type Change } from "../cloud/change";
import { applyToSnapshot, ChangeConflictError } from "../cloud/model-apply";
import type { LabCloud } from "../cloud/port";
import { snapshotResolver, studentMayMake, studentStatements } from "../cloud/student-rights";
import type { Snapshot } from "../network/snapshot";
import { ssmPath } from "../network/ssm-path";
import { LAB_TAG } from "../stacks/constructs/names";

/** One of the student's changes, as it was (or would be) made. */
export interface TriedChange {
  change: Change;
  description: string;
  /** How the student makes it on AWS: "the EC2 API (CreateRoute)", "inside the OS, by Run Command…". */
  way: string;
}

export type TryOutcome =
  /** Every change was made, in order. They are the student's: the fault ledger does not record them. */
  | { status: "applied"; changes: TriedChange[] }
  /** --dry-run: every change would be made; nothing was changed. */
  | { status: "dry-run"; changes: TriedChange[] }
  /**
   * Change `index` (0-based) would be refused on AWS, by the student policy (`by: "policy"`) or by AWS
   * itself (`by: "aws"`), with AWS's error `code`. Nothing was changed, not even the changes before it.
   */
  | { status: "refused"; by: "policy" | "aws"; index: number; change: Change; description: string; code: string; reason: string };

/** The lab's private zone: the one the student policy names. */
function labZoneId(s: Snapshot): string {
  const zone = s.hostedZones.find((z) => z.private && z.tags[LAB_TAG] === s.lab) ?? s.hostedZones.find((z) => z.private);
  return zone?.id ?? "none";
}

/**
 * Makes a student's changes on a lab, as the student could on AWS: each one must be allowed by the
 * student's IAM policy, and AWS must accept it on the lab as it is after the ones before. All of them
 * are checked first, on a copy of the lab: one that would be refused stops the whole list and nothing
 * is changed. A name the lab does not have throws UnknownResourceError (bad input).
 *
 * The changes are not recorded in the fault ledger: they are the student's, so `lab reset` (which undoes
 * only what the ledger names) leaves them in place, and `lab check` grades them.
 */
export async function tryChanges(cloud: LabCloud, changes: readonly Change[], options: { dryRun?: boolean } = {}): Promise<TryOutcome> {
  const scratch = await cloud.snapshot();
  const statements = studentStatements(cloud.lab, labZoneId(scratch));
  const tried: TriedChange[] = [];
  for (const [index, change] of changes.entries()) {
    const description = describeChange(change);
    const permission = studentMayMake(statements, change, snapshotResolver(scratch));
    if (!permission.allowed) return { status: "refused", by: "policy", index, change, description, code: permission.code, reason: permission.reason };
    const inside = permission.way.insideInstance;
    const path = inside === undefined ? undefined : ssmPath(scratch, inside);
    if (path && !path.ok) {
      // A command for an instance whose agent cannot reach Systems Manager is never delivered: it waits,
      // Pending, until it times out. https://docs.aws.amazon.com/systems-manager/latest/userguide/monitor-commands.html
      const where = path.blockedBy ? `: blocked at ${path.blockedBy.component} (${path.blockedBy.reason})` : "";
      const reason = `Run Command cannot reach ${inside}${path.service ? ` (its agent gets no answer from ${path.service}${where})` : where}, so the command would wait until DeliveryTimedOut and change nothing`;
      return { status: "refused", by: "aws", index, change, description, code: "DeliveryTimedOut", reason };
    }
    try {
      applyToSnapshot(scratch, change);
    } catch (e) {
      if (!(e instanceof ChangeConflictError)) throw e;
      const code = e.code ?? "InvalidParameterValue";
      return { status: "refused", by: "aws", index, change, description, code, reason: `AWS would refuse it (${code}): ${e.message.replace(/\.$/, "")}` };
    }
    tried.push({ change, description, way: permission.way.label });
  }
  if (options.dryRun) return { status: "dry-run", changes: tried };
  for (const { change } of tried) await cloud.apply(change);
  return { status: "applied", changes: tried };
}
