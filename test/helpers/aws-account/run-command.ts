import { DescribeInstanceInformationCommand, GetCommandInvocationCommand, ListCommandInvocationsCommand, SendCommandCommand } from "@aws-sdk/client-ssm";
import { findOr, onChange, onRead, type Account, type Router } from "./account";
import { awsError } from "./errors";
import { runOnInstance, type ScriptRun } from "./instance-scripts";

/** One SendCommand as the mocked account keeps it. */
export interface SentCommand {
  commandId: string;
  at: number;
  instanceIds: string[];
  script: string;
  /** What each instance did, decided when the command reached it (undefined: not delivered). */
  runs: Map<string, ScriptRun | undefined>;
}

/** Run Command limits: 50 instances per SendCommand, 50 invocations per ListCommandInvocations page. */
const MAX_TARGETS = 50;
/** ListCommandInvocations shows the first 2,500 characters of a plugin's output; GetCommandInvocation 24,000. */
const PLUGIN_OUTPUT_LIMIT = 2500;
const INVOCATION_OUTPUT_LIMIT = 24000;

/**
 * Systems Manager Run Command. An instance's agent is Online while it runs; a command reaches the
 * instance at once and its result shows `latencyMs` later. Results are read per invocation
 * (GetCommandInvocation) or per command (ListCommandInvocations with Details), consistently.
 * https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_SendCommand.html
 * https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_GetCommandInvocation.html
 * https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_ListCommandInvocations.html
 * https://docs.aws.amazon.com/systems-manager/latest/userguide/monitor-commands.html
 */
export function installRunCommand(ssm: Router, account: Account, sent: SentCommand[], latencyMs: number): void {
  onRead<{ Filters?: { Key?: string; Values?: string[] }[] }>(ssm, account, DescribeInstanceInformationCommand, (i) => {
    const ids = i.Filters?.find((f) => f.Key === "InstanceIds")?.Values;
    const list = account.state.instances.filter((x) => !ids || ids.includes(x.id));
    return { InstanceInformationList: list.map((x) => ({ InstanceId: x.id, PingStatus: x.state === "running" ? "Online" : "ConnectionLost", PlatformType: "Linux" })) };
  });

  onChange<{ InstanceIds?: string[]; DocumentName?: string; Parameters?: Record<string, string[]> }>(ssm, account, SendCommandCommand, (i, s) => {
    if (i.DocumentName !== "AWS-RunShellScript") throw awsError("InvalidDocument", `The mocked account runs AWS-RunShellScript only; got ${i.DocumentName}.`);
    const ids = i.InstanceIds ?? [];
    if (!ids.length || ids.length > MAX_TARGETS) throw awsError("ValidationException", `InstanceIds must hold 1 to ${MAX_TARGETS} ids; got ${ids.length}.`);
    const instances = ids.map((id) => findOr(s.instances, (x) => x.id === id, "InvalidInstanceId", `instance '${id}' (not managed by Systems Manager)`));
    const script = (i.Parameters?.commands ?? []).join("\n");
    const now = account.now();
    const commandId = `00000000-0000-4000-8000-${String(sent.length).padStart(12, "0")}`;
    const runs = new Map(instances.map((inst) => [inst.id, inst.state === "running" ? runOnInstance(s, inst, script, new Date(now)) : undefined] as const));
    sent.push({ commandId, at: now, instanceIds: ids, script, runs });
    if ([...runs.values()].some((r) => r?.changedOs)) account.changed();
    return { Command: { CommandId: commandId, DocumentName: i.DocumentName, InstanceIds: ids, Status: "Pending" } };
  }, false);

  const command = (id: string | undefined) => findOr(sent, (c) => c.commandId === id, "InvalidCommandId", `command '${id}'`);
  /** An invocation as AWS reports it now. */
  const invocation = (c: SentCommand, instanceId: string) => {
    const run = c.runs.get(instanceId);
    if (account.now() - c.at < latencyMs) return { Status: "InProgress", StatusDetails: "InProgress", stdout: "", stderr: "", code: -1 };
    if (!run) return { Status: "TimedOut", StatusDetails: "DeliveryTimedOut", stdout: "", stderr: "", code: -1 };
    return { Status: run.status, StatusDetails: run.status, stdout: run.stdout, stderr: run.stderr, code: run.status === "Success" ? 0 : 1 };
  };
  onRead<{ CommandId?: string; InstanceId?: string }>(ssm, account, GetCommandInvocationCommand, (i) => {
    const c = sent.find((x) => x.commandId === i.CommandId);
    if (!c || !c.runs.has(i.InstanceId ?? "")) throw awsError("InvocationDoesNotExist", "The command ID and instance ID you specified did not match any invocations.");
    const v = invocation(c, i.InstanceId ?? "");
    return {
      CommandId: c.commandId,
      InstanceId: i.InstanceId,
      DocumentName: "AWS-RunShellScript",
      PluginName: "aws:runShellScript",
      Status: v.Status,
      StatusDetails: v.StatusDetails,
      ResponseCode: v.code,
      StandardOutputContent: v.stdout.slice(0, INVOCATION_OUTPUT_LIMIT),
      StandardErrorContent: v.stderr.slice(0, INVOCATION_OUTPUT_LIMIT),
    };
  });
  onRead<{ CommandId?: string; InstanceId?: string; Details?: boolean; MaxResults?: number; NextToken?: string }>(ssm, account, ListCommandInvocationsCommand, (i) => {
    const c = command(i.CommandId);
    const ids = c.instanceIds.filter((id) => !i.InstanceId || id === i.InstanceId);
    const start = Number(i.NextToken ?? 0);
    const size = Math.min(i.MaxResults ?? MAX_TARGETS, MAX_TARGETS);
    const CommandInvocations = ids.slice(start, start + size).map((id) => {
      const v = invocation(c, id);
      const output = `${v.stdout}${v.stderr ? `\n----------ERROR-------\n${v.stderr}` : ""}`;
      return {
        CommandId: c.commandId,
        InstanceId: id,
        DocumentName: "AWS-RunShellScript",
        Status: v.Status,
        StatusDetails: v.StatusDetails,
        ...(i.Details ? { CommandPlugins: [{ Name: "aws:runShellScript", Status: v.Status, StatusDetails: v.StatusDetails, ResponseCode: v.code, Output: output.slice(0, PLUGIN_OUTPUT_LIMIT) }] } : {}),
      };
    });
    return { CommandInvocations, ...(start + size < ids.length ? { NextToken: String(start + size) } : {}) };
  });
}
