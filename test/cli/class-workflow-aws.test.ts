import { XMLParser } from "fast-xml-parser";
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { CLASS_DOC, renderClassDoc } from "../helpers/class-doc";
import { FROM_VPC02_A, runClassWorkflow, stepOf, type ClassRun, type Step } from "../helpers/class-transcript";
import { labSnapshot } from "../helpers/lab";

// The whole class workflow on the AWS backend: the real `lab` CLI (run(argv, io)) against participant
// s01's mocked account at each stage (before deploy, deployed, destroyed, clean). One run feeds every
// test below and the generated guide docs/CLASS-ON-AWS.md.

let r: ClassRun;
beforeAll(async () => {
  r = await runClassWorkflow(await labSnapshot());
});
afterAll(() => r?.cleanup());

const lines = (s: Step) => s.stdout.split("\n");
const commands = (s: Step, kind?: "read" | "change" | "ledger") => s.calls.filter((c) => !kind || c.kind === kind).map((c) => c.command);
const junit = (file: string) => {
  const parsed = new XMLParser({ ignoreAttributes: false }).parse(readFileSync(join(r.cwd, file), "utf8"));
  return [parsed.testsuites.testsuite].flat() as Record<string, unknown>[];
};

describe("before deploy", () => {
  it("lab cost itemizes the class's estimate without a call to AWS", () => {
    // GIVEN a class of 30 for 3 hours  WHEN the instructor asks for the cost
    const s = stepOf(r, "before-deploy", ["cost", "--participants", "30", "--hours", "3"]);
    // THEN it prints the itemized estimate, and no AWS call was made
    expect(s.code).toBe(0);
    expect(s.stdout).toContain("per participant                    $0.76/h");
    expect(s.stdout).toContain("class: 30 participants × 3 h = $68.63");
    expect(s.calls).toEqual([]);
  });

  it("lab preflight: an account with only its default VPC does not fit the 5-VPC default quota; exit 1 with the ways out", () => {
    // GIVEN an account holding only the default VPC, Service Quotas at AWS's defaults  WHEN preflight runs
    const s = stepOf(r, "before-deploy", ["preflight", "--lab", "s01"]);
    // THEN the VPC quota is full, the other quotas fit, and the ways out are printed with the cost estimate
    expect(s.code).toBe(1);
    expect(s.stderr).toBe("");
    expect(lines(s)).toEqual(
      expect.arrayContaining([
        "lab s01: account 123456789012 as arn:aws:iam::123456789012:user/instructor, region ap-northeast-2 — WILL NOT FIT",
        "  FULL VPCs per Region: 1 in use + 5 needed, limit 5",
        "  ok   Internet gateways per Region: 1 in use + 3 needed, limit 5",
        "  ok   EC2-VPC Elastic IPs: 0 in use + 3 needed, limit 5",
        "  ok   Transit gateways per account: 0 in use + 1 needed, limit 5",
        "  way out: Ask for more VPCs: aws service-quotas request-service-quota-increase --service-code vpc --quota-code L-F678F1CE --desired-value 6 --region ap-northeast-2",
      ]),
    );
    expect(s.stdout).toContain("way out: Delete the default VPC of ap-northeast-2");
    expect(s.stdout).toContain("class: 2 participants × 1 h");
    // AND it read the whole region (every VPC, EIP, IGW and TGW counts) and Service Quotas, and changed nothing
    const unfiltered = s.calls.filter((c) => ["DescribeVpcs", "DescribeAddresses", "DescribeInternetGateways", "DescribeTransitGateways"].includes(c.command));
    expect(unfiltered.map((c) => [c.command, (c.input as { Filters?: unknown }).Filters])).toEqual(expect.arrayContaining([["DescribeVpcs", undefined], ["DescribeAddresses", undefined], ["DescribeInternetGateways", undefined], ["DescribeTransitGateways", undefined]]));
    expect(commands(s).filter((c) => c === "GetServiceQuota")).toHaveLength(4);
    expect(commands(s, "change")).toEqual([]);
    expect(commands(s, "ledger")).toEqual([]);
  });

  it("lab preflight: once Service Quotas shows the raised VPC quota, the lab fits; exit 0", () => {
    // GIVEN the same account after a VPC quota increase to 10  WHEN preflight runs
    const s = stepOf(r, "quota-raised", ["preflight", "--lab", "s01"]);
    // THEN every quota fits, the limit read from Service Quotas
    expect(s.code).toBe(0);
    expect(s.stdout).toContain("region ap-northeast-2 — ready");
    expect(s.stdout).toContain("  ok   VPCs per Region: 1 in use + 5 needed, limit 10\n");
    expect(s.stdout).not.toContain("way out");
  });

  it("lab preflight: without access to Service Quotas, it falls back to AWS's defaults and says so", () => {
    // GIVEN credentials that may not call servicequotas:GetServiceQuota  WHEN preflight runs
    const s = stepOf(r, "quota-unreadable", ["preflight", "--lab", "s01"]);
    // THEN every quota is AWS's default, marked so, and the VPC quota is full
    expect(s.code).toBe(1);
    const quotaLines = lines(s).filter((l) => /^ {2}(ok {2}|FULL) /.test(l));
    expect(quotaLines).toHaveLength(4);
    for (const l of quotaLines) expect(l).toMatch(/limit 5 \(AWS default; Service Quotas not readable\)$/);
  });
});

describe("deployed: inject, grade, explain, repair, reset", () => {
  it("lab inject --dry-run prints the changes and their inverses, and changes nothing", () => {
    const s = stepOf(r, "deployed", ["inject", "tgw-default-route", "--lab", "s01", "--dry-run"]);
    expect(s.code).toBe(0);
    expect(s.stdout).toContain("1. delete route 0.0.0.0/0 from VPC02-Private-Subnet-A-RT\n     undo: create route 0.0.0.0/0 → tgw netlab-tgw in VPC02-Private-Subnet-A-RT");
    expect(commands(s, "change")).toEqual([]);
    expect(commands(s, "ledger")).toEqual([]);
    expect(s.after).toEqual({ fingerprint: r.deployed, ledger: [] });
  });

  it("lab inject writes the ledger to Parameter Store before the first change", () => {
    // GIVEN the deployed lab  WHEN the instructor injects tgw-default-route
    const s = stepOf(r, "deployed", ["inject", "tgw-default-route", "--lab", "s01"]);
    // THEN the ledger entry is written (Overwrite: false) before the two routes are deleted
    expect(s.code).toBe(0);
    expect(s.calls.filter((c) => c.kind !== "read").map((c) => c.command)).toEqual(["PutParameter", "DeleteRoute", "DeleteRoute"]);
    expect(s.calls.find((c) => c.command === "PutParameter")?.input).toMatchObject({ Name: "/netlab/s01/ledger/tgw-default-route", Overwrite: false });
    expect(s.after.ledger).toEqual(["/netlab/s01/ledger/tgw-default-route"]);
    expect(s.after.fingerprint).not.toEqual(r.deployed);
    // AND lab status shows the fault, who injected it and when
    const status = stepOf(r, "deployed", ["status", "--lab", "s01"]);
    expect(status.stdout).toMatch(/^lab s01: tgw-default-route active since \d{4}-\d\d-\d\dT[\d:.]+Z \(by instructor@.+, 2 changes\)\n$/);
  });

  it("lab check fails (exit 1), probes both instances with one SSM command, and writes md, json, JUnit, summary and the snapshot", () => {
    const s = stepOf(r, "deployed", ["check", "tgw-default-route", "--lab", "s01", "--report", "md,json,junit", "--out", "reports", "--save-snapshot"]);
    expect(s.code).toBe(1);
    expect(s.stdout).toContain("lab s01 · tgw-default-route · score 0% · FAIL");
    expect(s.stdout).toContain("found no response (curl exit 28)");
    expect(s.stdout).toContain("instructor: blocked at VPC02-Private-Subnet-A-RT (NO_ROUTE)");
    // One probe batch, one SendCommand per script, polled until the result showed: the checks' HTTPS to the internet
    // from both VPC02 instances shares its command with the steady state's from Private-EC2-1 and -2 (what the control
    // plane cannot tell: their way out through NAT-Instance's OS), whose way to the ALB is the second script
    const sends = s.calls.filter((c) => c.command === "SendCommand").map((c) => c.input as { InstanceIds: string[] });
    expect(sends.map((c) => c.InstanceIds.length)).toEqual([4, 2]);
    expect(sends[0].InstanceIds).toEqual(expect.arrayContaining(sends[1].InstanceIds));
    expect(commands(s).filter((c) => c === "ListCommandInvocations").length).toBeGreaterThanOrEqual(2);
    for (const f of ["s01-tgw-default-route.md", "s01-tgw-default-route.json", "tgw-default-route.junit.xml", "tgw-default-route-summary.md", "s01-snapshot/manifest.json"]) {
      expect(existsSync(join(r.cwd, "reports", f))).toBe(true);
    }
    expect(JSON.parse(readFileSync(join(r.cwd, "reports/s01-tgw-default-route.json"), "utf8"))).toMatchObject({ lab: "s01", score: 0, status: "fail" });
    const [suite] = junit("reports/tgw-default-route.junit.xml");
    expect([suite["@_name"], suite["@_tests"], suite["@_failures"]]).toEqual(["s01/tgw-default-route", "3", "2"]);
    expect(s.stdout).toContain("PASS lab-steady-state");
  });

  it("lab check --all: a lab that cannot be read is reported and is an error in the JUnit file; the others are graded", () => {
    // GIVEN a class of two where s02's profile reaches an account without its lab
    // WHEN the class is graded with a JUnit report
    const s = stepOf(r, "deployed", ["check", "tgw-default-route", "--all", "--report", "junit", "--out", "class-reports"]);
    // THEN s01 is graded, s02 is reported (exit 2: configuration), and the JUnit file holds both
    expect(s.code).toBe(2);
    expect(s.stdout).toContain("lab s01 · tgw-default-route · score 0% · FAIL");
    expect(s.stderr).toContain("lab s02: error: Lab s02 is not deployed in account 123456789012");
    const suites = junit("class-reports/tgw-default-route.junit.xml");
    expect(suites.map((x) => [x["@_name"], x["@_failures"], x["@_errors"]])).toEqual([
      ["s01/tgw-default-route", "2", "0"],
      ["s02/tgw-default-route", "0", "1"],
    ]);
    expect((suites[1].testcase as { error: Record<string, string> }).error["@_message"]).toContain("Lab s02 is not deployed");
  });

  it("lab explain, live, names the route table that has no default route", () => {
    const s = stepOf(r, "deployed", ["explain", "--lab", "s01", ...FROM_VPC02_A]);
    expect(s.code).toBe(1);
    expect(s.stdout).toContain("route-table       VPC02-Private-Subnet-A-RT\n  blocked at VPC02-Private-Subnet-A-RT: NO_ROUTE");
    expect(commands(s, "change")).toEqual([]);
  });

  it("lab solve, then lab check passes with an egress IP of a DMZ NAT gateway", () => {
    const solve = stepOf(r, "deployed", ["solve", "tgw-default-route", "--lab", "s01"]);
    expect(solve.code).toBe(0);
    expect(commands(solve, "change")).toEqual(["CreateRoute", "CreateRoute"]);
    const check = stepOf(r, "deployed", ["check", "tgw-default-route", "--lab", "s01"]);
    expect(check.code).toBe(0);
    expect(check.stdout).toContain("score 100% · PASS");
    expect(check.stdout).toContain("with egress IP 203.0.113.10, one of the NAT gateway EIPs of DMZVPC");
  });

  it("lab reset verifies the lab (exit 0), clears the ledger and leaves the account as deployed", () => {
    const s = stepOf(r, "deployed", ["reset", "tgw-default-route", "--lab", "s01"]);
    expect(s.code).toBe(0);
    expect(s.stdout).toContain("lab s01: reset tgw-default-route — 2 checks pass");
    expect(commands(s, "ledger")).toEqual(["DeleteParameter"]);
    expect(s.after).toEqual({ fingerprint: r.deployed, ledger: [] });
    expect(stepOf(r, "deployed", ["status", "--lab", "s01"], 1).stdout).toBe("lab s01: no active fault\n");
  });

  it("lab rehearse runs the scenario end to end on AWS and leaves the account as deployed", () => {
    const s = stepOf(r, "deployed", ["rehearse", "tgw-default-route", "--lab", "s01"]);
    expect(s.code).toBe(0);
    expect(s.stdout).toBe("ok   tgw-default-route (lab s01)\n1 of 1 rehearsals ok\n");
    expect(commands(s, "change").filter((c) => c !== "SendCommand")).toEqual(["DeleteRoute", "DeleteRoute", "CreateRoute", "CreateRoute"]);
    expect(s.after).toEqual({ fingerprint: r.deployed, ledger: [] });
  });

  it("lab snapshot save writes the describe outputs; lab explain --aws-configs analyzes them without AWS", () => {
    const save = stepOf(r, "deployed", ["snapshot", "save", "--lab", "s01", "--out", "saved"]);
    expect(save.code).toBe(0);
    expect(save.stdout).toBe(`lab s01: wrote 26 files to ${join(r.cwd, "saved")}\n`);
    const explain = stepOf(r, "deployed", ["explain", "--aws-configs", "saved", ...FROM_VPC02_A]);
    expect(explain.code).toBe(0);
    expect(explain.stdout).toContain("VPC02-Private-A-10.2.20.101 → internet: reachable");
    expect(explain.stdout).toContain("egress IP: 203.0.113.10");
    expect(explain.calls).toEqual([]);
  });
});

describe("after destroy", () => {
  it("lab leftovers lists what an interrupted destroy left, with its hourly cost; exit 1", () => {
    // GIVEN the lab destroyed except the NAT instance's EIP and the flow-log group (and the account's default VPC)
    const s = stepOf(r, "destroyed", ["leftovers", "--lab", "s01"]);
    // THEN both are listed with their cost, and nothing of the default VPC
    expect(s.code).toBe(1);
    expect(s.stdout).toBe(
      ["lab s01: 2 left, about $0.005/h", "  Elastic IP eipalloc-65b5b44a9e85cf0fd (NAT-Instance-EIP) $0.0050/h", "  log group (billed by stored GB) /aws/vpc/flowlogs", ""].join("\n"),
    );
    // AND the log group's tags were read by its ARN without the trailing ":*"
    expect(s.calls.filter((c) => c.command === "ListTagsForResource").map((c) => c.input)).toEqual([{ resourceArn: "arn:aws:logs:ap-northeast-2:123456789012:log-group:/aws/vpc/flowlogs" }]);
  });

  it("lab leftovers on a clean account: nothing left, exit 0", () => {
    const s = stepOf(r, "clean", ["leftovers", "--lab", "s01"]);
    expect(s.code).toBe(0);
    expect(s.stdout).toBe("lab s01: nothing left\n");
  });
});

describe("the whole run", () => {
  it("no command met a call the mocked account does not implement, and only the --all check wrote to stderr", () => {
    expect(r.steps.filter((s) => s.stderr).map((s) => s.argv.join(" "))).toEqual(["check tgw-default-route --all --report junit --out class-reports"]);
    expect(r.steps.map((s) => s.stderr).join("")).not.toContain("NotImplementedInMock");
  });

  it(`${CLASS_DOC} is the transcript of a fresh run (regenerate: npx tsx test/helpers/class-doc.ts)`, () => {
    // GIVEN the committed guide  WHEN the workflow is run again  THEN the guide is what this run renders, every command shown
    const doc = readFileSync(resolve(__dirname, "../..", CLASS_DOC), "utf8");
    const fresh = renderClassDoc(r);
    for (const s of r.steps) expect(fresh).toContain(`$ npx lab ${s.argv.join(" ")}\n`);
    expect(doc).toBe(fresh);
  });
});
