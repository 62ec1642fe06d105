import {
  AuthorizeSecurityGroupEgressCommand,
  AuthorizeSecurityGroupIngressCommand,
  RevokeSecurityGroupEgressCommand,
  RevokeSecurityGroupIngressCommand,
  type IpPermission,
} from "@aws-sdk/client-ec2";
import type { SgRuleModel, Snapshot } from "../../../network/snapshot";
import { findOr, hex, onChange, type Account, type Router } from "./account";
import { awsError } from "./errors";

const PROTOCOLS: Record<string, string> = { "6": "tcp", "17": "udp", "1": "icmp", "-1": "-1", tcp: "tcp", udp: "udp", icmp: "icmp" };

/** One stored rule per source of each IpPermission, as EC2 keeps them. */
function rulesOf(s: Snapshot, permissions: readonly IpPermission[] | undefined): SgRuleModel[] {
  return (permissions ?? []).flatMap((p) => {
    const protocol = PROTOCOLS[String(p.IpProtocol)];
    if (!protocol) throw awsError("InvalidParameterValue", `Invalid value '${p.IpProtocol}' for IP protocol.`);
    if ((protocol === "tcp" || protocol === "udp") && (p.FromPort === undefined || p.ToPort === undefined)) throw awsError("InvalidParameterValue", "TCP and UDP rules need FromPort and ToPort.");
    const ports = protocol === "-1" ? { fromPort: -1, toPort: -1 } : { fromPort: p.FromPort ?? -1, toPort: p.ToPort ?? -1 };
    const rules: SgRuleModel[] = [
      ...(p.IpRanges ?? []).map((r) => ({ protocol, ...ports, cidr: r.CidrIp, ...(r.Description ? { description: r.Description } : {}) })),
      ...(p.UserIdGroupPairs ?? []).map((g) => {
        findOr(s.securityGroups, (x) => x.id === g.GroupId, "InvalidGroup.NotFound", `security group '${g.GroupId}'`);
        return { protocol, ...ports, peerSecurityGroupId: g.GroupId, ...(g.Description ? { description: g.Description } : {}) };
      }),
      ...(p.PrefixListIds ?? []).map((l) => ({ protocol, ...ports, prefixListId: l.PrefixListId })),
    ];
    if (!rules.length) throw awsError("MissingParameter", "A rule needs a CIDR, a security group or a prefix list.");
    return rules;
  });
}

/** EC2 matches rules on protocol, ports and source; descriptions do not count. */
const sameRule = (a: SgRuleModel, b: SgRuleModel) =>
  a.protocol === b.protocol &&
  a.fromPort === b.fromPort &&
  a.toPort === b.toPort &&
  (a.cidr ?? "") === (b.cidr ?? "") &&
  (a.peerSecurityGroupId ?? "") === (b.peerSecurityGroupId ?? "") &&
  (a.prefixListId ?? "") === (b.prefixListId ?? "");

type RuleRequest = { GroupId?: string; IpPermissions?: IpPermission[] };

/**
 * Security group rules, ingress and egress. A duplicate is refused; revoking a rule that does not
 * exist in a non-default VPC is an error and revokes nothing.
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_AuthorizeSecurityGroupIngress.html
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_RevokeSecurityGroupIngress.html
 */
export function installRuleChanges(ec2: Router, account: Account): void {
  const group = (s: Snapshot, id: string | undefined) => findOr(s.securityGroups, (g) => g.id === id, "InvalidGroup.NotFound", `security group '${id}'`);
  const authorize = (direction: "ingress" | "egress") => (i: RuleRequest, s: Snapshot) => {
    const sg = group(s, i.GroupId);
    const rules = direction === "ingress" ? sg.ingress : sg.egress;
    const asked = rulesOf(s, i.IpPermissions);
    if (asked.some((r) => rules.some((x) => sameRule(x, r)))) throw awsError("InvalidPermission.Duplicate", `the specified rule already exists in ${sg.id}`);
    const added = asked.map((r, n) => ({ id: `sgr-${hex(`${sg.id}|${direction}|${JSON.stringify(r)}|${account.log.length}|${n}`)}`, ...r }));
    rules.push(...added);
    return { Return: true, SecurityGroupRules: added.map((r) => ({ SecurityGroupRuleId: r.id, GroupId: sg.id, IsEgress: direction === "egress" })) };
  };
  const revoke = (direction: "ingress" | "egress") => (i: RuleRequest, s: Snapshot) => {
    const sg = group(s, i.GroupId);
    const rules = direction === "ingress" ? sg.ingress : sg.egress;
    const asked = rulesOf(s, i.IpPermissions);
    if (!asked.every((r) => rules.some((x) => sameRule(x, r)))) throw awsError("InvalidPermission.NotFound", "The specified rule does not exist in this security group.");
    const kept = rules.filter((x) => !asked.some((r) => sameRule(x, r)));
    rules.splice(0, rules.length, ...kept);
    return { Return: true };
  };
  onChange(ec2, account, AuthorizeSecurityGroupIngressCommand, authorize("ingress"));
  onChange(ec2, account, AuthorizeSecurityGroupEgressCommand, authorize("egress"));
  onChange(ec2, account, RevokeSecurityGroupIngressCommand, revoke("ingress"));
  onChange(ec2, account, RevokeSecurityGroupEgressCommand, revoke("egress"));
}
