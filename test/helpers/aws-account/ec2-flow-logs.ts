import { CreateFlowLogsCommand, DeleteFlowLogsCommand, type CreateFlowLogsRequest, type Tag } from "@aws-sdk/client-ec2";
import type { Snapshot } from "../../../network/snapshot";
import { hex, onChange, type Account, type Router } from "./account";
import { awsError } from "./errors";

/**
 * VPC flow logs to CloudWatch Logs. Per resource, a failure is an entry of `Unsuccessful`, not an
 * exception (a second identical flow log is `FlowLogAlreadyExists`); delivering to CloudWatch Logs
 * needs a role. https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateFlowLogs.html
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DeleteFlowLogs.html
 */
export function installFlowLogChanges(ec2: Router, account: Account): void {
  onChange<CreateFlowLogsRequest>(ec2, account, CreateFlowLogsCommand, (i, s: Snapshot) => {
    if (i.ResourceType !== "VPC") throw awsError("InvalidParameterValue", `The mocked account implements flow logs of VPCs only; got ${i.ResourceType}.`);
    // To CloudWatch Logs, the group is named (LogGroupName) or given by its ARN (LogDestination).
    const group = i.LogGroupName ?? i.LogDestination?.split(":log-group:")[1];
    if ((i.LogDestinationType ?? "cloud-watch-logs") === "cloud-watch-logs" && (!group || !i.DeliverLogsPermissionArn)) {
      throw awsError("InvalidParameter", "A flow log to CloudWatch Logs needs LogGroupName or a log group ARN in LogDestination, and DeliverLogsPermissionArn.");
    }
    const tags: Tag[] = (i.TagSpecifications ?? []).filter((t) => t.ResourceType === "vpc-flow-log").flatMap((t) => t.Tags ?? []);
    const FlowLogIds: string[] = [];
    const Unsuccessful: { ResourceId: string; Error: { Code: string; Message: string } }[] = [];
    for (const vpcId of i.ResourceIds ?? []) {
      if (!s.vpcs.some((v) => v.id === vpcId)) Unsuccessful.push({ ResourceId: vpcId, Error: { Code: "InvalidVpcID.NotFound", Message: `The vpc ID '${vpcId}' does not exist` } });
      else if (s.flowLogs.some((f) => f.resourceId === vpcId && f.logGroupName === group && f.trafficType === i.TrafficType)) {
        Unsuccessful.push({ ResourceId: vpcId, Error: { Code: "FlowLogAlreadyExists", Message: "This flow log already exists." } });
      } else {
        const id = `fl-${hex(`${vpcId}|${account.log.length}`)}`;
        s.flowLogs.push({ id, resourceId: vpcId, logGroupName: group ?? "", trafficType: i.TrafficType ?? "ALL", status: "ACTIVE", tags: Object.fromEntries(tags.map((t) => [t.Key ?? "", t.Value ?? ""])) });
        FlowLogIds.push(id);
      }
    }
    return { FlowLogIds, Unsuccessful };
  });
  onChange<{ FlowLogIds?: string[] }>(ec2, account, DeleteFlowLogsCommand, (i, s: Snapshot) => {
    const Unsuccessful = (i.FlowLogIds ?? []).filter((id) => !s.flowLogs.some((f) => f.id === id)).map((id) => ({ ResourceId: id, Error: { Code: "InvalidFlowLogId.NotFound", Message: `Flow log ${id} does not exist` } }));
    s.flowLogs = s.flowLogs.filter((f) => !(i.FlowLogIds ?? []).includes(f.id));
    return { Unsuccessful };
  });
}
