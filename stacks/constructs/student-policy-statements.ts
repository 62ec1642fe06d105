import { LAB_TAG } from "./names";

/**
 * Read-only actions a student needs to diagnose the lab, on every resource: each one is named
 * Describe…, Get… or List… (the reads of the logs the lab writes are scoped to its log group below).
 */
export const STUDENT_READ_ACTIONS = [
  "ec2:Describe*",
  "elasticloadbalancing:Describe*",
  "route53:Get*",
  "route53:List*",
  "logs:Describe*",
  "logs:Get*",
  "cloudwatch:Describe*",
  "cloudwatch:Get*",
  "cloudwatch:List*",
  "ssm:DescribeInstanceInformation",
  "ssm:GetConnectionStatus",
  "ssm:DescribeSessions",
  "ssm:ListCommands",
  "ssm:ListCommandInvocations",
  "ssm:GetCommandInvocation",
] as const;

export interface StudentPolicyProps {
  /** The participant id: the policy only reaches resources tagged `netlab:lab=<lab>`. */
  readonly lab: string;
  /** Policy name, unique in the account. */
  readonly name: string;
  /** The lab's private zone: the student may re-associate a VPC with it, and only with it. */
  readonly hostedZoneId: string;
  /** The flow-log group the student queries (seed 004). @default "/aws/vpc/flowlogs" */
  readonly flowLogGroup?: string;
}

/** An IAM policy statement. */
export interface PolicyStatement {
  readonly Sid: string;
  readonly Effect: "Allow";
  readonly Action: readonly string[];
  readonly Resource: string | readonly string[];
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

/** EC2 resource ARNs of one type in any region of the account. */
const ec2Arn = (type: string): string => `arn:aws:ec2:*:*:${type}/*`;

/**
 * The student's IAM policy: read-only, plus exactly the writes the scenarios' fixes need. Every write
 * names the resource type it acts on, and each such resource must carry the lab's tag (or be the lab's
 * zone, flow-log role or log group). A condition on `Resource: "*"` is never relied on: an action
 * evaluates a condition key only for the resource types that support it, so the resource type is what
 * makes the condition bite. Nothing on IAM but passing the lab's own flow-log role to the flow-logs
 * service, and no tagging of existing resources (a student who could tag any resource with the lab's
 * tag could then repair it, i.e. change it, through every tag-conditioned statement).
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonec2.html
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_awssystemsmanager.html
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_elasticloadbalancingv2.html
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonroute53.html
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoncloudwatchlogs.html
 * https://docs.aws.amazon.com/systems-manager/latest/userguide/getting-started-restrict-access-examples.html
 */
export function studentPolicyStatements(props: StudentPolicyProps): PolicyStatement[] {
  if (!/^[a-z0-9-]{1,20}$/.test(props.lab)) throw new Error(`The student policy needs a valid lab id; got "${props.lab}".`);
  const logGroup = props.flowLogGroup ?? "/aws/vpc/flowlogs";
  const tagged = { StringEquals: { [`aws:ResourceTag/${LAB_TAG}`]: props.lab } };
  return [
    { Sid: "Read", Effect: "Allow", Action: [...STUDENT_READ_ACTIONS], Resource: "*" },
    {
      // Logs Insights and filtering read only the lab's flow-log group (log-group* is their required resource).
      Sid: "QueryFlowLogs",
      Effect: "Allow",
      Action: ["logs:FilterLogEvents", "logs:StartQuery"],
      Resource: [`arn:aws:logs:*:*:log-group:${logGroup}`, `arn:aws:logs:*:*:log-group:${logGroup}:*`],
    },
    // Routes: route-table* is the required resource, and it must be the lab's.
    { Sid: "RepairLabRoutes", Effect: "Allow", Action: ["ec2:CreateRoute", "ec2:ReplaceRoute"], Resource: ec2Arn("route-table"), Condition: tagged },
    {
      // Should EC2 also authorize a route's target (the NAT instance's ENI carries no tag), the route
      // table must still be allowed by the statement above: every resource of a request must be.
      Sid: "RouteTargets",
      Effect: "Allow",
      Action: ["ec2:CreateRoute", "ec2:ReplaceRoute"],
      Resource: [ec2Arn("transit-gateway"), ec2Arn("network-interface"), ec2Arn("natgateway"), ec2Arn("internet-gateway")],
    },
    { Sid: "RepairLabInstances", Effect: "Allow", Action: ["ec2:StartInstances", "ec2:ModifyInstanceAttribute"], Resource: ec2Arn("instance"), Condition: tagged },
    {
      Sid: "RepairLabSecurityGroups",
      Effect: "Allow",
      Action: ["ec2:AuthorizeSecurityGroupIngress", "ec2:RevokeSecurityGroupIngress"],
      Resource: [ec2Arn("security-group"), ec2Arn("security-group-rule")],
      Condition: tagged,
    },
    {
      Sid: "RepairLabTargets",
      Effect: "Allow",
      Action: ["elasticloadbalancing:RegisterTargets", "elasticloadbalancing:DeregisterTargets"],
      Resource: "arn:aws:elasticloadbalancing:*:*:targetgroup/*/*",
      Condition: tagged,
    },
    {
      // Run Command and Session Manager authorize the instance and the document separately.
      // https://docs.aws.amazon.com/systems-manager/latest/userguide/getting-started-restrict-access-examples.html
      Sid: "CommandsOnLabInstances",
      Effect: "Allow",
      Action: ["ssm:SendCommand", "ssm:StartSession"],
      Resource: ec2Arn("instance"),
      Condition: { StringEquals: { [`ssm:resourceTag/${LAB_TAG}`]: props.lab } },
    },
    {
      Sid: "CommandDocuments",
      Effect: "Allow",
      Action: ["ssm:SendCommand", "ssm:StartSession"],
      Resource: ["arn:aws:ssm:*::document/AWS-RunShellScript", "arn:aws:ssm:*:*:document/SSM-SessionManagerRunShell", "arn:aws:ssm:*::document/AWS-StartInteractiveCommand"],
    },
    // A student may end or resume only their own sessions, named after the IAM user (aws:username) or, for a
    // federated or assumed-role student, after aws:userid. $${…} escapes the IAM variable from Terraform.
    {
      Sid: "OwnSessions",
      Effect: "Allow",
      Action: ["ssm:TerminateSession", "ssm:ResumeSession"],
      Resource: ["arn:aws:ssm:*:*:session/$${aws:username}-*", "arn:aws:ssm:*:*:session/$${aws:userid}-*"],
    },
    // Route 53 has no tag condition keys: the lab's zone ARN is the scope.
    { Sid: "AssociateLabZone", Effect: "Allow", Action: ["route53:AssociateVPCWithHostedZone"], Resource: `arn:aws:route53:::hostedzone/${props.hostedZoneId}` },
    // CreateFlowLogs authorizes the VPC it watches (the lab's) and the flow log it creates (which must carry the lab's tag).
    { Sid: "FlowLogsOfLabVpcs", Effect: "Allow", Action: ["ec2:CreateFlowLogs"], Resource: ec2Arn("vpc"), Condition: tagged },
    { Sid: "NewFlowLogsTagged", Effect: "Allow", Action: ["ec2:CreateFlowLogs"], Resource: ec2Arn("vpc-flow-log"), Condition: { StringEquals: { [`aws:RequestTag/${LAB_TAG}`]: props.lab } } },
    {
      // Tags only on creation, in the CreateFlowLogs call itself: never on an existing resource.
      // https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/supported-iam-actions-tagging.html
      Sid: "TagNewFlowLogsOnly",
      Effect: "Allow",
      Action: ["ec2:CreateTags"],
      Resource: ec2Arn("vpc-flow-log"),
      Condition: { StringEquals: { "ec2:CreateAction": "CreateFlowLogs", [`aws:RequestTag/${LAB_TAG}`]: props.lab } },
    },
    {
      Sid: "PassFlowLogRole",
      Effect: "Allow",
      Action: ["iam:PassRole"],
      Resource: `arn:aws:iam::*:role/netlab-${props.lab}-flowlogs-*`,
      Condition: { StringEquals: { "iam:PassedToService": "vpc-flow-logs.amazonaws.com" } },
    },
  ];
}
