import type { InstanceModel, SecurityGroupModel, Snapshot } from "../network/snapshot";
import { describeSgRule, patternCidrs, ruleAdmits, sgOpenings } from "./sg-pattern";
import type { CheckSpec, CheckStatus } from "./types";

type SgRuleCheck = Extract<CheckSpec, { kind: "sg-rule" }>;

/**
 * An SG rule check on what protects instances: the effective rules of each, the union of every group it
 * carries (a group a student attached included), as EC2 evaluates them: a packet is admitted when any
 * rule of any of its groups admits it.
 * https://docs.aws.amazon.com/vpc/latest/userguide/vpc-security-groups.html
 */
export function evaluateEffectiveSgRule(s: Snapshot, check: SgRuleCheck, instances: readonly string[]): { status: CheckStatus; evidence: string } {
  const found: InstanceModel[] = [];
  const unknown: string[] = [];
  for (const ref of instances) {
    const inst = s.instances.find((i) => i.name === ref || i.id === ref);
    if (inst) found.push(inst);
    else unknown.push(ref);
  }
  if (unknown.length) return { status: "fail", evidence: `expected instances ${unknown.join(", ")}; the lab has none by ${unknown.length === 1 ? "that name" : "those names"}` };
  const groupsOf = (inst: InstanceModel): SecurityGroupModel[] => inst.securityGroupIds.flatMap((id) => s.securityGroups.filter((g) => g.id === id));
  const peerId = check.rule.peerSecurityGroup ? s.securityGroups.find((g) => g.name === check.rule.peerSecurityGroup || g.id === check.rule.peerSecurityGroup)?.id : undefined;
  const source = check.rule.cidr !== undefined ? patternCidrs(check.rule).join(" or ") : `SG ${check.rule.peerSecurityGroup}`;
  const what = `${check.direction} ${check.rule.protocol}/${check.rule.port} from ${source}`;
  const rulesOf = (g: SecurityGroupModel) => (check.direction === "ingress" ? g.ingress : g.egress);
  const carried = (inst: InstanceModel) => groupsOf(inst).map((g) => g.name).join(" + ") || "no group";
  if (check.expect === "absent") {
    const openings = found.flatMap((inst) => {
      const groups = groupsOf(inst);
      // From a CIDR, rules of several groups can cover it together; from a peer group, one rule admits it.
      const lines =
        check.rule.cidr !== undefined
          ? sgOpenings({ ...s, instances: [inst], loadBalancers: [], vpcEndpoints: [] }, groups, check.direction, check.rule)
          : groups.flatMap((g) => rulesOf(g).filter((r) => ruleAdmits(r, check.rule, peerId)).map((r) => `${g.name}: ${describeSgRule(r, s.securityGroups)}`));
      return lines.length ? [`${inst.name} (groups ${carried(inst)}): ${lines.join("; ")}`] : [];
    });
    return openings.length
      ? { status: "fail", evidence: `expected no instance of ${found.map((i) => i.name).join(", ")} to admit ${what} through any of its groups; found ${openings.join(" | ")}` }
      : { status: "pass", evidence: `none of ${found.length} instances admits ${what} through the groups it carries` };
  }
  const admitted = found.map((inst) => {
    const rule = groupsOf(inst).flatMap((g) => rulesOf(g).filter((r) => ruleAdmits(r, check.rule, peerId)).map((r) => `${g.name}: ${describeSgRule(r, s.securityGroups)}`))[0];
    return { inst, rule };
  });
  const missing = admitted.filter((a) => !a.rule);
  return missing.length
    ? { status: "fail", evidence: `expected ${missing.map((a) => `${a.inst.name} (groups ${carried(a.inst)})`).join(", ")} to admit ${what}; none of ${missing.length === 1 ? "its" : "their"} groups' rules does` }
    : { status: "pass", evidence: `${found.length} instances admit ${what}: ${admitted.map((a) => `${a.inst.name} through ${a.rule}`).join("; ")}` };
}
