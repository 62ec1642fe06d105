import type { NaclEntryModel, NetworkAclModel, SecurityGroupModel, SgRuleModel, Snapshot } from "./snapshot";
import { SynthError, type TfResource } from "./terraform-refs";
import type { TerraformResolver } from "./terraform-resolver";
import { bool, list, normalizeProtocol, str, strings, where } from "./terraform-values";

type Block = Record<string, unknown>;

/**
 * Security groups and their rules, in every form the AWS provider takes: inline `ingress`/`egress` blocks of
 * `aws_security_group` and `aws_default_security_group`, `aws_security_group_rule`, and the one-rule-per-resource
 * `aws_vpc_security_group_ingress_rule` / `_egress_rule` that netlab's stacks use.
 */
export function addSecurityGroups(s: Snapshot, t: TerraformResolver): void {
  for (const r of t.ofType("aws_security_group")) {
    const b = t.body(r);
    const id = t.id(r);
    s.securityGroups.push({
      id,
      name: t.name(r),
      groupName: str(b.name) ?? t.name(r),
      vpcId: str(b.vpc_id) ?? "",
      ingress: list(b.ingress).flatMap((x) => inlineRules(x as Block, id)),
      egress: list(b.egress).flatMap((x) => inlineRules(x as Block, id)),
      tags: t.tags(r),
    });
  }
  // Terraform adopts the VPC's default group and replaces its rules with the ones given.
  // https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/default_security_group
  for (const r of t.ofType("aws_default_security_group")) {
    const b = t.body(r);
    const vpcId = str(b.vpc_id) ?? "";
    if (!s.vpcs.some((v) => v.id === vpcId)) throw new SynthError(`${where(r)} is the default group of VPC "${vpcId}", which is not a VPC of the lab.`);
    const id = t.defaultSecurityGroupId(vpcId);
    s.securityGroups.push({ id, name: t.tags(r).Name ?? "default", groupName: "default", vpcId, ingress: list(b.ingress).flatMap((x) => inlineRules(x as Block, id)), egress: list(b.egress).flatMap((x) => inlineRules(x as Block, id)), tags: t.tags(r) });
  }
  const groupOf = (r: TfResource, sgId: unknown): SecurityGroupModel => {
    const sg = s.securityGroups.find((g) => g.id === sgId);
    if (!sg) throw new SynthError(`${where(r)} belongs to security group "${String(sgId)}", which is not a security group of the lab.`);
    return sg;
  };
  for (const r of t.ofType("aws_security_group_rule")) {
    const b = t.body(r);
    const type = str(b.type);
    if (type !== "ingress" && type !== "egress") throw new SynthError(`${where(r)} has type ${JSON.stringify(b.type)}; it must be ingress or egress.`);
    const sg = groupOf(r, b.security_group_id);
    const rules = inlineRules({ ...b, security_groups: str(b.source_security_group_id) ? [b.source_security_group_id] : [] }, sg.id).map((x) => ({ ...x, id: t.id(r) }));
    sg[type].push(...rules);
  }
  for (const [type, direction] of [["aws_vpc_security_group_ingress_rule", "ingress"], ["aws_vpc_security_group_egress_rule", "egress"]] as const) {
    for (const r of t.ofType(type)) {
      const b = t.body(r);
      const protocol = normalizeProtocol(b.ip_protocol);
      const rule: SgRuleModel = {
        id: t.id(r),
        protocol,
        fromPort: protocol === "-1" ? -1 : Number(b.from_port ?? -1),
        toPort: protocol === "-1" ? -1 : Number(b.to_port ?? -1),
        ...(str(b.cidr_ipv4) ? { cidr: str(b.cidr_ipv4) } : {}),
        ...(str(b.referenced_security_group_id) ? { peerSecurityGroupId: str(b.referenced_security_group_id) } : {}),
        ...(str(b.prefix_list_id) ? { prefixListId: str(b.prefix_list_id) } : {}),
        ...(str(b.description) ? { description: str(b.description) } : {}),
      };
      groupOf(r, b.security_group_id)[direction].push(rule);
    }
  }
}

/** One inline block (or `aws_security_group_rule`): one rule per CIDR, per source group, per prefix list, and for `self`. */
function inlineRules(b: Block, ownId: string): SgRuleModel[] {
  const protocol = normalizeProtocol(b.protocol);
  const base = { protocol, fromPort: protocol === "-1" ? -1 : Number(b.from_port ?? -1), toPort: protocol === "-1" ? -1 : Number(b.to_port ?? -1), ...(str(b.description) ? { description: str(b.description) } : {}) };
  return [
    ...strings(b.cidr_blocks).map((cidr) => ({ ...base, cidr })),
    ...strings(b.security_groups).map((peerSecurityGroupId) => ({ ...base, peerSecurityGroupId })),
    ...(b.self === true ? [{ ...base, peerSecurityGroupId: ownId }] : []),
    ...strings(b.prefix_list_ids).map((prefixListId) => ({ ...base, prefixListId })),
  ];
}

/**
 * Network ACLs: `aws_network_acl` (inline rules, `subnet_ids`), `aws_network_acl_rule`, `aws_network_acl_association`
 * and `aws_default_network_acl`, which adopts the VPC's default ACL and replaces its rules with the ones given.
 * A subnet is associated with exactly one ACL: an explicit association takes it from the one it had.
 * https://docs.aws.amazon.com/vpc/latest/userguide/vpc-network-acls.html
 */
export function addNetworkAcls(s: Snapshot, t: TerraformResolver): void {
  const associate = (r: TfResource, acl: NetworkAclModel, subnetId: string) => {
    const subnet = s.subnets.find((x) => x.id === subnetId);
    if (!subnet) throw new SynthError(`${where(r)} associates subnet "${subnetId}", which is not a subnet of the lab.`);
    if (subnet.vpcId !== acl.vpcId) throw new SynthError(`${where(r)} associates subnet ${subnet.name} with a network ACL of another VPC; AWS refuses that.`);
    for (const a of s.networkAcls) a.subnetIds = a.subnetIds.filter((x) => x !== subnetId);
    acl.subnetIds.push(subnetId);
  };
  for (const r of t.ofType("aws_default_network_acl")) {
    const b = t.body(r);
    const acl = s.networkAcls.find((a) => a.isDefault && a.id === b.default_network_acl_id);
    if (!acl) throw new SynthError(`${where(r)} adopts network ACL "${String(b.default_network_acl_id)}", which is not the default ACL of a VPC of the lab.`);
    acl.entries = inlineEntries(r, b);
    if (t.tags(r).Name) acl.name = t.tags(r).Name;
    for (const subnetId of strings(b.subnet_ids)) associate(r, acl, subnetId);
  }
  for (const r of t.ofType("aws_network_acl")) {
    const b = t.body(r);
    const vpcId = str(b.vpc_id) ?? "";
    if (!s.vpcs.some((v) => v.id === vpcId)) throw new SynthError(`${where(r)} is in VPC "${vpcId}", which is not a VPC of the lab.`);
    // A new ACL denies everything until it has rules.
    const acl: NetworkAclModel = { id: t.id(r), name: t.name(r), vpcId, isDefault: false, subnetIds: [], entries: inlineEntries(r, b), tags: t.tags(r) };
    s.networkAcls.push(acl);
    for (const subnetId of strings(b.subnet_ids)) associate(r, acl, subnetId);
  }
  const aclOf = (r: TfResource, id: unknown): NetworkAclModel => {
    const acl = s.networkAcls.find((a) => a.id === id);
    if (!acl) throw new SynthError(`${where(r)} names network ACL "${String(id)}", which is not a network ACL of the lab.`);
    return acl;
  };
  for (const r of t.ofType("aws_network_acl_rule")) {
    const b = t.body(r);
    const acl = aclOf(r, b.network_acl_id);
    acl.entries.push(entry(r, { ...b, rule_no: b.rule_number, action: b.rule_action }, bool(b.egress, false)));
  }
  for (const r of t.ofType("aws_network_acl_association")) {
    const b = t.body(r);
    associate(r, aclOf(r, b.network_acl_id), str(b.subnet_id) ?? "");
  }
}

function inlineEntries(r: TfResource, b: Block): NaclEntryModel[] {
  return [...list(b.ingress).map((x) => entry(r, x as Block, false)), ...list(b.egress).map((x) => entry(r, x as Block, true))].filter((e) => e.cidr);
}

/** One rule; IPv6 rules (ipv6_cidr_block) get an empty CIDR and are dropped: the model is IPv4 only. */
function entry(r: TfResource, b: Block, egress: boolean): NaclEntryModel {
  const protocol = normalizeProtocol(b.protocol);
  const action = str(b.action)?.toLowerCase();
  if (action !== "allow" && action !== "deny") throw new SynthError(`${where(r)} has a network ACL rule with action ${JSON.stringify(b.action ?? b.rule_action)}; it must be allow or deny.`);
  const ruleNumber = Number(b.rule_no);
  if (!Number.isInteger(ruleNumber) || ruleNumber < 1 || ruleNumber > 32766) throw new SynthError(`${where(r)} has a network ACL rule numbered ${JSON.stringify(b.rule_no)}; rule numbers run from 1 to 32766.`);
  const ports = protocol === "tcp" || protocol === "udp" ? { fromPort: Number(b.from_port ?? 0), toPort: Number(b.to_port ?? 65535) } : {};
  return { ruleNumber, egress, protocol, action, cidr: str(b.cidr_block) ?? "", ...ports };
}
