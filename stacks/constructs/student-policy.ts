import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy";
import { Construct } from "constructs";
import { studentPolicyStatements, type StudentPolicyProps } from "./student-policy-statements";

export { STUDENT_READ_ACTIONS, studentPolicyStatements, type PolicyStatement, type StudentPolicyProps } from "./student-policy-statements";

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
export class StudentPolicy extends Construct {
  readonly policy: IamPolicy;

  constructor(scope: Construct, id: string, props: StudentPolicyProps) {
    super(scope, id);
    this.policy = new IamPolicy(this, "policy", {
      name: props.name,
      description: `netlab lab ${props.lab}: diagnose and repair, on this lab's resources only`,
      policy: JSON.stringify({ Version: "2012-10-17", Statement: studentPolicyStatements(props) }),
      tags: { Name: props.name },
    });
  }
}
