import { coversRange, parseAnyCidr } from "../../checks/cidr-cover";
import { runChecks } from "../../checks/evaluate";
import type { CheckSpec } from "../../checks/types";
import { applyToSnapshot } from "../../cloud/model-apply";
import type { LabCloud } from "../../cloud/port";
import { snapshotFromDescribe } from "../../network/from-aws-describe";
import type { Snapshot } from "../../network/snapshot";
import { snapshotToDescribe } from "../../network/to-aws-describe";
import { findScenario } from "../../scenarios";
import { labSnapshot } from "../helpers/lab";

const noSshFromWorld = findScenario("ssh-open-world").checks[0];
const noWebFromWorld = findScenario("alb-sg-blocked").checks.find((c) => c.id === "web-port-80-not-open-to-world") as CheckSpec;

function labOf(s: Snapshot): LabCloud {
  return { lab: "s01", backend: "sim", snapshot: async () => s, apply: async () => undefined, probe: async () => [], ledger: {} as LabCloud["ledger"], close: async () => undefined };
}

/** The lab with these rules added to a group: [protocol, from, to, cidr]. */
async function labWith(group: string, rules: [string, number, number, string][], base?: Snapshot): Promise<Snapshot> {
  const s = base ?? (await labSnapshot());
  for (const [protocol, fromPort, toPort, cidr] of rules) {
    applyToSnapshot(s, { kind: "authorize-sg-rule", securityGroup: group, direction: "ingress", rule: { protocol: protocol as "tcp", fromPort, toPort, cidr } });
  }
  return s;
}

async function verdict(s: Snapshot, check: CheckSpec = noSshFromWorld) {
  return (await runChecks(labOf(s), [check])).results[0];
}

describe("an sg-rule check that a CIDR is absent cannot be evaded by splitting it", () => {
  it("passes on the lab as built", async () => {
    expect((await verdict(await labSnapshot())).status).toBe("pass");
  });

  it.each([
    ["0.0.0.0/0 in one rule", [["tcp", 22, 22, "0.0.0.0/0"]], "VPC02-PrivateSG: tcp/22 from 0.0.0.0/0"],
    ["its two halves", [["tcp", 22, 22, "0.0.0.0/1"], ["tcp", 22, 22, "128.0.0.0/1"]], "VPC02-PrivateSG: tcp/22 from 0.0.0.0/1 + tcp/22 from 128.0.0.0/1 (together: 0.0.0.0/0)"],
    ["three pieces, one a port range, one all traffic", [["tcp", 0, 1024, "0.0.0.0/1"], ["-1", -1, -1, "128.0.0.0/2"], ["tcp", 22, 22, "192.0.0.0/2"]], "VPC02-PrivateSG: tcp/0-1024 from 0.0.0.0/1 + all traffic from 128.0.0.0/2 + tcp/22 from 192.0.0.0/2 (together: 0.0.0.0/0)"],
    ["::/0", [["tcp", 22, 22, "::/0"]], "VPC02-PrivateSG: tcp/22 from ::/0"],
    ["the two halves of ::/0", [["tcp", 22, 22, "::/1"], ["tcp", 22, 22, "8000::/1"]], "VPC02-PrivateSG: tcp/22 from ::/1 + tcp/22 from 8000::/1 (together: ::/0)"],
  ] as [string, [string, number, number, string][], string][])("fails on 22 from %s", async (_what, rules, found) => {
    // GIVEN VPC02-PrivateSG admitting SSH from the world in pieces
    const s = await labWith("VPC02-PrivateSG", rules);
    // WHEN the ssh-open-world check runs / THEN it fails, naming the rules and what they cover together
    const r = await verdict(s);
    expect(r.status).toBe("fail");
    expect(r.evidence).toBe(`expected no security group to admit ingress tcp/22 from 0.0.0.0/0 or ::/0; found ${found}`);
  });

  it.each([
    ["half of the internet", [["tcp", 22, 22, "0.0.0.0/1"]]],
    ["two halves, one of them on another port", [["tcp", 22, 22, "0.0.0.0/1"], ["tcp", 23, 23, "128.0.0.0/1"]]],
    ["pieces that leave a gap", [["tcp", 22, 22, "0.0.0.0/1"], ["tcp", 22, 22, "128.0.0.0/2"], ["tcp", 22, 22, "224.0.0.0/3"]]],
  ] as [string, [string, number, number, string][]][])("passes on %s", async (_what, rules) => {
    expect((await verdict(await labWith("VPC02-PrivateSG", rules))).status).toBe("pass");
  });

  it("fails when the halves are in two groups that one instance carries", async () => {
    // GIVEN 0.0.0.0/1 in VPC02-PrivateSG, 128.0.0.0/1 in VPC02-EndpointSG, and an instance that has both
    const s = await labWith("VPC02-EndpointSG", [["tcp", 22, 22, "128.0.0.0/1"]], await labWith("VPC02-PrivateSG", [["tcp", 22, 22, "0.0.0.0/1"]]));
    const endpointSg = s.securityGroups.find((g) => g.name === "VPC02-EndpointSG")!.id;
    s.instances.find((i) => i.name === "VPC02-Private-A-10.2.20.101")!.securityGroupIds.push(endpointSg);
    // WHEN checked / THEN it fails, naming the instance and both groups
    const r = await verdict(s);
    expect(r.status).toBe("fail");
    expect(r.evidence).toContain("found VPC02-Private-A-10.2.20.101, through its groups: VPC02-PrivateSG tcp/22 from 0.0.0.0/1 + VPC02-EndpointSG tcp/22 from 128.0.0.0/1 (together: 0.0.0.0/0)");
  });

  it("fails when the halves are in two groups that an interface endpoint carries together", async () => {
    // GIVEN 0.0.0.0/1 in VPC02-EndpointSG, 128.0.0.0/1 in VPC02-PrivateSG, and VPC02's ssm endpoint carrying both
    const s = await labWith("VPC02-EndpointSG", [["tcp", 22, 22, "0.0.0.0/1"]], await labWith("VPC02-PrivateSG", [["tcp", 22, 22, "128.0.0.0/1"]]));
    const privateSg = s.securityGroups.find((g) => g.name === "VPC02-PrivateSG")!.id;
    const endpoint = s.vpcEndpoints.find((e) => e.serviceName.endsWith(".ssm") && s.vpcs.find((v) => v.id === e.vpcId)?.name === "VPC02")!;
    endpoint.securityGroupIds.push(privateSg);
    // WHEN checked / THEN it fails, naming the endpoint and both groups
    const r = await verdict(s);
    expect(r.status).toBe("fail");
    expect(r.evidence).toContain(`found ${endpoint.name}, through its groups:`);
  });

  it("passes when the halves are in two groups that no instance carries together", async () => {
    const s = await labWith("VPC01-PrivateSG", [["tcp", 22, 22, "128.0.0.0/1"]], await labWith("VPC02-PrivateSG", [["tcp", 22, 22, "0.0.0.0/1"]]));
    expect((await verdict(s)).status).toBe("pass");
  });

  it("applies to web-port-80-not-open-to-world too", async () => {
    const s = await labWith("DMZVPC-PrivateSG", [["tcp", 80, 80, "0.0.0.0/1"], ["tcp", 80, 80, "128.0.0.0/1"]]);
    const r = await verdict(s, noWebFromWorld);
    expect(r.status).toBe("fail");
    expect(r.evidence).toContain("DMZVPC-PrivateSG: tcp/80 from 0.0.0.0/1 + tcp/80 from 128.0.0.0/1 (together: 0.0.0.0/0)");
  });
});

describe("IPv6 sources read from AWS", () => {
  it("fails ssh-open-world on a group that admits 22 from ::/0 in the account's describe output", async () => {
    // GIVEN the account's DescribeSecurityGroups, where VPC02-PrivateSG admits 22 from ::/0 (an IPv6 range)
    const outputs = snapshotToDescribe(await labSnapshot());
    const sg = outputs.SecurityGroups!.SecurityGroups!.find((g) => g.Tags?.some((t) => t.Key === "Name" && t.Value === "VPC02-PrivateSG"))!;
    sg.IpPermissions = [...(sg.IpPermissions ?? []), { IpProtocol: "tcp", FromPort: 22, ToPort: 22, Ipv6Ranges: [{ CidrIpv6: "::/0" }] }];
    // WHEN read into a snapshot and checked / THEN the IPv6 rule is seen and fails the check
    const r = await verdict(snapshotFromDescribe(outputs, { lab: "s01", region: "ap-northeast-2", source: "aws" }));
    expect(r.status).toBe("fail");
    expect(r.evidence).toContain("VPC02-PrivateSG: tcp/22 from ::/0");
  });
});

describe("CIDR coverage", () => {
  it.each([
    ["10.0.0.0/8", { family: 4, start: 10n << 24n, end: (11n << 24n) - 1n }],
    ["10.1.2.3/8", { family: 4, start: 10n << 24n, end: (11n << 24n) - 1n }],
    ["::/0", { family: 6, start: 0n, end: (1n << 128n) - 1n }],
    ["8000::/1", { family: 6, start: 1n << 127n, end: (1n << 128n) - 1n }],
    ["2001:db8::1/128", { family: 6, start: (0x2001n << 112n) | (0xdb8n << 96n) | 1n, end: (0x2001n << 112n) | (0xdb8n << 96n) | 1n }],
  ])("reads %s", (text, range) => {
    expect(parseAnyCidr(text)).toEqual(range);
  });

  it.each(["10.0.0.0", "10.0.0.256/8", "10.0.0.0/33", "::/129", "1::2::3/64", "1:2:3:4:5:6:7:8:9/64", "g::/8", "sg-123"])("refuses %s", (text) => {
    expect(parseAnyCidr(text)).toBeUndefined();
  });

  it("covers a range only without gaps, across families never", () => {
    const r = (t: string) => parseAnyCidr(t)!;
    expect(coversRange([r("0.0.0.0/1"), r("128.0.0.0/1")], r("0.0.0.0/0"))).toBe(true);
    expect(coversRange([r("0.0.0.0/1"), r("192.0.0.0/2")], r("0.0.0.0/0"))).toBe(false);
    expect(coversRange([r("::/0")], r("0.0.0.0/0"))).toBe(false);
    expect(coversRange([r("10.0.0.0/8")], r("10.1.0.0/16"))).toBe(true);
  });
});
