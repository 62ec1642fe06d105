import { Lb } from "@cdktf/provider-aws/lib/lb";
import { LbListener } from "@cdktf/provider-aws/lib/lb-listener";
import { LbTargetGroup } from "@cdktf/provider-aws/lib/lb-target-group";
import { LbTargetGroupAttachment } from "@cdktf/provider-aws/lib/lb-target-group-attachment";
import { Construct } from "constructs";
import type { AlbPlan } from "../../topology/types";
import type { LabInstances } from "./lab-instances";
import type { LabVpc } from "./lab-vpc";
import { logicalId, nameTag } from "./names";

export interface WebTierProps {
  /** The ALB, its target group and targets. */
  readonly plan: AlbPlan;
  /** The ALB's VPC: its public subnets and security groups. */
  readonly vpc: LabVpc;
  /** The lab instances, among them the targets the plan names. */
  readonly instances: LabInstances;
}

/** The internet-facing ALB of seed 001, with the seed's health check on the web targets. */
export class WebTier extends Construct {
  readonly alb: Lb;
  readonly targetGroup: LbTargetGroup;

  constructor(scope: Construct, id: string, props: WebTierProps) {
    super(scope, id);
    const { plan, vpc } = props;
    if (plan.subnets.length < 2) throw new Error(`ALB "${plan.name}" needs subnets in two AZs; AWS refuses an ALB in one.`);
    this.alb = new Lb(this, "alb", {
      name: plan.name,
      internal: false,
      loadBalancerType: "application",
      securityGroups: [vpc.securityGroup(plan.securityGroup).id],
      subnets: plan.subnets.map((s) => vpc.subnet(s).id),
      tags: nameTag(plan.name),
      // An internet-facing ALB created before its VPC's IGW fails with InvalidSubnet ("VPC … has no internet gateway").
      // Its ENIs take addresses AWS picks: after the subnets' fixed IPs (if any) are reserved.
      dependsOn: [...(vpc.internetGateway ? [vpc.internetGateway] : []), ...vpc.reservationsIn(plan.subnets)],
    });
    const hc = plan.targetGroup.healthCheck;
    this.targetGroup = new LbTargetGroup(this, "tg", {
      name: plan.targetGroup.name,
      port: plan.targetGroup.port,
      protocol: "HTTP",
      targetType: "instance",
      vpcId: vpc.vpc.id,
      healthCheck: {
        enabled: true,
        protocol: "HTTP",
        path: hc.path,
        port: "traffic-port",
        interval: hc.intervalSeconds,
        timeout: hc.timeoutSeconds,
        healthyThreshold: hc.healthyThreshold,
        unhealthyThreshold: hc.unhealthyThreshold,
        matcher: hc.matcher,
      },
      tags: nameTag(plan.targetGroup.name),
    });
    new LbListener(this, "http", {
      loadBalancerArn: this.alb.arn,
      port: plan.listenerPort,
      protocol: "HTTP",
      defaultAction: [{ type: "forward", targetGroupArn: this.targetGroup.arn }],
      tags: nameTag(`${plan.name}-http`),
    });
    for (const t of plan.targetGroup.targets) {
      new LbTargetGroupAttachment(this, logicalId("target", t), { targetGroupArn: this.targetGroup.arn, targetId: props.instances.instance(t).id, port: plan.targetGroup.port });
    }
  }
}
