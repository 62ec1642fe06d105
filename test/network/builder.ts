import {
  emptySnapshot,
  type InstanceModel,
  type NaclEntryModel,
  type OsState,
  type RouteTarget,
  type SgRuleModel,
  type Snapshot,
  type TgwRouteModel,
} from "../../network/snapshot";

/**
 * Hand-built snapshots for analyzer tests: each resource is named once and its id derived from the name
 * (`vpc-A`, `subnet-a-priv`, `sg-web`, `i-app`…), so a test reads as the network it describes.
 * (test/cloud/model-fixture.ts `miniLab` has no subnets or routes: it serves the change tests.)
 */
export class Net {
  readonly s: Snapshot = emptySnapshot("hand-built", "us-east-1", "aws-configs");

  /** A VPC with AWS's main route table (local route only) and no NACL (= allow all). */
  vpc(name: string, cidr: string): this {
    this.s.vpcs.push({ id: `vpc-${name}`, name, cidr, dnsSupport: true, dnsHostnames: true, tags: {} });
    this.s.routeTables.push({ id: `rtb-${name}-main`, name: `${name}-main`, vpcId: `vpc-${name}`, main: true, subnetIds: [], routes: [local(cidr)], tags: {} });
    return this;
  }

  subnet(vpc: string, name: string, cidr: string, az = "us-east-1a"): this {
    this.s.subnets.push({ id: `subnet-${name}`, name, vpcId: `vpc-${vpc}`, cidr, az, mapPublicIpOnLaunch: false, tags: {} });
    return this;
  }

  /** A route table named `<name>` for the given subnets: the local route plus `routes`. */
  routes(name: string, subnets: string[], routes: [string, RouteTarget][]): this {
    const vpcId = this.subnetOf(subnets[0]).vpcId;
    const vpc = this.s.vpcs.find((v) => v.id === vpcId)!;
    this.s.routeTables.push({
      id: `rtb-${name}`,
      name,
      vpcId,
      main: false,
      subnetIds: subnets.map((x) => `subnet-${x}`),
      routes: [local(vpc.cidr), ...routes.map(([destination, target]) => ({ destination, target, state: "active" as const }))],
      tags: {},
    });
    return this;
  }

  sg(vpc: string, name: string, ingress: SgRuleModel[], egress: SgRuleModel[] = [ALL]): this {
    this.s.securityGroups.push({ id: `sg-${name}`, name, groupName: name, vpcId: `vpc-${vpc}`, ingress, egress, tags: {} });
    return this;
  }

  instance(name: string, subnet: string, ip: string, sgs: string[], extra: Partial<InstanceModel> & { listening?: number[]; os?: OsState } = {}): this {
    const { listening, ...rest } = extra;
    this.s.instances.push({
      id: `i-${name}`,
      name,
      vpcId: this.subnetOf(subnet).vpcId,
      subnetId: `subnet-${subnet}`,
      privateIp: ip,
      eniId: `eni-${name}`,
      securityGroupIds: sgs.map((g) => `sg-${g}`),
      sourceDestCheck: true,
      state: "running",
      os: { ipForward: false, masquerade: false, masqueradeSaved: false, listeningPorts: listening ?? [80, 443, 22], cpuLoad: false },
      tags: {},
      ...rest,
    });
    return this;
  }

  igw(vpc: string): this {
    this.s.internetGateways.push({ id: `igw-${vpc}`, name: `${vpc}-igw`, vpcId: `vpc-${vpc}`, tags: {} });
    return this;
  }

  nat(name: string, subnet: string, privateIp: string, publicIp: string): this {
    this.s.natGateways.push({ id: `nat-${name}`, name, vpcId: this.subnetOf(subnet).vpcId, subnetId: `subnet-${subnet}`, connectivity: "public", state: "available", privateIp, publicIp, tags: {} });
    return this;
  }

  /** A custom NACL for the subnets; `entries` in both directions are exactly what is given (no implicit allow). */
  nacl(name: string, subnets: string[], entries: NaclEntryModel[]): this {
    const vpcId = this.subnetOf(subnets[0]).vpcId;
    for (const a of this.s.networkAcls) a.subnetIds = a.subnetIds.filter((x) => !subnets.map((n) => `subnet-${n}`).includes(x));
    this.s.networkAcls.push({ id: `acl-${name}`, name, vpcId, isDefault: false, subnetIds: subnets.map((x) => `subnet-${x}`), entries, tags: {} });
    return this;
  }

  tgw(name: string, options: { securityGroupReferencing?: boolean } = {}): this {
    this.s.transitGateways.push({ id: `tgw-${name}`, name, ...options, tags: {} });
    return this;
  }

  attach(name: string, tgw: string, vpc: string, subnets: string[]): this {
    this.s.tgwAttachments.push({ id: `tgw-attach-${name}`, name, tgwId: `tgw-${tgw}`, vpcId: `vpc-${vpc}`, subnetIds: subnets.map((x) => `subnet-${x}`), state: "available", tags: {} });
    return this;
  }

  tgwTable(name: string, tgw: string, associations: string[], propagations: string[], routes: TgwRouteModel[] = []): this {
    const att = (x: string) => `tgw-attach-${x}`;
    this.s.tgwRouteTables.push({ id: `tgw-rtb-${name}`, name, tgwId: `tgw-${tgw}`, associations: associations.map(att), propagations: propagations.map(att), routes, tags: {} });
    return this;
  }

  /** A load balancer with one listener per port, all forwarding to target group `<name>-tg` (targets: instance names). */
  lb(name: string, scheme: "internet-facing" | "internal", subnets: string[], sgs: string[], ports: number[], targets: string[], type = "application"): this {
    const tgArn = `arn:tg/${name}-tg`;
    this.s.loadBalancers.push({
      arn: `arn:lb/${name}`,
      name,
      type,
      scheme,
      vpcId: this.subnetOf(subnets[0]).vpcId,
      subnetIds: subnets.map((x) => `subnet-${x}`),
      securityGroupIds: sgs.map((g) => `sg-${g}`),
      dnsName: `${name}.elb.example`,
      listeners: ports.map((port) => ({ port, protocol: "HTTP", targetGroupArn: tgArn })),
      tags: {},
    });
    this.s.targetGroups.push({
      arn: tgArn,
      name: `${name}-tg`,
      vpcId: this.subnetOf(subnets[0]).vpcId,
      protocol: "HTTP",
      port: 80,
      healthCheck: { protocol: "HTTP", path: "/", port: "traffic-port", intervalSeconds: 10, timeoutSeconds: 5, healthyThreshold: 2, unhealthyThreshold: 2, matcher: "200" },
      targets: targets.map((t) => ({ instanceId: `i-${t}`, port: 80 })),
      tags: {},
    });
    return this;
  }

  /** A private hosted zone associated with the VPCs, with A records. */
  zone(name: string, vpcs: string[], records: Record<string, string>): this {
    this.s.hostedZones.push({
      id: `Z-${name}`,
      name,
      private: true,
      vpcIds: vpcs.map((v) => `vpc-${v}`),
      records: Object.entries(records).map(([r, ip]) => ({ name: `${r}.${name}`, type: "A", values: [ip] })),
      tags: {},
    });
    return this;
  }

  /** An interface endpoint of an AWS service (`ssm`…) with private DNS, one interface per subnet at the given addresses. */
  endpoint(vpc: string, service: string, subnets: string[], ips: string[], sgs: string[], privateDns = true): this {
    this.s.vpcEndpoints.push({
      id: `vpce-${vpc}-${service}`,
      name: `${vpc}-${service}-endpoint`,
      vpcId: `vpc-${vpc}`,
      type: "Interface",
      serviceName: `com.amazonaws.${this.s.region}.${service}`,
      subnetIds: subnets.map((x) => `subnet-${x}`),
      securityGroupIds: sgs.map((g) => `sg-${g}`),
      routeTableIds: [],
      privateDns,
      networkInterfaces: subnets.map((x, i) => ({ id: `eni-vpce-${vpc}-${service}-${i}`, subnetId: `subnet-${x}`, privateIp: ips[i] })),
      tags: {},
    });
    return this;
  }

  subnetOf(name: string) {
    const x = this.s.subnets.find((y) => y.name === name);
    if (!x) throw new Error(`builder: no subnet ${name}`);
    return x;
  }

  get<K extends "routeTables" | "securityGroups" | "instances" | "networkAcls" | "tgwRouteTables" | "natGateways" | "loadBalancers">(kind: K, name: string): Snapshot[K][number] {
    const x = (this.s[kind] as { name: string }[]).find((y) => y.name === name);
    if (!x) throw new Error(`builder: no ${kind} named ${name}`);
    return x as Snapshot[K][number];
  }
}

const local = (cidr: string) => ({ destination: cidr, target: { kind: "local" } as RouteTarget, state: "active" as const });

/** Rule shorthands. */
export const ALL: SgRuleModel = { protocol: "-1", fromPort: -1, toPort: -1, cidr: "0.0.0.0/0" };
export const tcp = (port: number, cidr = "0.0.0.0/0"): SgRuleModel => ({ protocol: "tcp", fromPort: port, toPort: port, cidr });
export const fromSg = (port: number, sg: string): SgRuleModel => ({ protocol: "tcp", fromPort: port, toPort: port, peerSecurityGroupId: `sg-${sg}` });
export const acl = (ruleNumber: number, egress: boolean, action: "allow" | "deny", cidr = "0.0.0.0/0", ports?: [number, number], protocol = ports ? "tcp" : "-1"): NaclEntryModel => ({
  ruleNumber,
  egress,
  protocol,
  action,
  cidr,
  ...(ports ? { fromPort: ports[0], toPort: ports[1] } : {}),
});
/** Allow everything both ways at rule 100 (what the default NACL does). */
export const openAcl = (): NaclEntryModel[] => [acl(100, false, "allow"), acl(100, true, "allow")];

/** Route target shorthands. */
export const to = {
  igw: (vpc: string): RouteTarget => ({ kind: "igw", id: `igw-${vpc}` }),
  nat: (name: string): RouteTarget => ({ kind: "nat-gateway", id: `nat-${name}` }),
  tgw: (name: string): RouteTarget => ({ kind: "tgw", id: `tgw-${name}` }),
  eni: (instance: string): RouteTarget => ({ kind: "eni", id: `eni-${instance}` }),
  vgw: (id: string): RouteTarget => ({ kind: "vgw", id }),
  peering: (id: string): RouteTarget => ({ kind: "peering", id }),
};

/**
 * A small network with a bit of everything: VPC A (10.0.0.0/16) with a public subnet (IGW, NAT gateway
 * `natgw` 10.0.0.10 / 203.0.113.7, instance `web` 10.0.0.20 with public IP 203.0.113.20) and a private
 * subnet (instance `app` 10.0.1.10, default route to the NAT gateway); VPC B (10.1.0.0/16, instance `db`
 * 10.1.1.10) joined to A by transit gateway `hub`. All groups admit everything from 10.0.0.0/8.
 */
export function twoTier(): Net {
  return new Net()
    .vpc("A", "10.0.0.0/16")
    .subnet("A", "a-pub", "10.0.0.0/24")
    .subnet("A", "a-priv", "10.0.1.0/24")
    .igw("A")
    .nat("natgw", "a-pub", "10.0.0.10", "203.0.113.7")
    .routes("a-pub-rt", ["a-pub"], [["0.0.0.0/0", to.igw("A")], ["10.1.0.0/16", to.tgw("hub")]])
    .routes("a-priv-rt", ["a-priv"], [["0.0.0.0/0", to.nat("natgw")], ["10.1.0.0/16", to.tgw("hub")]])
    .sg("A", "web-sg", [tcp(80), { protocol: "-1", fromPort: -1, toPort: -1, cidr: "10.0.0.0/8" }])
    .sg("A", "app-sg", [{ protocol: "-1", fromPort: -1, toPort: -1, cidr: "10.0.0.0/8" }])
    .instance("web", "a-pub", "10.0.0.20", ["web-sg"], { publicIp: "203.0.113.20" })
    .instance("app", "a-priv", "10.0.1.10", ["app-sg"])
    .vpc("B", "10.1.0.0/16")
    .subnet("B", "b-priv", "10.1.1.0/24")
    .routes("b-priv-rt", ["b-priv"], [["0.0.0.0/0", to.tgw("hub")]])
    .sg("B", "db-sg", [{ protocol: "-1", fromPort: -1, toPort: -1, cidr: "10.0.0.0/8" }])
    .instance("db", "b-priv", "10.1.1.10", ["db-sg"])
    .tgw("hub")
    .attach("att-A", "hub", "A", ["a-priv"])
    .attach("att-B", "hub", "B", ["b-priv"])
    .tgwTable("hub-rt", "hub", ["att-A", "att-B"], ["att-A", "att-B"]);
}

/** A NAT instance network: `natbox` in the public subnet forwards for `inside` in the private one. */
export function natInstance(os: { ipForward: boolean; masquerade: boolean }, sourceDestCheck = false): Net {
  return new Net()
    .vpc("N", "10.10.0.0/16")
    .subnet("N", "n-pub", "10.10.1.0/24")
    .subnet("N", "n-priv", "10.10.2.0/24")
    .igw("N")
    .routes("n-pub-rt", ["n-pub"], [["0.0.0.0/0", to.igw("N")]])
    .routes("n-priv-rt", ["n-priv"], [["0.0.0.0/0", to.eni("natbox")]])
    .sg("N", "nat-sg", [{ protocol: "-1", fromPort: -1, toPort: -1, cidr: "10.10.0.0/16" }])
    .sg("N", "inside-sg", [])
    .instance("natbox", "n-pub", "10.10.1.100", ["nat-sg"], { publicIp: "203.0.113.100", sourceDestCheck, os: { ...os, masqueradeSaved: os.masquerade, listeningPorts: [], cpuLoad: false } })
    .instance("inside", "n-priv", "10.10.2.101", ["inside-sg"]);
}

/** twoTier plus VPC C: a public client (203.0.113.30) on the internet side. */
export function withInternetClient(): Net {
  return twoTier()
    .vpc("C", "172.20.0.0/16")
    .subnet("C", "c-pub", "172.20.0.0/24")
    .igw("C")
    .routes("c-pub-rt", ["c-pub"], [["0.0.0.0/0", to.igw("C")]])
    .sg("C", "client-sg", [])
    .instance("client", "c-pub", "172.20.0.10", ["client-sg"], { publicIp: "203.0.113.30" });
}
