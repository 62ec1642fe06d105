import {
  DescribeInstanceInformationCommand,
  GetCommandInvocationCommand,
  ListCommandInvocationsCommand,
  SendCommandCommand,
  SSMClient,
  type CommandInvocation,
  type ListCommandInvocationsCommandInput,
} from "@aws-sdk/client-ssm";
import { mockClient } from "aws-sdk-client-mock";
import type { AwsClients } from "../../../cloud/aws/clients";
import { runProbes } from "../../../cloud/aws/probes";
import { LISTED_OUTPUT_LIMIT, runScript, runScripts } from "../../../cloud/aws/run-command";

const ssm = mockClient(SSMClient);
const clients = { ssm: new SSMClient({ region: "ap-northeast-2" }) } as unknown as AwsClients;
const noWait = { sleep: async () => undefined, pollIntervalMs: 1000 };
const RESULT = 'NETLAB-RESULT {"httpStatus":200,"egressIp":"203.0.113.10"}\n';

const online = (...ids: string[]) => ssm.on(DescribeInstanceInformationCommand).resolves({ InstanceInformationList: ids.map((InstanceId) => ({ InstanceId, PingStatus: "Online" })) });
const ran = (InstanceId: string, Output = RESULT, Status: "Success" | "Failed" = "Success"): CommandInvocation => ({ InstanceId, Status, StatusDetails: Status, CommandPlugins: [{ Name: "aws:runShellScript", Status, Output }] });
const internet = (from: string) => ({ from, spec: { kind: "http" as const, to: "internet" as const } });

beforeEach(() => {
  ssm.reset();
  ssm.on(SendCommandCommand).resolves({ Command: { CommandId: "c1" } });
});

describe("Run Command: one SendCommand per script, polled per command", () => {
  it("sends one command for all instances with both timeouts, and waits through the empty list right after sending", async () => {
    // GIVEN two Online instances; the first listing of the new command is empty (invocations not created yet)
    online("i-a", "i-b");
    ssm.on(ListCommandInvocationsCommand).resolvesOnce({ CommandInvocations: [] }).resolves({ CommandInvocations: [ran("i-a"), ran("i-b")] });
    // WHEN probed
    const results = await runProbes(clients, [internet("A"), internet("B")], (n) => (n === "A" ? "i-a" : "i-b"), {}, noWait);
    // THEN one SendCommand with both instances and the timeouts set, two listings of that command, both probes ran
    expect(ssm).toHaveReceivedCommandTimes(SendCommandCommand, 1);
    expect(ssm).toHaveReceivedCommandWith(SendCommandCommand, { DocumentName: "AWS-RunShellScript", InstanceIds: ["i-a", "i-b"], TimeoutSeconds: 60, Parameters: expect.objectContaining({ executionTimeout: ["60"] }) });
    expect(ssm).toHaveReceivedCommandTimes(ListCommandInvocationsCommand, 2);
    expect(ssm).toHaveReceivedCommandWith(ListCommandInvocationsCommand, { CommandId: "c1", Details: true });
    expect(ssm).not.toHaveReceivedCommand(GetCommandInvocationCommand);
    expect(results.map((r) => r.ran && r.observation.egressIp)).toEqual(["203.0.113.10", "203.0.113.10"]);
  });

  it("tolerates InvocationDoesNotExist from the listing, and from the full-output read", async () => {
    // GIVEN a listing that first answers InvocationDoesNotExist, then a long output that must be read in full
    online("i-a");
    const long = `${"x".repeat(LISTED_OUTPUT_LIMIT)}\n${RESULT}`;
    ssm.on(ListCommandInvocationsCommand).rejectsOnce(Object.assign(new Error("not yet"), { name: "InvocationDoesNotExist" })).resolves({ CommandInvocations: [ran("i-a", long.slice(0, LISTED_OUTPUT_LIMIT))] });
    ssm.on(GetCommandInvocationCommand).rejectsOnce(Object.assign(new Error("not yet"), { name: "InvocationDoesNotExist" })).resolves({ Status: "Success", StandardOutputContent: long, StandardErrorContent: "" });
    // WHEN run
    const out = await runScript(clients, ["i-a"], "true", noWait);
    // THEN the whole output came from GetCommandInvocation, read only after the invocation had ended
    expect(out.get("i-a")).toEqual({ instanceId: "i-a", ran: true, status: "Success", stdout: long, stderr: "" });
    expect(ssm).toHaveReceivedCommandTimes(GetCommandInvocationCommand, 2);
  });

  it("reads every page of a command's invocations", async () => {
    // GIVEN a listing split over two pages
    online("i-a", "i-b");
    ssm.on(ListCommandInvocationsCommand).callsFake(async (input: ListCommandInvocationsCommandInput) =>
      input.NextToken === "page-2" ? { CommandInvocations: [ran("i-b")] } : { CommandInvocations: [ran("i-a")], NextToken: "page-2" },
    );
    // WHEN run / THEN both instances' results were read in one round
    const out = await runScript(clients, ["i-a", "i-b"], "true", noWait);
    expect([...out.values()].map((o) => o.ran && o.stdout)).toEqual([RESULT, RESULT]);
    expect(ssm).toHaveReceivedCommandTimes(ListCommandInvocationsCommand, 2);
  });

  it("splits more than 50 instances over several commands, and polls per command, not per instance", async () => {
    // GIVEN 120 Online instances
    const ids = Array.from({ length: 120 }, (_, i) => `i-${i}`);
    online(...ids);
    let n = 0;
    ssm.on(SendCommandCommand).callsFake(async () => ({ Command: { CommandId: `c${n++}` } }));
    ssm.on(ListCommandInvocationsCommand).callsFake(async (input: ListCommandInvocationsCommandInput) => {
      const batch = Number(input.CommandId?.slice(1));
      return { CommandInvocations: ids.slice(batch * 50, batch * 50 + 50).map((id) => ran(id)) };
    });
    // WHEN run
    const out = await runScript(clients, ids, "true", noWait);
    // THEN 50 + 50 + 20 (also when asking SSM which are Online), one listing per command, every instance ran
    expect(ssm.commandCalls(SendCommandCommand).map((c) => c.args[0].input.InstanceIds?.length)).toEqual([50, 50, 20]);
    expect(ssm.commandCalls(DescribeInstanceInformationCommand).map((c) => c.args[0].input.Filters?.[0]?.Values?.length)).toEqual([50, 50, 20]);
    expect(ssm).toHaveReceivedCommandTimes(ListCommandInvocationsCommand, 3);
    expect([...out.values()].every((o) => o.ran)).toBe(true);
  });

  it("waits at least a second before every listing, whatever interval is asked for", async () => {
    // GIVEN a command that stays in progress for three rounds, and a caller asking for 10 ms polls
    online("i-a");
    ssm.on(ListCommandInvocationsCommand)
      .resolvesOnce({ CommandInvocations: [{ InstanceId: "i-a", Status: "Pending" }] })
      .resolvesOnce({ CommandInvocations: [{ InstanceId: "i-a", Status: "InProgress" }] })
      .resolvesOnce({ CommandInvocations: [{ InstanceId: "i-a", Status: "Delayed" }] })
      .resolves({ CommandInvocations: [ran("i-a")] });
    const slept: number[] = [];
    // WHEN run
    await runScript(clients, ["i-a"], "true", { pollIntervalMs: 10, sleep: async (ms) => void slept.push(ms) });
    // THEN four listings, each after a full second: no more than one call a second for the command
    expect(ssm).toHaveReceivedCommandTimes(ListCommandInvocationsCommand, 4);
    expect(slept).toEqual([1000, 1000, 1000, 1000]);
  });

  it("gives up after the last poll and says so, without a fail", async () => {
    online("i-a");
    ssm.on(ListCommandInvocationsCommand).resolves({ CommandInvocations: [{ InstanceId: "i-a", Status: "InProgress" }] });
    const out = await runScript(clients, ["i-a"], "true", { ...noWait, maxPolls: 3 });
    expect(out.get("i-a")).toEqual({ instanceId: "i-a", ran: false, reason: "no result after 3 polls of command c1" });
    expect(ssm).toHaveReceivedCommandTimes(ListCommandInvocationsCommand, 3);
  });
});

describe("Run Command: what did not run is inconclusive, with the reason", () => {
  it.each<[string, CommandInvocation, string]>([
    ["Undeliverable (Status Failed, but nothing ran)", { Status: "Failed", StatusDetails: "Undeliverable" }, "SSM could not deliver the command (the instance is not managed, or was stopped)"],
    ["DeliveryTimedOut", { Status: "TimedOut", StatusDetails: "DeliveryTimedOut" }, "SSM could not deliver the command before its delivery timeout"],
    ["ExecutionTimedOut", { Status: "TimedOut", StatusDetails: "ExecutionTimedOut" }, "the script ran past its execution timeout"],
    ["Terminated", { Status: "Failed", StatusDetails: "Terminated" }, "the command was terminated by SSM"],
    ["Cancelled", { Status: "Cancelled", StatusDetails: "Cancelled" }, "the command was cancelled"],
  ])("%s", async (_name, invocation, reason) => {
    // GIVEN an Online instance whose invocation ends this way
    online("i-a");
    ssm.on(ListCommandInvocationsCommand).resolves({ CommandInvocations: [{ InstanceId: "i-a", ...invocation }] });
    // WHEN probed / THEN the probe did not run, and the reason says why
    const [r] = await runProbes(clients, [internet("i-a")], (x) => x, {}, noWait);
    expect(r).toMatchObject({ ran: false, reason: expect.stringContaining(reason) });
  });

  it("keeps what a timed-out script printed, shortened, in the reason", async () => {
    online("i-a");
    ssm.on(ListCommandInvocationsCommand).resolves({ CommandInvocations: [{ InstanceId: "i-a", Status: "TimedOut", StatusDetails: "ExecutionTimedOut", CommandPlugins: [{ Output: "resolving checkip.amazonaws.com…" }] }] });
    const [r] = await runProbes(clients, [internet("i-a")], (x) => x, {}, noWait);
    expect(r).toEqual({ request: expect.anything(), ran: false, reason: "the script ran past its execution timeout; it printed: resolving checkip.amazonaws.com…", raw: "resolving checkip.amazonaws.com…" });
  });

  it("reads a Failed script that printed its result line as a probe that ran", async () => {
    online("i-a");
    ssm.on(ListCommandInvocationsCommand).resolves({ CommandInvocations: [ran("i-a", 'NETLAB-RESULT {"httpStatus":0,"error":"curl exit 28"}\n', "Failed")] });
    const [r] = await runProbes(clients, [internet("i-a")], (x) => x, {}, noWait);
    expect(r).toMatchObject({ ran: true, observation: { httpStatus: 0, error: "curl exit 28" } });
  });

  it("sends nothing to an instance that is not Online, and says its ping status", async () => {
    ssm.on(DescribeInstanceInformationCommand).resolves({ InstanceInformationList: [{ InstanceId: "i-a", PingStatus: "ConnectionLost" }] });
    const [r] = await runProbes(clients, [internet("i-a"), internet("i-b")], (x) => x, {}, noWait);
    expect(r).toMatchObject({ ran: false, reason: "the instance is not Online in Systems Manager (ping status: ConnectionLost)" });
    expect(ssm).not.toHaveReceivedCommand(SendCommandCommand);
  });

  it("treats truncated or malformed output as inconclusive, quoting a shortened excerpt of the raw text", async () => {
    // GIVEN a result line cut short, and one drowned in a long output
    online("i-a", "i-b");
    const noisy = `${"debug ".repeat(100)}NETLAB-RESULT {"httpStatus":`;
    ssm.on(ListCommandInvocationsCommand).resolves({ CommandInvocations: [ran("i-a", 'NETLAB-RESULT {"httpStatus":2'), ran("i-b", noisy)] });
    // WHEN probed
    const [a, b] = await runProbes(clients, [internet("i-a"), internet("i-b")], (x) => x, {}, noWait);
    // THEN both are inconclusive; the reason (which the instructor sees) quotes the text, shortened when long
    expect(a).toEqual({ request: expect.anything(), ran: false, reason: 'the probe\'s output could not be read: the result line is not valid JSON (truncated output?); it printed: NETLAB-RESULT {"httpStatus":2', raw: 'NETLAB-RESULT {"httpStatus":2' });
    expect(b.ran).toBe(false);
    const reason = (b as { reason: string }).reason;
    expect(reason).toContain('it printed: debug debug');
    expect(reason).toContain(" … ");
    expect(reason).toContain('debug NETLAB-RESULT {"httpStatus": (628 characters in all)');
    expect(reason.length).toBeLessThan(400);
  });
});

describe("Run Command: one polling loop per lab", () => {
  it("polls every script's commands in the same rounds (one sleep per round, not one per script)", async () => {
    // GIVEN two scripts for two instances each
    online("i-a", "i-b");
    let n = 0;
    ssm.on(SendCommandCommand).callsFake(async () => ({ Command: { CommandId: `c${n++}` } }));
    ssm.on(ListCommandInvocationsCommand).resolvesOnce({ CommandInvocations: [] }).resolvesOnce({ CommandInvocations: [] }).resolves({ CommandInvocations: [ran("i-a"), ran("i-b")] });
    let sleeps = 0;
    // WHEN run together
    const outs = await runScripts(clients, [{ instanceIds: ["i-a", "i-b"], script: "one" }, { instanceIds: ["i-a", "i-b"], script: "two" }], { sleep: async () => void sleeps++ });
    // THEN two commands; the first round found nothing for either, the second finished both
    expect(ssm).toHaveReceivedCommandTimes(SendCommandCommand, 2);
    expect(sleeps).toBe(2);
    expect(outs.map((o) => o.size)).toEqual([2, 2]);
  });
});
