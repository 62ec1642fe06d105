import { reach } from "../../network/analyzer";
import type { NaclEntryModel, Snapshot } from "../../network/snapshot";
import { targetHealth } from "../../network/target-health";
import { labSnapshot } from "../helpers/lab";
import { acl, natInstance, openAcl, tcp, twoTier, withInternetClient } from "./builder";


describe("NACLs of traffic that enters from the internet gateway", () => {
  it("a public instance's subnet NACL filters what arrives from the internet", () => {
    // GIVEN the web subnet's NACL denies inbound tcp/80 before allowing the rest
    const n = withInternetClient().nacl("a-pub-acl", ["a-pub"], [acl(100, false, "deny", "0.0.0.0/0", [80, 80]), acl(200, false, "allow"), acl(100, true, "allow")]);
    // WHEN an internet client connects to web's public address
    const r = reach(n.s, "client", { kind: "address", ip: "203.0.113.20" }, { port: 80 });
    // THEN the NACL of the subnet the IGW delivers into drops it (AWS evaluates it for traffic from the IGW)
    expect(r.blockedBy).toMatchObject({ component: "a-pub-acl", reason: "NACL_DENY" });
    expect(r.blockedBy!.detail).toContain("inbound rule 100 of a-pub-acl drops tcp/80 from 203.0.113.30");
    // AND without that rule it is reachable
    n.get("networkAcls", "a-pub-acl").entries.shift();
    expect(reach(n.s, "client", { kind: "address", ip: "203.0.113.20" }, { port: 80 }).reachable).toBe(true);
  });

  it("replies to a NAT gateway meet its subnet's inbound NACL: admitting only 0–1023 drops them", () => {
    // GIVEN the NAT gateway's subnet admits inbound tcp 0–1023 only (the request to 443 passes)
    const n = twoTier().nacl("a-pub-acl", ["a-pub"], [acl(100, false, "allow", "0.0.0.0/0", [0, 1023]), acl(100, true, "allow")]);
    // WHEN app goes to the internet through the NAT gateway
    const r = reach(n.s, "app", { kind: "internet" }, { port: 443 });
    // THEN the reply, addressed to a port the NAT gateway picked in 1024–65535, is dropped by the default deny
    expect(r.blockedBy).toMatchObject({ component: "a-pub-acl", reason: "NACL_DENY" });
    expect(r.blockedBy!.detail).toContain("default deny (*) of a-pub-acl drops tcp/1024");
    expect(r.blockedBy!.detail).toContain("1024–65535, the NAT gateway's source-port range");
  });
});

describe("replies to a NAT instance", () => {
  it("meet its subnet's inbound NACL as they come in from the internet gateway", () => {
    // GIVEN the NAT instance's subnet admits inbound traffic from its own VPC only (what it forwards)
    const n = natInstance({ ipForward: true, masquerade: true }).nacl("n-pub-acl", ["n-pub"], [acl(100, false, "allow", "10.10.0.0/16"), acl(100, true, "allow")]);
    // THEN the replies from the internet, to ports MASQUERADE picked, are dropped there
    const r = reach(n.s, "inside", { kind: "internet" });
    expect(r.blockedBy).toMatchObject({ component: "n-pub-acl", reason: "NACL_DENY" });
    expect(r.blockedBy!.detail).toContain("default deny (*) of n-pub-acl drops tcp/1024 from 192.0.2.80");
    expect(r.blockedBy!.detail).toContain("the source ports iptables MASQUERADE may pick");
  });
});

describe("the reply direction checks every port the requester may pick", () => {
  const natSubnet = (entries: NaclEntryModel[]) => twoTier().nacl("a-pub-acl", ["a-pub"], [...entries, acl(100, true, "allow")]);

  it("rule order: allow 100 before deny 200 admits the replies; deny 100 before allow 200 drops them", () => {
    // GIVEN the request port (443 from the VPC) is always admitted by rule 50
    const request = acl(50, false, "allow", "10.0.0.0/16", [443, 443]);
    const allowFirst = natSubnet([request, acl(100, false, "allow", "0.0.0.0/0", [1024, 65535]), acl(200, false, "deny")]);
    const denyFirst = natSubnet([request, acl(100, false, "deny", "0.0.0.0/0", [1024, 65535]), acl(200, false, "allow")]);
    // THEN the first matching rule decides
    expect(reach(allowFirst.s, "app", { kind: "internet" })).toMatchObject({ reachable: true });
    expect(reach(denyFirst.s, "app", { kind: "internet" }).blockedBy).toMatchObject({ component: "a-pub-acl", reason: "NACL_DENY" });
    expect(reach(denyFirst.s, "app", { kind: "internet" }).blockedBy!.detail).toContain("inbound rule 100 of a-pub-acl drops tcp/1024");
  });

  it("32768–65535 admits a Linux host's replies but not a NAT gateway's", () => {
    // GIVEN the public subnet admits 443 and 32768–65535 inbound
    const n = natSubnet([acl(50, false, "allow", "10.0.0.0/16", [443, 443]), acl(100, false, "allow", "0.0.0.0/0", [32768, 65535])]);
    // THEN web (Linux, own public IP: replies to 32768–60999) reaches the internet…
    expect(reach(n.s, "web", { kind: "internet" }).reachable).toBe(true);
    // …and app, behind the NAT gateway (replies to any of 1024–65535), does not
    expect(reach(n.s, "app", { kind: "internet" }).blockedBy).toMatchObject({ component: "a-pub-acl", reason: "NACL_DENY" });
  });

  it("1024–60000 does not cover Linux's range: the first port outside it is named", () => {
    const n = natSubnet([acl(100, false, "allow", "0.0.0.0/0", [1024, 60000])]);
    const r = reach(n.s, "web", { kind: "internet" });
    expect(r.blockedBy).toMatchObject({ component: "a-pub-acl", reason: "NACL_DENY" });
    expect(r.blockedBy!.detail).toContain("drops tcp/60001");
    expect(r.blockedBy!.detail).toContain("32768–60999, Linux's ephemeral range");
  });

  it("the responder's outbound NACL must let its replies out", () => {
    // GIVEN db's subnet admits everything in but lets out only 80 and 443
    const n = twoTier().nacl("b-priv-acl", ["b-priv"], [acl(100, false, "allow"), acl(100, true, "allow", "0.0.0.0/0", [80, 443])]);
    // THEN app → db:80 gets no reply: it would leave b-priv to app's ephemeral port
    const r = reach(n.s, "app", { kind: "instance", ref: "db" }, { port: 80 });
    expect(r.blockedBy).toMatchObject({ component: "b-priv-acl", reason: "NACL_DENY" });
    expect(r.blockedBy!.detail).toContain("outbound");
  });
});

describe("NACLs of transit gateway attachment subnets (https://docs.aws.amazon.com/vpc/latest/tgw/tgw-nacls.html)", () => {
  /** Attachments in their own /28 subnets, as AWS recommends. */
  function dedicated() {
    const n = twoTier()
      .subnet("A", "a-tgw", "10.0.9.0/28")
      .subnet("B", "b-tgw", "10.1.9.0/28")
      .routes("a-tgw-rt", ["a-tgw"], [])
      .routes("b-tgw-rt", ["b-tgw"], []);
    n.s.tgwAttachments.find((a) => a.name === "att-A")!.subnetIds = ["subnet-a-tgw"];
    n.s.tgwAttachments.find((a) => a.name === "att-B")!.subnetIds = ["subnet-b-tgw"];
    return n;
  }

  it("dedicated subnets: reachable when their NACLs are open", () => {
    expect(reach(dedicated().s, "app", { kind: "instance", ref: "db" })).toMatchObject({ reachable: true });
  });

  it("to the TGW: the attachment subnet's inbound rules apply, with the source address", () => {
    const n = dedicated().nacl("a-tgw-acl", ["a-tgw"], [acl(100, false, "deny", "10.0.1.0/24"), acl(200, false, "allow"), acl(100, true, "allow")]);
    const r = reach(n.s, "app", { kind: "instance", ref: "db" });
    expect(r.blockedBy).toMatchObject({ component: "a-tgw-acl", reason: "NACL_DENY" });
    expect(r.blockedBy!.detail).toContain("inbound rule 100 of a-tgw-acl drops tcp/80 from 10.0.1.10");
  });

  it("from the TGW: the attachment subnet's outbound rules apply, with the destination address", () => {
    const n = dedicated().nacl("b-tgw-acl", ["b-tgw"], [acl(100, false, "allow"), acl(100, true, "deny", "10.1.1.0/24"), acl(200, true, "allow")]);
    const r = reach(n.s, "app", { kind: "instance", ref: "db" });
    expect(r.blockedBy).toMatchObject({ component: "b-tgw-acl", reason: "NACL_DENY" });
    expect(r.blockedBy!.detail).toContain("outbound rule 100 of b-tgw-acl drops tcp/80 to 10.1.1.10");
  });

  it("instance and attachment in one subnet, to the TGW: that subnet's inbound rules apply to the sender's own address", () => {
    // app and att-A share a-priv: AWS evaluates a-priv's inbound rules (source IP) for app → TGW
    const n = twoTier().nacl("a-priv-acl", ["a-priv"], [acl(100, false, "deny", "10.0.1.0/24"), acl(200, false, "allow"), ...openAcl().filter((e) => e.egress)]);
    expect(reach(n.s, "app", { kind: "instance", ref: "db" }).blockedBy).toMatchObject({ component: "a-priv-acl", reason: "NACL_DENY" });
  });

  it("instance and attachment in one subnet, from the TGW: neither direction is evaluated", () => {
    // db and att-B share b-priv: traffic the TGW delivers into b-priv meets no b-priv rule, so denying A's range inbound changes nothing
    const n = twoTier().nacl("b-priv-acl", ["b-priv"], [acl(100, false, "deny", "10.0.0.0/16"), acl(200, false, "allow"), acl(100, true, "allow")]);
    expect(reach(n.s, "app", { kind: "instance", ref: "db" })).toMatchObject({ reachable: true, blockedBy: null });
  });

  it("both directions: the reply into the TGW meets the attachment subnet's inbound rules", () => {
    // GIVEN b-priv (db and att-B) denies inbound from its own range: the request from the TGW is not evaluated…
    const n = twoTier().nacl("b-priv-acl", ["b-priv"], [acl(100, false, "deny", "10.1.1.0/24"), acl(200, false, "allow"), acl(100, true, "allow")]);
    // …but db's reply enters the TGW through b-priv, whose inbound rules see db's address
    const r = reach(n.s, "app", { kind: "instance", ref: "db" });
    expect(r.blockedBy).toMatchObject({ component: "b-priv-acl", reason: "NACL_DENY" });
    expect(r.blockedBy!.detail).toContain("from 10.1.1.10");
  });
});

describe("an internal load balancer: the client goes to the node of its own AZ", () => {
  /** An internal ALB with nodes in a-pub (us-east-1a) and a-pub-b (us-east-1b); app is in us-east-1a. */
  function internalAlb() {
    const n = twoTier()
      .subnet("A", "a-pub-b", "10.0.4.0/24", "us-east-1b")
      .sg("A", "lb-sg", [tcp(80, "10.0.0.0/16")])
      .instance("web-b", "a-pub-b", "10.0.4.20", ["web-sg"])
      .lb("inner", "internal", ["a-pub", "a-pub-b"], ["lb-sg"], [80], ["web", "web-b"]);
    n.s.loadBalancers[0].nodes = [
      { id: "eni-inner-a", subnetId: "subnet-a-pub", privateIp: "10.0.0.50" },
      { id: "eni-inner-b", subnetId: "subnet-a-pub-b", privateIp: "10.0.4.50" },
    ];
    return n;
  }

  it("reaches it through the node in its AZ, so a NACL on the other node's subnet does not matter", () => {
    const n = internalAlb().nacl("b-acl", ["a-pub-b"], [acl(100, false, "deny", "10.0.1.0/24"), acl(200, false, "allow"), acl(100, true, "allow")]);
    const r = reach(n.s, "app", { kind: "load-balancer", ref: "inner" });
    expect(r).toMatchObject({ reachable: true, blockedBy: null });
    expect(r.hops.slice(-2)).toMatchObject([
      { component: "inner", kind: "load-balancer" },
      { component: "inner-tg", kind: "target-group" },
    ]);
  });

  it("meets the inbound NACL of its own AZ's node subnet, and the load balancer's group", () => {
    const n = internalAlb().nacl("a-acl", ["a-pub"], [acl(100, false, "deny", "10.0.1.0/24", [80, 80]), acl(200, false, "allow"), acl(100, true, "allow")]);
    expect(reach(n.s, "app", { kind: "load-balancer", ref: "inner" }).blockedBy).toMatchObject({ component: "a-acl", reason: "NACL_DENY" });
    const m = internalAlb();
    m.get("securityGroups", "lb-sg").ingress = [tcp(80, "10.0.0.0/24")];
    expect(reach(m.s, "app", { kind: "load-balancer", ref: "inner" }).blockedBy).toMatchObject({ component: "lb-sg", reason: "SG_INGRESS_DENY" });
  });
});

describe("the load balancer path on the synthesized lab", () => {
  let base: Snapshot;
  beforeAll(async () => {
    base = await labSnapshot();
  });

  /** Gives the DMZ public subnets (the ALB's and the NAT gateways') a NACL of their own. */
  function dmzPublicAcl(entries: NaclEntryModel[]): Snapshot {
    const s = structuredClone(base);
    const subnets = s.subnets.filter((x) => x.name.startsWith("DMZVPC-PublicSubnet")).map((x) => x.id);
    for (const a of s.networkAcls) a.subnetIds = a.subnetIds.filter((id) => !subnets.includes(id));
    s.networkAcls.push({ id: "acl-dmz-public", name: "DMZVPC-Public-ACL", vpcId: s.vpcs.find((v) => v.name === "DMZVPC")!.id, isDefault: false, subnetIds: subnets, entries, tags: {} });
    return s;
  }

  it("the ALB subnet admitting 32768–65535 inbound starves its health checks (ELB picks 1024–65535): Target.Timeout", () => {
    // GIVEN the ALB's subnets admit port 80 and a "Linux-like" ephemeral range inbound
    const s = dmzPublicAcl([acl(100, false, "allow", "0.0.0.0/0", [80, 80]), acl(110, false, "allow", "0.0.0.0/0", [32768, 65535]), acl(100, true, "allow")]);
    const tg = s.targetGroups[0];
    // THEN replies to the health checks, sent to ports the node picked in 1024–65535, are dropped
    const health = targetHealth(s, tg, tg.targets[0]);
    expect(health).toMatchObject({ state: "unhealthy", reason: "Target.Timeout" });
    expect(health.detail).toContain("DMZVPC-Public-ACL");
  });

  it("an internet client meets the ALB subnet's inbound NACL", () => {
    const s = dmzPublicAcl([acl(90, false, "deny", "0.0.0.0/0", [80, 80]), acl(100, false, "allow"), acl(100, true, "allow")]);
    const r = reach(s, "mgmtvpc-Workstation-10.254.0.101", { kind: "load-balancer" });
    expect(r.blockedBy).toMatchObject({ component: "DMZVPC-Public-ACL", reason: "NACL_DENY" });
    expect(r.blockedBy!.detail).toContain("inbound rule 90");
  });

  it("the ALB's reply to the internet client meets the ALB subnet's outbound NACL", () => {
    // GIVEN the ALB subnets let out only port 80 into the VPC (health checks, forwarding) and nothing else
    const s = dmzPublicAcl([acl(100, false, "allow"), acl(100, true, "allow", "10.11.0.0/16", [80, 80])]);
    const r = reach(s, "mgmtvpc-Workstation-10.254.0.101", { kind: "load-balancer" });
    expect(r.blockedBy).toMatchObject({ component: "DMZVPC-Public-ACL", reason: "NACL_DENY" });
    expect(r.blockedBy!.detail).toContain("outbound default deny (*) of DMZVPC-Public-ACL drops tcp/32768 to 203.0.113.");
  });

  it("an open NACL changes nothing", () => {
    const s = dmzPublicAcl(openAcl());
    expect(reach(s, "mgmtvpc-Workstation-10.254.0.101", { kind: "load-balancer" }).reachable).toBe(true);
    expect(reach(s, "VPC02-Private-A-10.2.20.101", { kind: "internet" }).reachable).toBe(true);
    expect(tcp(80).fromPort).toBe(80);
  });
});
