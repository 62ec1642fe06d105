import { parseDestination, reach, UnknownEndpointError } from "../../network/analyzer";
import type { ReasonCode } from "../../network/reach-types";
import type { Snapshot } from "../../network/snapshot";
import { targetHealth } from "../../network/target-health";
import { labSnapshot } from "../helpers/lab";

let base: Snapshot;
beforeAll(async () => {
  base = await labSnapshot();
});

const lab = () => structuredClone(base);
const vpc = (s: Snapshot, name: string) => s.vpcs.find((v) => v.name === name)!;
const rt = (s: Snapshot, name: string) => s.routeTables.find((t) => t.name === name)!;
const sg = (s: Snapshot, name: string) => s.securityGroups.find((g) => g.name === name)!;
const inst = (s: Snapshot, name: string) => s.instances.find((i) => i.name === name)!;
const VPC02_A = "VPC02-Private-A-10.2.20.101";

function expectBlocked(s: Snapshot, from: string, to: Parameters<typeof reach>[2], component: string, reason: ReasonCode, options?: Parameters<typeof reach>[3]) {
  const r = reach(s, from, to, options);
  expect(r.reachable).toBe(false);
  expect(r.blockedBy).toMatchObject({ component, reason });
  expect(r.blockedBy?.detail.length).toBeGreaterThan(10);
  return r;
}

describe("reach on the synthesized lab", () => {
  it.each(["VPC01-Private-A-10.1.20.101", "VPC01-Private-B-10.1.24.101", VPC02_A, "VPC02-Private-B-10.2.24.101"])(
    "%s reaches the internet through the TGW and the DMZ NAT gateway of its AZ",
    (from) => {
      // GIVEN the lab as synthesized / WHEN tracing to the internet
      const s = lab();
      const r = reach(s, from, { kind: "internet" });
      // THEN it is reachable, and the far side sees the EIP of the same-AZ NAT gateway
      const az = from.includes("-A-") ? "A" : "B";
      const nat = s.natGateways.find((n) => n.name === `DMZVPC-NATGW-${az}`)!;
      expect(r).toMatchObject({ reachable: true, blockedBy: null, egressIp: nat.publicIp });
      expect(nat.publicIp).toMatch(/^203\.0\.113\./);
      expect(r.hops.map((h) => h.kind)).toEqual(expect.arrayContaining(["transit-gateway", "tgw-route-table", "nat-gateway", "internet-gateway"]));
    },
  );

  it.each(["Private-EC2-1", "Private-EC2-2"])("%s egresses through the NAT instance's EIP", (from) => {
    const s = lab();
    const eip = s.elasticIps.find((e) => e.name === "NAT-Instance-EIP")!;
    const r = reach(s, from, { kind: "internet" });
    expect(r).toMatchObject({ reachable: true, egressIp: eip.publicIp });
    expect(r.hops).toContainEqual(expect.objectContaining({ component: "NAT-Instance", kind: "nat-instance" }));
  });

  it("reaches another spoke's instance across the TGW, by name, address and DNS name", () => {
    const s = lab();
    expect(reach(s, VPC02_A, { kind: "instance", ref: "VPC01-Private-B-10.1.24.101" }, { protocol: "icmp" }).reachable).toBe(true);
    expect(reach(s, VPC02_A, { kind: "address", ip: "10.1.24.101" }, { protocol: "icmp" }).reachable).toBe(true);
    expect(reach(s, VPC02_A, { kind: "dns", name: "vpc01-b.netlab.internal" }, { protocol: "icmp" }).reachable).toBe(true);
  });

  it("reaches the ALB from the workstation with healthy targets behind it", () => {
    const r = reach(lab(), "mgmtvpc-Workstation-10.254.0.101", { kind: "load-balancer" }, { port: 80 });
    expect(r.reachable).toBe(true);
    expect(r.hops.slice(-2)).toMatchObject([
      { component: "DMZVPC-alb1", kind: "load-balancer" },
      { component: "DMZVPC-TG-web", kind: "target-group" },
    ]);
  });
});

describe("load balancer listeners, interface endpoints and public names on the synthesized lab", () => {
  it("an explicit port the ALB has no listener on is SERVICE_DOWN at the ALB, naming its ports", () => {
    // GIVEN the ALB listens on 80 only / WHEN asked for 8443
    const r = reach(lab(), "mgmtvpc-Workstation-10.254.0.101", { kind: "load-balancer" }, { port: 8443 });
    // THEN it says so instead of quietly using the port-80 listener
    expect(r.reachable).toBe(false);
    expect(r.blockedBy).toMatchObject({ component: "DMZVPC-alb1", reason: "SERVICE_DOWN", detail: "DMZVPC-alb1 has no listener on 8443; it listens on 80" });
    // AND without a port the first listener's is used
    expect(reach(lab(), "mgmtvpc-Workstation-10.254.0.101", { kind: "load-balancer" }).reachable).toBe(true);
  });

  it("the SSM service name resolves to the VPC's interface endpoint (private DNS), reached on 443 inside the VPC", () => {
    // GIVEN VPC01's ssm endpoint (private DNS on) in PrivateSubnetA / WHEN the B instance asks for ssm's regional name
    const s = lab();
    const r = reach(s, "VPC01-Private-B-10.1.24.101", { kind: "dns", name: "ssm.ap-northeast-2.amazonaws.com" }, { port: 443 });
    // THEN it goes to the endpoint, not to the internet: no NAT, no egress IP
    expect(r).toMatchObject({ reachable: true, blockedBy: null, egressIp: null });
    expect(r.hops).toContainEqual(expect.objectContaining({ component: "VPC01-ssm-endpoint", kind: "vpc-endpoint" }));
    expect(r.hops.map((h) => h.kind)).not.toContain("nat-gateway");
    // AND the endpoint's group decides: without its 443 rule the endpoint refuses
    sg(s, "VPC01-EndpointSG").ingress = [];
    expect(reach(s, "VPC01-Private-B-10.1.24.101", { kind: "dns", name: "ssm.ap-northeast-2.amazonaws.com" }, { port: 443 }).blockedBy).toMatchObject({
      component: "VPC01-EndpointSG",
      reason: "SG_INGRESS_DENY",
    });
  });

  it("the endpoint's address is reachable by address too, and answers on 443 only", () => {
    const s = lab();
    const ip = s.vpcEndpoints.find((e) => e.name === "VPC02-ssm-endpoint")!.networkInterfaces![0].privateIp;
    expect(reach(s, VPC02_A, { kind: "address", ip }, { port: 443 }).reachable).toBe(true);
    sg(s, "VPC02-EndpointSG").ingress.push({ protocol: "tcp", fromPort: 80, toPort: 80, cidr: "10.2.0.0/16" });
    expect(reach(s, VPC02_A, { kind: "address", ip }, { port: 80 }).blockedBy).toMatchObject({ component: "VPC02-ssm-endpoint", reason: "SERVICE_DOWN" });
    sg(s, "VPC02-EndpointSG").ingress.push({ protocol: "icmp", fromPort: -1, toPort: -1, cidr: "10.2.0.0/16" });
    expect(reach(s, VPC02_A, { kind: "address", ip }, { protocol: "icmp" }).blockedBy).toMatchObject({
      component: "VPC02-ssm-endpoint",
      reason: "SERVICE_DOWN",
      detail: "VPC02-ssm-endpoint (com.amazonaws.ap-northeast-2.ssm) answers on tcp/443 only, not icmp",
    });
  });

  it("a public name is an internet destination, reached through centralized egress", () => {
    // GIVEN www.example.com is in no private zone and is no endpoint's name
    const r = reach(lab(), VPC02_A, { kind: "dns", name: "www.example.com" }, { port: 443 });
    // THEN it is not DNS_NO_ANSWER: the name is public, and the path is the internet's (TGW, DMZ NAT gateway)
    expect(r).toMatchObject({ reachable: true, blockedBy: null });
    expect(r.egressIp).toMatch(/^203\.0\.113\./);
    expect(r.hops.map((h) => h.kind)).toEqual(expect.arrayContaining(["dns", "transit-gateway", "nat-gateway", "internet-gateway"]));
  });

  it("a missing name under the lab's private zone is DNS_NO_ANSWER (the zone answers NXDOMAIN)", () => {
    expect(reach(lab(), VPC02_A, { kind: "dns", name: "nothing.netlab.internal" }).blockedBy).toMatchObject({ component: "netlab.internal", reason: "DNS_NO_ANSWER" });
  });

  it("a private destination behind the NAT instance's IGW route: the sentence does not mention a transit gateway the VPC does not have", () => {
    // NATInstance-VPC1 has no TGW attachment: the NAT instance forwards 10.1.20.101 to its IGW, which drops private addresses
    const r = reach(lab(), "Private-EC2-1", { kind: "address", ip: "10.1.20.101" }, { protocol: "icmp" });
    expect(r.blockedBy).toMatchObject({ component: "NATInstance-PublicRouteTable1", reason: "NO_ROUTE" });
    expect(r.blockedBy!.detail).toBe(
      "NATInstance-PublicRouteTable1 sends 10.1.20.101 to the internet gateway (0.0.0.0/0 → NATInstance-IGW1), which drops private destinations: NATInstance-PublicRouteTable1 has no more specific route for 10.1.20.101",
    );
    expect(r.blockedBy!.detail).not.toContain("transit gateway");
  });
});

describe("each reason code names the component that blocks", () => {
  it("NO_ROUTE: a route table without a default route", () => {
    const s = lab();
    rt(s, "VPC02-Private-Subnet-A-RT").routes = rt(s, "VPC02-Private-Subnet-A-RT").routes.filter((r) => r.destination !== "0.0.0.0/0");
    const r = expectBlocked(s, VPC02_A, { kind: "internet" }, "VPC02-Private-Subnet-A-RT", "NO_ROUTE");
    expect(r.blockedBy?.detail).toBe("VPC02-Private-Subnet-A-RT has no route that matches 0.0.0.0/0 (it has: 10.2.0.0/16 → local)");
  });

  it("NO_ROUTE on the way back: the DMZ public subnets lost 10.0.0.0/8 → TGW, so replies go to the IGW", () => {
    // GIVEN the return route of centralized egress removed
    const s = lab();
    rt(s, "DMZVPC-Public-RT").routes = rt(s, "DMZVPC-Public-RT").routes.filter((r) => r.destination !== "10.0.0.0/8");
    // THEN the forward path works but the reply is dropped, and the analyzer says where
    const r = expectBlocked(s, VPC02_A, { kind: "internet" }, "DMZVPC-Public-RT", "NO_ROUTE");
    expect(r.blockedBy?.detail).toContain("10.2.20.101");
  });

  it("BLACKHOLE_ROUTE: a route whose target is gone", () => {
    const s = lab();
    rt(s, "VPC02-Private-Subnet-A-RT").routes.find((r) => r.destination === "0.0.0.0/0")!.state = "blackhole";
    expectBlocked(s, VPC02_A, { kind: "internet" }, "VPC02-Private-Subnet-A-RT", "BLACKHOLE_ROUTE");
  });

  it("SG_EGRESS_DENY: a security group with no egress rule (Terraform removes the default one)", () => {
    const s = lab();
    sg(s, "VPC02-PrivateSG").egress = [];
    expectBlocked(s, VPC02_A, { kind: "internet" }, "VPC02-PrivateSG", "SG_EGRESS_DENY");
  });

  it("SG_INGRESS_DENY: the destination's group does not admit the source", () => {
    const s = lab();
    sg(s, "VPC01-PrivateSG").ingress = sg(s, "VPC01-PrivateSG").ingress.filter((r) => r.protocol !== "icmp");
    expectBlocked(s, VPC02_A, { kind: "instance", ref: "VPC01-Private-A-10.1.20.101" }, "VPC01-PrivateSG", "SG_INGRESS_DENY", { protocol: "icmp" });
  });

  it("NACL_DENY: a stateless deny before the allow", () => {
    const s = lab();
    const acl = s.networkAcls.find((a) => a.vpcId === vpc(s, "VPC02").id)!;
    acl.entries.push({ ruleNumber: 50, egress: true, protocol: "-1", action: "deny", cidr: "0.0.0.0/0" });
    expectBlocked(s, VPC02_A, { kind: "internet" }, acl.name, "NACL_DENY");
  });

  it("TGW_NO_ROUTE: the spoke TGW route table lost its default route", () => {
    const s = lab();
    const t = s.tgwRouteTables.find((x) => x.name === "netlab-tgw-spoke-rt")!;
    t.routes = t.routes.filter((r) => r.destination !== "0.0.0.0/0");
    expectBlocked(s, VPC02_A, { kind: "internet" }, "netlab-tgw-spoke-rt", "TGW_NO_ROUTE");
  });

  it("TGW_NO_ATTACHMENT_IN_AZ: the attachment has no subnet in the sender's AZ", () => {
    const s = lab();
    const att = s.tgwAttachments.find((a) => a.vpcId === vpc(s, "VPC02").id)!;
    const subnetB = s.subnets.find((x) => x.name === "VPC02-PrivateSubnetB")!;
    att.subnetIds = att.subnetIds.filter((id) => id !== subnetB.id);
    expectBlocked(s, "VPC02-Private-B-10.2.24.101", { kind: "internet" }, att.name, "TGW_NO_ATTACHMENT_IN_AZ");
    expect(reach(s, VPC02_A, { kind: "internet" }).reachable).toBe(true);
  });

  it("NO_PUBLIC_IP: an instance behind an IGW without a public address", () => {
    const s = lab();
    delete inst(s, "mgmtvpc-Workstation-10.254.0.101").publicIp;
    expectBlocked(s, "mgmtvpc-Workstation-10.254.0.101", { kind: "internet" }, "mgmtvpc-IGW", "NO_PUBLIC_IP");
  });

  it("SOURCE_DEST_CHECK: the NAT instance drops traffic not addressed to it", () => {
    const s = lab();
    inst(s, "NAT-Instance").sourceDestCheck = true;
    expectBlocked(s, "Private-EC2-1", { kind: "internet" }, "NAT-Instance", "SOURCE_DEST_CHECK");
  });

  it("NAT_NOT_FORWARDING: no MASQUERADE, or no ip_forward", () => {
    const s1 = lab();
    inst(s1, "NAT-Instance").os!.masquerade = false;
    expectBlocked(s1, "Private-EC2-1", { kind: "internet" }, "NAT-Instance", "NAT_NOT_FORWARDING");
    const s2 = lab();
    inst(s2, "NAT-Instance").os!.ipForward = false;
    expectBlocked(s2, "Private-EC2-2", { kind: "internet" }, "NAT-Instance", "NAT_NOT_FORWARDING");
  });

  it("INSTANCE_NOT_RUNNING: a stopped source, and a stopped NAT instance on the path", () => {
    const s = lab();
    inst(s, VPC02_A).state = "stopped";
    expectBlocked(s, VPC02_A, { kind: "internet" }, VPC02_A, "INSTANCE_NOT_RUNNING");
    inst(s, "NAT-Instance").state = "stopped";
    expectBlocked(s, "Private-EC2-1", { kind: "internet" }, "NAT-Instance", "INSTANCE_NOT_RUNNING");
  });

  it("SERVICE_DOWN: the port is open but nothing listens", () => {
    expectBlocked(lab(), VPC02_A, { kind: "instance", ref: "VPC01-Private-A-10.1.20.101" }, "VPC01-Private-A-10.1.20.101", "SERVICE_DOWN", { protocol: "tcp", port: 80 });
  });

  it("DNS_NO_ANSWER: the private zone is not associated with the source's VPC", () => {
    const s = lab();
    const zone = s.hostedZones[0];
    zone.vpcIds = zone.vpcIds.filter((id) => id !== vpc(s, "VPC02").id);
    const r = expectBlocked(s, VPC02_A, { kind: "dns", name: "vpc01-a.netlab.internal" }, "netlab.internal", "DNS_NO_ANSWER");
    expect(r.blockedBy?.detail).toBe("vpc01-a.netlab.internal is in private zone netlab.internal, which is not associated with VPC02");
  });

  it("NO_HEALTHY_TARGET: every web target stopped", () => {
    const s = lab();
    for (const i of s.instances.filter((x) => x.name.startsWith("DMZVPC-"))) i.state = "stopped";
    expectBlocked(s, "mgmtvpc-Workstation-10.254.0.101", { kind: "load-balancer" }, "DMZVPC-TG-web", "NO_HEALTHY_TARGET", { port: 80 });
  });

  it("UNKNOWN_DESTINATION: an address in the VPC that no interface has", () => {
    expectBlocked(lab(), VPC02_A, { kind: "address", ip: "10.2.20.250" }, "VPC02-Private-Subnet-A-RT", "UNKNOWN_DESTINATION", { protocol: "icmp" });
  });
});

describe("targetHealth", () => {
  const health = (s: Snapshot, name: string) => {
    const tg = s.targetGroups[0];
    return targetHealth(s, tg, tg.targets.find((t) => t.instanceId === inst(s, name).id)!);
  };

  it("is healthy in the lab as built", () => {
    const s = lab();
    expect(s.targetGroups[0].targets.map((t) => targetHealth(s, s.targetGroups[0], t).state)).toEqual(["healthy", "healthy", "healthy", "healthy"]);
  });

  it("is unused / Target.InvalidState for a stopped instance", () => {
    const s = lab();
    inst(s, "DMZVPC-Private-B-10.11.24.102").state = "stopped";
    expect(health(s, "DMZVPC-Private-B-10.11.24.102")).toMatchObject({ state: "unused", reason: "Target.InvalidState" });
  });

  it("is unhealthy / Target.Timeout when the SG drops the ALB", () => {
    const s = lab();
    sg(s, "DMZVPC-PrivateSG").ingress = sg(s, "DMZVPC-PrivateSG").ingress.filter((r) => r.peerSecurityGroupId === undefined);
    expect(health(s, "DMZVPC-Private-A-10.11.20.101")).toMatchObject({ state: "unhealthy", reason: "Target.Timeout" });
  });

  it("is unhealthy / Target.FailedHealthChecks when nothing listens on the registered port", () => {
    const s = lab();
    const tg = s.targetGroups[0];
    const t = tg.targets.find((x) => x.instanceId === inst(s, "DMZVPC-Private-A-10.11.20.102").id)!;
    t.port = 8080;
    sg(s, "DMZVPC-PrivateSG").ingress.push({ protocol: "tcp", fromPort: 8080, toPort: 8080, peerSecurityGroupId: sg(s, "DMZVPC-ALB-SG").id });
    sg(s, "DMZVPC-ALB-SG").egress.push({ protocol: "tcp", fromPort: 8080, toPort: 8080, cidr: "10.11.0.0/16" });
    expect(targetHealth(s, tg, t)).toMatchObject({ state: "unhealthy", reason: "Target.FailedHealthChecks" });
  });

  it("keeps the health AWS observed", () => {
    const s = lab();
    const tg = s.targetGroups[0];
    expect(targetHealth(s, tg, { ...tg.targets[0], observed: { state: "draining", reason: "Target.DeregistrationInProgress" } })).toEqual({ state: "draining", reason: "Target.DeregistrationInProgress" });
  });
});

describe("parseDestination and unknown names", () => {
  it("understands internet, alb, instance names, ip[:port] and DNS names", () => {
    const s = lab();
    expect(parseDestination("internet", s)).toEqual({ kind: "internet" });
    expect(parseDestination("alb", s)).toEqual({ kind: "load-balancer" });
    expect(parseDestination("DMZVPC-alb1", s)).toEqual({ kind: "load-balancer", ref: "DMZVPC-alb1" });
    expect(parseDestination(VPC02_A, s)).toEqual({ kind: "instance", ref: VPC02_A });
    expect(parseDestination("10.1.20.101:80", s)).toEqual({ kind: "address", ip: "10.1.20.101" });
    expect(parseDestination("web.netlab.internal", s)).toEqual({ kind: "dns", name: "web.netlab.internal" });
  });

  it("lists the valid instances for an unknown source or destination", () => {
    const s = lab();
    expect(() => reach(s, "VPC03-Private-A", { kind: "internet" })).toThrow(UnknownEndpointError);
    expect(() => reach(s, "VPC03-Private-A", { kind: "internet" })).toThrow(/Unknown instance "VPC03-Private-A"; valid instances: DMZVPC-Private-A-10\.11\.20\.101, .*VPC02-Private-B-10\.2\.24\.101, mgmtvpc-Workstation-10\.254\.0\.101\./);
    expect(() => parseDestination("not a thing", s)).toThrow('Unknown destination "not a thing"; give internet, alb, an ip[:port], a DNS name, or an instance:');
  });
});
