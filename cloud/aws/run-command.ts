import {
  GetCommandInvocationCommand,
  SendCommandCommand,
  paginateDescribeInstanceInformation,
  paginateListCommandInvocations,
  type CommandInvocation,
} from "@aws-sdk/client-ssm";
import { sleepAtLeast } from "../sleep";
import type { AwsClients } from "./clients";

/**
 * Run Command takes at most 50 instance ids per SendCommand ("you can specify up to 50 IDs").
 * https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_SendCommand.html
 */
export const MAX_TARGETS_PER_COMMAND = 50;
/**
 * SendCommand's TimeoutSeconds: if the agent has not started the command by then, it never runs. SSM
 * turns a Pending invocation into DeliveryTimedOut once TimeoutSeconds plus the document's
 * executionTimeout have passed ("Understanding command statuses", Pending).
 * https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_SendCommand.html
 * https://docs.aws.amazon.com/systems-manager/latest/userguide/monitor-commands.html
 */
export const DELIVERY_TIMEOUT_SECONDS = 60;
/**
 * AWS-RunShellScript's `executionTimeout` parameter (seconds the script may run; the document's default
 * is 3600). Past it the invocation ends as ExecutionTimedOut.
 * https://docs.aws.amazon.com/systems-manager/latest/userguide/monitor-commands.html
 */
export const EXECUTION_TIMEOUT_SECONDS = 60;
/** The shortest wait between two polls of one command: at most one ListCommandInvocations a second per command. */
export const POLL_INTERVAL_MS = 1000;
/**
 * ListCommandInvocations (Details: true) returns each plugin's Output cut at 2,500 characters; only
 * GetCommandInvocation returns more (the first 24,000 characters of stdout).
 * https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_CommandPlugin.html
 * https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_GetCommandInvocation.html
 */
export const LISTED_OUTPUT_LIMIT = 2500;
/** ListCommandInvocations' largest page. https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_ListCommandInvocations.html */
const LIST_PAGE_SIZE = 50;

export interface RunOptions {
  /** Injectable for tests: resolves after `ms`. */
  sleep?: (ms: number) => Promise<void>;
  /** Wait between polls of a command; never below POLL_INTERVAL_MS. */
  pollIntervalMs?: number;
  /** Give up after this many polling rounds. @default 180 */
  maxPolls?: number;
  executionTimeoutSeconds?: number;
  /** Appended to the reason of an instance that is not Online (e.g. how long netlab waited for it). @default none */
  notOnlineNote?: string;
}

export type InvocationOutcome =
  | { instanceId: string; ran: true; status: "Success" | "Failed"; stdout: string; stderr: string }
  /** `notSent`: no command went to the instance (it was not Online), so the script certainly did not run. */
  | { instanceId: string; ran: false; reason: string; stdout?: string; notSent?: true };

/** One script for a set of instances. */
export interface ScriptJob {
  instanceIds: readonly string[];
  script: string;
}

const errorName = (e: unknown) => (e as { name?: string })?.name ?? "";

/**
 * Why an invocation did not run its script, by StatusDetails (read before Status: an Undeliverable
 * invocation has the Status "Failed", yet nothing ran).
 * https://docs.aws.amazon.com/systems-manager/latest/userguide/monitor-commands.html
 */
const NOT_RUN: Record<string, string> = {
  DeliveryTimedOut: "SSM could not deliver the command before its delivery timeout (is the instance reachable by Session Manager?)",
  Undeliverable: "SSM could not deliver the command (the instance is not managed, or was stopped)",
  ExecutionTimedOut: "the script ran past its execution timeout",
  Terminated: "the command was terminated by SSM",
  Cancelled: "the command was cancelled",
  Canceled: "the command was cancelled",
  InvalidPlatform: "the instance's platform cannot run AWS-RunShellScript",
  AccessDenied: "SSM was denied running the command on the instance",
};
/** Status values that end an invocation without a run, when StatusDetails says nothing more. */
const NOT_RUN_STATUS: Record<string, string> = {
  TimedOut: "the command timed out",
  Cancelled: NOT_RUN.Cancelled,
};

/** The instances whose SSM Agent is Online (others cannot run a command). */
export async function onlineInstances(c: AwsClients, instanceIds: readonly string[]): Promise<Map<string, string>> {
  const status = new Map<string, string>();
  // Asked 50 ids at a time (the SendCommand batch), so that no request carries an unbounded filter.
  for (let i = 0; i < instanceIds.length; i += MAX_TARGETS_PER_COMMAND) {
    const Values = instanceIds.slice(i, i + MAX_TARGETS_PER_COMMAND);
    for await (const page of paginateDescribeInstanceInformation({ client: c.ssm }, { Filters: [{ Key: "InstanceIds", Values }] })) {
      for (const info of page.InstanceInformationList ?? []) if (info.InstanceId) status.set(info.InstanceId, info.PingStatus ?? "Unknown");
    }
  }
  return status;
}

type Reading = { done: false } | { done: true; outcome: InvocationOutcome } | { done: true; fetchFullOutput: true };

/** What one listed invocation says: still running, ended without a run, or ran (with its output). */
export function readInvocation(inv: CommandInvocation): Reading {
  const instanceId = inv.InstanceId ?? "";
  const details = (inv.StatusDetails ?? "").replace(/\s+/g, "");
  const status = inv.Status ?? "Pending";
  const output = (inv.CommandPlugins ?? []).map((p) => p.Output ?? "").join("\n");
  const notRun = NOT_RUN[details] ?? (details === "" || details === status ? NOT_RUN_STATUS[status] : undefined);
  if (notRun) return { done: true, outcome: { instanceId, ran: false, reason: notRun, ...(output ? { stdout: output } : {}) } };
  const ended = details === "Success" || details === "Failed" ? details : status === "Success" || status === "Failed" ? status : undefined;
  if (!ended) return { done: false };
  // A plugin's listed Output stops at 2,500 characters: read a long one in full, once, now that it ended.
  if ((inv.CommandPlugins ?? []).some((p) => (p.Output ?? "").length >= LISTED_OUTPUT_LIMIT)) return { done: true, fetchFullOutput: true };
  // The listed Output is the plugin's stdout, followed by its stderr when there is any.
  return { done: true, outcome: { instanceId, ran: true, status: ended, stdout: output, stderr: "" } };
}

interface SentCommand {
  commandId: string;
  job: number;
  /** Instances whose invocation has not ended yet. */
  waiting: Set<string>;
}

/** Polls one command once: every page of its invocations, each read; ended ones leave `waiting`. */
async function pollCommand(c: AwsClients, cmd: SentCommand, out: Map<string, InvocationOutcome>): Promise<void> {
  const invocations: CommandInvocation[] = [];
  try {
    for await (const page of paginateListCommandInvocations({ client: c.ssm }, { CommandId: cmd.commandId, Details: true, MaxResults: LIST_PAGE_SIZE })) {
      invocations.push(...(page.CommandInvocations ?? []));
    }
  } catch (e) {
    // Right after SendCommand the invocations may not exist yet. ListCommandInvocations then answers an
    // empty list (its documented errors do not include InvocationDoesNotExist); tolerate that error too.
    // https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_ListCommandInvocations.html
    if (errorName(e) === "InvocationDoesNotExist") return;
    throw e;
  }
  for (const inv of invocations) {
    const id = inv.InstanceId ?? "";
    if (!cmd.waiting.has(id)) continue;
    const reading = readInvocation(inv);
    if (!reading.done) continue;
    if ("outcome" in reading) out.set(id, reading.outcome);
    else {
      let full;
      try {
        full = await c.ssm.send(new GetCommandInvocationCommand({ CommandId: cmd.commandId, InstanceId: id }));
      } catch (e) {
        // GetCommandInvocation answers InvocationDoesNotExist while the invocation is not visible to it
        // yet (the SDK's own waitUntilCommandExecuted retries on it): read it again next round.
        // https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_GetCommandInvocation.html
        if (errorName(e) === "InvocationDoesNotExist") continue;
        throw e;
      }
      const status = full.Status === "Success" ? "Success" : "Failed";
      out.set(id, { instanceId: id, ran: true, status, stdout: full.StandardOutputContent ?? "", stderr: full.StandardErrorContent ?? "" });
    }
    cmd.waiting.delete(id);
  }
}

/**
 * Runs shell scripts on instances: one SendCommand (AWS-RunShellScript) per script per 50 instances,
 * then one polling loop for all of them. Each round waits the poll interval, then lists every unfinished
 * command's invocations once (ListCommandInvocations, all pages): at most one call a second per command,
 * whatever the number of instances. Instances not Online in Systems Manager are reported as not run.
 */
export async function runScripts(c: AwsClients, jobs: readonly ScriptJob[], options: RunOptions = {}): Promise<Map<string, InvocationOutcome>[]> {
  const sleep = options.sleep ?? ((ms: number) => sleepAtLeast(ms));
  const interval = Math.max(POLL_INTERVAL_MS, options.pollIntervalMs ?? POLL_INTERVAL_MS);
  const maxPolls = options.maxPolls ?? 180;
  const executionTimeout = options.executionTimeoutSeconds ?? EXECUTION_TIMEOUT_SECONDS;
  const outs = jobs.map(() => new Map<string, InvocationOutcome>());
  const ping = await onlineInstances(c, [...new Set(jobs.flatMap((j) => j.instanceIds))]);
  const sent: SentCommand[] = [];
  for (const [job, { instanceIds, script }] of jobs.entries()) {
    const unique = [...new Set(instanceIds)];
    for (const id of unique.filter((x) => ping.get(x) !== "Online")) {
      outs[job].set(id, { instanceId: id, ran: false, notSent: true, reason: `the instance is not Online in Systems Manager (ping status: ${ping.get(id) ?? "not registered"})${options.notOnlineNote ?? ""}` });
    }
    const online = unique.filter((id) => ping.get(id) === "Online");
    for (let i = 0; i < online.length; i += MAX_TARGETS_PER_COMMAND) {
      const batch = online.slice(i, i + MAX_TARGETS_PER_COMMAND);
      const out = await c.ssm.send(
        new SendCommandCommand({
          DocumentName: "AWS-RunShellScript",
          InstanceIds: batch,
          TimeoutSeconds: DELIVERY_TIMEOUT_SECONDS,
          Comment: "netlab probe",
          Parameters: { commands: [script], executionTimeout: [String(executionTimeout)] },
        }),
      );
      const commandId = out.Command?.CommandId;
      if (!commandId) throw new Error("SendCommand returned no command id.");
      sent.push({ commandId, job, waiting: new Set(batch) });
    }
  }
  for (let round = 0; round < maxPolls && sent.some((s) => s.waiting.size); round++) {
    await sleep(interval);
    await Promise.all(sent.filter((s) => s.waiting.size).map((s) => pollCommand(c, s, outs[s.job])));
  }
  for (const s of sent) {
    for (const id of s.waiting) outs[s.job].set(id, { instanceId: id, ran: false, reason: `no result after ${maxPolls} polls of command ${s.commandId}` });
  }
  return outs;
}

/** Runs one shell script on many instances (see runScripts). */
export async function runScript(c: AwsClients, instanceIds: readonly string[], script: string, options: RunOptions = {}): Promise<Map<string, InvocationOutcome>> {
  return (await runScripts(c, [{ instanceIds, script }], options))[0];
}
