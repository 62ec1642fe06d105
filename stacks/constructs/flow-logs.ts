import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { DataAwsCloudwatchLogGroup } from "@cdktf/provider-aws/lib/data-aws-cloudwatch-log-group";
import { DataAwsPartition } from "@cdktf/provider-aws/lib/data-aws-partition";
import { FlowLog } from "@cdktf/provider-aws/lib/flow-log";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { Construct } from "constructs";
import type { LabVpc } from "./lab-vpc";
import { logicalId, nameTag } from "./names";

export interface FlowLogsProps {
  /** The CloudWatch Logs group the flow logs are published to. @default "/aws/vpc/flowlogs" */
  readonly logGroupName?: string;
  /** Days CloudWatch Logs keeps the records. @default 7 */
  readonly retentionDays?: number;
  /** Create the log group (core stack) or find it by name (NAT instance stack). @default true */
  readonly createLogGroup?: boolean;
  /** The VPCs that get a flow log of all their traffic. */
  readonly vpcs: readonly LabVpc[];
  /** IAM role name, unique per participant and stack. */
  readonly roleName: string;
  /** The region of the flow logs: only flow logs of this region and account may assume the role. */
  readonly region: string;
}

/**
 * VPC Flow Logs of every lab VPC to CloudWatch Logs (seed 004), with the role the service assumes.
 * https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-iam-role.html
 */
export class FlowLogs extends Construct {
  constructor(scope: Construct, id: string, props: FlowLogsProps) {
    super(scope, id);
    const name = props.logGroupName ?? "/aws/vpc/flowlogs";
    const retention = props.retentionDays ?? 7;
    if (!Number.isInteger(retention) || retention < 1) throw new Error(`Flow log retention must be a whole number of days; got ${retention}.`);
    const groupArn =
      props.createLogGroup ?? true
        ? new CloudwatchLogGroup(this, "group", { name, retentionInDays: retention, tags: nameTag(name) }).arn
        : new DataAwsCloudwatchLogGroup(this, "group", { name }).arn;
    const account = new DataAwsCallerIdentity(this, "account").accountId;
    const partition = new DataAwsPartition(this, "partition").partition;
    const role = new IamRole(this, "role", {
      name: props.roleName,
      // Confused-deputy prevention: the service may assume the role only for flow logs of this account
      // and region ("aws:SourceAccount" and "aws:SourceArn" in the trust policy, as AWS's example has it).
      // https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-iam-role.html
      // https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html
      assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Allow",
            Principal: { Service: "vpc-flow-logs.amazonaws.com" },
            Action: "sts:AssumeRole",
            Condition: {
              StringEquals: { "aws:SourceAccount": account },
              ArnLike: { "aws:SourceArn": `arn:${partition}:ec2:${props.region}:${account}:vpc-flow-log/*` },
            },
          },
        ],
      }),
    });
    const policy = new IamRolePolicy(this, "policy", {
      role: role.id,
      policy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Allow",
            Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogGroups", "logs:DescribeLogStreams"],
            Resource: [`${groupArn}`, `${groupArn}:*`],
          },
        ],
      }),
    });
    for (const v of props.vpcs) {
      new FlowLog(this, logicalId("flowlog", v.node.id), {
        vpcId: v.vpc.id,
        trafficType: "ALL",
        logDestinationType: "cloud-watch-logs",
        logDestination: groupArn,
        iamRoleArn: role.arn,
        maxAggregationInterval: 60,
        tags: nameTag(`${v.node.id}-flowlog`),
        // The service publishes with the role from the start: a flow log made before the policy is on the
        // role shows a delivery access error (DeliverLogsErrorMessage) until it is.
        dependsOn: [policy],
      });
    }
  }
}
