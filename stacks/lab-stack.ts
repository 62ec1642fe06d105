import { DataAwsAvailabilityZones } from "@cdktf/provider-aws/lib/data-aws-availability-zones";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Fn, type IResolvable, LocalBackend, S3Backend, TerraformStack, Token } from "cdktf";
import type { Construct } from "constructs";
import type { NetlabConfig, Participant } from "../config/config";
import type { AzKey, StackVariant, Topology } from "../topology/types";
import { LabVpc } from "./constructs/lab-vpc";
import { LAB_TAG, MANAGED_TAG } from "./constructs/names";

export { LAB_TAG, MANAGED_TAG };

/** The Terraform that reads the synthesized stacks (the S3 backend's native lockfile). */
export const MIN_TERRAFORM_VERSION = ">= 1.10";

export interface LabStackProps {
  /** The lab's participant: its id names the stack and tags every resource; its credentials reach its account. */
  readonly participant: Participant;
  /** The validated config: region and Terraform backend. */
  readonly config: NetlabConfig;
  /** The lab plan. */
  readonly topology: Topology;
  /** Which of the participant's stacks this is. */
  readonly variant: StackVariant;
}

/**
 * A list or map as the value of a TerraformOutput, made one token. cdktf 0.21 tests every output value that is
 * not a token with Node's `util.isArray`, which Node 22 reports on stderr at each synth ([DEP0044]); a token
 * skips that test and synthesizes to the same JSON. (cdktn uses Array.isArray.)
 */
export function outputValue(value: readonly unknown[] | Readonly<Record<string, unknown>>): IResolvable {
  return Token.asAny(value);
}

/** `netlab-<id>-<variant>`: the stack name students' instructors deploy and destroy. */
export function stackName(participant: string, variant: StackVariant): string {
  return `netlab-${participant}-${variant}`;
}

/**
 * What both stacks of a participant share: their own AWS provider (region, the participant's
 * credentials, the lab's default tags), the Terraform backend of the config, the region's first
 * two AZs, and the VPCs of the variant.
 */
export abstract class LabStack extends TerraformStack {
  readonly lab: string;
  readonly vpcs = new Map<string, LabVpc>();
  readonly azNames: Record<AzKey, string>;

  constructor(scope: Construct, props: LabStackProps) {
    const name = stackName(props.participant.id, props.variant);
    super(scope, name);
    this.lab = props.participant.id;
    const { participant, config } = props;
    new AwsProvider(this, "aws", {
      region: config.region,
      ...(participant.profile ? { profile: participant.profile } : {}),
      ...(participant.roleArn ? { assumeRole: [{ roleArn: participant.roleArn, sessionName: `netlab-${participant.id}` }] } : {}),
      defaultTags: [{ tags: { [LAB_TAG]: participant.id, [MANAGED_TAG]: "true" } }],
    });
    // S3 native state locking (use_lockfile) needs Terraform 1.10 (opt-in there, generally available in 1.11).
    // https://developer.hashicorp.com/terraform/language/v1.10.x/upgrade-guides
    // https://developer.hashicorp.com/terraform/language/backend/s3
    this.addOverride("terraform.required_version", MIN_TERRAFORM_VERSION);
    const backend = config.terraformBackend;
    if (backend.type === "s3") {
      const key = backend.keyPrefix ? `${backend.keyPrefix}/${name}.tfstate` : `${name}.tfstate`;
      new S3Backend(this, { bucket: backend.bucket, key, region: backend.region ?? config.region, encrypt: true });
      // cdktf 0.21's S3Backend has no field for the native lockfile yet.
      this.addOverride("terraform.backend.s3.use_lockfile", true);
    } else {
      new LocalBackend(this, { path: `terraform.${name}.tfstate` });
    }
    const azs = new DataAwsAvailabilityZones(this, "azs", { state: "available", filter: [{ name: "opt-in-status", values: ["opt-in-not-required"] }] });
    this.azNames = { A: Fn.element(azs.names, 0), B: Fn.element(azs.names, 1) };
    for (const plan of props.topology.vpcs.filter((v) => v.stack === props.variant)) {
      const fixedIps = props.topology.instances.filter((i) => i.vpc === plan.name).map((i) => ({ subnet: i.subnet, ip: i.privateIp, owner: i.name }));
      this.vpcs.set(plan.name, new LabVpc(this, plan.name, { plan, azNames: this.azNames, fixedIps }));
    }
  }

  vpc(name: string): LabVpc {
    const v = this.vpcs.get(name);
    if (!v) throw new Error(`Stack ${this.node.id} has no VPC "${name}"; it has: ${[...this.vpcs.keys()].join(", ")}.`);
    return v;
  }
}
