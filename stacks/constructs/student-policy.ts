import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy";
import { Construct } from "constructs";

/** Read-only actions a student needs to diagnose the lab. */
export const STUDENT_READ_ACTIONS = [
  "ec2:Describe*",
  "elasticloadbalancing:Describe*",
  "route53:Get*",
  "route53:List*",
  "logs:Describe*",
  "logs:Get*",
  "logs:FilterLogEvents",
  "logs:StartQuery",
  "logs:GetQueryResults",
  "cloudwatch:Describe*",
  "cloudwatch:Get*",
  "cloudwatch:List*",
  "ssm:DescribeInstanceInformation",
  "ssm:GetConnectionStatus",
  "ssm:DescribeSessions",
] as const;

/** Exactly the writes that the scenarios' fixes need; each is limited to resources tagged with the lab. */
export const STUDENT_TAGGED_WRITE_ACTIONS = [
  "ec2:CreateRoute",
  "ec2:ReplaceRoute",
  "ec2:StartInstances",
  "ec2:ModifyInstanceAttribute",
  "ec2:AuthorizeSecurityGroupIngress",
  "ec2:RevokeSecurityGroupIngress",
  "elasticloadbalancing:RegisterTargets",
  "elasticloadbalancing:DeregisterTargets",
  "ssm:StartSession",
  "ssm:SendCommand",
] as const;

export interface StudentPolicyProps {
  /** The participant id: the policy only reaches resources tagged `netlab:lab=<lab>`. */
  readonly lab: string;
  /** Policy name, unique in the account. */
  readonly name: string;
  /** The lab's private zone: the student may re-associate a VPC with it, and only with it. */
  readonly hostedZoneId: string;
}

/**
 * The student's IAM policy: read-only, plus the fixes, only on the lab's tagged resources; nothing on
 * IAM but passing the lab's own flow-log role to the flow-logs service. Route 53 has no tag condition
 * keys, so zone association is limited to the lab's zone ARN; a new flow log must carry the lab tag.
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonec2.html
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonroute53.html
 */
export class StudentPolicy extends Construct {
  readonly policy: IamPolicy;

  constructor(scope: Construct, id: string, props: StudentPolicyProps) {
    super(scope, id);
    if (!/^[a-z0-9-]{1,20}$/.test(props.lab)) throw new Error(`The student policy needs a valid lab id; got "${props.lab}".`);
    const tagged = { StringEquals: { "aws:ResourceTag/netlab:lab": props.lab } };
    this.policy = new IamPolicy(this, "policy", {
      name: props.name,
      description: `netlab lab ${props.lab}: diagnose and repair, on this lab's resources only`,
      policy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          { Sid: "Read", Effect: "Allow", Action: [...STUDENT_READ_ACTIONS], Resource: "*" },
          // A student may end or resume only their own sessions ($${…} escapes the IAM variable from Terraform).
          { Sid: "OwnSessions", Effect: "Allow", Action: ["ssm:TerminateSession", "ssm:ResumeSession"], Resource: "arn:aws:ssm:*:*:session/$${aws:userid}-*" },
          { Sid: "RepairTaggedResources", Effect: "Allow", Action: [...STUDENT_TAGGED_WRITE_ACTIONS], Resource: "*", Condition: tagged },
          {
            Sid: "RunCommandDocuments",
            Effect: "Allow",
            Action: ["ssm:SendCommand", "ssm:StartSession"],
            Resource: ["arn:aws:ssm:*::document/AWS-RunShellScript", "arn:aws:ssm:*:*:document/SSM-SessionManagerRunShell", "arn:aws:ssm:*::document/AWS-StartInteractiveCommand"],
          },
          {
            Sid: "AssociateLabZone",
            Effect: "Allow",
            Action: ["route53:AssociateVPCWithHostedZone"],
            Resource: `arn:aws:route53:::hostedzone/${props.hostedZoneId}`,
          },
          { Sid: "FlowLogsOnLabVpcs", Effect: "Allow", Action: ["ec2:CreateFlowLogs", "ec2:CreateTags"], Resource: "*", Condition: { StringEquals: { "aws:RequestTag/netlab:lab": props.lab } } },
          { Sid: "PassFlowLogRole", Effect: "Allow", Action: ["iam:PassRole"], Resource: `arn:aws:iam::*:role/netlab-${props.lab}-flowlogs-*`, Condition: { StringEquals: { "iam:PassedToService": "vpc-flow-logs.amazonaws.com" } } },
        ],
      }),
      tags: { Name: props.name },
    });
  }
}
