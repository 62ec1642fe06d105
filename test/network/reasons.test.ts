import { reach } from "../../network/analyzer";
import { REASON_CODES, type Destination, type ReachOptions, type ReasonCode } from "../../network/reach-types";
import { acl, ALL, natInstance, Net, tcp, to, twoTier } from "./builder";

interface Case {
  /** What is built, in a sentence. */
  given: string;
  build: () => Net;
  from: string;
  to: Destination;
  options?: ReachOptions;
  component: string;
}

/**
 * One hand-built snapshot per reason code. The Record type makes the compiler insist on a case for every
 * code; each asserts the component that blocks and the code.
 */
const CASES: Record<ReasonCode, Case> = {
  NO_ROUTE: {
    given: "a private subnet whose table lost its default route",
    build: () => {
      const n = twoTier();
      const rt = n.get("routeTables", "a-priv-rt");
      rt.routes = rt.routes.filter((r) => r.destination !== "0.0.0.0/0");
      return n;
    },
    from: "app",
    to: { kind: "internet" },
    component: "a-priv-rt",
  },
  BLACKHOLE_ROUTE: {
    given: "a default route whose NAT gateway is gone (blackhole)",
    build: () => {
      const n = twoTier();
      n.get("routeTables", "a-priv-rt").routes.find((r) => r.destination === "0.0.0.0/0")!.state = "blackhole";
      return n;
    },
    from: "app",
    to: { kind: "internet" },
    component: "a-priv-rt",
  },
  SG_EGRESS_DENY: {
    given: "the sender's group has no egress rule",
    build: () => {
      const n = twoTier();
      n.get("securityGroups", "app-sg").egress = [];
      return n;
    },
    from: "app",
    to: { kind: "internet" },
    component: "app-sg",
  },
  SG_INGRESS_DENY: {
    given: "the receiver's group admits SSH only",
    build: () => {
      const n = twoTier();
      n.get("securityGroups", "db-sg").ingress = [tcp(22)];
      return n;
    },
    from: "app",
    to: { kind: "instance", ref: "db" },
    options: { port: 80 },
    component: "db-sg",
  },
  NACL_DENY: {
    given: "a NACL on the private subnet that denies all outbound traffic",
    build: () => twoTier().nacl("a-priv-acl", ["a-priv"], [acl(100, false, "allow"), acl(100, true, "deny")]),
    from: "app",
    to: { kind: "internet" },
    component: "a-priv-acl",
  },
  TGW_NO_ROUTE: {
    given: "a TGW table that no longer learns VPC B's CIDR",
    build: () => {
      const n = twoTier();
      n.get("tgwRouteTables", "hub-rt").propagations = ["tgw-attach-att-A"];
      return n;
    },
    from: "app",
    to: { kind: "instance", ref: "db" },
    component: "hub-rt",
  },
  TGW_NO_ATTACHMENT_IN_AZ: {
    given: "an instance in an AZ where VPC A's attachment has no subnet",
    build: () =>
      twoTier()
        .subnet("A", "a-priv-b", "10.0.2.0/24", "us-east-1b")
        .routes("a-priv-b-rt", ["a-priv-b"], [["10.1.0.0/16", to.tgw("hub")]])
        .instance("app-b", "a-priv-b", "10.0.2.10", ["app-sg"]),
    from: "app-b",
    to: { kind: "instance", ref: "db" },
    component: "att-A",
  },
  NO_PUBLIC_IP: {
    given: "an instance in a public subnet without a public address",
    build: () => {
      const n = twoTier();
      delete n.get("instances", "web").publicIp;
      return n;
    },
    from: "web",
    to: { kind: "internet" },
    component: "A-igw",
  },
  SOURCE_DEST_CHECK: {
    given: "a NAT instance with source/destination check on",
    build: () => natInstance({ ipForward: true, masquerade: true }, true),
    from: "inside",
    to: { kind: "internet" },
    component: "natbox",
  },
  NAT_NOT_FORWARDING: {
    given: "a NAT instance whose OS does not forward",
    build: () => natInstance({ ipForward: false, masquerade: true }),
    from: "inside",
    to: { kind: "internet" },
    component: "natbox",
  },
  INSTANCE_NOT_RUNNING: {
    given: "a stopped destination",
    build: () => {
      const n = twoTier();
      n.get("instances", "db").state = "stopped";
      return n;
    },
    from: "app",
    to: { kind: "instance", ref: "db" },
    component: "db",
  },
  SERVICE_DOWN: {
    given: "a destination where nothing listens on the port",
    build: () => {
      const n = twoTier();
      n.get("instances", "db").os!.listeningPorts = [];
      return n;
    },
    from: "app",
    to: { kind: "instance", ref: "db" },
    options: { port: 5432 },
    component: "db",
  },
  DNS_NO_ANSWER: {
    given: "a private zone associated with VPC A that has no record for the name",
    build: () => twoTier().zone("corp.internal", ["A"], { db: "10.1.1.10" }),
    from: "app",
    to: { kind: "dns", name: "cache.corp.internal" },
    component: "corp.internal",
  },
  NO_HEALTHY_TARGET: {
    given: "a load balancer whose only target is stopped",
    build: () => {
      const n = twoTier().sg("A", "lb-sg", [tcp(80, "10.0.0.0/8")]).lb("front", "internal", ["a-pub"], ["lb-sg"], [80], ["db"]);
      n.get("instances", "db").state = "stopped";
      return n;
    },
    from: "app",
    to: { kind: "load-balancer", ref: "front" },
    component: "front-tg",
  },
  UNKNOWN_DESTINATION: {
    given: "an address of the VPC that no interface holds",
    build: () => twoTier(),
    from: "app",
    to: { kind: "address", ip: "10.0.1.99" },
    component: "a-priv-rt",
  },
  UNMODELED_TARGET: {
    given: "a route to a VPN gateway, which netlab does not model",
    build: () => {
      const n = twoTier();
      n.get("routeTables", "a-priv-rt").routes.push({ destination: "172.16.0.0/12", target: to.vgw("vgw-0123"), state: "active" });
      return n;
    },
    from: "app",
    to: { kind: "address", ip: "172.16.5.5" },
    component: "a-priv-rt",
  },
};

describe("one hand-built snapshot per reason code", () => {
  it("covers every reason code", () => {
    expect(Object.keys(CASES).sort()).toEqual([...REASON_CODES].sort());
  });

  it.each(Object.entries(CASES).map(([code, c]) => [code, c.given, c] as const))("%s: %s", (code, _given, c) => {
    // GIVEN the network described by the case / WHEN tracing
    const r = reach(c.build().s, c.from, c.to, c.options);
    // THEN it is blocked by the named component with that code, and says why in a sentence
    expect(r.reachable).toBe(false);
    expect(r.blockedBy).toMatchObject({ component: c.component, reason: code });
    expect(r.blockedBy!.detail.length).toBeGreaterThan(20);
  });

  it.each([
    ["app", { kind: "internet" }],
    ["app", { kind: "instance", ref: "db" }],
    ["web", { kind: "internet" }],
    ["db", { kind: "instance", ref: "web" }],
  ] as [string, Destination][])("the unbroken network is reachable: %s → %j", (from, dst) => {
    // GIVEN the base network every case breaks in one place / THEN each path works (so each case's block is its own doing)
    expect(reach(twoTier().s, from, dst)).toMatchObject({ reachable: true, blockedBy: null });
    expect(reach(natInstance({ ipForward: true, masquerade: true }).s, "inside", { kind: "internet" })).toMatchObject({ reachable: true, egressIp: "203.0.113.100" });
  });

  it("the all-allow rule shorthand is what it says", () => {
    expect(ALL).toEqual({ protocol: "-1", fromPort: -1, toPort: -1, cidr: "0.0.0.0/0" });
  });
});
