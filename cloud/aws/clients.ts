import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import { EC2Client } from "@aws-sdk/client-ec2";
import { ElasticLoadBalancingV2Client } from "@aws-sdk/client-elastic-load-balancing-v2";
import { Route53Client } from "@aws-sdk/client-route-53";
import { ServiceQuotasClient } from "@aws-sdk/client-service-quotas";
import { SSMClient } from "@aws-sdk/client-ssm";
import { STSClient } from "@aws-sdk/client-sts";
import { fromIni, fromTemporaryCredentials } from "@aws-sdk/credential-providers";
import type { Participant } from "../../config/config";

/** The SDK v3 clients of one participant's account. */
export interface AwsClients {
  ec2: EC2Client;
  ssm: SSMClient;
  elbv2: ElasticLoadBalancingV2Client;
  route53: Route53Client;
  cloudwatch: CloudWatchClient;
  logs: CloudWatchLogsClient;
  sts: STSClient;
  quotas: ServiceQuotasClient;
}

/** Attempts per call, with the SDK's exponential backoff and jitter. */
export const DEFAULT_MAX_ATTEMPTS = 6;

/**
 * Clients for a participant: `profile` through the shared config files, `roleArn` through STS
 * AssumeRole from the instructor's own credentials, else the default chain. Calls that a whole class
 * makes at once (describe and SSM) use the adaptive retry mode, which also rate-limits the client
 * when throttled. https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html
 */
export function createAwsClients(participant: Participant, region: string): AwsClients {
  const credentials = participant.profile
    ? fromIni({ profile: participant.profile })
    : participant.roleArn
      ? fromTemporaryCredentials({ params: { RoleArn: participant.roleArn, RoleSessionName: `netlab-${participant.id}` }, clientConfig: { region } })
      : undefined;
  const base = { region, maxAttempts: DEFAULT_MAX_ATTEMPTS, ...(credentials ? { credentials } : {}) };
  const adaptive = { ...base, retryMode: "adaptive" as const };
  return {
    ec2: new EC2Client(adaptive),
    ssm: new SSMClient(adaptive),
    elbv2: new ElasticLoadBalancingV2Client(adaptive),
    route53: new Route53Client(adaptive),
    cloudwatch: new CloudWatchClient(base),
    logs: new CloudWatchLogsClient(base),
    sts: new STSClient(base),
    quotas: new ServiceQuotasClient(base),
  };
}

export function destroyClients(c: AwsClients): void {
  for (const client of Object.values(c)) client.destroy();
}
