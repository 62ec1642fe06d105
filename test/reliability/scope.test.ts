import type { Change } from "../../cloud/change";
import { ScopeError } from "../../cloud/aws/errors";
import { inject } from "../../lifecycle/inject";
import { reset } from "../../lifecycle/reset";
import { solve } from "../../lifecycle/solve";
import type { Snapshot, Tags } from "../../network/snapshot";
import { SCENARIOS } from "../../scenarios";
import { accountFingerprint, mockLabAccount, openAwsLab, relabelLab, type MockedAccount } from "../helpers/aws-lab-mock";
import { labSnapshot, openSimLab } from "../helpers/lab";
import { labView } from "../helpers/lab-view";

let lab: Snapshot;
beforeAll(async () => {
  lab = await labSnapshot();
});

let account: MockedAccount;
afterEach(() => account?.restore());

type Kind = "transitGateways" | "instances" | "securityGroups" | "vpcs" | "flowLogs";

/** The lab, with one resource made foreign: another lab's tag, or no netlab:lab tag at all. */
function withForeign(kind: Kind, name: string, owner: string | undefined): Snapshot {
  const s = structuredClone(lab);
  const found = (s[kind] as { name?: string; tags: Tags }[]).filter((x) => (x.name ?? x.tags.Name) === name);
  expect(found).toHaveLength(1);
  const { "netlab:lab": _mine, ...rest } = found[0].tags;
  found[0].tags = owner ? { ...rest, "netlab:lab": owner } : rest;
  // The ALB's group also sends HTTP to the web targets' group, so that an egress rule with a peer can be revoked.
  s.securityGroups.find((g) => g.name === "DMZVPC-ALB-SG")?.egress.push({ protocol: "tcp", fromPort: 80, toPort: 80, peerSecurityGroupId: s.securityGroups.find((g) => g.name === "DMZVPC-PrivateSG")?.id });
  return s;
}

const web = "DMZVPC-Private-A-10.11.20.102";
const fromAlb = { protocol: "tcp" as const, fromPort: 80, toPort: 80, peerSecurityGroup: "DMZVPC-ALB-SG" };
const toWeb = { protocol: "tcp" as const, fromPort: 80, toPort: 80, peerSecurityGroup: "DMZVPC-PrivateSG" };

/** Changes on the lab's own resource that name a second resource, and which second resource is foreign. */
const SECONDARY: [string, Change, Kind, string, string][] = [
  ["a tagged route table, a route to a foreign transit gateway", { kind: "create-route", routeTable: "VPC02-Private-Subnet-A-RT", destination: "192.168.0.0/16", target: { kind: "tgw", name: "netlab-tgw" } }, "transitGateways", "netlab-tgw", "netlab-tgw"],
  ["a tagged route table, a route to a foreign instance's ENI", { kind: "create-route", routeTable: "NATInstance-PrivateRouteTable1", destination: "192.168.0.0/16", target: { kind: "instance-eni", instance: "NAT-Instance" } }, "instances", "NAT-Instance", "NAT-Instance"],
  ["a tagged target group, registering a foreign instance", { kind: "register-target", targetGroup: "DMZVPC-TG-web", instance: web, port: 8080 }, "instances", web, web],
  ["a tagged target group, deregistering a foreign instance", { kind: "deregister-target", targetGroup: "DMZVPC-TG-web", instance: web, port: 80 }, "instances", web, web],
  ["a tagged security group, an ingress rule from a foreign peer group", { kind: "authorize-sg-rule", securityGroup: "DMZVPC-PrivateSG", direction: "ingress", rule: { ...fromAlb, fromPort: 8080, toPort: 8080 } }, "securityGroups", "DMZVPC-ALB-SG", "DMZVPC-ALB-SG"],
  ["a tagged security group, revoking an ingress rule from a foreign peer group", { kind: "revoke-sg-rule", securityGroup: "DMZVPC-PrivateSG", direction: "ingress", rule: fromAlb }, "securityGroups", "DMZVPC-ALB-SG", "DMZVPC-ALB-SG"],
  ["a tagged security group, an egress rule to a foreign peer group", { kind: "authorize-sg-rule", securityGroup: "DMZVPC-ALB-SG", direction: "egress", rule: { ...toWeb, fromPort: 8080, toPort: 8080 } }, "securityGroups", "DMZVPC-PrivateSG", "DMZVPC-PrivateSG"],
  ["a tagged security group, revoking an egress rule to a foreign peer group", { kind: "revoke-sg-rule", securityGroup: "DMZVPC-ALB-SG", direction: "egress", rule: toWeb }, "securityGroups", "DMZVPC-PrivateSG", "DMZVPC-PrivateSG"],
  ["a tagged private zone, disassociating a foreign VPC", { kind: "disassociate-zone", zone: "netlab.internal", vpc: "VPC02" }, "vpcs", "VPC02", "VPC02"],
  ["a tagged VPC, deleting its foreign flow log", { kind: "delete-flow-log", vpc: "VPC02" }, "flowLogs", "VPC02-flowlog", "flow logs of VPC02"],
];
const OWNERS = [
  ["another lab's tag (s02)", "s02"],
  ["no netlab:lab tag", undefined],
] as const;

describe("R22 scope on AWS: the first lookup is the lab's, a resource it names is not", () => {
  it.each(OWNERS.flatMap(([owner, tag]) => SECONDARY.map(([what, change, kind, name, named]) => [what, owner, change, kind, name, named, tag] as const)))(
    "R22 %s (%s): refused, no call that changes something, the account unchanged",
    async (_what, _owner, change, kind, name, named, tag) => {
      // GIVEN an account holding the lab, where the second resource the change names is not the lab's
      account = mockLabAccount(withForeign(kind, name, tag));
      const before = accountFingerprint(account.state);
      // WHEN lab s01 applies the change
      const cloud = await openAwsLab(account);
      // THEN it is refused with a scope error naming the foreign resource, and nothing was asked to change
      const refused = await cloud.apply(change).then(() => undefined, (e: unknown) => e);
      expect(refused).toBeInstanceOf(ScopeError);
      expect((refused as Error).message).toContain(named);
      expect(account.mutations()).toEqual([]);
      expect(accountFingerprint(account.state)).toEqual(before);
    },
  );
});

describe("R23 scope on AWS: two labs with the same Names in one account", () => {
  it.each(SCENARIOS.map((s) => [s.id, s] as const))("R23 %s injected into and reset in s01 leaves every resource of s02 as it was", async (_id, scenario) => {
    // GIVEN one account holding labs s01 and s02, whose resources carry the same Names
    account = mockLabAccount([relabelLab(lab, "s01"), relabelLab(lab, "s02")]);
    const s02 = JSON.stringify(labView(account.state, "s02"));
    const s02Ids = [...new Set(s02.match(/(?:vpc|subnet|rtb|sg|i|eni|igw|nat|tgw|fl)-[0-9a-f]{17}/g))];
    // WHEN the scenario is injected into s01, then reset
    const cloud = await openAwsLab(account, "s01");
    expect((await inject(cloud, scenario, { by: "t" })).status).toBe("injected");
    const whileActive = JSON.stringify(labView(account.state, "s02"));
    expect((await reset(cloud, scenario.id)).status).toBe("reset");
    // THEN s02 was the same throughout, and no call named any of its resources
    expect(whileActive).toBe(s02);
    expect(JSON.stringify(labView(account.state, "s02"))).toBe(s02);
    expect(s02Ids.length).toBeGreaterThan(20);
    expect(account.mutations().filter((c) => s02Ids.some((id) => JSON.stringify(c.input).includes(id)))).toEqual([]);
  });
});

describe("R24 scope on the sim", () => {
  it("R24 the simulated lab holds only the lab's resources, before and after every scenario's inject, solve and reset", async () => {
    // GIVEN the simulated lab
    const cloud = await openSimLab();
    const foreign = (s: Snapshot) =>
      Object.entries(s).flatMap(([kind, items]) => (Array.isArray(items) ? (items as { name?: string; tags: Tags }[]).filter((x) => x.tags["netlab:lab"] !== "s01").map((x) => `${kind} ${x.name}`) : []));
    expect(foreign(await cloud.snapshot())).toEqual([]);
    // WHEN every scenario is injected, solved and reset / THEN every resource, new ones included, carries netlab:lab=s01
    for (const scenario of SCENARIOS) {
      await inject(cloud, scenario, { by: "t" });
      expect(foreign(await cloud.snapshot())).toEqual([]);
      await solve(cloud, scenario);
      expect(foreign(await cloud.snapshot())).toEqual([]);
      await reset(cloud, scenario.id);
      expect(foreign(await cloud.snapshot())).toEqual([]);
    }
    await cloud.close();
  });
});
