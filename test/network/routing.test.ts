import { reach } from "../../network/analyzer";
import { fromSg, Net, tcp, to, twoTier, withInternetClient } from "./builder";

describe("routes AWS would never forward through", () => {
  it("a static blackhole route in a TGW route table is BLACKHOLE_ROUTE at that table", () => {
    // GIVEN the hub table has a static blackhole for VPC B's CIDR (it wins over the propagated route)
    const n = twoTier();
    n.get("tgwRouteTables", "hub-rt").routes.push({ destination: "10.1.0.0/16", type: "static", state: "blackhole" });
    // WHEN app tries db
    const r = reach(n.s, "app", { kind: "instance", ref: "db" });
    // THEN the TGW table drops it, and says so
    expect(r.blockedBy).toMatchObject({ component: "hub-rt", reason: "BLACKHOLE_ROUTE" });
    expect(r.blockedBy!.detail).toBe("hub-rt routes 10.1.0.0/16 to a blackhole, which drops the traffic");
  });

  it("a route to a NAT gateway of another VPC is BLACKHOLE_ROUTE with the reason", () => {
    // GIVEN B's table sends the internet to A's NAT gateway (AWS refuses to create this route)
    const n = twoTier();
    n.get("routeTables", "b-priv-rt").routes = n.get("routeTables", "b-priv-rt").routes.map((r) => (r.destination === "0.0.0.0/0" ? { ...r, target: to.nat("natgw") } : r));
    const r = reach(n.s, "db", { kind: "internet" });
    expect(r.blockedBy).toMatchObject({ component: "b-priv-rt", reason: "BLACKHOLE_ROUTE" });
    expect(r.blockedBy!.detail).toBe(
      "b-priv-rt sends 0.0.0.0/0 to NAT gateway natgw, which is in A, not in B; a route can only target a gateway or interface of its own VPC, so AWS never forwards through it",
    );
    expect(r.hops.map((h) => h.kind)).not.toContain("nat-gateway");
  });

  it("a route to an instance's interface in another VPC is BLACKHOLE_ROUTE", () => {
    const n = twoTier();
    n.get("routeTables", "b-priv-rt").routes = n.get("routeTables", "b-priv-rt").routes.map((r) => (r.destination === "0.0.0.0/0" ? { ...r, target: to.eni("web") } : r));
    expect(reach(n.s, "db", { kind: "internet" }).blockedBy).toMatchObject({ component: "b-priv-rt", reason: "BLACKHOLE_ROUTE" });
    expect(reach(n.s, "db", { kind: "internet" }).blockedBy!.detail).toContain("web's network interface eni-web, which is in A, not in B");
  });

  it("a route to an internet gateway attached to another VPC is BLACKHOLE_ROUTE", () => {
    const n = twoTier();
    n.get("routeTables", "b-priv-rt").routes = n.get("routeTables", "b-priv-rt").routes.map((r) => (r.destination === "0.0.0.0/0" ? { ...r, target: to.igw("A") } : r));
    expect(reach(n.s, "db", { kind: "internet" }).blockedBy).toMatchObject({ component: "b-priv-rt", reason: "BLACKHOLE_ROUTE" });
  });
});

describe("targets the analyzer does not model", () => {
  it.each([
    ["a VPN gateway", to.vgw("vgw-1"), "virtual private gateways (VPN / Direct Connect)"],
    ["a peering connection", to.peering("pcx-1"), "VPC peering connections"],
  ])("%s: UNMODELED_TARGET, not a definite no", (_what, target, words) => {
    const n = twoTier();
    n.get("routeTables", "a-priv-rt").routes.push({ destination: "192.168.0.0/16", target, state: "active" });
    const r = reach(n.s, "app", { kind: "address", ip: "192.168.1.1" });
    expect(r.reachable).toBe(false);
    expect(r.blockedBy).toMatchObject({ component: "a-priv-rt", reason: "UNMODELED_TARGET" });
    expect(r.blockedBy!.detail).toContain(`netlab does not model ${words}, so it cannot tell whether 192.168.1.1 is reachable that way`);
  });
});

describe("security group references across a transit gateway", () => {
  // https://docs.aws.amazon.com/vpc/latest/tgw/tgw-vpc-attachments.html: referencing is off at the TGW level by
  // default and, when on, works for inbound rules only.
  const referencing = (enabled: boolean | undefined) => {
    const n = twoTier();
    n.get("securityGroups", "db-sg").ingress = [fromSg(80, "app-sg")];
    if (enabled !== undefined) n.s.transitGateways[0].securityGroupReferencing = enabled;
    return n;
  };

  it("does not match by default: the TGW's option is off", () => {
    const r = reach(referencing(undefined).s, "app", { kind: "instance", ref: "db" }, { port: 80 });
    expect(r.blockedBy).toMatchObject({ component: "db-sg", reason: "SG_INGRESS_DENY" });
  });

  it("matches in an inbound rule when the TGW has it on", () => {
    expect(reach(referencing(true).s, "app", { kind: "instance", ref: "db" }, { port: 80 })).toMatchObject({ reachable: true });
  });

  it("does not match when one attachment has it off", () => {
    const n = referencing(true);
    n.s.tgwAttachments.find((a) => a.name === "att-B")!.securityGroupReferencing = false;
    expect(reach(n.s, "app", { kind: "instance", ref: "db" }, { port: 80 }).blockedBy).toMatchObject({ reason: "SG_INGRESS_DENY" });
  });

  it("never matches in an outbound rule across the TGW", () => {
    const n = referencing(true);
    n.get("securityGroups", "app-sg").egress = [{ ...fromSg(80, "db-sg") }];
    expect(reach(n.s, "app", { kind: "instance", ref: "db" }, { port: 80 }).blockedBy).toMatchObject({ component: "app-sg", reason: "SG_EGRESS_DENY" });
  });

  it("within one VPC a reference matches as always", () => {
    const n = new Net()
      .vpc("A", "10.0.0.0/16")
      .subnet("A", "a1", "10.0.1.0/24")
      .sg("A", "client", [])
      .sg("A", "server", [fromSg(80, "client")])
      .instance("c", "a1", "10.0.1.10", ["client"])
      .instance("s", "a1", "10.0.1.20", ["server"]);
    expect(reach(n.s, "c", { kind: "instance", ref: "s" }, { port: 80 }).reachable).toBe(true);
    expect(tcp(80).toPort).toBe(80);
  });
});

describe("the analyzer's other guards", () => {
  it("a NAT gateway that is not available is a blackhole", () => {
    const n = twoTier();
    n.get("natGateways", "natgw").state = "deleted";
    expect(reach(n.s, "app", { kind: "internet" }).blockedBy).toMatchObject({ component: "a-priv-rt", reason: "BLACKHOLE_ROUTE" });
    expect(reach(n.s, "app", { kind: "internet" }).blockedBy!.detail).toBe("a-priv-rt sends 0.0.0.0/0 to NAT gateway natgw, which is deleted");
  });

  it("a route to a network interface that no instance has is a blackhole", () => {
    const n = twoTier();
    n.get("routeTables", "a-priv-rt").routes.push({ destination: "192.168.0.0/16", target: to.eni("nobody"), state: "active" });
    expect(reach(n.s, "app", { kind: "address", ip: "192.168.1.1" }).blockedBy).toMatchObject({ component: "a-priv-rt", reason: "BLACKHOLE_ROUTE" });
  });

  it("a sender whose subnet is not in the snapshot gets NO_ROUTE, not a crash", () => {
    const n = twoTier();
    n.get("instances", "app").subnetId = "subnet-gone";
    expect(reach(n.s, "app", { kind: "internet" }).blockedBy).toMatchObject({ component: "subnet-gone", reason: "NO_ROUTE" });
  });

  it("two NAT instances routing to each other: the loop is reported", () => {
    const nat = { ipForward: true, masquerade: true, masqueradeSaved: true, listeningPorts: [], cpuLoad: false };
    const n = new Net()
      .vpc("L", "10.5.0.0/16")
      .subnet("L", "l1", "10.5.1.0/24")
      .subnet("L", "l2", "10.5.2.0/24")
      .sg("L", "all", [{ protocol: "-1", fromPort: -1, toPort: -1, cidr: "0.0.0.0/0" }])
      .instance("x", "l1", "10.5.1.10", ["all"], { sourceDestCheck: false, os: nat })
      .instance("y", "l2", "10.5.2.10", ["all"], { sourceDestCheck: false, os: nat })
      .routes("l1-rt", ["l1"], [["0.0.0.0/0", to.eni("y")]])
      .routes("l2-rt", ["l2"], [["0.0.0.0/0", to.eni("x")]]);
    const r = reach(n.s, "x", { kind: "internet" });
    expect(r.blockedBy).toMatchObject({ reason: "NO_ROUTE" });
    expect(r.blockedBy!.detail).toContain("loops (more than 64 hops)");
  });

  it("a public address in a VPC without an internet gateway cannot be reached from the internet", () => {
    const n = withInternetClient();
    n.s.internetGateways = n.s.internetGateways.filter((g) => g.id !== "igw-A");
    expect(reach(n.s, "client", { kind: "address", ip: "203.0.113.20" }).blockedBy).toMatchObject({ component: "A", reason: "NO_ROUTE" });
  });

  it.each([
    ["a VPC routing to a TGW it is not attached to", (n: Net) => (n.s.tgwAttachments = n.s.tgwAttachments.filter((a) => a.name !== "att-A")), "hub", "TGW_NO_ROUTE"],
    ["an attachment associated with no table", (n: Net) => (n.get("tgwRouteTables", "hub-rt").associations = ["tgw-attach-att-B"]), "att-A", "TGW_NO_ROUTE"],
    ["a static route to an attachment that is gone", (n: Net) => n.get("tgwRouteTables", "hub-rt").routes.push({ destination: "10.1.1.0/24", attachmentId: "tgw-attach-gone", type: "static", state: "active" }), "hub-rt", "BLACKHOLE_ROUTE"],
    ["a destination attachment without subnets", (n: Net) => (n.s.tgwAttachments.find((a) => a.name === "att-B")!.subnetIds = []), "att-B", "TGW_NO_ROUTE"],
  ] as const)("TGW: %s", (_what, mutate, component, reason) => {
    const n = twoTier();
    mutate(n);
    expect(reach(n.s, "app", { kind: "instance", ref: "db" }).blockedBy).toMatchObject({ component, reason });
  });
});

describe("load balancer and DNS guards", () => {
  const withLb = (scheme: "internal" | "internet-facing") =>
    twoTier()
      .sg("A", "lb-sg", [tcp(80)])
      .lb("front", scheme, ["a-pub"], ["lb-sg"], [80], ["web"]);

  it("a load balancer without subnets has no address", () => {
    const n = withLb("internal");
    n.s.loadBalancers[0].subnetIds = [];
    expect(reach(n.s, "app", { kind: "load-balancer", ref: "front" }).blockedBy).toMatchObject({ component: "front", reason: "UNKNOWN_DESTINATION" });
  });

  it("an internet-facing load balancer in a VPC without an internet gateway cannot be reached", () => {
    const n = withLb("internet-facing");
    n.s.internetGateways = [];
    // (web then has no way out either, so the client is one with its own IGW)
    n.vpc("C", "172.20.0.0/16").subnet("C", "c-pub", "172.20.0.0/24").igw("C").routes("c-pub-rt", ["c-pub"], [["0.0.0.0/0", to.igw("C")]]).sg("C", "c-sg", []).instance("client", "c-pub", "172.20.0.10", ["c-sg"], { publicIp: "203.0.113.30" });
    expect(reach(n.s, "client", { kind: "load-balancer", ref: "front" }).blockedBy).toMatchObject({ component: "A", reason: "NO_ROUTE" });
  });

  it("a listener whose target group does not exist has no healthy target", () => {
    const n = withLb("internal");
    n.s.targetGroups = [];
    expect(reach(n.s, "app", { kind: "load-balancer", ref: "front" }).blockedBy).toMatchObject({ component: "front", reason: "NO_HEALTHY_TARGET" });
  });

  it("a node's address on a port without a listener is SERVICE_DOWN at the load balancer", () => {
    const n = withLb("internal");
    n.s.loadBalancers[0].nodes = [{ id: "eni-front", subnetId: "subnet-a-pub", privateIp: "10.0.0.60" }];
    n.get("securityGroups", "lb-sg").ingress.push(tcp(8080));
    expect(reach(n.s, "app", { kind: "address", ip: "10.0.0.60" }, { port: 8080 }).blockedBy).toMatchObject({ component: "front", reason: "SERVICE_DOWN", detail: "front has no listener on 8080; it listens on 80" });
    expect(reach(n.s, "app", { kind: "address", ip: "10.0.0.60" }, { port: 80 }).reachable).toBe(true);
  });

  it("the load balancer's own DNS name leads to it", () => {
    const r = reach(withLb("internal").s, "app", { kind: "dns", name: "front.elb.example" });
    expect(r.reachable).toBe(true);
    expect(r.hops).toContainEqual(expect.objectContaining({ component: "front", kind: "load-balancer" }));
  });

  it("an endpoint without network interfaces cannot answer its name", () => {
    const n = twoTier().endpoint("A", "ssm", [], [], ["app-sg"]);
    expect(reach(n.s, "app", { kind: "dns", name: "ssm.us-east-1.amazonaws.com" }, { port: 443 }).blockedBy).toMatchObject({ component: "A-ssm-endpoint", reason: "DNS_NO_ANSWER" });
  });

  it("a name under a special-use TLD that no zone holds gets no answer; a public one goes to the internet", () => {
    const n = twoTier();
    expect(reach(n.s, "app", { kind: "dns", name: "db.corp.internal" }).blockedBy).toMatchObject({ component: "db.corp.internal", reason: "DNS_NO_ANSWER" });
    expect(reach(n.s, "app", { kind: "dns", name: "db.corp.internal" }).blockedBy!.detail).toContain(".internal names are not resolvable on the internet");
    expect(reach(n.s, "app", { kind: "dns", name: "example.org" })).toMatchObject({ reachable: true, egressIp: "203.0.113.7" });
  });

  it("an endpoint with private DNS off does not take its service's name, which is then public", () => {
    const n = twoTier().endpoint("A", "ssm", ["a-priv"], ["10.0.1.50"], ["app-sg"], false);
    const r = reach(n.s, "app", { kind: "dns", name: "ssm.us-east-1.amazonaws.com" }, { port: 443 });
    expect(r).toMatchObject({ reachable: true, egressIp: "203.0.113.7" });
    expect(r.hops.map((h) => h.kind)).not.toContain("vpc-endpoint");
  });
});
