import { DataAwsSsmParameter } from "@cdktf/provider-aws/lib/data-aws-ssm-parameter";
import { Eip } from "@cdktf/provider-aws/lib/eip";
import { IamInstanceProfile } from "@cdktf/provider-aws/lib/iam-instance-profile";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { Instance } from "@cdktf/provider-aws/lib/instance";
import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { AL2023_AMI_PARAMETER } from "../../topology/lab";
import type { InstancePlan, InstanceRole } from "../../topology/types";
import { natUserData } from "../user-data/nat";
import { plainUserData } from "../user-data/plain";
import { webUserData } from "../user-data/web";
import type { LabVpc } from "./lab-vpc";
import { logicalId, nameTag } from "./names";

/** The only policy lab instances get: what Session Manager and Run Command need. */
export const SSM_CORE_POLICY_ARN = "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore";

export interface LabInstancesProps {
  /** The instances of this stack. */
  readonly plans: readonly InstancePlan[];
  /** The stack's VPCs by name. */
  readonly vpcs: ReadonlyMap<string, LabVpc>;
  /** Prefix of IAM names, unique per participant and stack (IAM names are global to the account). */
  readonly iamPrefix: string;
  /**
   * The S3 gateway endpoint of each VPC, by VPC name: instances that install packages at boot (web, nat)
   * reach the AL2023 repositories through it, so they are created after it and after their subnet's
   * route table association. @default none (instances wait only for their VPC's internet gateway)
   */
  readonly packageSources?: ReadonlyMap<string, ITerraformDependable>;
  /**
   * The SSM interface endpoints of each VPC, by VPC name: every instance of the VPC is created after
   * them, so that its SSM Agent registers at first boot instead of retrying until they exist.
   * @default none
   */
  readonly ssmEndpoints?: ReadonlyMap<string, readonly ITerraformDependable[]>;
  /**
   * Instances with detailed monitoring (CloudWatch metrics every minute instead of every 5 minutes):
   * those an alarm with a period under 300 s watches. @default none
   */
  readonly detailedMonitoring?: ReadonlySet<string>;
}

/** Roles whose user data installs packages at boot (httpd + PHP, iptables-services). */
const INSTALLS_PACKAGES: ReadonlySet<InstanceRole> = new Set(["web", "nat"]);

function userDataFor(plan: InstancePlan): string {
  if (plan.role === "web") return webUserData();
  if (plan.role === "nat") return natUserData();
  return plainUserData(plan.role);
}

/**
 * Lab instances: AL2023 from the SSM public parameter, IMDSv2 required, an instance profile with
 * AmazonSSMManagedInstanceCore only, no key pair, no password; the NAT instance gets an EIP.
 */
export class LabInstances extends Construct {
  readonly instances = new Map<string, Instance>();
  readonly elasticIps = new Map<string, Eip>();

  constructor(scope: Construct, id: string, props: LabInstancesProps) {
    super(scope, id);
    const ami = new DataAwsSsmParameter(this, "al2023", { name: AL2023_AMI_PARAMETER });
    const role = new IamRole(this, "role", {
      name: `${props.iamPrefix}-instance`,
      assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }],
      }),
    });
    // The agent starts at boot and registers only once the profile's role carries the SSM policy.
    const ssmPolicy = new IamRolePolicyAttachment(this, "ssm-core", { role: role.name, policyArn: SSM_CORE_POLICY_ARN });
    const profile = new IamInstanceProfile(this, "profile", { name: `${props.iamPrefix}-instance`, role: role.name });
    for (const plan of props.plans) {
      const vpc = props.vpcs.get(plan.vpc);
      if (!vpc) throw new Error(`Instance "${plan.name}" is in VPC "${plan.vpc}", which this stack does not have.`);
      const reservation = vpc.ipReservations.get(plan.privateIp);
      const dependsOn: ITerraformDependable[] = [
        ssmPolicy,
        ...(props.ssmEndpoints?.get(plan.vpc) ?? []),
        ...(vpc.internetGateway ? [vpc.internetGateway] : []),
        ...(reservation ? [reservation] : []),
      ];
      const packages = INSTALLS_PACKAGES.has(plan.role) ? props.packageSources?.get(plan.vpc) : undefined;
      if (packages) dependsOn.push(packages, ...[vpc.routeTableAssociations.get(plan.subnet)].filter((a) => a !== undefined));
      const instance = new Instance(this, logicalId("instance", plan.name), {
        ami: ami.value,
        instanceType: plan.instanceType,
        subnetId: vpc.subnet(plan.subnet).id,
        privateIp: plan.privateIp,
        vpcSecurityGroupIds: plan.securityGroups.map((g) => vpc.securityGroup(g).id),
        iamInstanceProfile: profile.name,
        sourceDestCheck: plan.sourceDestCheck ?? true,
        associatePublicIpAddress: plan.publicIp ?? false,
        metadataOptions: { httpTokens: "required", httpEndpoint: "enabled", httpPutResponseHopLimit: 1 },
        userData: userDataFor(plan),
        userDataReplaceOnChange: true,
        ...(props.detailedMonitoring?.has(plan.name) ? { monitoring: true } : {}),
        tags: { ...nameTag(plan.name), "netlab:role": plan.role },
        dependsOn,
        // The AMI is read from the AL2023 SSM parameter at each plan: without this, a deploy after a new
        // AMI release would replace every instance mid-class. A running lab keeps the AMI it was made
        // with; `terraform apply -replace` (or a new participant) takes the newer one.
        // https://developer.hashicorp.com/terraform/language/meta-arguments/lifecycle#ignore_changes
        lifecycle: { ignoreChanges: ["ami"] },
      });
      this.instances.set(plan.name, instance);
      if (plan.elasticIp) {
        this.elasticIps.set(plan.name, new Eip(this, logicalId("eip", plan.name), { domain: "vpc", instance: instance.id, tags: nameTag(`${plan.name}-EIP`) }));
      }
    }
  }

  instance(name: string): Instance {
    const i = this.instances.get(name);
    if (!i) throw new Error(`No lab instance named "${name}" in this stack; it has: ${[...this.instances.keys()].join(", ")}.`);
    return i;
  }
}
