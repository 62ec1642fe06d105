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

  it("R15 the student policy scopes every write by its resource type and the lab's tag, zone, log group or role", async () => {
    // GIVEN the synthesized student policy of lab s01
    const [policy] = await resources("aws_iam_policy");
    type Condition = Record<string, Record<string, string>>;
    const statements = (JSON.parse(String(policy.policy)) as { Statement: { Sid: string; Effect: string; Action: string[]; Resource: string | string[]; Condition?: Condition }[] }).Statement;
    // WHEN every (action, resources, condition) grant is listed per action
    const grants = new Map<string, { resources: string[]; condition?: Condition }[]>();
    for (const s of statements) {
      expect({ sid: s.Sid, effect: s.Effect }).toEqual({ sid: s.Sid, effect: "Allow" });
      const resources = (Array.isArray(s.Resource) ? s.Resource : [s.Resource]).slice().sort();
      for (const a of s.Action) grants.set(a, [...(grants.get(a) ?? []), { resources, ...(s.Condition ? { condition: s.Condition } : {}) }]);
    }
    const onAnyResource = [...grants].filter(([, gs]) => gs.some((g) => g.resources.includes("*"))).map(([a]) => a);
    const scoped = Object.fromEntries([...grants].filter(([a]) => !onAnyResource.includes(a)));
    // THEN an action on every resource ("*") is a read by its name (Describe…, Get…, List…), with no exemption by service,
    // AND every other action is granted exactly on these resource types, under exactly these conditions.
    // A condition only bites for the resource types of the action that support its key (service authorization reference),
    // so the resource type is asserted with it.
    const ec2 = (type: string) => `arn:aws:ec2:*:*:${type}/*`;
    const tagged = { StringEquals: { "aws:ResourceTag/netlab:lab": "s01" } };
    const routeTable = { resources: [ec2("route-table")], condition: tagged };
    // Route targets, should EC2 authorize them: the route table above is still required to be the lab's.
    const routeTargets = { resources: [ec2("internet-gateway"), ec2("natgateway"), ec2("network-interface"), ec2("transit-gateway")] };
    const instance = { resources: [ec2("instance")], condition: tagged };
    const securityGroup = { resources: [ec2("security-group-rule"), ec2("security-group")], condition: tagged };
    const targetGroup = { resources: ["arn:aws:elasticloadbalancing:*:*:targetgroup/*/*"], condition: tagged };
    const ssmInstance = { resources: [ec2("instance")], condition: { StringEquals: { "ssm:resourceTag/netlab:lab": "s01" } } };
    const documents = { resources: ["arn:aws:ssm:*:*:document/SSM-SessionManagerRunShell", "arn:aws:ssm:*::document/AWS-RunShellScript", "arn:aws:ssm:*::document/AWS-StartInteractiveCommand"] };
    // "$${" is Terraform's escape: AWS receives the IAM variable ${aws:userid}.
    const ownSessions = { resources: ["arn:aws:ssm:*:*:session/$${aws:userid}-*", "arn:aws:ssm:*:*:session/$${aws:username}-*"] };
    const flowLogGroup = { resources: ["arn:aws:logs:*:*:log-group:/aws/vpc/flowlogs", "arn:aws:logs:*:*:log-group:/aws/vpc/flowlogs:*"] };
    const newFlowLog = { StringEquals: { "aws:RequestTag/netlab:lab": "s01" } };
    const expected: Record<string, unknown[]> = {
      "ec2:CreateRoute": [routeTable, routeTargets],
      "ec2:ReplaceRoute": [routeTable, routeTargets],
      "ec2:StartInstances": [instance],
      "ec2:ModifyInstanceAttribute": [instance],
      "ec2:AuthorizeSecurityGroupIngress": [securityGroup],
      "ec2:RevokeSecurityGroupIngress": [securityGroup],
      "elasticloadbalancing:RegisterTargets": [targetGroup],
      "elasticloadbalancing:DeregisterTargets": [targetGroup],
      "ssm:SendCommand": [ssmInstance, documents],
      "ssm:StartSession": [ssmInstance, documents],
      "ssm:TerminateSession": [ownSessions],
      "ssm:ResumeSession": [ownSessions],
      "logs:FilterLogEvents": [flowLogGroup],
      "logs:StartQuery": [flowLogGroup],
      "route53:AssociateVPCWithHostedZone": [{ resources: [expect.stringMatching(/^arn:aws:route53:::hostedzone\/\$\{aws_route53_zone\.[^}]+\.zone_id\}$/)] }],
      // The watched VPC must be the lab's; the new flow log must carry the lab's tag.
      "ec2:CreateFlowLogs": [{ resources: [ec2("vpc")], condition: tagged }, { resources: [ec2("vpc-flow-log")], condition: newFlowLog }],
      // Tags only in the CreateFlowLogs call: never on an existing resource.
      "ec2:CreateTags": [{ resources: [ec2("vpc-flow-log")], condition: { StringEquals: { "ec2:CreateAction": "CreateFlowLogs", "aws:RequestTag/netlab:lab": "s01" } } }],
      "iam:PassRole": [{ resources: ["arn:aws:iam::*:role/netlab-s01-flowlogs-*"], condition: { StringEquals: { "iam:PassedToService": "vpc-flow-logs.amazonaws.com" } } }],
    };
    // (one comparison, so that a failure shows every difference at once)
    expect({ notReadsOnAnyResource: onAnyResource.filter((a) => !/^[a-z0-9-]+:(Describe|Get|List)[A-Za-z]*\*?$/.test(a)), scoped }).toEqual({ notReadsOnAnyResource: [], scoped: expected });
    // AND the only IAM action is that PassRole
    expect([...grants.keys()].filter((a) => a.startsWith("iam:"))).toEqual(["iam:PassRole"]);
  });
});
