import { CloudWatchClient, DescribeAlarmHistoryCommand, DescribeAlarmsCommand } from "@aws-sdk/client-cloudwatch";
import { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import { EC2Client } from "@aws-sdk/client-ec2";
import { ElasticLoadBalancingV2Client } from "@aws-sdk/client-elastic-load-balancing-v2";
import { Route53Client } from "@aws-sdk/client-route-53";
import { ServiceQuotasClient } from "@aws-sdk/client-service-quotas";
import { SSMClient } from "@aws-sdk/client-ssm";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { mockClient } from "aws-sdk-client-mock";
import { plainClients } from "./mocked-clients";
import { createAwsCloud, type AwsLabCloud } from "../../cloud/aws/aws-cloud";
import type { AwsClients } from "../../cloud/aws/clients";
import { canonicalLab } from "../../lifecycle/compare";
import { emptySnapshot, type Snapshot } from "../../network/snapshot";
import { Account, onRead, Router, type FaultMode, type RecordedCall } from "./aws-account/account";
import { installEc2Describe } from "./aws-account/ec2-describe";
import { installFlowLogChanges } from "./aws-account/ec2-flow-logs";
import { installInstanceChanges } from "./aws-account/ec2-instances";
import { installRouteChanges } from "./aws-account/ec2-routes";
import { installRuleChanges } from "./aws-account/ec2-rules";
import { installTagChanges } from "./aws-account/ec2-tags";
import { defaultVpc } from "./aws-account/default-vpc";
import { installElbv2 } from "./aws-account/elbv2";
import { installLogs, logGroupsOf, type LogGroup } from "./aws-account/logs";
import { installRoute53 } from "./aws-account/route53";
import { installRunCommand, type SentCommand } from "./aws-account/run-command";
import { installServiceQuotas, type ServiceQuotaValues } from "./aws-account/service-quotas";
import { installParameters, type StoredParameter } from "./aws-account/ssm-parameters";

export type { FaultMode, RecordedCall } from "./aws-account/account";
export type { LogGroup } from "./aws-account/logs";
export type { ServiceQuotaValues } from "./aws-account/service-quotas";
export { relabelLab } from "./relabel-lab";

export interface MockedAccount {
  /** SDK clients whose every call this account answers (with `mock: "classes"`, so does any client the code makes). */
  clients: AwsClients;
  /** Calls made, by command name (DescribeVpcs, SendCommand…). */
  calls: Map<string, number>;
  /** Every call with its input, in order. */
  log: RecordedCall[];
  /** SSM commands sent, with what each instance did. */
  sent: SentCommand[];
  /** Parameter Store (the ledger lives here). */
  parameters: Map<string, StoredParameter>;
  /** Everything in the account now: the labs seeded into it as they are changed, and anything foreign. */
  readonly state: Snapshot;
  /** Lab-changing calls (EC2, ELBv2, Route 53, SendCommand) recorded so far. */
  mutations(): RecordedCall[];
  /** Parameter Store writes recorded so far. */
  ledgerWrites(): RecordedCall[];
  /**
   * Makes the lab-changing call after `after` more successful ones fail: `api-error` before it changes
   * anything, `process-dies` after AWS applied it (its answer never comes). Resolves when the process dies.
   */
  failAfter(after: number, mode: FaultMode): Promise<void>;
  /** Clears a fault that did not fire. */
  disarm(): void;
  restore(): void;
}

export interface MockAccountOptions {
  /** Milliseconds between an SSM command being sent and its result showing. @default 0 */
  latencyMs?: number;
  now?: () => number;
  /** @default "123456789012" */
  accountId?: string;
  /** Describe reads an instance shows `stopping` / `pending` before `stopped` / `running`. @default 1 */
  transitionReads?: number;
  /**
   * `classes`: every client of the SDK's client classes reaches this account (for code that makes its
   * own clients, like the CLI). `clients`: only the returned clients do, so that several accounts (one
   * per participant) can be mocked at once. @default "classes"
   */
  mock?: "classes" | "clients";
  /** The region's default VPC (172.31.0.0/16, with its internet gateway) is there too. @default false */
  defaultVpc?: boolean;
  /**
   * Service Quotas' applied values by quota code, or `access-denied`. A quota not listed has no applied
   * value (NoSuchResourceException), so the code under test falls back to AWS's default. @default {}
   */
  serviceQuotas?: ServiceQuotaValues;
  /** CloudWatch Logs groups besides the seeded labs' flow-log groups (e.g. one left after a destroy). */
  logGroups?: readonly LogGroup[];
}

/** One account holding several labs (and whatever else): their resources side by side. */
function merge(labs: readonly Snapshot[]): Snapshot {
  const out = emptySnapshot(labs[0]?.lab ?? "none", labs[0]?.region ?? "ap-northeast-2", "aws");
  for (const lab of labs) {
    for (const [key, value] of Object.entries(structuredClone(lab))) {
      if (Array.isArray(value)) (out as unknown as Record<string, unknown[]>)[key].push(...value);
    }
  }
  return out;
}

/**
 * A stateful mocked AWS account seeded with one or more labs (e.g. the synthesized lab, and
 * `relabelLab` copies of it): describe calls answer from its state with AWS's shapes and filters,
 * every change the AWS backend can send changes that state with AWS's errors, SSM commands run on
 * its instances (OS changes, and probes answered by the analyzer) and Parameter Store holds the ledger.
 */
export function mockLabAccount(labs: Snapshot | readonly Snapshot[], options: MockAccountOptions = {}): MockedAccount {
  const seeds = Array.isArray(labs) ? (labs as readonly Snapshot[]) : [labs as Snapshot];
  const now = options.now ?? (() => Date.now());
  const region = seeds[0]?.region ?? "ap-northeast-2";
  const defaults = options.defaultVpc ? [defaultVpc(region)] : [];
  const account = new Account(merge([...seeds, ...defaults]), now, options.accountId ?? "123456789012", options.transitionReads ?? 1);
  for (const d of defaults) d.vpcs.forEach((v) => account.defaultVpcIds.add(v.id));
  account.logGroups.push(...seeds.flatMap(logGroupsOf), ...structuredClone(options.logGroups ?? []));
  const ec2 = new Router("EC2");
  const ssm = new Router("SSM");
  const elbv2 = new Router("ELBv2");
  const route53 = new Router("Route 53");
  const cw = new Router("CloudWatch");
  const sts = new Router("STS");
  installEc2Describe(ec2, account);
  installRouteChanges(ec2, account);
  installInstanceChanges(ec2, account);
  installRuleChanges(ec2, account);
  installFlowLogChanges(ec2, account);
  installTagChanges(ec2, account);
  installElbv2(elbv2, account);
  installRoute53(route53, account);
  const parameters = new Map<string, StoredParameter>();
  installParameters(ssm, account, parameters);
  const sent: SentCommand[] = [];
  installRunCommand(ssm, account, sent, options.latencyMs ?? 0);
  onRead<{ AlarmNames?: string[] }>(cw, account, DescribeAlarmsCommand, (i) => ({
    MetricAlarms: structuredClone((account.describe().MetricAlarms?.MetricAlarms ?? []).filter((a) => !i.AlarmNames || i.AlarmNames.includes(a.AlarmName ?? ""))),
  }));
  // Newest first, StateUpdate items only (what describeLab asks for); the account keeps the last ALARM of each alarm.
  onRead<{ AlarmName?: string }>(cw, account, DescribeAlarmHistoryCommand, (i) => ({
    AlarmHistoryItems: structuredClone((account.describe().AlarmHistory?.AlarmHistoryItems ?? []).filter((h) => !i.AlarmName || h.AlarmName === i.AlarmName)),
  }));
  const logs = new Router("CloudWatch Logs");
  installLogs(logs, account);
  const quotas = new Router("Service Quotas");
  installServiceQuotas(quotas, account, options.serviceQuotas ?? {});
  onRead(sts, account, GetCallerIdentityCommand, () => ({ Account: account.accountId, Arn: `arn:aws:iam::${account.accountId}:user/instructor`, UserId: "AIDAMOCKED" }));
  const clients = plainClients(region);
  const classes = (options.mock ?? "classes") === "classes";
  const stubs = [
    [mockClient(classes ? EC2Client : clients.ec2), ec2],
    [mockClient(classes ? SSMClient : clients.ssm), ssm],
    [mockClient(classes ? ElasticLoadBalancingV2Client : clients.elbv2), elbv2],
    [mockClient(classes ? Route53Client : clients.route53), route53],
    [mockClient(classes ? CloudWatchClient : clients.cloudwatch), cw],
    [mockClient(classes ? STSClient : clients.sts), sts],
    [mockClient(classes ? CloudWatchLogsClient : clients.logs), logs],
    [mockClient(classes ? ServiceQuotasClient : clients.quotas), quotas],
  ] as const;
  for (const [stub, router] of stubs) router.attach(stub);

  return {
    clients,
    calls: account.calls,
    log: account.log,
    sent,
    parameters,
    get state() {
      return account.state;
    },
    mutations: () => account.callsOf("change"),
    ledgerWrites: () => account.callsOf("ledger"),
    failAfter: (after, mode) => account.failAfter(after, mode),
    disarm: () => account.disarm(),
    restore: () => stubs.forEach(([stub]) => stub.restore()),
  };
}

/**
 * What a reset must give back, for a whole account: the lab configuration (`canonicalLab`, which
 * includes the OS state that no describe call shows) and the tags of every resource. Flow logs are
 * keyed by what they capture, since a re-created one gets a new id.
 */
export function accountFingerprint(s: Snapshot): unknown {
  const tagged = Object.entries(s).flatMap(([kind, items]) =>
    Array.isArray(items)
      ? (items as { id?: string; arn?: string; allocationId?: string; name?: string; resourceId?: string; logGroupName?: string; tags?: Record<string, string> }[]).map(
          (x) => `${kind}|${kind === "flowLogs" ? `${x.resourceId}|${x.logGroupName}` : (x.id ?? x.arn ?? x.allocationId ?? x.name)}|${JSON.stringify(Object.entries(x.tags ?? {}).sort())}`,
        )
      : [],
  );
  return { lab: canonicalLab(s), tags: tagged.sort(), alarms: s.alarms.map((a) => `${a.name}|${a.state}`).sort() };
}

/** Lab `lab` of the account, opened as any instructor's machine would (a fresh AwsLabCloud); SSM polls do not wait. */
export function openAwsLab(account: MockedAccount, lab = "s01"): Promise<AwsLabCloud> {
  return createAwsCloud({ id: lab }, account.state.region, { clients: account.clients, run: { pollIntervalMs: 0, sleep: async () => undefined } });
}
