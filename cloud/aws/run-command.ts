import { GetCommandInvocationCommand, SendCommandCommand, paginateDescribeInstanceInformation } from "@aws-sdk/client-ssm";
import type { AwsClients } from "./clients";

/** Run Command accepts at most 50 instance ids per SendCommand. */
export const MAX_TARGETS_PER_COMMAND = 50;
/** Seconds SSM waits for an instance to pick the command up before `DeliveryTimedOut`. */
export const DELIVERY_TIMEOUT_SECONDS = 60;
/** Seconds the script may run (AWS-RunShellScript's executionTimeout). */
export const EXECUTION_TIMEOUT_SECONDS = 60;
/** One GetCommandInvocation per invocation per second at most. */
export const POLL_INTERVAL_MS = 1000;

export interface RunOptions {
  /** Injectable for tests: resolves after `ms`. */
  sleep?: (ms: number) => Promise<void>;
  pollIntervalMs?: number;
  /** Give up polling after this many polls per invocation. @default 180 */
  maxPolls?: number;
  executionTimeoutSeconds?: number;
}

export type InvocationOutcome =
  | { instanceId: string; ran: true; status: "Success" | "Failed"; stdout: string; stderr: string }
  | { instanceId: string; ran: false; reason: string; stdout?: string };

const realSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** The instances whose SSM Agent is Online (others cannot run a command). */
export async function onlineInstances(c: AwsClients, instanceIds: readonly string[]): Promise<Map<string, string>> {
  const status = new Map<string, string>();
  if (!instanceIds.length) return status;
  for await (const page of paginateDescribeInstanceInformation({ client: c.ssm }, { Filters: [{ Key: "InstanceIds", Values: [...instanceIds] }] })) {
    for (const info of page.InstanceInformationList ?? []) if (info.InstanceId) status.set(info.InstanceId, info.PingStatus ?? "Unknown");
  }
  return status;
}

/**
 * Terminal statuses of a command invocation:
 * https://docs.aws.amazon.com/systems-manager/latest/userguide/monitor-commands.html
 * Success and Failed mean the script ran (its output tells the result); the others mean it did not.
 */
const NOT_RUN: Record<string, string> = {
  DeliveryTimedOut: "SSM could not deliver the command before its delivery timeout (is the instance reachable by Session Manager?)",
  Undeliverable: "SSM could not deliver the command (the instance is not managed, or was stopped)",
  Cancelled: "the command was cancelled",
  Terminated: "the command was terminated",
  TimedOut: "the script ran past its execution timeout",
  ExecutionTimedOut: "the script ran past its execution timeout",
};

async function poll(c: AwsClients, commandId: string, instanceId: string, o: Required<RunOptions>): Promise<InvocationOutcome> {
  for (let i = 0; i < o.maxPolls; i++) {
    await o.sleep(o.pollIntervalMs);
    let inv;
    try {
      inv = await c.ssm.send(new GetCommandInvocationCommand({ CommandId: commandId, InstanceId: instanceId }));
    } catch (e) {
      // Right after SendCommand the invocation may not exist yet: keep polling.
      if ((e as { name?: string }).name === "InvocationDoesNotExist") continue;
      throw e;
    }
    const status = inv.Status ?? "Pending";
    if (status === "Success" || status === "Failed") {
      return { instanceId, ran: true, status, stdout: inv.StandardOutputContent ?? "", stderr: inv.StandardErrorContent ?? "" };
    }
    if (NOT_RUN[status] || NOT_RUN[inv.StatusDetails ?? ""]) {
      return { instanceId, ran: false, reason: NOT_RUN[inv.StatusDetails ?? ""] ?? NOT_RUN[status], stdout: inv.StandardOutputContent ?? "" };
    }
  }
  return { instanceId, ran: false, reason: `no result after ${o.maxPolls} polls` };
}

/**
 * Runs one shell script on many instances: one SendCommand (AWS-RunShellScript) per 50 instances,
 * then polls each invocation until it is terminal. Instances not Online are reported as not run.
 */
export async function runScript(c: AwsClients, instanceIds: readonly string[], script: string, options: RunOptions = {}): Promise<Map<string, InvocationOutcome>> {
  const o: Required<RunOptions> = {
    sleep: options.sleep ?? realSleep,
    pollIntervalMs: options.pollIntervalMs ?? POLL_INTERVAL_MS,
    maxPolls: options.maxPolls ?? 180,
    executionTimeoutSeconds: options.executionTimeoutSeconds ?? EXECUTION_TIMEOUT_SECONDS,
  };
  const out = new Map<string, InvocationOutcome>();
  const unique = [...new Set(instanceIds)];
  const ping = await onlineInstances(c, unique);
  const online = unique.filter((id) => ping.get(id) === "Online");
  for (const id of unique.filter((x) => ping.get(x) !== "Online")) {
    out.set(id, { instanceId: id, ran: false, reason: `the instance is not Online in Systems Manager (ping status: ${ping.get(id) ?? "not registered"})` });
  }
  const polls: Promise<InvocationOutcome>[] = [];
  for (let i = 0; i < online.length; i += MAX_TARGETS_PER_COMMAND) {
    const batch = online.slice(i, i + MAX_TARGETS_PER_COMMAND);
    const sent = await c.ssm.send(
      new SendCommandCommand({
        DocumentName: "AWS-RunShellScript",
        InstanceIds: batch,
        TimeoutSeconds: DELIVERY_TIMEOUT_SECONDS,
        Comment: "netlab probe",
        Parameters: { commands: [script], executionTimeout: [String(o.executionTimeoutSeconds)] },
      }),
    );
    const commandId = sent.Command?.CommandId;
    if (!commandId) throw new Error("SendCommand returned no command id.");
    for (const id of batch) polls.push(poll(c, commandId, id, o));
  }
  for (const r of await Promise.all(polls)) out.set(r.instanceId, r);
  return out;
}
