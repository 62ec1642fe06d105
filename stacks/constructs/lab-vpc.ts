import { Ec2SubnetCidrReservation } from "@cdktf/provider-aws/lib/ec2-subnet-cidr-reservation";
import { Eip } from "@cdktf/provider-aws/lib/eip";
import { InternetGateway } from "@cdktf/provider-aws/lib/internet-gateway";
import { NatGateway } from "@cdktf/provider-aws/lib/nat-gateway";
import { Route } from "@cdktf/provider-aws/lib/route";
import { RouteTable } from "@cdktf/provider-aws/lib/route-table";
import { RouteTableAssociation } from "@cdktf/provider-aws/lib/route-table-association";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { Subnet } from "@cdktf/provider-aws/lib/subnet";
import { Vpc } from "@cdktf/provider-aws/lib/vpc";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import type { AzKey, SgRulePlan, VpcPlan } from "../../topology/types";
import { logicalId, nameTag } from "./names";

export interface LabVpcProps {
  /** The VPC as the plan describes it. */
  readonly plan: VpcPlan;
  /** AZ names for the plan's AZ keys (the region's first two AZs). */
  readonly azNames: Readonly<Record<AzKey, string>>;
  /**
   * The fixed private IPs planned in this VPC's subnets (instances' `privateIp`): each is reserved
   * (`explicit`) so that no address AWS picks for an ENI (interface endpoints, TGW attachments, NAT
   * gateways, load balancers) can take it first. @default none
   */
  readonly fixedIps?: readonly FixedIp[];
}

/** A private IP the plan gives to a named owner in a subnet. */
export interface FixedIp {
  /** The subnet's name in the plan. */
  readonly subnet: string;
  /** The IPv4 address, e.g. 10.2.20.101. */
  readonly ip: string;
  /** Who holds it (an instance's name), as errors name it. */
  readonly owner: string;
}

/** Where routes that leave the VPC go, known once the other constructs exist. */
export interface RouteTargets {
  /** The transit gateway id, and what a TGW route must wait for (the VPC's attachment). */
  readonly transitGateway?: { readonly id: string; readonly dependsOn: ITerraformDependable[] };
  /** The primary ENI id of a named instance. */
  readonly instanceEni?: (instance: string) => string;
}

/**
 * One lab VPC: subnets, route tables named as students see them, an internet gateway and NAT
 * gateways when planned, and security groups with one resource per rule (never inline rules).
 */
export class LabVpc extends Construct {
  readonly vpc: Vpc;
  readonly subnets = new Map<string, Subnet>();
  readonly routeTables = new Map<string, RouteTable>();
  /** Each subnet's association with its route table, by subnet name. */
  readonly routeTableAssociations = new Map<string, RouteTableAssociation>();
  readonly securityGroups = new Map<string, SecurityGroup>();
  readonly natGateways = new Map<AzKey, NatGateway>();
  readonly natEips = new Map<AzKey, Eip>();
  readonly internetGateway?: InternetGateway;
  /** The reservation of each fixed IP, by IP. */
  readonly ipReservations = new Map<string, Ec2SubnetCidrReservation>();
  /** Each subnet's reservations, by subnet name. */
  private readonly subnetReservations = new Map<string, Ec2SubnetCidrReservation[]>();

  constructor(
    scope: Construct,
    id: string,
    private readonly props: LabVpcProps,
  ) {
    super(scope, id);
    const { plan, azNames } = props;
    if (!plan.subnets.length) throw new Error(`VPC "${plan.name}" has no subnets; a lab VPC needs at least one.`);
    this.vpc = new Vpc(this, "vpc", { cidrBlock: plan.cidr, enableDnsSupport: true, enableDnsHostnames: true, tags: nameTag(plan.name) });
    for (const t of plan.routeTables) {
      this.routeTables.set(t.name, new RouteTable(this, logicalId("rt", t.name), { vpcId: this.vpc.id, tags: nameTag(t.name) }));
    }
    for (const s of plan.subnets) {
      const subnet = new Subnet(this, logicalId("subnet", s.name), {
        vpcId: this.vpc.id,
        cidrBlock: s.cidr,
        availabilityZone: azNames[s.az],
        mapPublicIpOnLaunch: false,
        tags: nameTag(s.name),
      });
      this.subnets.set(s.name, subnet);
      this.routeTableAssociations.set(s.name, new RouteTableAssociation(this, logicalId("rta", s.name), { subnetId: subnet.id, routeTableId: this.routeTable(s.routeTable).id }));
    }
    // With an `explicit` reservation, AWS assigns none of the range's addresses by itself; they are
    // assigned only when asked for by address (as each instance's private_ip is). Without it, an ENI
    // created first may take a planned address, and the instance fails with InvalidIPAddress.InUse.
    // https://docs.aws.amazon.com/vpc/latest/userguide/subnet-cidr-reservation.html
    // https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateSubnetCidrReservation.html
    for (const f of props.fixedIps ?? []) {
      const subnet = this.subnet(f.subnet);
      if (this.ipReservations.has(f.ip)) throw new Error(`IP ${f.ip} of "${f.owner}" is planned twice in VPC "${plan.name}"; each fixed IP has one owner.`);
      const reservation = new Ec2SubnetCidrReservation(this, logicalId("reserve", f.ip), {
        subnetId: subnet.id,
        cidrBlock: `${f.ip}/32`,
        reservationType: "explicit",
        // No description: moto 5.2.1 does not return one, so every plan against it would replace the reservation.
      });
      this.ipReservations.set(f.ip, reservation);
      this.subnetReservations.set(f.subnet, [...(this.subnetReservations.get(f.subnet) ?? []), reservation]);
    }
    if (plan.internetGateway) {
      this.internetGateway = new InternetGateway(this, "igw", { vpcId: this.vpc.id, tags: nameTag(plan.internetGateway) });
    }
    for (const n of plan.natGateways ?? []) {
      const publicSubnet = plan.subnets.find((s) => s.tier === "public" && s.az === n.az);
      if (!publicSubnet) throw new Error(`NAT gateway "${n.name}" needs a public subnet in AZ ${n.az} of VPC "${plan.name}".`);
      const eip = new Eip(this, logicalId("eip", n.name), { domain: "vpc", tags: nameTag(`${n.name}-EIP`) });
      const nat = new NatGateway(this, logicalId("nat", n.name), {
        allocationId: eip.allocationId,
        subnetId: this.subnet(publicSubnet.name).id,
        connectivityType: "public",
        tags: nameTag(n.name),
        dependsOn: [...(this.internetGateway ? [this.internetGateway] : []), ...this.reservationsIn([publicSubnet.name])],
      });
      this.natGateways.set(n.az, nat);
      this.natEips.set(n.az, eip);
    }
    for (const g of plan.securityGroups) {
      this.securityGroups.set(g.name, new SecurityGroup(this, logicalId("sg", g.name), { name: g.name, description: g.description, vpcId: this.vpc.id, tags: nameTag(g.name) }));
    }
    for (const g of plan.securityGroups) {
      g.ingress.forEach((r, i) => new VpcSecurityGroupIngressRule(this, logicalId("in", g.name, String(i)), this.ruleProps(g.name, r)));
      g.egress.forEach((r, i) => new VpcSecurityGroupEgressRule(this, logicalId("out", g.name, String(i)), this.ruleProps(g.name, r)));
    }
  }

  subnet(name: string): Subnet {
    const s = this.subnets.get(name);
    if (!s) throw new Error(`VPC "${this.props.plan.name}" has no subnet "${name}"; it has: ${[...this.subnets.keys()].join(", ")}.`);
    return s;
  }

  /**
   * The reservations of the fixed IPs in these subnets: whatever makes ENIs at addresses AWS picks
   * (interface endpoints, TGW attachments, NAT gateways, load balancers) is created after them.
   */
  reservationsIn(subnetNames: readonly string[]): ITerraformDependable[] {
    return subnetNames.flatMap((n) => {
      this.subnet(n);
      return this.subnetReservations.get(n) ?? [];
    });
  }

  routeTable(name: string): RouteTable {
    const t = this.routeTables.get(name);
    if (!t) throw new Error(`VPC "${this.props.plan.name}" has no route table "${name}"; it has: ${[...this.routeTables.keys()].join(", ")}.`);
    return t;
  }

  securityGroup(name: string): SecurityGroup {
    const g = this.securityGroups.get(name);
    if (!g) throw new Error(`VPC "${this.props.plan.name}" has no security group "${name}"; it has: ${[...this.securityGroups.keys()].join(", ")}.`);
    return g;
  }

  /** Creates every planned route; routes to the TGW wait for the VPC's attachment. */
  addRoutes(targets: RouteTargets): void {
    for (const t of this.props.plan.routeTables) {
      for (const r of t.routes) {
        const id = logicalId("route", t.name, r.destination);
        const base = { routeTableId: this.routeTable(t.name).id, destinationCidrBlock: r.destination };
        switch (r.target.kind) {
          case "igw":
            new Route(this, id, { ...base, gatewayId: this.internetGateway?.id });
            break;
          case "nat-gateway": {
            const nat = this.natGateways.get(r.target.az);
            if (!nat) throw new Error(`Route table "${t.name}" needs the NAT gateway of AZ ${r.target.az}, which VPC "${this.props.plan.name}" lacks.`);
            new Route(this, id, { ...base, natGatewayId: nat.id });
            break;
          }
          case "tgw":
            if (!targets.transitGateway) throw new Error(`Route table "${t.name}" routes to the transit gateway, but none was given.`);
            new Route(this, id, { ...base, transitGatewayId: targets.transitGateway.id, dependsOn: targets.transitGateway.dependsOn });
            break;
          case "instance-eni":
            if (!targets.instanceEni) throw new Error(`Route table "${t.name}" routes to instance "${r.target.instance}", but no instances were given.`);
            // aws_route has no instance_id: the route targets the instance's primary ENI.
            new Route(this, id, { ...base, networkInterfaceId: targets.instanceEni(r.target.instance) });
            break;
        }
      }
    }
  }

  private ruleProps(groupName: string, r: SgRulePlan) {
    return {
      securityGroupId: this.securityGroup(groupName).id,
      ipProtocol: r.protocol,
      ...(r.protocol === "-1" ? {} : { fromPort: r.fromPort, toPort: r.toPort }),
      ...(r.cidr !== undefined ? { cidrIpv4: r.cidr } : {}),
      ...(r.peerSecurityGroup !== undefined ? { referencedSecurityGroupId: this.securityGroup(r.peerSecurityGroup).id } : {}),
      description: r.description,
      tags: nameTag(`${groupName}: ${r.description}`),
    };
  }
}
