import { mkdtempSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { bufferIo } from "../../cli/io";
import { run } from "../../cli/run";
import type { ExitCode } from "../../cli/exit-codes";
import { emptySnapshot, type Snapshot } from "../../network/snapshot";
import { accountFingerprint, mockLabAccount, type LogGroup, type MockAccountOptions, type MockedAccount, type RecordedCall, type ServiceQuotaValues } from "./aws-lab-mock";

/** The participants of the class in the transcript: one AWS account each, reached by a profile. */
export const CLASS_CONFIG = {
  region: "ap-northeast-2",
  participants: [
    { id: "s01", profile: "netlab-s01", lang: "en" },
    { id: "s02", profile: "netlab-s02", lang: "ko" },
  ],
} as const;

/** Service Quotas of a fresh account: the applied values are AWS's defaults. */
export const DEFAULT_QUOTAS: ServiceQuotaValues = { "L-F678F1CE": 5, "L-0263D0A3": 5, "L-A4707A72": 5, "L-A2478D36": 5 };
/**
 * The same account once the instructor's VPC quota increase to 10 was granted. AWS ties the internet
 * gateways per Region quota to the VPCs per Region quota, so it rises with it.
 * https://docs.aws.amazon.com/vpc/latest/userguide/amazon-vpc-limits.html
 */
export const RAISED_QUOTAS: ServiceQuotaValues = { ...DEFAULT_QUOTAS, "L-F678F1CE": 10, "L-A4707A72": 10 };
/** Milliseconds between an SSM command being sent and its result showing: the CLI polls before it shows. */
const SSM_LATENCY_MS = 1500;

/** The state of participant s01's account at each stage of the class. */
export type Stage = "before-deploy" | "quota-raised" | "quota-unreadable" | "deployed" | "destroyed" | "clean";

/** The commands the instructor runs, by stage, in order. */
export const FROM_VPC02_A = ["--from", "VPC02-Private-A-10.2.20.101", "--to", "internet"];
export const WORKFLOW: readonly { stage: Stage; commands: readonly string[][] }[] = [
  { stage: "before-deploy", commands: [["cost", "--participants", "30", "--hours", "3"], ["preflight", "--lab", "s01"]] },
  { stage: "quota-raised", commands: [["preflight", "--lab", "s01"]] },
  { stage: "quota-unreadable", commands: [["preflight", "--lab", "s01"]] },
  {
    stage: "deployed",
    commands: [
      ["inject", "tgw-default-route", "--lab", "s01", "--dry-run"],
      ["inject", "tgw-default-route", "--lab", "s01"],
      ["status", "--lab", "s01"],
      ["check", "tgw-default-route", "--lab", "s01", "--report", "md,json,junit", "--out", "reports", "--save-snapshot"],
      ["check", "tgw-default-route", "--all", "--report", "junit", "--out", "class-reports"],
      ["explain", "--lab", "s01", ...FROM_VPC02_A],
      ["solve", "tgw-default-route", "--lab", "s01"],
      ["check", "tgw-default-route", "--lab", "s01"],
      ["reset", "tgw-default-route", "--lab", "s01"],
      ["status", "--lab", "s01"],
      ["rehearse", "tgw-default-route", "--lab", "s01"],
      ["snapshot", "save", "--lab", "s01", "--out", "saved"],
      ["explain", "--aws-configs", "saved", ...FROM_VPC02_A],
    ],
  },
  { stage: "destroyed", commands: [["leftovers", "--lab", "s01"]] },
  { stage: "clean", commands: [["leftovers", "--lab", "s01"]] },
];

export interface Step {
  stage: Stage;
  argv: string[];
  code: ExitCode;
  stdout: string;
  stderr: string;
  /** The calls the command made to the account, in order. */
  calls: RecordedCall[];
  /** The account after the command: what a reset must give back, and the ledger (Parameter Store names). */
  after: { fingerprint: unknown; ledger: string[] };
}

export interface ClassRun {
  /** The instructor's working folder (netlab.config.json, reports/, saved/). */
  cwd: string;
  steps: Step[];
  /** The deployed account's fingerprint before any fault. */
  deployed: unknown;
  /** Removes the working folder. */
  cleanup(): void;
}

/** What is left of s01 after an interrupted `cdktf destroy`: the NAT instance's Elastic IP (detached) and the flow-log group. */
export function leftoversOf(lab: Snapshot): { state: Snapshot; logGroups: LogGroup[] } {
  const state = emptySnapshot(lab.lab, lab.region, "aws");
  const eip = structuredClone(lab.elasticIps.find((e) => e.name === "NAT-Instance-EIP"));
  if (!eip) throw new Error("The synthesized lab has no NAT-Instance-EIP.");
  delete eip.instanceId;
  delete eip.eniId;
  delete eip.privateIp;
  state.elasticIps.push(eip);
  return { state, logGroups: [{ name: "/aws/vpc/flowlogs", tags: { "netlab:lab": lab.lab, "netlab:managed": "true", Name: "/aws/vpc/flowlogs" } }] };
}

/**
 * Runs the class workflow with the real `lab` CLI against participant s01's mocked AWS account, as it
 * is at each stage: before deploy (only the default VPC), after deploy (the synthesized lab), after
 * destroy (a leftover Elastic IP and log group) and clean. The CLI's waits advance the account's
 * clock instead of the wall clock.
 */
export async function runClassWorkflow(lab: Snapshot): Promise<ClassRun> {
  const cwd = realpathSync(mkdtempSync(join(tmpdir(), "netlab-class-")));
  writeFileSync(join(cwd, "netlab.config.json"), `${JSON.stringify(CLASS_CONFIG, null, 2)}\n`);
  // The account's clock runs with the wall clock (the ledger's times come from it), and each wait of the CLI moves it on at once.
  let waited = 0;
  const now = () => Date.now() + waited;
  const sleep = async (ms: number) => {
    waited += ms;
  };
  const left = leftoversOf(lab);
  const common: MockAccountOptions = { defaultVpc: true, now, latencyMs: SSM_LATENCY_MS };
  const accounts: Record<Stage, () => MockedAccount> = {
    "before-deploy": () => mockLabAccount([], { ...common, serviceQuotas: DEFAULT_QUOTAS }),
    "quota-raised": () => mockLabAccount([], { ...common, serviceQuotas: RAISED_QUOTAS }),
    "quota-unreadable": () => mockLabAccount([], { ...common, serviceQuotas: "access-denied" }),
    deployed: () => mockLabAccount([lab], { ...common, serviceQuotas: RAISED_QUOTAS }),
    destroyed: () => mockLabAccount([left.state], { ...common, logGroups: left.logGroups }),
    clean: () => mockLabAccount([], common),
  };
  const steps: Step[] = [];
  let deployed: unknown;
  for (const { stage, commands } of WORKFLOW) {
    const account = accounts[stage]();
    try {
      if (stage === "deployed") deployed = accountFingerprint(account.state);
      for (const argv of commands) {
        const io = bufferIo({ cwd, env: { USER: "instructor" }, sleep });
        const before = account.log.length;
        const code = await run(argv, io);
        steps.push({
          stage,
          argv: [...argv],
          code,
          stdout: io.stdout,
          stderr: io.stderr,
          calls: account.log.slice(before),
          after: { fingerprint: accountFingerprint(account.state), ledger: [...account.parameters.keys()] },
        });
      }
    } finally {
      account.restore();
    }
  }
  return { cwd, steps, deployed, cleanup: () => rmSync(cwd, { recursive: true, force: true }) };
}

/** The step that ran `argv` at `stage` (the first, or the `nth` such step). */
export function stepOf(r: ClassRun, stage: Stage, argv: readonly string[], nth = 0): Step {
  const found = r.steps.filter((s) => s.stage === stage && s.argv.join(" ") === argv.join(" "))[nth];
  if (!found) throw new Error(`No step "lab ${argv.join(" ")}" at stage ${stage}.`);
  return found;
}

/**
 * Output made the same on every machine and run: the working folder becomes relative, timestamps and
 * the host name (from `user@host` in the ledger) become placeholders.
 */
export function normalize(text: string, cwd: string): string {
  return text
    .replaceAll(`${cwd}/`, "")
    .replaceAll(cwd, ".")
    .replaceAll(`@${hostname()}`, "@<host>")
    .replace(/\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z\b/g, "<time>");
}
