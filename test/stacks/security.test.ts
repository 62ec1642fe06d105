import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { byNameTag, follow, ref, resourcesOf, single, stackOf, synthLab, userDataText, type SynthStack, type TfBlock, type TfJson } from "./synth-helpers";

let core: SynthStack;
let nat: SynthStack;
const BOTH = ["netlab-s01-core", "netlab-s01-natinstance"];
/** it.each's table is built before beforeAll runs, so tests name a stack and look it up here. */
const stackNamed = (name: string): SynthStack => (name === "netlab-s01-core" ? core : nat);

beforeAll(() => {
  // GIVEN the default config (one participant, s01, both variants)
  const lab = synthLab({});
  core = stackOf(lab, "netlab-s01-core");
  nat = stackOf(lab, "netlab-s01-natinstance");
});

const WORLD = ["0.0.0.0/0", "::/0"];

/** True when an ingress rule admits `port` (TCP), counting "all traffic" and port ranges. */
function admitsTcpPort(rule: TfBlock, port: number): boolean {
  if (rule.ip_protocol === "-1" || rule.ip_protocol === "all") return true;
  if (rule.ip_protocol !== "tcp" && rule.ip_protocol !== "6") return false;
  return rule.from_port <= port && port <= rule.to_port;
}

function isWorld(rule: TfBlock): boolean {
  return WORLD.includes(rule.cidr_ipv4) || WORLD.includes(rule.cidr_ipv6);
}

interface Statement {
  Sid?: string;
  Effect: string;
  Action: string | string[];
  Resource: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}

const actionsOf = (s: Statement): string[] => (Array.isArray(s.Action) ? s.Action : [s.Action]);
const resourcesOfStatement = (s: Statement): string[] => (Array.isArray(s.Resource) ? s.Resource : [s.Resource]);

function studentStatements(tf: TfJson): Statement[] {
  const [, policy] = single(tf, "aws_iam_policy", (p) => typeof p.name === "string" && p.name.includes("student"), "the student policy");
  return (JSON.parse(policy.policy) as { Statement: Statement[] }).Statement;
}

describe("instances", () => {
  it.each(BOTH)("%s: every instance requires IMDSv2 tokens and has no key pair", (name) => {
    const stack = stackNamed(name);
    // GIVEN the stack's instances
    const instances = resourcesOf(stack.tf, "aws_instance");
    expect(instances.length).toBeGreaterThan(0);
    // THEN each one requires IMDSv2 and has no key_name
    for (const [id, instance] of instances) {
      expect({ id, http_tokens: instance.metadata_options?.http_tokens }).toEqual({ id, http_tokens: "required" });
      expect({ id, key_name: instance.key_name }).toEqual({ id, key_name: undefined });
    }
    expect(resourcesOf(stack.tf, "aws_key_pair")).toHaveLength(0);
  });

  it.each(BOTH)("%s: the instance role has exactly one policy, AmazonSSMManagedInstanceCore", (name) => {
    const stack = stackNamed(name);
    // GIVEN the role that EC2 assumes
    const [roleId, role] = single(stack.tf, "aws_iam_role", (r) => r.assume_role_policy.includes("ec2.amazonaws.com"), "the EC2 instance role");
    const roleRefs = [ref("aws_iam_role", roleId, "name"), ref("aws_iam_role", roleId, "id")];
    // THEN one managed policy is attached to it, SSM core, and nothing else grants it rights
    const attachments = resourcesOf(stack.tf, "aws_iam_role_policy_attachment").filter(([, a]) => roleRefs.includes(a.role));
    expect(attachments.map(([, a]) => a.policy_arn)).toEqual(["arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"]);
    expect(resourcesOf(stack.tf, "aws_iam_role_policy").filter(([, p]) => roleRefs.includes(p.role))).toHaveLength(0);
    expect(resourcesOf(stack.tf, "aws_iam_role_policy_attachments_exclusive")).toHaveLength(0);
    expect(role.managed_policy_arns).toBeUndefined();
    expect(role.inline_policy).toBeUndefined();
    // AND every instance uses the profile of that role
    const [profileId, profile] = single(stack.tf, "aws_iam_instance_profile", () => true, "the instance profile");
    expect(roleRefs).toContain(profile.role);
    for (const [, instance] of resourcesOf(stack.tf, "aws_instance")) expect(instance.iam_instance_profile).toBe(ref("aws_iam_instance_profile", profileId, "name"));
  });
});

describe("security groups", () => {
  it.each(BOTH)("%s: no ingress rule admits SSH or all traffic from 0.0.0.0/0", (name) => {
    const stack = stackNamed(name);
    const offenders = resourcesOf(stack.tf, "aws_vpc_security_group_ingress_rule").filter(([, r]) => isWorld(r) && admitsTcpPort(r, 22));
    expect(offenders.map(([id]) => id)).toEqual([]);
    expect(stack.json).not.toHaveResourceWithProperties(VpcSecurityGroupIngressRule, { cidr_ipv4: "0.0.0.0/0", ip_protocol: "-1" });
  });

  it("only the ALB's SG admits anything from the internet, and only HTTP on 80", () => {
    const open = [...resourcesOf(core.tf, "aws_vpc_security_group_ingress_rule"), ...resourcesOf(nat.tf, "aws_vpc_security_group_ingress_rule")].filter(([, r]) => isWorld(r));
    expect(open).toHaveLength(1);
    const [, rule] = open[0];
    expect(follow(core.tf, rule.security_group_id).block.name).toBe("DMZVPC-ALB-SG");
    expect(rule).toMatchObject({ ip_protocol: "tcp", from_port: 80, to_port: 80 });
  });

  it.each(BOTH)("%s: no security group has inline rules and no legacy aws_security_group_rule is used", (name) => {
    const stack = stackNamed(name);
    for (const [id, sg] of resourcesOf(stack.tf, "aws_security_group")) {
      expect({ id, ingress: sg.ingress, egress: sg.egress }).toEqual({ id, ingress: undefined, egress: undefined });
    }
    expect(resourcesOf(stack.tf, "aws_security_group_rule")).toHaveLength(0);
  });

  it.each(BOTH)("%s: every security group has at least one explicit egress rule (Terraform drops AWS's default)", (name) => {
    const stack = stackNamed(name);
    const egress = resourcesOf(stack.tf, "aws_vpc_security_group_egress_rule").map(([, r]) => r.security_group_id as string);
    for (const [id, sg] of resourcesOf(stack.tf, "aws_security_group")) {
      expect({ sg: sg.name, hasEgress: egress.includes(ref("aws_security_group", id, "id")) }).toEqual({ sg: sg.name, hasEgress: true });
    }
  });

  it("the ALB's SG may send HTTP on 80 to the web targets", () => {
    const [albSgId] = single(core.tf, "aws_security_group", (g) => g.name === "DMZVPC-ALB-SG", "DMZVPC-ALB-SG");
    const rules = resourcesOf(core.tf, "aws_vpc_security_group_egress_rule").filter(([, r]) => r.security_group_id === ref("aws_security_group", albSgId, "id"));
    expect(rules.some(([, r]) => admitsTcpPort(r, 80))).toBe(true);
  });

  it("the web targets admit port 80 from the ALB's SG, not from a CIDR", () => {
    const [albSgId] = single(core.tf, "aws_security_group", (g) => g.name === "DMZVPC-ALB-SG", "DMZVPC-ALB-SG");
    const [webSgId] = single(core.tf, "aws_security_group", (g) => g.name === "DMZVPC-PrivateSG", "DMZVPC-PrivateSG");
    const http = resourcesOf(core.tf, "aws_vpc_security_group_ingress_rule").filter(([, r]) => r.security_group_id === ref("aws_security_group", webSgId, "id") && admitsTcpPort(r, 80));
    expect(http).toHaveLength(1);
    expect(http[0][1].referenced_security_group_id).toBe(ref("aws_security_group", albSgId, "id"));
    expect(http[0][1].cidr_ipv4).toBeUndefined();
  });
});

describe("user data", () => {
  it.each(BOTH)("%s: no user data mentions a password", (name) => {
    const stack = stackNamed(name);
    for (const [id, instance] of resourcesOf(stack.tf, "aws_instance")) {
      const text = userDataText(instance);
      expect(text.length).toBeGreaterThan(0);
      for (const word of ["password", "passwd", "chpasswd", "PasswordAuthentication"]) {
        expect({ id, word, found: text.toLowerCase().includes(word.toLowerCase()) }).toEqual({ id, word, found: false });
      }
    }
  });

  it("the NAT instance forwards IPv4, masquerades on the default route's interface (not eth0), saves the rules and restores them at boot", () => {
    const text = userDataText(byNameTag(nat.tf, "aws_instance", "NAT-Instance")[1]);
    expect(text).toMatch(/net\.ipv4\.ip_forward\s*=\s*1/);
    expect(text).toMatch(/IF=\$\(ip route show default[^\n]*\)/);
    expect(text).toMatch(/POSTROUTING -o "\$IF" -j MASQUERADE/);
    expect(text).not.toMatch(/\beth0\b/);
    expect(text).toMatch(/iptables-save > \/etc\/sysconfig\/iptables/);
    expect(text).toMatch(/^systemctl enable iptables\b/m);
  });

  it("the NAT instance retries dnf for a bounded time and fails loudly (non-zero) if it never succeeds", () => {
    const text = userDataText(byNameTag(nat.tf, "aws_instance", "NAT-Instance")[1]);
    // GIVEN the line that installs iptables-services
    const install = text.split("\n").findIndex((l) => l.includes("until dnf install -y -q iptables-services"));
    expect(install).toBeGreaterThan(0);
    // THEN it is inside a bounded retry whose failure reaches `fail`, which logs and exits 1
    expect(text).toMatch(/deadline=\$\(\(SECONDS \+ \d+\)\)/);
    expect(text).toMatch(/\) \|\| fail "dnf could not install iptables-services/);
    expect(text).toMatch(/^fail\(\) \{ log "FAILED: \$\*"; exit 1; \}$/m);
    expect(text).not.toMatch(/\|\| true\s*$/m);
  });

  it.each([
    ["core", "DMZVPC-Private-A-10.11.20.101", "DMZVPC"],
    ["natinstance", "NAT-Instance", "NATInstance-VPC1"],
  ])("%s: %s installs packages at boot, so it waits for its VPC's S3 gateway endpoint and its subnet's route table", (stack, name, vpc) => {
    const tf = stackNamed(`netlab-s01-${stack}`).tf;
    const [, instance] = byNameTag(tf, "aws_instance", name);
    const [s3Id] = single(tf, "aws_vpc_endpoint", (e) => e.service_name === "com.amazonaws.ap-northeast-2.s3" && follow(tf, e.vpc_id).block.tags.Name === vpc, `${vpc} S3`);
    const [rtaId] = single(tf, "aws_route_table_association", (a) => a.subnet_id === instance.subnet_id, `${name}'s subnet`);
    expect(instance.depends_on).toEqual(expect.arrayContaining([`aws_vpc_endpoint.${s3Id}`, `aws_route_table_association.${rtaId}`]));
  });

  it.each(BOTH)("%s: no user data holds ${ or %{, which Terraform would read as an interpolation", (name) => {
    for (const [id, instance] of resourcesOf(stackNamed(name).tf, "aws_instance")) {
      expect({ id, interpolation: /\$\{|%\{/.test(userDataText(instance)) }).toEqual({ id, interpolation: false });
    }
  });

  /** The lines between `<<'TAG'` and the closing TAG of a heredoc in a script. */
  function heredoc(text: string, tag: string): string {
    const m = new RegExp(`<<'${tag}'\\n([\\s\\S]*?)\\n${tag}\\n`).exec(text);
    return m ? m[1] : "";
  }

  it.each(["DMZVPC-Private-A-10.11.20.101", "DMZVPC-Private-A-10.11.20.102", "DMZVPC-Private-B-10.11.24.101", "DMZVPC-Private-B-10.11.24.102"])(
    "web target %s serves /ec2meta-webpage/index.php reading IMDSv2 both from PHP and from the python fallback",
    (name) => {
      const text = userDataText(byNameTag(core.tf, "aws_instance", name)[1]);
      // GIVEN the PHP page and the fallback server, each as written to disk
      const php = heredoc(text, "PHP");
      const fallback = heredoc(text, "PY");
      expect(text).toMatch(/cat > \/var\/www\/html\/ec2meta-webpage\/index\.php <<'PHP'/);
      // THEN the PHP asks for a token with PUT and sends it with the metadata request
      expect(php).toMatch(/'method' => 'PUT', 'header' => "X-aws-ec2-metadata-token-ttl-seconds: \d+"/);
      expect(php).toMatch(/\$token = @file_get_contents\('http:\/\/169\.254\.169\.254\/latest\/api\/token'/);
      expect(php).toMatch(/'header' => "X-aws-ec2-metadata-token: \$token"/);
      expect(php).toMatch(/latest\/meta-data\/\$path", false, \$g/);
      // AND so does the fallback, which answers the page's path as text/html
      expect(fallback).toMatch(/Request\(IMDS \+ "\/api\/token", method="PUT", headers=\{"X-aws-ec2-metadata-token-ttl-seconds": "\d+"\}\)/);
      expect(fallback).toMatch(/Request\(IMDS \+ "\/meta-data\/" \+ path, headers=\{"X-aws-ec2-metadata-token": token\}\)/);
      expect(fallback).toContain('IMDS = "http://169.254.169.254/latest"');
      expect(fallback).toContain('!= "/ec2meta-webpage/index.php"');
      expect(fallback).toContain('send_header("Content-Type", "text/html; charset=utf-8")');
    },
  );

  it("a web target retries the httpd + PHP install for a bounded time behind the fallback, and starts PHP-FPM with httpd", () => {
    const text = userDataText(byNameTag(core.tf, "aws_instance", "DMZVPC-Private-A-10.11.20.101")[1]);
    expect(text.indexOf("systemctl enable --now netlab-web")).toBeGreaterThan(0);
    expect(text.indexOf("systemctl enable --now netlab-web")).toBeLessThan(text.indexOf("until dnf install -y -q httpd php"));
    expect(text).toMatch(/deadline=\$\(\(SECONDS \+ \d+\)\)/);
    expect(text).toMatch(/systemctl enable --now php-fpm httpd/);
  });
});

describe("student IAM policy", () => {
  it("grants nothing on IAM but passing the lab's flow-log role to the flow-logs service", () => {
    const statements = studentStatements(core.tf);
    const iam = statements.filter((s) => actionsOf(s).some((a) => a.toLowerCase().startsWith("iam:")));
    expect(iam).toHaveLength(1);
    const [pass] = iam;
    expect(actionsOf(pass)).toEqual(["iam:PassRole"]);
    for (const r of resourcesOfStatement(pass)) expect(r).toMatch(/^arn:aws:iam::[^:]*:role\/netlab-s01-flowlogs-/);
    expect(pass.Condition?.StringEquals?.["iam:PassedToService"]).toBe("vpc-flow-logs.amazonaws.com");
  });

  it("no statement allows everything", () => {
    for (const s of studentStatements(core.tf)) {
      for (const a of actionsOf(s)) expect(a).not.toMatch(/^\*$|^[a-z0-9-]+:\*$/);
    }
  });

  it("the repairs act on route tables, instances, security groups and target groups tagged netlab:lab = s01", () => {
    // GIVEN the student policy's statements that grant the scenarios' repairs
    const statements = studentStatements(core.tf);
    const repairs: Array<[string, string]> = [
      ["ec2:CreateRoute", "arn:aws:ec2:*:*:route-table/*"],
      ["ec2:StartInstances", "arn:aws:ec2:*:*:instance/*"],
      ["ec2:ModifyInstanceAttribute", "arn:aws:ec2:*:*:instance/*"],
      ["ec2:AuthorizeSecurityGroupIngress", "arn:aws:ec2:*:*:security-group/*"],
      ["ec2:RevokeSecurityGroupIngress", "arn:aws:ec2:*:*:security-group/*"],
      ["elasticloadbalancing:RegisterTargets", "arn:aws:elasticloadbalancing:*:*:targetgroup/*/*"],
    ];
    for (const [action, resource] of repairs) {
      // WHEN the statement granting the action on that resource type is looked up
      const granting = statements.filter((s) => actionsOf(s).includes(action) && resourcesOfStatement(s).includes(resource));
      // THEN there is one, and it requires the lab's tag on the resource
      expect({ action, count: granting.length, tag: granting[0]?.Condition?.StringEquals?.["aws:ResourceTag/netlab:lab"] }).toEqual({ action, count: 1, tag: "s01" });
    }
  });

  it("every statement on Resource * only reads", () => {
    for (const s of studentStatements(core.tf).filter((x) => resourcesOfStatement(x).includes("*"))) {
      expect(s.Condition).toBeUndefined();
      for (const a of actionsOf(s)) {
        expect({ sid: s.Sid, action: a, readOnly: /^[a-z0-9-]+:(Describe|Get|List)/.test(a) }).toEqual({ sid: s.Sid, action: a, readOnly: true });
      }
    }
  });

  it("a student may tag only the flow log they create, in the same call", () => {
    const tagging = studentStatements(core.tf).filter((s) => actionsOf(s).includes("ec2:CreateTags"));
    expect(tagging).toHaveLength(1);
    expect(resourcesOfStatement(tagging[0])).toEqual(["arn:aws:ec2:*:*:vpc-flow-log/*"]);
    expect(tagging[0].Condition?.StringEquals?.["ec2:CreateAction"]).toBe("CreateFlowLogs");
  });
});

describe("outputs", () => {
  it.each([
    ["core", ["alb_dns_name", "nat_gateway_eips", "instance_ids"]],
    ["natinstance", ["nat_instance_eip", "instance_ids"]],
  ])("the %s stack outputs %j", (variant, names) => {
    const tf = variant === "core" ? core.tf : nat.tf;
    for (const n of names) expect(Object.keys(tf.output ?? {})).toContain(n);
  });

  it("nat_gateway_eips are the public IPs of the two DMZ NAT gateways' EIPs", () => {
    const value = core.tf.output!.nat_gateway_eips.value as string[];
    expect(value).toHaveLength(2);
    const eipRefs = resourcesOf(core.tf, "aws_nat_gateway").map(([, n]) => follow(core.tf, n.allocation_id).id);
    expect(value.map((v) => follow(core.tf, v)).map((e) => [e.type, e.attr])).toEqual([
      ["aws_eip", "public_ip"],
      ["aws_eip", "public_ip"],
    ]);
    expect(value.map((v) => follow(core.tf, v).id).sort()).toEqual(eipRefs.sort());
  });

  it("nat_instance_eip is the public IP of the NAT-Instance's EIP", () => {
    const [natId] = byNameTag(nat.tf, "aws_instance", "NAT-Instance");
    const [eipId] = single(nat.tf, "aws_eip", (e) => e.instance === ref("aws_instance", natId, "id"), "the NAT-Instance's EIP");
    expect(nat.tf.output!.nat_instance_eip.value).toEqual([ref("aws_eip", eipId, "public_ip")]);
  });

  it("instance_ids name every instance of the stack", () => {
    expect(Object.keys(core.tf.output!.instance_ids.value as object).sort()).toEqual(resourcesOf(core.tf, "aws_instance").map(([, i]) => i.tags.Name).sort());
    expect(Object.keys(nat.tf.output!.instance_ids.value as object).sort()).toEqual(["NAT-Instance", "Private-EC2-1", "Private-EC2-2"]);
  });
});
