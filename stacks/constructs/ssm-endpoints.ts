import { VpcEndpoint } from "@cdktf/provider-aws/lib/vpc-endpoint";
import { Construct } from "constructs";
import { SSM_ENDPOINT_SERVICES } from "../../topology/lab";
import type { VpcPlan } from "../../topology/types";
import type { LabVpc } from "./lab-vpc";
import { nameTag } from "./names";

export { SSM_ENDPOINT_SERVICES };

export interface SsmEndpointsProps {
  /** The VPC's plan: its endpoint subnet (the one marked `endpoints`) and its `<VPC>-EndpointSG`. */
  readonly plan: VpcPlan;
  /** The VPC the endpoints are created in. */
  readonly vpc: LabVpc;
  /** The region of the endpoint services (`com.amazonaws.<region>.ssm`…). */
  readonly region: string;
}

/**
 * Keeps the grader alive through every fault: interface endpoints for SSM in one subnet (it halves
 * the cost; instances in the other AZ reach it by the local route), private DNS on, an SG admitting
 * 443 from the VPC, and a free S3 gateway endpoint (AL2023 package repositories live in S3).
 * https://docs.aws.amazon.com/systems-manager/latest/userguide/setup-create-vpc.html
 */
export class SsmEndpoints extends Construct {
  /** The S3 gateway endpoint: the AL2023 package repositories without the internet. */
  readonly s3: VpcEndpoint;
  /** The interface endpoints (ssm, ssmmessages, ec2messages): an instance's agent registers through them. */
  readonly interfaces: VpcEndpoint[] = [];

  constructor(scope: Construct, id: string, props: SsmEndpointsProps) {
    super(scope, id);
    const { plan, vpc, region } = props;
    const holders = plan.subnets.filter((s) => s.endpoints);
    if (holders.length !== 1) throw new Error(`VPC "${plan.name}" has SSM endpoints, so exactly one of its subnets must be marked to hold them.`);
    const sg = vpc.securityGroup(`${plan.name}-EndpointSG`);
    for (const service of SSM_ENDPOINT_SERVICES) {
      const endpoint = new VpcEndpoint(this, service, {
        vpcId: vpc.vpc.id,
        serviceName: `com.amazonaws.${region}.${service}`,
        vpcEndpointType: "Interface",
        subnetIds: [vpc.subnet(holders[0].name).id],
        securityGroupIds: [sg.id],
        privateDnsEnabled: true,
        tags: nameTag(`${plan.name}-${service}-endpoint`),
        // Its ENI takes an address AWS picks: after the subnet's fixed IPs are reserved.
        dependsOn: vpc.reservationsIn([holders[0].name]),
      });
      this.interfaces.push(endpoint);
    }
    this.s3 = new VpcEndpoint(this, "s3", {
      vpcId: vpc.vpc.id,
      serviceName: `com.amazonaws.${region}.s3`,
      vpcEndpointType: "Gateway",
      routeTableIds: [...vpc.routeTables.values()].map((t) => t.id),
      tags: nameTag(`${plan.name}-s3-endpoint`),
    });
  }
}
