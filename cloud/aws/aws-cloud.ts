import { DescribeVpcsCommand } from "@aws-sdk/client-ec2";
import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import type { Participant } from "../../config/config";
import { snapshotFromDescribe } from "../../network/from-aws-describe";
import type { Snapshot } from "../../network/snapshot";
import type { Change } from "../change";
import type { LabCloud, Ledger, ProbeRequest, ProbeResult } from "../port";
import { applyChange } from "./apply";
import { createAwsClients, destroyClients, type AwsClients } from "./clients";
import { describeLab } from "./describe";
import { AwsConfigError } from "./errors";
import { ParameterStoreLedger } from "./ledger";
import { runProbes } from "./probes";
import { LAB_TAG } from "./resolve";
import type { RunOptions } from "./run-command";

export interface AwsCloudOptions {
  /** Clients to use instead of the participant's (tests pass mocked ones). */
  clients?: AwsClients;
  run?: RunOptions;
  /** The lab as deployed: its synthesized plan, for the steady-state comparison. */
  baseline?: () => Promise<Snapshot>;
}

/** The AWS backend: live describe calls, SDK changes on tagged resources, SSM probes, the ledger in Parameter Store. */
export class AwsLabCloud implements LabCloud {
  readonly backend = "aws" as const;
  readonly ledger: Ledger;
  private last?: Snapshot;

  constructor(
    readonly lab: string,
    private readonly region: string,
    readonly clients: AwsClients,
    private readonly options: AwsCloudOptions = {},
  ) {
    this.ledger = new ParameterStoreLedger(clients, lab);
    const plan = options.baseline;
    if (plan) this.baseline = () => (this.planned ??= plan());
  }

  async snapshot(): Promise<Snapshot> {
    this.last = snapshotFromDescribe(await describeLab(this.clients, this.lab), { lab: this.lab, region: this.region, source: "aws" });
    return this.last;
  }

  private planned?: Promise<Snapshot>;
  /** The synthesized plan of this lab (the steady state compares names, not ids). */
  readonly baseline?: () => Promise<Snapshot>;

  async apply(change: Change): Promise<void> {
    await applyChange(this.clients, change, { lab: this.lab, region: this.region, run: this.options.run });
  }

  async probe(requests: readonly ProbeRequest[]): Promise<ProbeResult[]> {
    const s = this.last ?? (await this.snapshot());
    const idOf = (ref: string) => s.instances.find((i) => i.name === ref || i.id === ref)?.id ?? ref;
    return runProbes(this.clients, requests, idOf, { albDnsName: s.loadBalancers[0]?.dnsName }, this.options.run);
  }

  async close(): Promise<void> {
    if (!this.options.clients) destroyClients(this.clients);
  }
}

/**
 * Opens a participant's lab on AWS. Fails before changing anything when the credentials do not work
 * or the account holds no VPC tagged for this lab (the config points at the wrong account).
 */
export async function createAwsCloud(participant: Participant, region: string, options: AwsCloudOptions = {}): Promise<AwsLabCloud> {
  const clients = options.clients ?? createAwsClients(participant, region);
  const identity = await clients.sts.send(new GetCallerIdentityCommand({}));
  const vpcs = await clients.ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: `tag:${LAB_TAG}`, Values: [participant.id] }] }));
  if (!vpcs.Vpcs?.length) {
    if (!options.clients) destroyClients(clients);
    throw new AwsConfigError(
      `Lab ${participant.id} is not deployed in account ${identity.Account ?? "?"} (${region}): no VPC carries ${LAB_TAG}=${participant.id}. Check the participant's profile/roleArn and region in netlab.config.json, or deploy it with \`npx cdktf deploy 'netlab-${participant.id}-*'\`.`,
    );
  }
  return new AwsLabCloud(participant.id, region, clients, options);
}
