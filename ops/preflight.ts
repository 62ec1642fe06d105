import { DescribeAddressesCommand, paginateDescribeInternetGateways, paginateDescribeTransitGateways, paginateDescribeVpcs } from "@aws-sdk/client-ec2";
import { GetServiceQuotaCommand } from "@aws-sdk/client-service-quotas";
import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import type { AwsClients } from "../cloud/aws/clients";
import { collect } from "../cloud/aws/paging";
import { LAB_TAG } from "../cloud/aws/resolve";
import type { StackVariant, Topology } from "../topology/types";

/**
 * The quotas a lab runs into, with AWS's defaults for when Service Quotas cannot be read.
 * https://docs.aws.amazon.com/vpc/latest/userguide/amazon-vpc-limits.html
 * https://docs.aws.amazon.com/vpc/latest/tgw/transit-gateway-quotas.html
 */
export const QUOTAS = [
  { key: "vpcs", name: "VPCs per Region", serviceCode: "vpc", quotaCode: "L-F678F1CE", awsDefault: 5 },
  { key: "eips", name: "EC2-VPC Elastic IPs", serviceCode: "ec2", quotaCode: "L-0263D0A3", awsDefault: 5 },
  { key: "igws", name: "Internet gateways per Region", serviceCode: "vpc", quotaCode: "L-A4707A72", awsDefault: 5 },
  { key: "tgws", name: "Transit gateways per account", serviceCode: "ec2", quotaCode: "L-A2478D36", awsDefault: 5 },
] as const;

export type QuotaKey = (typeof QUOTAS)[number]["key"];

export interface QuotaCheck {
  name: string;
  limit: number;
  /** `service-quotas`, or `aws-default` when the quota could not be read. */
  limitSource: "service-quotas" | "aws-default";
  inUse: number;
  /** Already held by this lab (a redeploy replaces them). */
  inUseByLab: number;
  needed: number;
  ok: boolean;
}

export interface PreflightResult {
  lab: string;
  account: string;
  identity: string;
  region: string;
  quotas: QuotaCheck[];
  existingLabVpcs: string[];
  /** The Name tags of the lab's VPCs already there (which of its stacks are deployed). */
  existingLabVpcNames: string[];
  ok: boolean;
  waysOut: string[];
}

/** What one participant's lab needs, from the plan. */
export function labNeeds(topology: Topology, variants: readonly StackVariant[]): Record<QuotaKey, number> {
  const vpcs = topology.vpcs.filter((v) => variants.includes(v.stack));
  const names = new Set(vpcs.map((v) => v.name));
  return {
    vpcs: vpcs.length,
    eips: vpcs.reduce((n, v) => n + (v.natGateways?.length ?? 0), 0) + topology.instances.filter((i) => names.has(i.vpc) && i.elasticIp).length,
    igws: vpcs.filter((v) => v.internetGateway).length,
    tgws: variants.includes("core") ? 1 : 0,
  };
}

async function quotaLimit(c: AwsClients, q: (typeof QUOTAS)[number]): Promise<{ limit: number; source: QuotaCheck["limitSource"] }> {
  try {
    const out = await c.quotas.send(new GetServiceQuotaCommand({ ServiceCode: q.serviceCode, QuotaCode: q.quotaCode }));
    if (typeof out.Quota?.Value === "number") return { limit: out.Quota.Value, source: "service-quotas" };
  } catch {
    // No servicequotas:GetServiceQuota permission, or the quota is not exposed: fall back to AWS's default.
  }
  return { limit: q.awsDefault, source: "aws-default" };
}

/** Identity, region, quotas (the default VPC counts), existing lab resources; ok only if the lab fits. */
export async function preflight(c: AwsClients, lab: string, region: string, needs: Record<QuotaKey, number>): Promise<PreflightResult> {
  const who = await c.sts.send(new GetCallerIdentityCommand({}));
  const ec2 = { client: c.ec2 };
  // Every VPC, EIP, IGW and TGW of the region counts against its quota, the lab's or not: all pages.
  const [vpcs, eips, igws, tgws] = await Promise.all([
    collect(paginateDescribeVpcs(ec2, {}), (r) => r.Vpcs),
    // DescribeAddresses has no pagination. https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeAddresses.html
    c.ec2.send(new DescribeAddressesCommand({})).then((r) => r.Addresses ?? []),
    collect(paginateDescribeInternetGateways(ec2, {}), (r) => r.InternetGateways),
    collect(paginateDescribeTransitGateways(ec2, {}), (r) => r.TransitGateways).then((l) => l.filter((t) => t.State !== "deleted")),
  ]);
  const mine = (tags: { Key?: string; Value?: string }[] | undefined) => (tags ?? []).some((t) => t.Key === LAB_TAG && t.Value === lab);
  const usage: Record<QuotaKey, { all: number; lab: number }> = {
    vpcs: { all: vpcs.length, lab: vpcs.filter((v) => mine(v.Tags)).length },
    eips: { all: eips.length, lab: eips.filter((e) => mine(e.Tags)).length },
    igws: { all: igws.length, lab: igws.filter((g) => mine(g.Tags)).length },
    tgws: { all: tgws.length, lab: tgws.filter((t) => mine(t.Tags)).length },
  };
  const quotas: QuotaCheck[] = [];
  for (const q of QUOTAS) {
    const { limit, source } = await quotaLimit(c, q);
    const u = usage[q.key];
    quotas.push({ name: q.name, limit, limitSource: source, inUse: u.all, inUseByLab: u.lab, needed: needs[q.key], ok: u.all - u.lab + needs[q.key] <= limit });
  }
  const waysOut: string[] = [];
  const vpcQuota = quotas[0];
  if (!vpcQuota.ok) {
    const hasDefault = vpcs.some((v) => v.IsDefault);
    if (hasDefault) waysOut.push(`Delete the default VPC of ${region} if nothing uses it (it counts against the ${vpcQuota.limit}-VPC quota): aws ec2 delete-vpc after removing its subnets and internet gateway, or the VPC console.`);
    waysOut.push(`Ask for more VPCs: aws service-quotas request-service-quota-increase --service-code vpc --quota-code L-F678F1CE --desired-value ${vpcQuota.inUse - vpcQuota.inUseByLab + vpcQuota.needed} --region ${region}`);
    waysOut.push('Deploy one variant only ("variants": ["core"] needs 4 VPCs), or use another region or account.');
  }
  for (const q of quotas.slice(1).filter((x) => !x.ok)) {
    const def = QUOTAS.find((x) => x.name === q.name)!;
    if (def.key === "igws") {
      // The VPC quotas page: this quota follows "VPCs per Region"; raising that one raises it.
      waysOut.push(`"${q.name}" follows "VPCs per Region" (one internet gateway per VPC): ask for at least ${q.inUse - q.inUseByLab + q.needed} VPCs: aws service-quotas request-service-quota-increase --service-code vpc --quota-code L-F678F1CE --desired-value ${Math.max(q.inUse - q.inUseByLab + q.needed, vpcQuota.inUse - vpcQuota.inUseByLab + vpcQuota.needed)} --region ${region}`);
      continue;
    }
    waysOut.push(`Raise "${q.name}" to at least ${q.inUse - q.inUseByLab + q.needed}: aws service-quotas request-service-quota-increase --service-code ${def.serviceCode} --quota-code ${def.quotaCode} --desired-value ${q.inUse - q.inUseByLab + q.needed} --region ${region}`);
  }
  return {
    lab,
    account: who.Account ?? "?",
    identity: who.Arn ?? "?",
    region,
    quotas,
    existingLabVpcs: vpcs.filter((v) => mine(v.Tags)).map((v) => v.VpcId ?? ""),
    existingLabVpcNames: vpcs.filter((v) => mine(v.Tags)).flatMap((v) => (v.Tags ?? []).filter((t) => t.Key === "Name" && t.Value).map((t) => t.Value!)),
    ok: quotas.every((q) => q.ok),
    waysOut,
  };
}

/** Participants whose credentials reach the same account in the same region (their labs would collide). */
export function sharedAccounts(results: readonly Pick<PreflightResult, "lab" | "account" | "region">[]): { account: string; region: string; labs: string[] }[] {
  const by = new Map<string, { account: string; region: string; labs: string[] }>();
  for (const r of results) {
    const key = `${r.account} ${r.region}`;
    const group = by.get(key) ?? { account: r.account, region: r.region, labs: [] };
    group.labs.push(r.lab);
    by.set(key, group);
  }
  return [...by.values()].filter((g) => g.labs.length > 1);
}

/** Why two labs cannot share an account, and the way out. */
export function sharedAccountMessage(g: { account: string; region: string; labs: readonly string[] }): string {
  return `Participants ${g.labs.join(", ")} reach the same AWS account ${g.account} in ${g.region}: their labs would collide, because every lab's resources have the same names (the load balancer DMZVPC-alb1, its target groups, the flow-log role…). Give each participant an account of its own (its own "profile" or "roleArn" in netlab.config.json), or remove the extra participants from this account.`;
}
