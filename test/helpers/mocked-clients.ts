import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import { EC2Client } from "@aws-sdk/client-ec2";
import { ElasticLoadBalancingV2Client } from "@aws-sdk/client-elastic-load-balancing-v2";
import { Route53Client } from "@aws-sdk/client-route-53";
import { ServiceQuotasClient } from "@aws-sdk/client-service-quotas";
import { SSMClient } from "@aws-sdk/client-ssm";
import { STSClient } from "@aws-sdk/client-sts";
import { mockClient } from "aws-sdk-client-mock";
import type { AwsClients } from "../../cloud/aws/clients";

/** One plain client per service the AWS backend uses (no credentials or retry settings): what mocks answer for. */
export function plainClients(region = "ap-northeast-2"): AwsClients {
  return {
    ec2: new EC2Client({ region }),
    ssm: new SSMClient({ region }),
    elbv2: new ElasticLoadBalancingV2Client({ region }),
    route53: new Route53Client({ region }),
    cloudwatch: new CloudWatchClient({ region }),
    logs: new CloudWatchLogsClient({ region }),
    sts: new STSClient({ region }),
    quotas: new ServiceQuotasClient({ region }),
  };
}

/**
 * Every SDK client class the backend uses, mocked at its class (so the clients the CLI builds from the
 * config answer from the test too), and `clients` to hand to the backend directly. `all` lists the mocks.
 */
export function mockEveryClient(region?: string) {
  const mocks = {
    ec2: mockClient(EC2Client),
    ssm: mockClient(SSMClient),
    elbv2: mockClient(ElasticLoadBalancingV2Client),
    route53: mockClient(Route53Client),
    cw: mockClient(CloudWatchClient),
    logs: mockClient(CloudWatchLogsClient),
    sts: mockClient(STSClient),
    quotas: mockClient(ServiceQuotasClient),
  };
  return { ...mocks, all: Object.values(mocks), clients: plainClients(region) };
}
