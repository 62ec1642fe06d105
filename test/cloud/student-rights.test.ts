import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { allowingStatement, snapshotResolver, studentChangeForms, studentMayMake, studentStatements, type IamRequest } from "../../cloud/student-rights";
import type { PolicyStatement } from "../../stacks/constructs/student-policy-statements";
import { labSnapshot, labSynthDir } from "../helpers/lab";

const request = (over: Partial<IamRequest> = {}): IamRequest => ({
  action: "ec2:CreateRoute",
  resource: "arn:aws:ec2:ap-northeast-2:111122223333:route-table/rtb-1",
  context: { "aws:ResourceTag/netlab:lab": "s01" },
  what: "route table X",
  ...over,
});

describe("what a student may change is read from the student policy itself", () => {
  it("is the same policy that the stacks deploy", async () => {
    // GIVEN the synthesized student policy of lab s01
    const dir = join(await labSynthDir(), "stacks");
    const policies = readdirSync(dir).flatMap((st) => Object.values((JSON.parse(readFileSync(join(dir, st, "cdk.tf.json"), "utf8")) as { resource: Record<string, Record<string, { policy?: string }>> }).resource.aws_iam_policy ?? {}));
    expect(policies).toHaveLength(1);
    const deployed = (JSON.parse(String(policies[0].policy)) as { Statement: PolicyStatement[] }).Statement;
    const zone = deployed.find((st) => st.Sid === "AssociateLabZone")!.Resource as string;
    // WHEN the statements lab try evaluates are built for the same lab and zone
    const evaluated = studentStatements("s01", zone.replace("arn:aws:route53:::hostedzone/", ""));
    // THEN they are the deployed ones, statement for statement
    expect(JSON.parse(JSON.stringify(evaluated))).toEqual(deployed);
  });

  it("offers exactly the kinds the policy allows, and refuses the others with the missing action", () => {
    // GIVEN the student policy / WHEN asked which kinds a student may make
    const { allowed, refused } = studentChangeForms();
    // THEN these, each with its way, and the refused ones with the action no statement grants
    expect(allowed.map((f) => [f.kind, f.direction ?? ""])).toEqual([
      ["create-route", ""],
      ["replace-route", ""],
      ["stop-instance", ""],
      ["start-instance", ""],
      ["set-source-dest-check", ""],
      ["revoke-sg-rule", "ingress"],
      ["authorize-sg-rule", "ingress"],
      ["deregister-target", ""],
      ["register-target", ""],
      ["associate-zone", ""],
      ["create-flow-log", ""],
      ["set-os-state", ""],
    ]);
    expect(refused.map((f) => [f.kind, f.direction ?? "", /no statement allows (\S+)/.exec(f.reason)?.[1]])).toEqual([
      ["delete-route", "", "ec2:DeleteRoute"],
      ["revoke-sg-rule", "egress", "ec2:RevokeSecurityGroupEgress"],
      ["authorize-sg-rule", "egress", "ec2:AuthorizeSecurityGroupEgress"],
      ["disassociate-zone", "", "route53:DisassociateVPCFromHostedZone"],
      ["delete-flow-log", "", "ec2:DeleteFlowLogs"],
    ]);
  });

  it("follows the statements: a policy without the route statement offers no create-route", () => {
    // GIVEN the policy without its RepairLabRoutes statement
    const statements = studentStatements("s01", "Z0EXAMPLE").filter((st) => st.Sid !== "RepairLabRoutes");
    // WHEN the kinds are derived from it / THEN create-route is refused, for want of ec2:CreateRoute on the route table
    const { allowed, refused } = studentChangeForms("s01", "Z0EXAMPLE", statements);
    expect(allowed.map((f) => f.kind)).not.toContain("create-route");
    expect(refused.find((f) => f.kind === "create-route")?.reason).toContain("no statement allows ec2:CreateRoute on route table");
  });

  it("stops an instance only from inside the OS, and says so when Run Command is not allowed either", () => {
    // GIVEN the policy without its Run Command statements
    const statements = studentStatements("s01", "Z0EXAMPLE").filter((st) => !["CommandsOnLabInstances", "CommandDocuments"].includes(st.Sid));
    // WHEN the kinds are derived / THEN stop-instance is refused, naming both ways
    const reason = studentChangeForms("s01", "Z0EXAMPLE", statements).refused.find((f) => f.kind === "stop-instance")?.reason;
    expect(reason).toContain("the EC2 API (StopInstances): no statement allows ec2:StopInstances on instance i");
    expect(reason).toContain("; or inside the OS, by Run Command or Session Manager (sudo shutdown -h now): no statement allows ssm:SendCommand on instance i");
  });
});

describe("the IAM evaluation lab try makes", () => {
  const statements = studentStatements("s01", "Z0EXAMPLE");

  it("allows the lab's own route table", () => {
    expect(allowingStatement(statements, request())?.Sid).toBe("RepairLabRoutes");
  });

  it("denies another lab's route table (its tag does not match)", () => {
    expect(allowingStatement(statements, request({ context: { "aws:ResourceTag/netlab:lab": "s02" } }))).toBeUndefined();
  });

  it("denies a resource without the tag (a condition on a missing key does not hold)", () => {
    expect(allowingStatement(statements, request({ context: {} }))).toBeUndefined();
  });

  it("matches actions without regard to case, and resource ARNs by type", () => {
    expect(allowingStatement(statements, request({ action: "EC2:createroute" }))?.Sid).toBe("RepairLabRoutes");
    expect(allowingStatement(statements, request({ resource: "arn:aws:ec2:ap-northeast-2:111122223333:vpc/vpc-1" }))).toBeUndefined();
  });

  it("treats a condition operator it does not know as not holding", () => {
    const odd: PolicyStatement[] = [{ Sid: "X", Effect: "Allow", Action: ["ec2:CreateRoute"], Resource: "*", Condition: { StringLike: { "aws:ResourceTag/netlab:lab": "s0*" } } }];
    expect(allowingStatement(odd, request())).toBeUndefined();
  });

  it("allows the lab's zone only", async () => {
    // GIVEN the lab, and a policy that names another zone
    const s = await labSnapshot();
    const change = { kind: "associate-zone" as const, zone: "netlab.internal", vpc: "VPC02" };
    // WHEN asked / THEN the lab's zone is allowed, the other policy's is not
    expect(studentMayMake(studentStatements("s01", s.hostedZones[0].id), change, snapshotResolver(s)).allowed).toBe(true);
    const other = studentMayMake(studentStatements("s01", "ZOTHER"), change, snapshotResolver(s));
    expect(other).toMatchObject({ allowed: false, code: "AccessDenied" });
  });

  it("refuses a change to a resource that does not carry the lab's tag", async () => {
    // GIVEN a lab whose VPC01 route table lost its lab tag
    const s = await labSnapshot();
    const rt = s.routeTables.find((t) => t.name === "VPC01-Private-Subnet-A-RT")!;
    rt.tags = { Name: rt.name };
    // WHEN a student creates a route in it / THEN the policy refuses it
    const p = studentMayMake(studentStatements("s01", s.hostedZones[0].id), { kind: "create-route", routeTable: rt.name, destination: "10.9.0.0/16", target: { kind: "tgw", name: "netlab-tgw" } }, snapshotResolver(s));
    expect(p).toMatchObject({ allowed: false, code: "UnauthorizedOperation" });
  });
});
