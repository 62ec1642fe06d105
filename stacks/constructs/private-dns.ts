import { DataAwsRoute53Zone } from "@cdktf/provider-aws/lib/data-aws-route53-zone";
import { Route53Record } from "@cdktf/provider-aws/lib/route53-record";
import { Route53Zone } from "@cdktf/provider-aws/lib/route53-zone";
import { Route53ZoneAssociation } from "@cdktf/provider-aws/lib/route53-zone-association";
import type { Lb } from "@cdktf/provider-aws/lib/lb";
import { Construct } from "constructs";
import type { InstancePlan } from "../../topology/types";
import type { LabInstances } from "./lab-instances";
import type { LabVpc } from "./lab-vpc";
import { logicalId, nameTag } from "./names";

export interface PrivateDnsProps {
  /** e.g. `netlab.internal` */
  readonly zoneName: string;
  /** The stack's VPCs, each associated with the zone. */
  readonly vpcs: readonly LabVpc[];
  /**
   * Create the zone (core stack), or find the core stack's zone by name and only associate (NAT
   * instance stack). @default true
   */
  readonly createZone?: boolean;
  /** Instances that get `<dnsLabel>.<zone>` A records (core stack only). @default no instance records */
  readonly instances?: { readonly plans: readonly InstancePlan[]; readonly resources: LabInstances };
  /** The ALB and its label: an alias record (core stack only). @default no ALB record */
  readonly alb?: { readonly label: string; readonly lb: Lb };
  /** Tags that single out this lab's zone when it is looked up by name. @default none */
  readonly lookupTags?: Readonly<Record<string, string>>;
}

/**
 * The lab's private hosted zone (seed 001's internal DNS). The core stack creates it with its first
 * VPC inline (a private zone needs one at creation, and can never lose its last) and associates the
 * others with aws_route53_zone_association; the NAT instance stack finds it by name.
 */
export class PrivateDns extends Construct {
  readonly zoneId: string;

  constructor(scope: Construct, id: string, props: PrivateDnsProps) {
    super(scope, id);
    if (!props.vpcs.length) throw new Error(`The private zone ${props.zoneName} needs at least one VPC.`);
    let rest = props.vpcs;
    if (props.createZone ?? true) {
      const zone = new Route53Zone(this, "zone", {
        name: props.zoneName,
        comment: "netlab private zone",
        vpc: [{ vpcId: props.vpcs[0].vpc.id }],
        tags: nameTag(props.zoneName),
        // Associations made by aws_route53_zone_association would otherwise be removed on the next apply.
        lifecycle: { ignoreChanges: ["vpc"] },
      });
      this.zoneId = zone.zoneId;
      rest = props.vpcs.slice(1);
    } else {
      this.zoneId = new DataAwsRoute53Zone(this, "zone", { name: props.zoneName, privateZone: true, ...(props.lookupTags ? { tags: { ...props.lookupTags } } : {}) }).zoneId;
    }
    for (const v of rest) new Route53ZoneAssociation(this, logicalId("assoc", v.node.id), { zoneId: this.zoneId, vpcId: v.vpc.id });
    for (const plan of props.instances?.plans ?? []) {
      new Route53Record(this, logicalId("a", plan.dnsLabel), { zoneId: this.zoneId, name: `${plan.dnsLabel}.${props.zoneName}`, type: "A", ttl: 60, records: [plan.privateIp] });
    }
    if (props.alb) {
      new Route53Record(this, logicalId("alias", props.alb.label), {
        zoneId: this.zoneId,
        name: `${props.alb.label}.${props.zoneName}`,
        type: "A",
        alias: { name: props.alb.lb.dnsName, zoneId: props.alb.lb.zoneId, evaluateTargetHealth: true },
      });
    }
  }
}
