import { createAwsCloud } from "../../../cloud/aws/aws-cloud";
import { grade } from "../../../lifecycle/grade";
import { findScenario } from "../../../scenarios";
import { labSnapshot } from "../../helpers/lab";
import { mockLabAccount, type MockedAccount } from "../../helpers/aws-lab-mock";

let account: MockedAccount;
let clock = 0;
afterEach(() => account?.restore());

const sleeps: number[] = [];
const fakeRun = { pollIntervalMs: 1000, sleep: async (ms: number) => void (sleeps.push(ms), (clock += ms)) };

describe("grading through the AWS backend (mocked account)", () => {
  it("grades tgw-default-route from live describe calls and one SSM command per script", async () => {
    // GIVEN an account that holds the lab and answers SSM commands 2 s after they are sent
    account = mockLabAccount(await labSnapshot(), { latencyMs: 2000, now: () => clock });
    const cloud = await createAwsCloud({ id: "s01" }, "ap-northeast-2", { clients: account.clients, run: fakeRun });
    // WHEN graded
    const g = await grade(cloud, findScenario("tgw-default-route"));
    // THEN both probes ran in one SendCommand, the egress IPs are the DMZ NAT gateways', and polling stayed at 1/s
    expect(g.checks.map((c) => [c.id, c.status])).toEqual([
      ["vpc02-a-reaches-internet-via-dmz-nat", "pass"],
      ["vpc02-b-reaches-internet-via-dmz-nat", "pass"],
    ]);
    expect(account.calls.get("SendCommand")).toBe(1);
    expect(account.sent[0].instanceIds).toHaveLength(2);
    // One listing of the command per second (a full second before every poll), not one call per instance:
    // the answer comes 2 s after sending, so two listings; no per-instance GetCommandInvocation.
    expect(sleeps.every((ms) => ms >= 1000)).toBe(true);
    expect(account.calls.get("ListCommandInvocations")).toBe(2);
    expect(account.calls.get("GetCommandInvocation") ?? 0).toBe(0);
  });

  it("refuses an account where the lab is not deployed, before changing anything", async () => {
    account = mockLabAccount(await labSnapshot(), { latencyMs: 0, now: () => clock });
    const { DescribeVpcsCommand, EC2Client } = await import("@aws-sdk/client-ec2");
    const { mockClient } = await import("aws-sdk-client-mock");
    mockClient(EC2Client).on(DescribeVpcsCommand).resolves({ Vpcs: [] });
    await expect(createAwsCloud({ id: "s07" }, "ap-northeast-2", { clients: account.clients })).rejects.toThrow(
      "Lab s07 is not deployed in account 123456789012 (ap-northeast-2): no VPC carries netlab:lab=s07.",
    );
  });
});

describe("the scenario loop through the AWS backend (stateful mocked account)", () => {
  it("injects, fails, solves, passes and resets tgw-default-route with real SDK requests", async () => {
    // GIVEN an account whose state is the lab; routes change when the SDK deletes or creates them
    const { rehearse } = await import("../../../lifecycle/rehearse");
    account = mockLabAccount(await labSnapshot(), { latencyMs: 0, now: () => clock });
    const cloud = await createAwsCloud({ id: "s01" }, "ap-northeast-2", { clients: account.clients, run: fakeRun });
    // WHEN rehearsed
    const r = await rehearse(cloud, findScenario("tgw-default-route"), "jest");
    // THEN every step holds: two DeleteRoute on inject, two CreateRoute on solve, none on reset (already repaired)
    expect(r.steps.flatMap((s) => s.problems)).toEqual([]);
    expect(r.ok).toBe(true);
    expect(r.steps[1].checks.map((c) => c.status)).toEqual(["fail", "fail"]);
    expect(account.calls.get("DeleteRoute")).toBe(2);
    expect(account.calls.get("CreateRoute")).toBe(2);
    expect(account.calls.get("PutParameter")).toBe(1);
    expect(await cloud.ledger.list()).toEqual([]);
  });
});
