import { DescribeInstanceInformationCommand, ListCommandInvocationsCommand, SendCommandCommand, SSMClient, type InstanceInformation } from "@aws-sdk/client-ssm";
import { mockClient } from "aws-sdk-client-mock";
import type { AwsClients } from "../../../cloud/aws/clients";
import { ONLINE_POLL_INTERVAL_MS, waitUntilOnline } from "../../../cloud/aws/ssm-online";

const ssm = mockClient(SSMClient);
const clients = { ssm: new SSMClient({ region: "ap-northeast-2" }) } as unknown as AwsClients;
afterAll(() => ssm.restore());

/** A fake timer: each wait returns at once and moves the fake clock on by what was asked. */
function fakeTime() {
  const t = { ms: 0, sleeps: [] as number[] };
  return {
    t,
    sleep: async (ms: number) => {
      t.sleeps.push(ms);
      t.ms += ms;
    },
    now: () => t.ms,
  };
}

const info = (InstanceId: string, PingStatus: string): InstanceInformation => ({ InstanceId, PingStatus: PingStatus as InstanceInformation["PingStatus"] });

beforeEach(() => ssm.reset());

describe("waitUntilOnline: right after a deploy, the SSM agents register within a bound", () => {
  it("returns as soon as every instance is Online: here after 3 polls, two waits of the poll interval", async () => {
    // GIVEN two instances not registered at first, one Online at the 2nd poll, both at the 3rd
    ssm
      .on(DescribeInstanceInformationCommand)
      .resolvesOnce({ InstanceInformationList: [] })
      .resolvesOnce({ InstanceInformationList: [info("i-a", "Online")] })
      .resolves({ InstanceInformationList: [info("i-a", "Online"), info("i-b", "Online")] });
    const time = fakeTime();
    const told: string[][] = [];
    // WHEN it waits up to 300 s
    const w = await waitUntilOnline(clients, ["i-a", "i-b"], { timeoutMs: 300_000, sleep: time.sleep, now: time.now, onWait: (n) => told.push([...n]) });
    // THEN both are Online after 3 polls and 20 s; the caller was told once, with both instances
    expect(w.notOnline).toEqual([]);
    expect(w.polls).toBe(3);
    expect(time.t.sleeps).toEqual([ONLINE_POLL_INTERVAL_MS, ONLINE_POLL_INTERVAL_MS]);
    expect(w.waitedMs).toBe(20_000);
    expect(told).toEqual([["i-a", "i-b"]]);
    expect(ssm).toHaveReceivedCommandTimes(DescribeInstanceInformationCommand, 3);
  });

  it("gives up at the bound with the instances still not Online and their last status; it never waits past it", async () => {
    // GIVEN an instance whose agent never registers, and one that lost its connection
    ssm.on(DescribeInstanceInformationCommand).resolves({ InstanceInformationList: [info("i-b", "ConnectionLost")] });
    const time = fakeTime();
    // WHEN it waits up to 25 s
    const w = await waitUntilOnline(clients, ["i-a", "i-b"], { timeoutMs: 25_000, sleep: time.sleep, now: time.now });
    // THEN it slept 10 + 10 + 5 s (the last wait cut to the bound), polled once more at the bound, and returns both
    expect(time.t.sleeps).toEqual([10_000, 10_000, 5_000]);
    expect(w.polls).toBe(4);
    expect(w.waitedMs).toBe(25_000);
    expect(w.notOnline).toEqual(["i-a", "i-b"]);
    expect(w.status.get("i-b")).toBe("ConnectionLost");
    expect(w.status.has("i-a")).toBe(false);
  });

  it("keeps the bound when the clock runs faster than the waits (slow DescribeInstanceInformation calls)", async () => {
    // GIVEN each poll takes 40 s of the clock, and a bound of 60 s
    const time = fakeTime();
    ssm.on(DescribeInstanceInformationCommand).callsFake(async () => {
      time.t.ms += 40_000;
      return { InstanceInformationList: [] };
    });
    // WHEN it waits
    const w = await waitUntilOnline(clients, ["i-a"], { timeoutMs: 60_000, sleep: time.sleep, now: time.now });
    // THEN it stopped once the clock said the bound had passed: 40 s, a 10 s wait, 40 s more
    expect(w.polls).toBe(2);
    expect(time.t.sleeps).toEqual([10_000]);
    expect(w.notOnline).toEqual(["i-a"]);
  });

  it("with a bound of 0 it asks once and never waits", async () => {
    ssm.on(DescribeInstanceInformationCommand).resolves({ InstanceInformationList: [] });
    const time = fakeTime();
    const w = await waitUntilOnline(clients, ["i-a"], { timeoutMs: 0, sleep: time.sleep, now: time.now, onWait: () => { throw new Error("must not be told"); } });
    expect(w).toEqual(expect.objectContaining({ polls: 1, waitedMs: 0, notOnline: ["i-a"] }));
    expect(time.t.sleeps).toEqual([]);
  });

  it("with a bound of 0 and a slow answer, it still reports no wait (the grade says nothing of --wait-online)", async () => {
    // GIVEN a DescribeInstanceInformation answer that takes 40 ms of clock
    const time = fakeTime();
    ssm.on(DescribeInstanceInformationCommand).callsFake(async () => {
      time.t.ms += 40;
      return { InstanceInformationList: [] };
    });
    // WHEN asked with a bound of 0
    const w = await waitUntilOnline(clients, ["i-a"], { timeoutMs: 0, sleep: time.sleep, now: time.now });
    // THEN it asked once and waited 0 ms: the time of the one answer is not a wait
    expect(w).toEqual(expect.objectContaining({ polls: 1, waitedMs: 0, notOnline: ["i-a"] }));
  });

  it("with no instance to wait for, it calls nothing", async () => {
    const w = await waitUntilOnline(clients, [], { timeoutMs: 300_000, sleep: fakeTime().sleep });
    expect(w.notOnline).toEqual([]);
    expect(ssm).not.toHaveReceivedCommand(DescribeInstanceInformationCommand);
  });

  it.each([-1, Number.NaN])("refuses a bound of %p ms", async (timeoutMs) => {
    await expect(waitUntilOnline(clients, ["i-a"], { timeoutMs })).rejects.toThrow(`The wait for SSM must be 0 ms or more; got ${timeoutMs}.`);
  });

  it("never sends a command: it only reads the agents' status", async () => {
    ssm.on(DescribeInstanceInformationCommand).resolves({ InstanceInformationList: [info("i-a", "Online")] });
    await waitUntilOnline(clients, ["i-a"], { timeoutMs: 1000, sleep: fakeTime().sleep });
    expect(ssm).not.toHaveReceivedCommand(SendCommandCommand);
    expect(ssm).not.toHaveReceivedCommand(ListCommandInvocationsCommand);
  });
});
