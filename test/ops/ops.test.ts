import { DescribeLogGroupsCommand, ListTagsForResourceCommand as ListLogTagsCommand } from "@aws-sdk/client-cloudwatch-logs";
import {
  DescribeAddressesCommand,
  DescribeInstancesCommand,
  DescribeInternetGatewaysCommand,
  DescribeNatGatewaysCommand,
  DescribeNetworkInterfacesCommand,
  DescribeTransitGatewayAttachmentsCommand,
  DescribeTransitGatewaysCommand,
  DescribeVpcEndpointsCommand,
  DescribeVpcsCommand,
} from "@aws-sdk/client-ec2";
import { DescribeLoadBalancersCommand, DescribeTagsCommand } from "@aws-sdk/client-elastic-load-balancing-v2";
import { GetHostedZoneCommand, ListHostedZonesCommand, ListTagsForResourceCommand } from "@aws-sdk/client-route-53";
import { GetServiceQuotaCommand } from "@aws-sdk/client-service-quotas";
import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { XMLParser } from "fast-xml-parser";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { bufferIo } from "../../cli/io";
import { run } from "../../cli/run";
import type { CollateralEntry } from "../../checks/collateral";
import type { Grade } from "../../lifecycle/grade";
import { estimateCost, formatCost } from "../../ops/cost";
import { findLeftovers } from "../../ops/leftovers";
import { labNeeds, preflight, sharedAccountMessage, sharedAccounts } from "../../ops/preflight";
import { classSummary, jsonReport, junitReport, markdownReport } from "../../ops/report";
import { LAB_TOPOLOGY } from "../../topology/lab";
import { mockEveryClient } from "../helpers/mocked-clients";

const { ec2, quotas, sts, elbv2, logs, route53, clients } = mockEveryClient();

beforeEach(() => [ec2, quotas, sts, elbv2, logs, route53].forEach((m) => m.reset()));

describe("lab cost", () => {
  it("itemizes a participant-hour from the plan and multiplies out the class", () => {
    // GIVEN the lab in Seoul / WHEN estimated for 30 participants for 3 hours
    const e = estimateCost({ region: "ap-northeast-2", participants: 30, hours: 3, topology: LAB_TOPOLOGY });
    // THEN the counts follow the plan: 2 NAT GWs, 4 TGW attachments, 3 endpoints × 4 VPCs, 12 instances, 6 public IPv4s
    const count = (item: string) => e.lines.find((l) => l.item.startsWith(item))?.count;
    expect([count("NAT gateways"), count("Transit gateway attachments"), count("Interface endpoints"), count("EC2 t3.micro"), count("Public IPv4")]).toEqual([2, 4, 12, 12, 6]);
    expect(e.perParticipantHour).toBeCloseTo(e.lines.reduce((s, l) => s + l.perHour, 0), 4);
    expect(e.classTotal).toBeCloseTo(e.perParticipantHour * 90, 1);
    expect(e.perParticipantHour).toBeGreaterThan(0.5);
    expect(e.perParticipantHour).toBeLessThan(1.5);
    expect(formatCost(e)).toContain("data processing and transfer not included");
  });

  it("drops the core items when only the NAT instance variant is deployed", () => {
    const e = estimateCost({ region: "us-east-1", participants: 1, hours: 1, topology: LAB_TOPOLOGY, variants: ["natinstance"] });
    expect(e.lines.map((l) => l.item)).toEqual(["Interface endpoints (one AZ each)", "EC2 t3.micro", "Public IPv4 addresses"]);
  });

  it.each([
    [{ participants: 0, hours: 1, region: "us-east-1" }, "--participants must be a whole number of at least 1; got 0."],
    [{ participants: 1, hours: -2, region: "us-east-1" }, "--hours must be a positive number; got -2."],
    [{ participants: 1, hours: 1, region: "eu-west-1" }, 'No price table for region "eu-west-1"; netlab has: ap-northeast-2, us-east-1.'],
  ])("refuses %j", (input, message) => {
    expect(() => estimateCost({ ...input, topology: LAB_TOPOLOGY })).toThrow(message);
  });
});

describe("lab preflight", () => {
  const setUsage = (vpcs: number, withDefault: boolean) => {
    sts.on(GetCallerIdentityCommand).resolves({ Account: "123456789012", Arn: "arn:aws:iam::123456789012:user/teacher" });
    ec2.on(DescribeVpcsCommand).resolves({ Vpcs: Array.from({ length: vpcs }, (_, i) => ({ VpcId: `vpc-${i}`, IsDefault: withDefault && i === 0 })) });
    ec2.on(DescribeAddressesCommand).resolves({ Addresses: [] });
    ec2.on(DescribeInternetGatewaysCommand).resolves({ InternetGateways: [{ InternetGatewayId: "igw-default" }] });
    ec2.on(DescribeTransitGatewaysCommand).resolves({ TransitGateways: [] });
  };

  it("says the lab does not fit when the default VPC takes the fifth slot, with the ways out", async () => {
    // GIVEN a fresh account: the default VPC, and a VPC quota Service Quotas will not tell
    setUsage(1, true);
    quotas.on(GetServiceQuotaCommand).rejects(Object.assign(new Error("denied"), { name: "AccessDeniedException" }));
    // WHEN checked for the full lab (5 VPCs)
    const r = await preflight(clients, "s01", "ap-northeast-2", labNeeds(LAB_TOPOLOGY, ["core", "natinstance"]));
    // THEN VPCs fail against the AWS default of 5, and the ways out are named
    expect(r.ok).toBe(false);
    expect(r.quotas[0]).toMatchObject({ name: "VPCs per Region", limit: 5, limitSource: "aws-default", inUse: 1, needed: 5, ok: false });
    expect(r.waysOut[0]).toContain("Delete the default VPC of ap-northeast-2");
    expect(r.waysOut[1]).toContain("--quota-code L-F678F1CE --desired-value 6");
    expect(r.waysOut[2]).toContain('"variants": ["core"]');
  });

  it("sends a full internet-gateway quota to the VPC quota, which AWS raises it with", async () => {
    // GIVEN an account with four internet gateways already (VPCs allowed: 10, internet gateways: 5)
    setUsage(1, true);
    ec2.on(DescribeInternetGatewaysCommand).resolves({ InternetGateways: ["a", "b", "c", "d"].map((x) => ({ InternetGatewayId: `igw-${x}` })) });
    quotas.on(GetServiceQuotaCommand).callsFake(async (i: { QuotaCode: string }) => ({ Quota: { Value: i.QuotaCode === "L-A4707A72" ? 5 : 10 } }));
    // WHEN checked for the full lab (3 internet gateways)
    const r = await preflight(clients, "s01", "ap-northeast-2", labNeeds(LAB_TOPOLOGY, ["core", "natinstance"]));
    // THEN the way out asks for VPCs (L-F678F1CE), not for the internet gateway quota itself
    expect(r.ok).toBe(false);
    expect(r.waysOut).toEqual([expect.stringContaining('"Internet gateways per Region" follows "VPCs per Region"')]);
    expect(r.waysOut[0]).toContain("--quota-code L-F678F1CE --desired-value 7");
    expect(r.waysOut[0]).not.toContain("L-A4707A72");
  });

  it("is ready when Service Quotas grants room", async () => {
    setUsage(1, true);
    quotas.on(GetServiceQuotaCommand).resolves({ Quota: { Value: 10 } });
    const r = await preflight(clients, "s01", "ap-northeast-2", labNeeds(LAB_TOPOLOGY, ["core", "natinstance"]));
    expect(r.ok).toBe(true);
    expect(r.quotas.every((q) => q.limitSource === "service-quotas")).toBe(true);
    expect(labNeeds(LAB_TOPOLOGY, ["core", "natinstance"])).toEqual({ vpcs: 5, eips: 3, igws: 3, tgws: 1 });
  });
});

/** An account where nothing of the lab is left (a deleted NAT gateway lingers in DescribeNatGateways, as in AWS). */
const nothing = () => {
  ec2.on(DescribeVpcsCommand).resolves({ Vpcs: [] });
  ec2.on(DescribeAddressesCommand).resolves({ Addresses: [] });
  ec2.on(DescribeNatGatewaysCommand).resolves({ NatGateways: [{ NatGatewayId: "nat-old", State: "deleted" }] });
  ec2.on(DescribeVpcEndpointsCommand).resolves({ VpcEndpoints: [] });
  ec2.on(DescribeInstancesCommand).resolves({ Reservations: [] });
  ec2.on(DescribeTransitGatewaysCommand).resolves({ TransitGateways: [] });
  ec2.on(DescribeTransitGatewayAttachmentsCommand).resolves({ TransitGatewayAttachments: [] });
  ec2.on(DescribeNetworkInterfacesCommand).resolves({ NetworkInterfaces: [] });
  elbv2.on(DescribeLoadBalancersCommand).resolves({ LoadBalancers: [] });
  logs.on(DescribeLogGroupsCommand).resolves({ logGroups: [] });
  route53.on(ListHostedZonesCommand).resolves({ HostedZones: [], IsTruncated: false });
};

describe("lab leftovers", () => {

  it("finds nothing after a clean destroy (deleted NAT gateways do not count)", async () => {
    nothing();
    expect(await findLeftovers(clients, "s01", "ap-northeast-2")).toEqual({ lab: "s01", leftovers: [], perHour: 0, perMonth: 0, ok: true });
  });

  it("lists what is still billable, with its hourly cost", async () => {
    nothing();
    ec2.on(DescribeAddressesCommand).resolves({ Addresses: [{ AllocationId: "eipalloc-1", Tags: [{ Key: "Name", Value: "DMZVPC-NATGW-A-EIP" }] }] });
    ec2.on(DescribeNatGatewaysCommand).resolves({ NatGateways: [{ NatGatewayId: "nat-1", State: "available" }] });
    logs.on(DescribeLogGroupsCommand).resolves({ logGroups: [{ logGroupName: "/aws/vpc/flowlogs", arn: "arn:aws:logs:ap-northeast-2:1:log-group:/aws/vpc/flowlogs:*" }] });
    logs.on(ListLogTagsCommand).resolves({ tags: { "netlab:lab": "s01" } });
    const r = await findLeftovers(clients, "s01", "ap-northeast-2");
    expect(r.ok).toBe(false);
    expect(r.leftovers.map((l) => [l.kind, l.id])).toEqual([
      ["Elastic IP", "eipalloc-1"],
      ["NAT gateway", "nat-1"],
      ["log group (billed by stored GB)", "/aws/vpc/flowlogs"],
    ]);
    expect(r.perHour).toBeCloseTo(0.005 + 0.059, 4);
  });
});

describe("lab leftovers: what each thing costs", () => {
  /** The account after a clean destroy (`nothing`), with the lab's DMZ VPC still there. */
  const empty = () => {
    nothing();
    ec2.on(DescribeVpcsCommand).resolves({ Vpcs: [{ VpcId: "vpc-dmz" }] });
  };

  it("counts a NAT gateway's public IPv4 once (as its Elastic IP), and an instance's own public IP", async () => {
    // GIVEN a NAT gateway with its EIP, the NAT's network interface holding that EIP, and an instance's interface with its own public IP
    empty();
    ec2.on(DescribeAddressesCommand).resolves({ Addresses: [{ AllocationId: "eipalloc-1", PublicIp: "203.0.113.5" }] });
    ec2.on(DescribeNatGatewaysCommand).resolves({ NatGateways: [{ NatGatewayId: "nat-1", State: "available" }] });
    ec2.on(DescribeNetworkInterfacesCommand).resolves({
      NetworkInterfaces: [
        { NetworkInterfaceId: "eni-nat", Association: { PublicIp: "203.0.113.5" } },
        { NetworkInterfaceId: "eni-ws", Association: { PublicIp: "198.51.100.9" } },
      ],
    });
    // WHEN listed
    const r = await findLeftovers(clients, "s01", "ap-northeast-2");
    // THEN three public IPv4 charges would be wrong: the EIP, the NAT gateway, and the instance's public IP
    const cost = (id: string) => r.leftovers.find((l) => l.id === id)?.perHour;
    expect([cost("eipalloc-1"), cost("nat-1"), cost("eni-nat"), cost("eni-ws")]).toEqual([0.005, 0.059, 0, 0.005]);
    expect(r.leftovers.find((l) => l.id === "eni-nat")?.kind).toBe("network interface (its public IP 203.0.113.5 is the Elastic IP above)");
    expect(r.perHour).toBeCloseTo(0.005 + 0.059 + 0.005, 4);
  });

  it("lists the lab's private hosted zones, billed by the month", async () => {
    // GIVEN the lab's tagged private zone, a zone still associated with a lab VPC, another lab's zone, and a public zone
    empty();
    route53.on(ListHostedZonesCommand).resolves({
      HostedZones: [
        { Id: "/hostedzone/Z1", Name: "netlab.internal.", CallerReference: "a", Config: { PrivateZone: true } },
        { Id: "/hostedzone/Z2", Name: "extra.internal.", CallerReference: "b", Config: { PrivateZone: true } },
        { Id: "/hostedzone/Z3", Name: "other.internal.", CallerReference: "c", Config: { PrivateZone: true } },
        { Id: "/hostedzone/Z4", Name: "example.com.", CallerReference: "d", Config: { PrivateZone: false } },
      ],
      IsTruncated: false,
    });
    route53.on(ListTagsForResourceCommand).callsFake(async (input: { ResourceId: string }) => ({ ResourceTagSet: { Tags: [{ Key: "netlab:lab", Value: input.ResourceId === "Z1" ? "s01" : "s02" }] } }));
    route53.on(GetHostedZoneCommand).callsFake(async (input: { Id: string }) => ({ HostedZone: { Id: input.Id, Name: `${input.Id}.`, CallerReference: "x" }, VPCs: input.Id === "Z2" ? [{ VPCId: "vpc-dmz", VPCRegion: "ap-northeast-2" }] : [] }));
    // WHEN listed
    const r = await findLeftovers(clients, "s01", "ap-northeast-2");
    // THEN Z1 (tagged) and Z2 (in a lab VPC), each $0.50 a month and nothing an hour; Z4 was never read
    expect(r.leftovers.filter((l) => l.kind.startsWith("private hosted zone")).map((l) => [l.id, l.perHour, l.perMonth])).toEqual([
      ["Z1", 0, 0.5],
      ["Z2", 0, 0.5],
    ]);
    expect(r.perMonth).toBe(1);
    expect(route53.commandCalls(GetHostedZoneCommand).map((c) => c.args[0].input.Id)).not.toContain("Z4");
  });

  it("reads the tags of every load balancer, 20 ARNs a call", async () => {
    // GIVEN 45 load balancers outside the lab's VPCs; the lab's one is the 43rd
    empty();
    ec2.on(DescribeVpcsCommand).resolves({ Vpcs: [] });
    const arn = (i: number) => `arn:aws:elasticloadbalancing:ap-northeast-2:1:loadbalancer/app/lb${i}/x`;
    elbv2.on(DescribeLoadBalancersCommand).resolves({ LoadBalancers: Array.from({ length: 45 }, (_, i) => ({ LoadBalancerArn: arn(i), LoadBalancerName: `lb${i}`, VpcId: "vpc-other" })) });
    elbv2.on(DescribeTagsCommand).callsFake(async (input: { ResourceArns: string[] }) => ({ TagDescriptions: input.ResourceArns.map((a) => ({ ResourceArn: a, Tags: a === arn(42) ? [{ Key: "netlab:lab", Value: "s01" }] : [] })) }));
    // WHEN listed
    const r = await findLeftovers(clients, "s01", "ap-northeast-2");
    // THEN three DescribeTags calls of at most 20 ARNs, and the lab's load balancer is found
    expect(elbv2.commandCalls(DescribeTagsCommand).map((c) => c.args[0].input.ResourceArns?.length)).toEqual([20, 20, 5]);
    expect(r.leftovers.map((l) => l.name)).toEqual(["lb42"]);
  });
});

describe("lab preflight: one account per participant", () => {
  it("refuses (exit 1) participants whose credentials reach the same account, naming them and the way out", async () => {
    // GIVEN two participants whose profiles both reach account 111111111111, with room for the lab
    const cwd = mkdtempSync(join(tmpdir(), "netlab-preflight-"));
    writeFileSync(join(cwd, "netlab.config.json"), JSON.stringify({ participants: [{ id: "s01", profile: "a" }, { id: "s02", profile: "b" }] }));
    sts.on(GetCallerIdentityCommand).resolves({ Account: "111111111111", Arn: "arn:aws:iam::111111111111:user/t" });
    ec2.on(DescribeVpcsCommand).resolves({ Vpcs: [] });
    ec2.on(DescribeAddressesCommand).resolves({ Addresses: [] });
    ec2.on(DescribeInternetGatewaysCommand).resolves({ InternetGateways: [] });
    ec2.on(DescribeTransitGatewaysCommand).resolves({ TransitGateways: [] });
    quotas.on(GetServiceQuotaCommand).resolves({ Quota: { Value: 20 } });
    const io = bufferIo({ cwd });
    // WHEN preflight runs for the class
    const code = await run(["preflight", "--all"], io);
    // THEN both labs fit on their own, but the pair is refused, with the way out
    expect(io.stdout).toContain("lab s01: account 111111111111");
    expect(io.stderr).toContain("refused: Participants s01, s02 reach the same AWS account 111111111111 in ap-northeast-2");
    expect(io.stderr).toContain('Give each participant an account of its own (its own "profile" or "roleArn" in netlab.config.json)');
    expect(code).toBe(1);
  });

  it("finds participants whose credentials reach the same account and region", () => {
    const results = [
      { lab: "s01", account: "111111111111", region: "ap-northeast-2" },
      { lab: "s02", account: "222222222222", region: "ap-northeast-2" },
      { lab: "s03", account: "111111111111", region: "ap-northeast-2" },
    ];
    expect(sharedAccounts(results)).toEqual([{ account: "111111111111", region: "ap-northeast-2", labs: ["s01", "s03"] }]);
    expect(sharedAccounts(results.slice(0, 2))).toEqual([]);
    expect(sharedAccountMessage(sharedAccounts(results)[0])).toContain('Participants s01, s03 reach the same AWS account 111111111111 in ap-northeast-2: their labs would collide');
  });
});

describe("reports", () => {
  const grade: Grade = {
    scenario: "tgw-default-route",
    lab: "s01",
    score: 50,
    status: "fail",
    checks: [
      { id: "vpc02-a-reaches-internet-via-dmz-nat", status: "pass", evidence: "reached <ok> & fine", hint: { en: "h", ko: "힌트" } },
      { id: "vpc02-b-reaches-internet-via-dmz-nat", status: "fail", evidence: "no route", hint: { en: "Follow the packet", ko: "패킷을 따라가 보세요" }, explanation: "blocked at RT" },
    ],
    steadyState: { status: "same", compared: 243, collateral: [], expected: [], widened: [], unknown: [] },
    collateral: [],
  };

  it("writes valid JUnit XML: a suite per lab, a failure per failed check, inconclusive as skipped", () => {
    const inconclusive: Grade = { ...grade, lab: "s02", checks: [{ ...grade.checks[0], status: "inconclusive" }] };
    const parsed = new XMLParser({ ignoreAttributes: false }).parse(junitReport([grade, inconclusive]));
    const suites = parsed.testsuites.testsuite;
    expect(suites.map((s: Record<string, string>) => [s["@_name"], s["@_tests"], s["@_failures"], s["@_skipped"]])).toEqual([
      ["s01/tgw-default-route", "3", "1", "0"],
      ["s02/tgw-default-route", "2", "0", "1"],
    ]);
    expect(suites[0].testcase[1].failure["@_message"]).toBe("no route");
    expect(suites[0].testcase[0]["@_name"]).toBe("vpc02-a-reaches-internet-via-dmz-nat");
  });

  it("gives learners their hints in their language, without the instructor's explanation", () => {
    const ko = markdownReport(grade, "ko");
    expect(ko).toContain("패킷을 따라가 보세요");
    expect(ko).toContain("점수: 50%");
    expect(ko).not.toContain("blocked at RT");
  });

  describe("collateral damage", () => {
    const entry: CollateralEntry = {
      kind: "collateral",
      fact: "internet|VPC01-Private-A-10.1.20.101|internet",
      factKind: "internet",
      subject: "VPC01-Private-A-10.1.20.101 → the internet",
      component: "VPC01-Private-Subnet-A-RT",
      reason: "NO_ROUTE",
      was: "via DMZVPC-NATGW-A",
      now: "blocked",
      instructor: { en: "Collateral damage: blocked at VPC01-Private-Subnet-A-RT (NO_ROUTE)", ko: "부수 피해: VPC01-Private-Subnet-A-RT (NO_ROUTE)" },
      hint: { en: "VPC01-Private-A-10.1.20.101 no longer reaches the internet", ko: "VPC01-Private-A-10.1.20.101이(가) 인터넷에 연결되지 않습니다" },
    };
    const damaged: Grade = { ...grade, status: "fail", steadyState: { status: "collateral", compared: 243, collateral: [entry], expected: [], widened: [], unknown: [] }, collateral: [entry] };

    it("fails the lab's steady-state testcase in JUnit, naming the component", () => {
      // GIVEN a grade with collateral damage / WHEN written as JUnit
      const suite = new XMLParser({ ignoreAttributes: false }).parse(junitReport([damaged])).testsuites.testsuite;
      // THEN the steady-state testcase fails with the component and reason, and counts as a failure
      expect(suite["@_failures"]).toBe("2");
      const steady = suite.testcase.find((c: Record<string, string>) => c["@_name"] === "lab-steady-state");
      expect(steady.failure["@_message"]).toBe("collateral damage at VPC01-Private-Subnet-A-RT (NO_ROUTE): VPC01-Private-A-10.1.20.101 → the internet");
    });

    it("shows the learner what no longer works, with the hint in their language, never the instructor's cause", () => {
      const ko = markdownReport(damaged, "ko");
      expect(ko).toContain("부수 피해");
      expect(ko).toContain("인터넷에 연결되지 않습니다");
      expect(ko).not.toContain("VPC01-Private-Subnet-A-RT");
    });

    it("carries the whole entries (instructor and hint, en and ko) in the JSON report, and the component in the summary", () => {
      const json = JSON.parse(jsonReport(damaged, "en"));
      expect(json.status).toBe("fail");
      expect(json.collateral).toEqual([entry]);
      expect(classSummary([damaged])).toContain("collateral damage at VPC01-Private-Subnet-A-RT");
    });
  });

  it("summarizes the class with scores and the labs that could not be graded", () => {
    const s = classSummary([grade], [{ lab: "s03", message: "Access denied" }]);
    expect(s).toContain("1 lab graded, mean score 50%, 1 could not be graded.");
    expect(s).toContain("| s03 | | | error | Access denied |");
  });
});
