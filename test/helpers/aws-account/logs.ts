import { DescribeLogGroupsCommand, ListTagsForResourceCommand } from "@aws-sdk/client-cloudwatch-logs";
import type { Snapshot, Tags } from "../../../network/snapshot";
import { onRead, type Account, type Router } from "./account";
import { awsError } from "./errors";

/** A CloudWatch Logs log group of the account. */
export interface LogGroup {
  name: string;
  tags: Tags;
  /** @default 7 (the lab's flow-log group) */
  retentionInDays?: number;
}

/** DescribeLogGroups returns at most 50 groups a page. */
const PAGE = 50;

/** The log groups a deployed lab has: one per flow-log destination, tagged as the lab's core stack tags it. */
export function logGroupsOf(lab: Snapshot): LogGroup[] {
  const names = [...new Set(lab.flowLogs.map((f) => f.logGroupName))];
  return names.map((name) => ({ name, tags: { "netlab:lab": lab.lab, "netlab:managed": "true", Name: name }, retentionInDays: 7 }));
}

/**
 * CloudWatch Logs: DescribeLogGroups by name prefix, paginated, and ListTagsForResource, which takes the
 * log group's ARN without the trailing `:*` that DescribeLogGroups' `arn` carries.
 * https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_DescribeLogGroups.html
 * https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_ListTagsForResource.html
 */
export function installLogs(logs: Router, account: Account): void {
  const arnOf = (name: string) => `arn:aws:logs:${account.state.region}:${account.accountId}:log-group:${name}`;
  onRead<{ logGroupNamePrefix?: string; logGroupNamePattern?: string; limit?: number; nextToken?: string }>(logs, account, DescribeLogGroupsCommand, (i) => {
    if (i.logGroupNamePattern !== undefined) throw awsError("InvalidParameterException", "The mocked account implements logGroupNamePrefix only.");
    const matching = account.logGroups.filter((g) => g.name.startsWith(i.logGroupNamePrefix ?? "")).sort((a, b) => a.name.localeCompare(b.name));
    const start = Number(i.nextToken ?? 0);
    const size = Math.min(i.limit ?? PAGE, PAGE);
    return {
      logGroups: matching.slice(start, start + size).map((g) => ({ logGroupName: g.name, arn: `${arnOf(g.name)}:*`, logGroupArn: arnOf(g.name), retentionInDays: g.retentionInDays ?? 7, storedBytes: 0, creationTime: 0 })),
      ...(start + size < matching.length ? { nextToken: String(start + size) } : {}),
    };
  });
  onRead<{ resourceArn?: string }>(logs, account, ListTagsForResourceCommand, (i) => {
    const arn = i.resourceArn ?? "";
    if (arn.endsWith(":*")) throw awsError("InvalidParameterException", `ListTagsForResource takes the log group's ARN without the trailing ":*"; got ${arn}.`);
    const group = account.logGroups.find((g) => arnOf(g.name) === arn);
    if (!group) throw awsError("ResourceNotFoundException", `The specified log group does not exist: ${arn}`);
    return { tags: { ...group.tags } };
  });
}
