import { cidrContains, isCidr } from "../topology/cidr";
import type { SecurityGroupModel, SgRuleModel, Snapshot } from "../network/snapshot";
import { coversRange, overlaps, parseAnyCidr, type AddressRange } from "./cidr-cover";
import type { SgRulePattern } from "./types";

/** The whole IPv4 internet; a pattern from it also stands for the whole IPv6 one. */
const IPV4_WORLD = "0.0.0.0/0";
const IPV6_WORLD = "::/0";

/** True when `rule` admits the pattern's protocol and port, whatever its source: an all-traffic rule admits port 22. */
function admitsTraffic(rule: SgRuleModel, pattern: SgRulePattern): boolean {
  const protocolOk = rule.protocol === "-1" || rule.protocol === pattern.protocol;
  const portOk = rule.protocol === "-1" || pattern.protocol === "icmp" || (rule.fromPort <= pattern.port && pattern.port <= rule.toPort);
  return protocolOk && portOk;
}

/** True when `rule` admits the pattern's traffic: an all-traffic rule admits port 22, a /0 admits the world. */
export function ruleAdmits(rule: SgRuleModel, pattern: SgRulePattern, peerId: string | undefined): boolean {
  if (!admitsTraffic(rule, pattern)) return false;
  if (pattern.cidr !== undefined) return rule.cidr !== undefined && isCidr(rule.cidr) && cidrContains(rule.cidr, pattern.cidr);
  return peerId !== undefined && rule.peerSecurityGroupId === peerId;
}

export function describeSgRule(rule: SgRuleModel, groups: readonly SecurityGroupModel[]): string {
  const ports = rule.protocol === "-1" ? "all traffic" : rule.fromPort === rule.toPort ? `${rule.protocol}/${rule.fromPort}` : `${rule.protocol}/${rule.fromPort}-${rule.toPort}`;
  const source = rule.cidr ?? (rule.peerSecurityGroupId ? `SG ${groups.find((g) => g.id === rule.peerSecurityGroupId)?.name ?? rule.peerSecurityGroupId}` : rule.prefixListId ?? "?");
  return `${ports} from ${source}`;
}

/** The CIDRs a pattern stands for: its own, and ::/0 too when it is 0.0.0.0/0. */
export function patternCidrs(pattern: SgRulePattern): string[] {
  if (pattern.cidr === undefined) return [];
  return pattern.cidr === IPV4_WORLD ? [IPV4_WORLD, IPV6_WORLD] : [pattern.cidr];
}

/**
 * Where `groups` admit the pattern's traffic from every address of its CIDR (and, for 0.0.0.0/0, of
 * ::/0): by one rule, or by several whose CIDRs together cover it (0.0.0.0/1 + 128.0.0.0/1) — within
 * one group, or within the groups that one instance (or load balancer, or endpoint) carries together. One line per finding.
 */
export function sgOpenings(s: Snapshot, groups: readonly SecurityGroupModel[], direction: "ingress" | "egress", pattern: SgRulePattern): string[] {
  const targets = patternCidrs(pattern).flatMap((c) => {
    const range = parseAnyCidr(c);
    return range ? [{ text: c, range }] : [];
  });
  const scope = new Map(groups.map((g) => [g.id, g]));
  const sets = new Map<string, { label?: string; groups: SecurityGroupModel[] }>(groups.map((g) => [g.id, { groups: [g] }]));
  // What carries several groups at once: instances, and the ENIs of load balancers and interface endpoints.
  const carriers = [...s.instances, ...s.loadBalancers, ...s.vpcEndpoints].map((c) => ({ label: c.name, ids: c.securityGroupIds }));
  for (const c of carriers) {
    const own = c.ids.filter((id) => scope.has(id));
    if (own.length > 1) sets.set([...own].sort().join("+"), { label: c.label, groups: own.map((id) => scope.get(id) as SecurityGroupModel) });
  }
  const out = new Set<string>();
  for (const set of sets.values()) {
    for (const target of targets) {
      const admitting = set.groups.flatMap((g) =>
        (direction === "ingress" ? g.ingress : g.egress).flatMap((rule) => {
          const range = rule.cidr !== undefined ? parseAnyCidr(rule.cidr) : undefined;
          return range && admitsTraffic(rule, pattern) && overlaps(range, target.range) ? [{ g, rule, range }] : [];
        }),
      );
      if (!coversRange(admitting.map((a) => a.range), target.range)) continue;
      const alone = admitting.filter((a) => coversRange([a.range] as AddressRange[], target.range));
      if (alone.length) {
        for (const a of alone) out.add(`${a.g.name}: ${describeSgRule(a.rule, s.securityGroups)}`);
        continue;
      }
      const rules = admitting.map((a) => `${set.label ? `${a.g.name} ` : ""}${describeSgRule(a.rule, s.securityGroups)}`).join(" + ");
      out.add(`${set.label ? `${set.label}, through its groups` : set.groups[0].name}: ${rules} (together: ${target.text})`);
    }
  }
  return [...out];
}
