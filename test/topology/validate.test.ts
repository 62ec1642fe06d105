import { LAB_TOPOLOGY } from "../../topology/lab";
import type { Topology, VpcPlan } from "../../topology/types";
import { TopologyError, validateTopology } from "../../topology/validate";

type Mutable<T> = { -readonly [K in keyof T]: T[K] extends object ? Mutable<T[K]> : T[K] };

function plan(): Mutable<Topology> {
  return structuredClone(LAB_TOPOLOGY) as Mutable<Topology>;
}

function vpc(t: Mutable<Topology>, name: string): Mutable<VpcPlan> {
  return t.vpcs.find((v) => v.name === name)!;
}

function expectRejected(t: Mutable<Topology>, message: string | RegExp): void {
  expect(() => validateTopology(t as Topology)).toThrow(TopologyError);
  expect(() => validateTopology(t as Topology)).toThrow(message);
}

describe("validateTopology", () => {
  it("accepts the lab of the seeds", () => {
    // GIVEN the plan as shipped / WHEN validated / THEN nothing is thrown
    expect(() => validateTopology(LAB_TOPOLOGY)).not.toThrow();
  });

  it("rejects a subnet outside its VPC", () => {
    // GIVEN VPC02's subnet A moved to 10.3.20.0/22
    const t = plan();
    vpc(t, "VPC02").subnets[0].cidr = "10.3.20.0/22";
    // THEN the message names the subnet, its CIDR and the VPC's
    expectRejected(t, 'Subnet "VPC02-PrivateSubnetA" has CIDR 10.3.20.0/22, which is outside its VPC "VPC02" (10.2.0.0/16).');
  });

  it("rejects an IP outside its subnet", () => {
    const t = plan();
    t.instances.find((i) => i.name === "VPC02-Private-A-10.2.20.101")!.privateIp = "10.2.24.101";
    expectRejected(t, 'Instance "VPC02-Private-A-10.2.20.101" has IP 10.2.24.101, which is outside its subnet "VPC02-PrivateSubnetA" (10.2.20.0/22).');
  });

  it.each([
    ["the network address", "10.2.20.0"],
    ["the VPC router", "10.2.20.1"],
    ["the DNS address", "10.2.20.2"],
    ["the reserved fourth", "10.2.20.3"],
    ["the broadcast address", "10.2.23.255"],
  ])("rejects %s (%s), which AWS reserves", (_what, ip) => {
    const t = plan();
    t.instances.find((i) => i.name === "VPC02-Private-A-10.2.20.101")!.privateIp = ip;
    expectRejected(t, `has IP ${ip}, which AWS reserves in subnet "VPC02-PrivateSubnetA"`);
  });

  it("rejects overlapping subnets", () => {
    const t = plan();
    vpc(t, "VPC02").subnets[1].cidr = "10.2.22.0/24";
    expectRejected(t, 'Subnets "VPC02-PrivateSubnetA" (10.2.20.0/22) and "VPC02-PrivateSubnetB" (10.2.22.0/24) overlap.');
  });

  it("rejects overlapping VPCs", () => {
    // GIVEN VPC01 moved onto VPC02's block (its subnets moved with it, clear of VPC02's)
    const t = plan();
    vpc(t, "VPC01").cidr = "10.2.0.0/16";
    vpc(t, "VPC01").subnets.forEach((s, i) => (s.cidr = `10.2.${i * 4}.0/22`));
    // THEN both are named with their CIDRs
    expectRejected(t, 'VPCs "VPC01" (10.2.0.0/16) and "VPC02" (10.2.0.0/16) overlap; the transit gateway could not route between them.');
  });

  it.each([
    ["larger than /16", "10.0.0.0/14"],
    ["smaller than /28", "10.2.0.0/29"],
  ])("rejects a VPC %s (%s), citing AWS's limits", (_what, cidr) => {
    // GIVEN VPC02 with a block AWS refuses (its subnets left inside it where they fit)
    const t = plan();
    vpc(t, "VPC02").cidr = cidr;
    // THEN the message names the VPC, the CIDR, the allowed range and the documentation
    expectRejected(t, `VPC "VPC02" has CIDR ${cidr}, but AWS accepts only /16 to /28 blocks (https://docs.aws.amazon.com/vpc/latest/userguide/vpc-cidr-blocks.html).`);
  });

  it.each([
    ["larger than /16", "10.2.0.0/15"],
    ["smaller than /28", "10.2.20.0/29"],
  ])("rejects a subnet %s (%s), citing AWS's limits", (_what, cidr) => {
    const t = plan();
    vpc(t, "VPC02").subnets[0].cidr = cidr;
    expectRejected(t, `Subnet "VPC02-PrivateSubnetA" has CIDR ${cidr}, but AWS accepts only /16 to /28 blocks (https://docs.aws.amazon.com/vpc/latest/userguide/subnet-sizing.html).`);
  });

  it("accepts the smallest blocks AWS allows: a /28 subnet", () => {
    // GIVEN NATInstance-VPC1's public subnet shrunk to /28 with the NAT instance still inside it
    const t = plan();
    vpc(t, "NATInstance-VPC1").subnets[0].cidr = "10.10.1.96/28";
    // THEN the plan is valid
    expect(() => validateTopology(t as Topology)).not.toThrow();
  });

  it.each([
    ["a subnet", (t: Mutable<Topology>) => (vpc(t, "VPC02").subnets[0].cidr = "10.2.20.0/33"), 'Subnet "VPC02-PrivateSubnetA" has an invalid CIDR: "10.2.20.0/33" is not an IPv4 CIDR'],
    [
      "a route destination",
      (t: Mutable<Topology>) => (vpc(t, "VPC02").routeTables[0].routes = [{ destination: "0.0.0.0", target: { kind: "tgw" } }]),
      'A route of "VPC02-Private-Subnet-A-RT" has an invalid CIDR: "0.0.0.0" is not an IPv4 CIDR',
    ],
    [
      "an SG rule",
      (t: Mutable<Topology>) => (vpc(t, "VPC02").securityGroups[0].ingress[1].cidr = "10.0.0.1/8"),
      'Security group "VPC02-PrivateSG" has an invalid CIDR: "10.0.0.1/8" is not a network address: did you mean 10.0.0.0/8?',
    ],
  ])("rejects a malformed CIDR in %s, naming it", (_what, mutate, message) => {
    const t = plan();
    mutate(t);
    expectRejected(t, message);
  });

  it.each([
    ["VPC", (t: Mutable<Topology>) => (vpc(t, "VPC01").name = "VPC02"), 'The VPC name "VPC02" is used more than once'],
    ["subnet", (t: Mutable<Topology>) => (vpc(t, "VPC02").subnets[1].name = "VPC02-PrivateSubnetA"), 'The subnet name "VPC02-PrivateSubnetA" is used more than once'],
    ["route table", (t: Mutable<Topology>) => (vpc(t, "VPC02").routeTables[1].name = "VPC02-Private-Subnet-A-RT"), 'The route table name "VPC02-Private-Subnet-A-RT" is used more than once'],
    ["security group", (t: Mutable<Topology>) => (vpc(t, "VPC02").securityGroups[1].name = "VPC02-PrivateSG"), 'The security group name "VPC02-PrivateSG" is used more than once'],
    ["instance", (t: Mutable<Topology>) => (t.instances[1].name = t.instances[0].name), `The instance name "VPC01-Private-A-10.1.20.101" is used more than once`],
    ["DNS label", (t: Mutable<Topology>) => (t.instances[1].dnsLabel = t.instances[0].dnsLabel), 'The DNS label name "vpc01-a" is used more than once'],
    ["internet gateway", (t: Mutable<Topology>) => (vpc(t, "mgmtvpc").internetGateway = "DMZVPC-IGW"), 'The internet gateway name "DMZVPC-IGW" is used more than once'],
    ["NAT gateway", (t: Mutable<Topology>) => (vpc(t, "DMZVPC").natGateways = [{ name: "DMZVPC-NATGW-A", az: "A" }, { name: "DMZVPC-NATGW-A", az: "B" }]), 'The NAT gateway name "DMZVPC-NATGW-A" is used more than once'],
    ["TGW route table", (t: Mutable<Topology>) => (t.tgw.routeTables[1].name = t.tgw.routeTables[0].name), 'The TGW route table name "netlab-tgw-spoke-rt" is used more than once'],
  ])("rejects a duplicate %s name", (_what, mutate, message) => {
    const t = plan();
    mutate(t);
    expectRejected(t, message);
  });

  it("rejects a malformed CIDR, naming it", () => {
    const t = plan();
    vpc(t, "VPC02").cidr = "10.2.0.1/16";
    expectRejected(t, 'VPC "VPC02" has an invalid CIDR: "10.2.0.1/16" is not a network address: did you mean 10.2.0.0/16?');
  });

  it("rejects a subnet naming a route table its VPC lacks", () => {
    const t = plan();
    vpc(t, "VPC02").subnets[0].routeTable = "VPC02-Public-RT";
    expectRejected(t, 'Subnet "VPC02-PrivateSubnetA" names route table "VPC02-Public-RT", which VPC "VPC02" does not have');
  });

  it("rejects a route to an internet gateway in a VPC without one", () => {
    const t = plan();
    vpc(t, "VPC02").routeTables[0].routes = [{ destination: "0.0.0.0/0", target: { kind: "igw" } }];
    expectRejected(t, 'Route table "VPC02-Private-Subnet-A-RT" sends 0.0.0.0/0 to an internet gateway, but VPC "VPC02" has none.');
  });

  it("rejects a route to the NAT gateway of an AZ that has none", () => {
    const t = plan();
    vpc(t, "DMZVPC").natGateways = [{ name: "DMZVPC-NATGW-A", az: "A" }];
    expectRejected(t, 'sends 0.0.0.0/0 to the NAT gateway of AZ B, but VPC "DMZVPC" has no NAT gateway there.');
  });

  it("rejects a route to the TGW from a VPC that is not attached", () => {
    const t = plan();
    t.tgw.attachments = t.tgw.attachments.filter((a) => a !== "VPC02");
    expectRejected(t, 'sends 0.0.0.0/0 to the transit gateway, but VPC "VPC02" is not attached to it.');
  });

  it("rejects a route to an instance of another VPC", () => {
    const t = plan();
    vpc(t, "NATInstance-VPC1").routeTables[1].routes = [{ destination: "0.0.0.0/0", target: { kind: "instance-eni", instance: "VPC01-Private-A-10.1.20.101" } }];
    expectRejected(t, 'sends 0.0.0.0/0 to instance "VPC01-Private-A-10.1.20.101", which is not an instance of VPC "NATInstance-VPC1".');
  });

  it("rejects an SG rule with both a CIDR and a peer group", () => {
    const t = plan();
    vpc(t, "DMZVPC").securityGroups[1].ingress[0].cidr = "10.0.0.0/8";
    expectRejected(t, 'A rule of security group "DMZVPC-PrivateSG" ("HTTP from the ALB") must name exactly one of a CIDR or a peer security group.');
  });

  it("rejects an SG rule with neither a CIDR nor a peer group", () => {
    // GIVEN the ALB rule of the web targets stripped of its peer group
    const t = plan();
    delete vpc(t, "DMZVPC").securityGroups[1].ingress[0].peerSecurityGroup;
    expectRejected(t, 'A rule of security group "DMZVPC-PrivateSG" ("HTTP from the ALB") must name exactly one of a CIDR or a peer security group.');
  });

  it("rejects an SG rule referring to a group of another VPC", () => {
    const t = plan();
    vpc(t, "DMZVPC").securityGroups[1].ingress[0].peerSecurityGroup = "VPC02-PrivateSG";
    expectRejected(t, 'Security group "DMZVPC-PrivateSG" refers to "VPC02-PrivateSG", which is not a security group of VPC "DMZVPC".');
  });

  it("rejects a NAT gateway without a public subnet in its AZ", () => {
    const t = plan();
    vpc(t, "DMZVPC").subnets = vpc(t, "DMZVPC").subnets.filter((s) => s.name !== "DMZVPC-PublicSubnetB");
    t.alb.subnets = ["DMZVPC-PublicSubnetA"];
    expectRejected(t, 'NAT gateway "DMZVPC-NATGW-B" needs a public subnet in AZ B of VPC "DMZVPC".');
  });

  it("rejects SSM endpoints without exactly one endpoint subnet", () => {
    const t = plan();
    vpc(t, "VPC02").subnets[1].endpoints = true;
    expectRejected(t, 'VPC "VPC02" has SSM endpoints, so exactly one of its subnets must be marked to hold them.');
  });

  it("rejects an instance in an unknown VPC, subnet or SG, listing what exists", () => {
    const t1 = plan();
    t1.instances[0].vpc = "VPC09";
    expectRejected(t1, 'Instance "VPC01-Private-A-10.1.20.101" is in VPC "VPC09", which the plan does not have (it has: VPC01, VPC02, DMZVPC, mgmtvpc, NATInstance-VPC1).');
    const t2 = plan();
    t2.instances[0].subnet = "VPC01-PublicSubnetA";
    expectRejected(t2, 'is in subnet "VPC01-PublicSubnetA", which VPC "VPC01" does not have (it has: VPC01-PrivateSubnetA, VPC01-PrivateSubnetB).');
    const t3 = plan();
    t3.instances[0].securityGroups = ["VPC02-PrivateSG"];
    expectRejected(t3, 'uses security group "VPC02-PrivateSG", which VPC "VPC01" does not have.');
  });

  it("rejects an invalid or duplicate private IP", () => {
    const t1 = plan();
    t1.instances[0].privateIp = "10.1.20.300";
    expectRejected(t1, 'Instance "VPC01-Private-A-10.1.20.101" has an invalid private IP: "10.1.20.300" is not an IPv4 address: each part must be 0–255.');
    const t2 = plan();
    t2.instances[1].subnet = "VPC01-PrivateSubnetA";
    t2.instances[1].privateIp = "10.1.20.101";
    expectRejected(t2, 'Instance "VPC01-Private-B-10.1.24.101" has IP 10.1.20.101, which another instance already has.');
  });

  it("rejects an ALB in a private subnet, in one AZ, or with a foreign target", () => {
    const t1 = plan();
    t1.alb.subnets = ["DMZVPC-PrivateSubnetA", "DMZVPC-PublicSubnetB"];
    expectRejected(t1, 'ALB "DMZVPC-alb1" is internet-facing, so "DMZVPC-PrivateSubnetA" must be a public subnet of VPC "DMZVPC".');
    const t2 = plan();
    t2.alb.subnets = ["DMZVPC-PublicSubnetA", "DMZVPC-PublicSubnetA"];
    expectRejected(t2, 'ALB "DMZVPC-alb1" needs subnets in two AZs; AWS refuses an ALB in one.');
    const t3 = plan();
    t3.alb.targetGroup.targets = ["VPC02-Private-A-10.2.20.101"];
    expectRejected(t3, 'Target "VPC02-Private-A-10.2.20.101" of "DMZVPC-TG-web" must be an instance of VPC "DMZVPC".');
    const t4 = plan();
    t4.alb.vpc = "VPC09";
    expectRejected(t4, 'ALB "DMZVPC-alb1" is in VPC "VPC09", which the plan does not have.');
  });

  it("rejects a health check whose timeout is not shorter than its interval", () => {
    const t = plan();
    t.alb.targetGroup.healthCheck.timeoutSeconds = 10;
    expectRejected(t, "The health check timeout (10 s) must be shorter than its interval (10 s).");
  });

  it("rejects TGW plans naming unattached or unknown VPCs", () => {
    const t1 = plan();
    t1.tgw.routeTables[0].associations = ["NATInstance-VPC1"];
    expectRejected(t1, 'TGW route table "netlab-tgw-spoke-rt" names VPC "NATInstance-VPC1", which is not attached to the transit gateway.');
    const t2 = plan();
    t2.tgw.attachments = [...t2.tgw.attachments, "VPC09"];
    expectRejected(t2, 'The transit gateway attaches VPC "VPC09", which the plan does not have.');
    const t3 = plan();
    t3.tgw.attachments = [...t3.tgw.attachments, "NATInstance-VPC1"];
    expectRejected(t3, 'VPC "NATInstance-VPC1" is attached to the transit gateway but none of its subnets is marked for the attachment.');
    const t4 = plan();
    t4.tgw.routeTables[1].associations = ["VPC01"];
    expectRejected(t4, 'The TGW association of VPC name "VPC01" is used more than once');
    const t5 = plan();
    t5.tgw.routeTables[0].staticRoutes = [{ destination: "0.0.0.0/33", vpc: "DMZVPC" }];
    expectRejected(t5, 'A static route of "netlab-tgw-spoke-rt" has an invalid CIDR');
  });

  it("rejects a CPU alarm on an instance the plan lacks", () => {
    const t = plan();
    t.monitoring.cpuAlarm.instance = "VPC02-Private-A-10.2.20.199";
    expectRejected(t, 'The CPU alarm watches "VPC02-Private-A-10.2.20.199", which is not an instance of the plan.');
  });
});
