import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { grade } from "../../lifecycle/grade";
import { inject } from "../../lifecycle/inject";
import { reset } from "../../lifecycle/reset";
import { findScenario } from "../../scenarios";
import { labSynthDir, openSimLab } from "../helpers/lab";

describe("students' work is preserved", () => {
  it("R10 a student's extra route and extra rule survive reset", async () => {
    // GIVEN alb-sg-blocked injected, and a student who added a route and a rule of their own while exploring
    const cloud = await openSimLab();
    await inject(cloud, findScenario("alb-sg-blocked"), { by: "t" });
    await cloud.apply({ kind: "create-route", routeTable: "VPC01-Private-Subnet-A-RT", destination: "192.168.0.0/16", target: { kind: "tgw", name: "netlab-tgw" } });
    await cloud.apply({ kind: "authorize-sg-rule", securityGroup: "DMZVPC-PrivateSG", direction: "ingress", rule: { protocol: "tcp", fromPort: 443, toPort: 443, cidr: "10.254.0.0/16" } });
    // WHEN reset / THEN the fault is undone and the student's additions are still there
    expect((await reset(cloud, "alb-sg-blocked")).status).toBe("reset");
    const s = await cloud.snapshot();
    expect(s.routeTables.find((t) => t.name === "VPC01-Private-Subnet-A-RT")?.routes.map((r) => r.destination)).toContain("192.168.0.0/16");
    const web = s.securityGroups.find((g) => g.name === "DMZVPC-PrivateSG")!;
    expect(web.ingress.some((r) => r.fromPort === 443 && r.cidr === "10.254.0.0/16")).toBe(true);
    expect(web.ingress.some((r) => r.fromPort === 80 && r.peerSecurityGroupId)).toBe(true);
    await cloud.close();
  });

  it("R11 a different-but-valid repair is graded on the outcome", async () => {
    // GIVEN nat-instance-route injected; the student turns the check off first and re-creates the route
    // through the same ENI but as two /1 routes instead of one default route
    const cloud = await openSimLab();
    await inject(cloud, findScenario("nat-instance-route"), { by: "t" });
    await cloud.apply({ kind: "set-source-dest-check", instance: "NAT-Instance", enabled: false });
    for (const destination of ["0.0.0.0/1", "128.0.0.0/1"]) {
      await cloud.apply({ kind: "create-route", routeTable: "NATInstance-PrivateRouteTable1", destination, target: { kind: "instance-eni", instance: "NAT-Instance" } });
    }
    // WHEN graded / THEN every check passes
    expect((await grade(cloud, findScenario("nat-instance-route"))).status).toBe("pass");
    await cloud.close();
  });
});

describe("security of the synthesized lab", () => {
  const stacks = async () => {
    const dir = join(await labSynthDir(), "stacks");
    return readdirSync(dir).map((s) => JSON.parse(readFileSync(join(dir, s, "cdk.tf.json"), "utf8")) as { resource: Record<string, Record<string, Record<string, unknown>>>; output?: unknown });
  };
  const resources = async (type: string) => (await stacks()).flatMap((s) => Object.values(s.resource[type] ?? {}));

  it("R12 no security group rule admits 22 (or everything) from 0.0.0.0/0", async () => {
    const open = (await resources("aws_vpc_security_group_ingress_rule")).filter((r) => r.cidr_ipv4 === "0.0.0.0/0" && (r.ip_protocol === "-1" || ((r.from_port as number) <= 22 && (r.to_port as number) >= 22)));
    expect(open).toEqual([]);
  });

  it("R13 every instance requires IMDSv2", async () => {
    const instances = await resources("aws_instance");
    expect(instances.length).toBe(12);
    expect(instances.every((i) => (i.metadata_options as { http_tokens?: string })?.http_tokens === "required")).toBe(true);
  });

  it("R14 no secret in user data, outputs or the simulated state", async () => {
    const secret = /password|passwd|chpasswd|secret_?key|AKIA[0-9A-Z]{16}|BEGIN (RSA |OPENSSH )?PRIVATE KEY/i;
    for (const i of await resources("aws_instance")) expect(String(i.user_data)).not.toMatch(secret);
    for (const s of await stacks()) expect(JSON.stringify(s.output ?? {})).not.toMatch(secret);
    const cloud = await openSimLab();
    expect(JSON.stringify(await cloud.snapshot())).not.toMatch(secret);
    await cloud.close();
  });

  it("R15 the student policy cannot touch untagged resources or IAM", async () => {
    const [policy] = await resources("aws_iam_policy");
    const statements = (JSON.parse(String(policy.policy)) as { Statement: { Sid: string; Action: string[]; Resource: string | string[]; Condition?: Record<string, Record<string, string>> }[] }).Statement;
    const writes = statements.filter((s) => s.Action.some((a) => !/:(Describe|Get|List)/.test(a) && !a.startsWith("logs:") && a !== "ssm:DescribeInstanceInformation"));
    for (const s of writes) {
      // Every write is limited by the lab tag, a resource ARN of the lab, or (PassRole) the lab's flow-log role.
      const limited = s.Condition !== undefined || (typeof s.Resource === "string" && s.Resource !== "*") || Array.isArray(s.Resource);
      expect({ sid: s.Sid, limited }).toEqual({ sid: s.Sid, limited: true });
    }
    const iam = statements.flatMap((s) => s.Action).filter((a) => a.startsWith("iam:"));
    expect(iam).toEqual(["iam:PassRole"]);
    const pass = statements.find((s) => s.Action.includes("iam:PassRole"))!;
    expect(pass.Resource).toBe("arn:aws:iam::*:role/netlab-s01-flowlogs-*");
    expect(pass.Condition).toEqual({ StringEquals: { "iam:PassedToService": "vpc-flow-logs.amazonaws.com" } });
  });
});
