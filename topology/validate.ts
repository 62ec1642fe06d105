import { cidrContains, cidrContainsIp, cidrsOverlap, isReservedInSubnet, parseCidr, parseIp } from "./cidr";
import type { Topology, VpcPlan } from "./types";

/** A plan that cannot be built. The message is a sentence naming the bad value. */
export class TopologyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TopologyError";
  }
}

function fail(message: string): never {
  throw new TopologyError(message);
}

function checkCidr(text: string, what: string): void {
  try {
    parseCidr(text);
  } catch (e) {
    fail(`${what} has an invalid CIDR: ${(e as Error).message}`);
  }
}

/** AWS accepts IPv4 VPC and subnet blocks from /16 to /28. */
export const VPC_PREFIX_RANGE = { largest: 16, smallest: 28 } as const;
const VPC_SIZE_DOC = "https://docs.aws.amazon.com/vpc/latest/userguide/vpc-cidr-blocks.html";
const SUBNET_SIZE_DOC = "https://docs.aws.amazon.com/vpc/latest/userguide/subnet-sizing.html";

function checkSize(cidr: string, what: string, doc: string): void {
  const { prefix } = parseCidr(cidr);
  if (prefix < VPC_PREFIX_RANGE.largest || prefix > VPC_PREFIX_RANGE.smallest) {
    fail(`${what} has CIDR ${cidr}, but AWS accepts only /${VPC_PREFIX_RANGE.largest} to /${VPC_PREFIX_RANGE.smallest} blocks (${doc}).`);
  }
}

function checkUnique(names: readonly string[], what: string): void {
  const seen = new Set<string>();
  for (const n of names) {
    if (seen.has(n)) fail(`The ${what} name "${n}" is used more than once; names must be unique because students find resources by Name.`);
    seen.add(n);
  }
}

function validateVpc(vpc: VpcPlan, topology: Topology): void {
  checkCidr(vpc.cidr, `VPC "${vpc.name}"`);
  checkSize(vpc.cidr, `VPC "${vpc.name}"`, VPC_SIZE_DOC);
  const tables = new Set(vpc.routeTables.map((t) => t.name));
  const sgs = new Set(vpc.securityGroups.map((g) => g.name));
  for (const s of vpc.subnets) {
    checkCidr(s.cidr, `Subnet "${s.name}"`);
    checkSize(s.cidr, `Subnet "${s.name}"`, SUBNET_SIZE_DOC);
    if (!cidrContains(vpc.cidr, s.cidr)) fail(`Subnet "${s.name}" has CIDR ${s.cidr}, which is outside its VPC "${vpc.name}" (${vpc.cidr}).`);
    if (!tables.has(s.routeTable)) fail(`Subnet "${s.name}" names route table "${s.routeTable}", which VPC "${vpc.name}" does not have (it has: ${[...tables].join(", ")}).`);
  }
  for (let i = 0; i < vpc.subnets.length; i++) {
    for (let j = i + 1; j < vpc.subnets.length; j++) {
      const a = vpc.subnets[i];
      const b = vpc.subnets[j];
      if (cidrsOverlap(a.cidr, b.cidr)) fail(`Subnets "${a.name}" (${a.cidr}) and "${b.name}" (${b.cidr}) overlap.`);
    }
  }
  for (const t of vpc.routeTables) {
    for (const r of t.routes) {
      checkCidr(r.destination, `A route of "${t.name}"`);
      if (r.target.kind === "igw" && !vpc.internetGateway) fail(`Route table "${t.name}" sends ${r.destination} to an internet gateway, but VPC "${vpc.name}" has none.`);
      if (r.target.kind === "tgw" && !topology.tgw.attachments.includes(vpc.name)) fail(`Route table "${t.name}" sends ${r.destination} to the transit gateway, but VPC "${vpc.name}" is not attached to it.`);
      if (r.target.kind === "nat-gateway") {
        const az = r.target.az;
        if (!(vpc.natGateways ?? []).some((n) => n.az === az)) fail(`Route table "${t.name}" sends ${r.destination} to the NAT gateway of AZ ${az}, but VPC "${vpc.name}" has no NAT gateway there.`);
      }
      if (r.target.kind === "instance-eni") {
        const name = r.target.instance;
        const inst = topology.instances.find((i) => i.name === name);
        if (!inst || inst.vpc !== vpc.name) fail(`Route table "${t.name}" sends ${r.destination} to instance "${name}", which is not an instance of VPC "${vpc.name}".`);
      }
    }
  }
  for (const g of vpc.securityGroups) {
    for (const rule of [...g.ingress, ...g.egress]) {
      if ((rule.cidr === undefined) === (rule.peerSecurityGroup === undefined)) fail(`A rule of security group "${g.name}" ("${rule.description}") must name exactly one of a CIDR or a peer security group.`);
      if (rule.cidr !== undefined) checkCidr(rule.cidr, `Security group "${g.name}"`);
      if (rule.peerSecurityGroup !== undefined && !sgs.has(rule.peerSecurityGroup)) fail(`Security group "${g.name}" refers to "${rule.peerSecurityGroup}", which is not a security group of VPC "${vpc.name}".`);
    }
  }
  for (const n of vpc.natGateways ?? []) {
    if (!vpc.subnets.some((s) => s.tier === "public" && s.az === n.az)) fail(`NAT gateway "${n.name}" needs a public subnet in AZ ${n.az} of VPC "${vpc.name}".`);
  }
  if (vpc.ssmEndpoints && vpc.subnets.filter((s) => s.endpoints).length !== 1) fail(`VPC "${vpc.name}" has SSM endpoints, so exactly one of its subnets must be marked to hold them.`);
}

/** Rejects a plan that AWS would refuse or that would mislead students. Throws TopologyError. */
export function validateTopology(topology: Topology): void {
  checkUnique(topology.vpcs.map((v) => v.name), "VPC");
  checkUnique(topology.vpcs.flatMap((v) => v.subnets.map((s) => s.name)), "subnet");
  checkUnique(topology.vpcs.flatMap((v) => v.routeTables.map((t) => t.name)), "route table");
  checkUnique(topology.vpcs.flatMap((v) => v.securityGroups.map((g) => g.name)), "security group");
  checkUnique(topology.vpcs.flatMap((v) => (v.internetGateway ? [v.internetGateway] : [])), "internet gateway");
  checkUnique(topology.vpcs.flatMap((v) => (v.natGateways ?? []).map((n) => n.name)), "NAT gateway");
  checkUnique(topology.tgw.routeTables.map((t) => t.name), "TGW route table");
  checkUnique(topology.instances.map((i) => i.name), "instance");
  checkUnique(topology.instances.map((i) => i.dnsLabel).concat(topology.alb.dnsLabel), "DNS label");
  for (const vpc of topology.vpcs) validateVpc(vpc, topology);
  for (let i = 0; i < topology.vpcs.length; i++) {
    for (let j = i + 1; j < topology.vpcs.length; j++) {
      const a = topology.vpcs[i];
      const b = topology.vpcs[j];
      if (cidrsOverlap(a.cidr, b.cidr)) fail(`VPCs "${a.name}" (${a.cidr}) and "${b.name}" (${b.cidr}) overlap; the transit gateway could not route between them.`);
    }
  }
  const ips = new Set<string>();
  for (const inst of topology.instances) {
    const vpc = topology.vpcs.find((v) => v.name === inst.vpc);
    if (!vpc) fail(`Instance "${inst.name}" is in VPC "${inst.vpc}", which the plan does not have (it has: ${topology.vpcs.map((v) => v.name).join(", ")}).`);
    const subnet = vpc.subnets.find((s) => s.name === inst.subnet);
    if (!subnet) fail(`Instance "${inst.name}" is in subnet "${inst.subnet}", which VPC "${vpc.name}" does not have (it has: ${vpc.subnets.map((s) => s.name).join(", ")}).`);
    try {
      parseIp(inst.privateIp);
    } catch (e) {
      fail(`Instance "${inst.name}" has an invalid private IP: ${(e as Error).message}`);
    }
    if (!cidrContainsIp(subnet.cidr, inst.privateIp)) fail(`Instance "${inst.name}" has IP ${inst.privateIp}, which is outside its subnet "${subnet.name}" (${subnet.cidr}).`);
    if (isReservedInSubnet(subnet.cidr, inst.privateIp)) fail(`Instance "${inst.name}" has IP ${inst.privateIp}, which AWS reserves in subnet "${subnet.name}" (${subnet.cidr}: the first four addresses and the last one).`);
    if (ips.has(inst.privateIp)) fail(`Instance "${inst.name}" has IP ${inst.privateIp}, which another instance already has.`);
    ips.add(inst.privateIp);
    for (const sg of inst.securityGroups) {
      if (!vpc.securityGroups.some((g) => g.name === sg)) fail(`Instance "${inst.name}" uses security group "${sg}", which VPC "${vpc.name}" does not have.`);
    }
  }
  const alb = topology.alb;
  const albVpc = topology.vpcs.find((v) => v.name === alb.vpc);
  if (!albVpc) fail(`ALB "${alb.name}" is in VPC "${alb.vpc}", which the plan does not have.`);
  for (const s of alb.subnets) {
    const subnet = albVpc.subnets.find((x) => x.name === s);
    if (!subnet || subnet.tier !== "public") fail(`ALB "${alb.name}" is internet-facing, so "${s}" must be a public subnet of VPC "${albVpc.name}".`);
  }
  if (new Set(alb.subnets.map((s) => albVpc.subnets.find((x) => x.name === s)?.az)).size < 2) fail(`ALB "${alb.name}" needs subnets in two AZs; AWS refuses an ALB in one.`);
  for (const t of alb.targetGroup.targets) {
    const inst = topology.instances.find((i) => i.name === t);
    if (!inst || inst.vpc !== alb.vpc) fail(`Target "${t}" of "${alb.targetGroup.name}" must be an instance of VPC "${alb.vpc}".`);
  }
  const hc = alb.targetGroup.healthCheck;
  if (hc.timeoutSeconds >= hc.intervalSeconds) fail(`The health check timeout (${hc.timeoutSeconds} s) must be shorter than its interval (${hc.intervalSeconds} s).`);
  const vpcNames = new Set(topology.vpcs.map((v) => v.name));
  for (const a of topology.tgw.attachments) {
    const vpc = topology.vpcs.find((v) => v.name === a);
    if (!vpc) fail(`The transit gateway attaches VPC "${a}", which the plan does not have.`);
    if (!vpc.subnets.some((s) => s.tgwAttachment)) fail(`VPC "${a}" is attached to the transit gateway but none of its subnets is marked for the attachment.`);
  }
  for (const rt of topology.tgw.routeTables) {
    for (const v of [...rt.associations, ...rt.propagations, ...rt.staticRoutes.map((r) => r.vpc)]) {
      if (!vpcNames.has(v) || !topology.tgw.attachments.includes(v)) fail(`TGW route table "${rt.name}" names VPC "${v}", which is not attached to the transit gateway.`);
    }
    for (const r of rt.staticRoutes) checkCidr(r.destination, `A static route of "${rt.name}"`);
  }
  const associated = topology.tgw.routeTables.flatMap((rt) => rt.associations);
  checkUnique(associated, "TGW association of VPC");
  const alarm = topology.monitoring.cpuAlarm;
  if (!topology.instances.some((i) => i.name === alarm.instance)) fail(`The CPU alarm watches "${alarm.instance}", which is not an instance of the plan.`);
}
