import { Ec2TransitGateway } from "@cdktf/provider-aws/lib/ec2-transit-gateway";
import { Ec2TransitGatewayRoute } from "@cdktf/provider-aws/lib/ec2-transit-gateway-route";
import { Ec2TransitGatewayRouteTable } from "@cdktf/provider-aws/lib/ec2-transit-gateway-route-table";
import { Ec2TransitGatewayRouteTableAssociation } from "@cdktf/provider-aws/lib/ec2-transit-gateway-route-table-association";
import { Ec2TransitGatewayRouteTablePropagation } from "@cdktf/provider-aws/lib/ec2-transit-gateway-route-table-propagation";
import { Ec2TransitGatewayVpcAttachment } from "@cdktf/provider-aws/lib/ec2-transit-gateway-vpc-attachment";
import { Construct } from "constructs";
import type { TgwPlan, VpcPlan } from "../../topology/types";
import type { LabVpc } from "./lab-vpc";
import { logicalId, nameTag } from "./names";

export interface TransitHubProps {
  /** The TGW and its route tables. */
  readonly plan: TgwPlan;
  /** The plans of the VPCs, for the subnets marked to hold each attachment. */
  readonly vpcPlans: readonly VpcPlan[];
  /** The stack's VPCs by name; every VPC the plan attaches must be one of them. */
  readonly vpcs: ReadonlyMap<string, LabVpc>;
}

/**
 * The transit gateway of centralized egress: default association and propagation off, one route
 * table for the spokes (0.0.0.0/0 → the DMZ) and one for the DMZ (return routes only).
 * https://docs.aws.amazon.com/whitepapers/latest/building-scalable-secure-multi-vpc-network-infrastructure/centralized-egress-to-internet.html
 */
export class TransitHub extends Construct {
  readonly tgw: Ec2TransitGateway;
  readonly attachments = new Map<string, Ec2TransitGatewayVpcAttachment>();

  constructor(scope: Construct, id: string, props: TransitHubProps) {
    super(scope, id);
    this.tgw = new Ec2TransitGateway(this, "tgw", {
      description: "netlab centralized egress",
      amazonSideAsn: props.plan.amazonSideAsn,
      defaultRouteTableAssociation: "disable",
      defaultRouteTablePropagation: "disable",
      dnsSupport: "enable",
      tags: nameTag(props.plan.name),
    });
    for (const name of props.plan.attachments) {
      const plan = props.vpcPlans.find((v) => v.name === name);
      const vpc = props.vpcs.get(name);
      if (!plan || !vpc) throw new Error(`The transit gateway attaches VPC "${name}", which this stack does not have.`);
      const subnetNames = plan.subnets.filter((s) => s.tgwAttachment).map((s) => s.name);
      const subnets = subnetNames.map((s) => vpc.subnet(s).id);
      if (!subnets.length) throw new Error(`VPC "${name}" is attached to the transit gateway but none of its subnets is marked for the attachment.`);
      this.attachments.set(
        name,
        new Ec2TransitGatewayVpcAttachment(this, logicalId("attach", name), {
          transitGatewayId: this.tgw.id,
          vpcId: vpc.vpc.id,
          subnetIds: subnets,
          transitGatewayDefaultRouteTableAssociation: false,
          transitGatewayDefaultRouteTablePropagation: false,
          tags: nameTag(`${props.plan.name}-${name}-attachment`),
          // Its ENIs take addresses AWS picks: after the subnets' fixed IPs are reserved.
          dependsOn: vpc.reservationsIn(subnetNames),
        }),
      );
    }
    for (const t of props.plan.routeTables) {
      const table = new Ec2TransitGatewayRouteTable(this, logicalId("tgwrt", t.name), { transitGatewayId: this.tgw.id, tags: nameTag(t.name) });
      for (const v of t.associations) {
        new Ec2TransitGatewayRouteTableAssociation(this, logicalId("assoc", t.name, v), { transitGatewayAttachmentId: this.attachment(v).id, transitGatewayRouteTableId: table.id });
      }
      for (const v of t.propagations) {
        new Ec2TransitGatewayRouteTablePropagation(this, logicalId("prop", t.name, v), { transitGatewayAttachmentId: this.attachment(v).id, transitGatewayRouteTableId: table.id });
      }
      for (const r of t.staticRoutes) {
        new Ec2TransitGatewayRoute(this, logicalId("tgwroute", t.name, r.destination), {
          destinationCidrBlock: r.destination,
          transitGatewayAttachmentId: this.attachment(r.vpc).id,
          transitGatewayRouteTableId: table.id,
        });
      }
    }
  }

  attachment(vpc: string): Ec2TransitGatewayVpcAttachment {
    const a = this.attachments.get(vpc);
    if (!a) throw new Error(`VPC "${vpc}" is not attached to the transit gateway; attached: ${[...this.attachments.keys()].join(", ")}.`);
    return a;
  }
}
