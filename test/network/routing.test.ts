import { reach } from "../../network/analyzer";
import { fromSg, Net, tcp, to, twoTier } from "./builder";

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
