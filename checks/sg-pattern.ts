import { cidrContains, isCidr } from "../topology/cidr";
import type { SecurityGroupModel, SgRuleModel } from "../network/snapshot";
import type { SgRulePattern } from "./types";

/** True when `rule` admits the pattern's traffic: an all-traffic rule admits port 22, a /0 admits the world. */
export function ruleAdmits(rule: SgRuleModel, pattern: SgRulePattern, peerId: string | undefined): boolean {
  const protocolOk = rule.protocol === "-1" || rule.protocol === pattern.protocol;
  const portOk = rule.protocol === "-1" || pattern.protocol === "icmp" || (rule.fromPort <= pattern.port && pattern.port <= rule.toPort);
  if (!protocolOk || !portOk) return false;
  if (pattern.cidr !== undefined) return rule.cidr !== undefined && isCidr(rule.cidr) && cidrContains(rule.cidr, pattern.cidr);
  return peerId !== undefined && rule.peerSecurityGroupId === peerId;
}

export function describeSgRule(rule: SgRuleModel, groups: readonly SecurityGroupModel[]): string {
  const ports = rule.protocol === "-1" ? "all traffic" : rule.fromPort === rule.toPort ? `${rule.protocol}/${rule.fromPort}` : `${rule.protocol}/${rule.fromPort}-${rule.toPort}`;
  const source = rule.cidr ?? (rule.peerSecurityGroupId ? `SG ${groups.find((g) => g.id === rule.peerSecurityGroupId)?.name ?? rule.peerSecurityGroupId}` : rule.prefixListId ?? "?");
  return `${ports} from ${source}`;
}
