import type { Snapshot } from "../network/snapshot";
import { LAB_TAG } from "../stacks/constructs/names";
import { studentPolicyStatements, type PolicyStatement } from "../stacks/constructs/student-policy-statements";
import { LAB_TOPOLOGY } from "../topology/lab";
import type { Change, ChangeKind, RouteTargetRef } from "./change";
import { findInstance, findRouteTable, findSecurityGroup, findTargetGroup, findVpc, findZone } from "./model-lookup";

/**
 * What a student may change on AWS, decided by the student's own IAM policy (the statements that
 * stacks/constructs/student-policy-statements.ts deploys), so that `lab try` refuses on the simulated lab
 * exactly what AWS would refuse the student. Each change is turned into the IAM requests that making it
 * sends (the calls cloud/aws/apply.ts makes, or the Run Command a student would send instead), and each
 * request is evaluated the way IAM evaluates an identity policy with no deny: allowed when one Allow
 * statement matches its action, its resource ARN and every condition; denied otherwise (implicit deny).
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
 */

/** One authorization AWS makes: an action on one resource, with the condition keys it carries. */
export interface IamRequest {
  action: string;
  resource: string;
  /** Condition keys and their values for this request (aws:ResourceTag/…, aws:RequestTag/…, …). */
  context: Readonly<Record<string, string>>;
  /** The resource in words, for messages. */
  what: string;
}

/** One way a student can make a change: an API call, or a command run inside the instance. */
export interface Way {
  /** "the EC2 API (StopInstances)", "inside the OS by Run Command (sudo shutdown -h now)" */
  label: string;
  requests: IamRequest[];
  /** The error code AWS answers when the policy does not allow it. */
  deniedCode: string;
  /** Set when the way is a command run inside this instance: Run Command must reach it. */
  insideInstance?: string;
}

/** The statements of the student policy of `lab`, whose private zone is `hostedZoneId`. */
export function studentStatements(lab: string, hostedZoneId: string): PolicyStatement[] {
  return studentPolicyStatements({ lab, name: `netlab-${lab}-student`, hostedZoneId, flowLogGroup: LAB_TOPOLOGY.monitoring.flowLogGroup });
}

/** AWS's documentation account id: the simulated lab has no account, and the policy's ARNs match any. */
const SIM_ACCOUNT = "111122223333";
const RUN_SHELL_DOCUMENT = "AWS-RunShellScript";

/** What a way needs to know about the lab's resources: their ids and tags. */
export interface RightsResolver {
  lab: string;
  region: string;
  instance(name: string): { id: string; eniId: string; tags: Readonly<Record<string, string>> };
  routeTable(name: string): { id: string; tags: Readonly<Record<string, string>> };
  securityGroup(name: string): { id: string; tags: Readonly<Record<string, string>> };
  targetGroup(name: string): { arn: string; tags: Readonly<Record<string, string>> };
  vpc(name: string): { id: string; name: string; tags: Readonly<Record<string, string>> };
  zone(name: string): { id: string };
  flowLogIds(vpc: string): { id: string; tags: Readonly<Record<string, string>> }[];
  routeTarget(t: RouteTargetRef): { type: string; id: string; tags: Readonly<Record<string, string>> };
}

const tagKeys = (prefix: string, tags: Readonly<Record<string, string>>): Record<string, string> =>
  Object.fromEntries(Object.entries(tags).map(([k, v]) => [`${prefix}/${k}`, v]));

/** The ids and tags of the simulated lab's resources, by name (unknown names throw UnknownResourceError). */
export function snapshotResolver(s: Snapshot): RightsResolver {
  return {
    lab: s.lab,
    region: s.region,
    instance: (name) => findInstance(s, name),
    routeTable: (name) => findRouteTable(s, name),
    securityGroup: (name) => findSecurityGroup(s, name),
    targetGroup: (name) => findTargetGroup(s, name),
    vpc: (name) => findVpc(s, name),
    zone: (name) => findZone(s, name),
    flowLogIds: (name) => {
      const vpc = findVpc(s, name);
      return s.flowLogs.filter((f) => f.resourceId === vpc.id);
    },
    routeTarget: (t) => {
      if (t.kind === "instance-eni") return { type: "network-interface", id: findInstance(s, t.instance).eniId, tags: {} };
      const [type, list] =
        t.kind === "tgw" ? (["transit-gateway", s.transitGateways] as const) : t.kind === "igw" ? (["internet-gateway", s.internetGateways] as const) : (["natgateway", s.natGateways] as const);
      const found = (list as readonly { id: string; name: string; tags: Record<string, string> }[]).find((x) => x.name === t.name || x.id === t.name);
      return { type, id: found?.id ?? t.name, tags: found?.tags ?? {} };
    },
  };
}

/**
 * The ways a student could make `change`, each with the IAM requests it sends. EC2 authorizes the route
 * table and the route's target of CreateRoute, the instance of instance actions, the group of rule
 * actions, the VPC and the new (tagged) flow log of CreateFlowLogs with the role it passes; Run Command
 * authorizes the instance and the document.
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonec2.html
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_awssystemsmanager.html
 */
export function waysOf(change: Change, r: RightsResolver): Way[] {
  const ec2 = (type: string, id: string) => `arn:aws:ec2:${r.region}:${SIM_ACCOUNT}:${type}/${id}`;
  const tagged = (tags: Readonly<Record<string, string>>) => tagKeys("aws:ResourceTag", tags);
  const ec2Way = (call: string, requests: IamRequest[]): Way => ({ label: `the EC2 API (${call})`, requests, deniedCode: "UnauthorizedOperation" });
  const onInstance = (action: string, name: string): IamRequest => ({ action, resource: ec2("instance", r.instance(name).id), context: tagged(r.instance(name).tags), what: `instance ${name}` });
  const runCommand = (name: string, shell: string): Way => ({
    label: `inside the OS, by Run Command or Session Manager (${shell})`,
    deniedCode: "AccessDeniedException",
    insideInstance: name,
    requests: [
      { action: "ssm:SendCommand", resource: ec2("instance", r.instance(name).id), context: tagKeys("ssm:resourceTag", r.instance(name).tags), what: `instance ${name}` },
      { action: "ssm:SendCommand", resource: `arn:aws:ssm:${r.region}::document/${RUN_SHELL_DOCUMENT}`, context: {}, what: `document ${RUN_SHELL_DOCUMENT}` },
    ],
  });
  switch (change.kind) {
    case "delete-route":
    case "create-route":
    case "replace-route": {
      const rt = r.routeTable(change.routeTable);
      const call = change.kind === "delete-route" ? "DeleteRoute" : change.kind === "create-route" ? "CreateRoute" : "ReplaceRoute";
      const requests: IamRequest[] = [{ action: `ec2:${call}`, resource: ec2("route-table", rt.id), context: tagged(rt.tags), what: `route table ${change.routeTable}` }];
      if (change.kind !== "delete-route") {
        const t = r.routeTarget(change.target);
        requests.push({ action: `ec2:${call}`, resource: ec2(t.type, t.id), context: tagged(t.tags), what: `route target ${t.id}` });
      }
      return [ec2Way(call, requests)];
    }
    case "stop-instance":
      // A student without ec2:StopInstances can still stop an EBS-backed instance from inside: an OS
      // shutdown stops it (InstanceInitiatedShutdownBehavior defaults to stop, and the lab leaves it so).
      // https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/Using_ChangingInstanceInitiatedShutdownBehavior.html
      return [ec2Way("StopInstances", [onInstance("ec2:StopInstances", change.instance)]), runCommand(change.instance, "sudo shutdown -h now")];
    case "start-instance":
      return [ec2Way("StartInstances", [onInstance("ec2:StartInstances", change.instance)])];
    case "set-source-dest-check":
      return [ec2Way("ModifyInstanceAttribute", [onInstance("ec2:ModifyInstanceAttribute", change.instance)])];
    case "authorize-sg-rule":
    case "revoke-sg-rule": {
      const sg = r.securityGroup(change.securityGroup);
      const call = `${change.kind === "authorize-sg-rule" ? "Authorize" : "Revoke"}SecurityGroup${change.direction === "ingress" ? "Ingress" : "Egress"}`;
      if (change.rule.peerSecurityGroup !== undefined) r.securityGroup(change.rule.peerSecurityGroup);
      return [ec2Way(call, [{ action: `ec2:${call}`, resource: ec2("security-group", sg.id), context: tagged(sg.tags), what: `security group ${change.securityGroup}` }])];
    }
    case "register-target":
    case "deregister-target": {
      const tg = r.targetGroup(change.targetGroup);
      r.instance(change.instance);
      const call = change.kind === "register-target" ? "RegisterTargets" : "DeregisterTargets";
      return [{ label: `the ELB API (${call})`, deniedCode: "AccessDenied", requests: [{ action: `elasticloadbalancing:${call}`, resource: tg.arn, context: tagged(tg.tags), what: `target group ${change.targetGroup}` }] }];
    }
    case "associate-zone":
    case "disassociate-zone": {
      const zone = r.zone(change.zone);
      r.vpc(change.vpc);
      const call = change.kind === "associate-zone" ? "AssociateVPCWithHostedZone" : "DisassociateVPCFromHostedZone";
      return [{ label: `the Route 53 API (${call})`, deniedCode: "AccessDenied", requests: [{ action: `route53:${call}`, resource: `arn:aws:route53:::hostedzone/${zone.id}`, context: {}, what: `hosted zone ${change.zone}` }] }];
    }
    case "delete-flow-log": {
      const logs = r.flowLogIds(change.vpc);
      const requests = (logs.length ? logs : [{ id: "*", tags: {} }]).map((f) => ({ action: "ec2:DeleteFlowLogs", resource: ec2("vpc-flow-log", f.id), context: tagged(f.tags), what: `flow log ${f.id} of ${change.vpc}` }));
      return [ec2Way("DeleteFlowLogs", requests)];
    }
    case "create-flow-log": {
      const vpc = r.vpc(change.vpc);
      const stack = LAB_TOPOLOGY.vpcs.find((v) => v.name === vpc.name)?.stack ?? "core";
      // The backend tags the new flow log with the lab's tag in the same call (cloud/aws/apply.ts).
      const requestTags = tagKeys("aws:RequestTag", { [LAB_TAG]: r.lab });
      return [
        ec2Way("CreateFlowLogs", [
          { action: "ec2:CreateFlowLogs", resource: ec2("vpc", vpc.id), context: tagged(vpc.tags), what: `VPC ${change.vpc}` },
          { action: "ec2:CreateFlowLogs", resource: ec2("vpc-flow-log", "*"), context: requestTags, what: "the new flow log" },
          { action: "ec2:CreateTags", resource: ec2("vpc-flow-log", "*"), context: { ...requestTags, "ec2:CreateAction": "CreateFlowLogs" }, what: "the new flow log's tags" },
          {
            action: "iam:PassRole",
            resource: `arn:aws:iam::${SIM_ACCOUNT}:role/netlab-${r.lab}-flowlogs-${stack}`,
            context: { "iam:PassedToService": "vpc-flow-logs.amazonaws.com" },
            what: `role netlab-${r.lab}-flowlogs-${stack}`,
          },
        ]),
      ];
    }
    case "set-os-state":
      return [runCommand(change.instance, change.key === "masquerade" ? "iptables -t nat … MASQUERADE, then iptables-save" : "start or kill the CPU load")];
  }
}

/** IAM's wildcard match: `*` any run of characters, `?` one; actions ignore case, ARNs do not. */
function globMatch(pattern: string, value: string, ignoreCase: boolean): boolean {
  const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`, ignoreCase ? "i" : "");
  return re.test(value);
}

/** A condition block holds when every operator's every key holds; an unknown operator or a missing key does not. */
function conditionHolds(condition: PolicyStatement["Condition"], context: Readonly<Record<string, string>>): boolean {
  if (!condition) return true;
  return Object.entries(condition).every(([operator, keys]) => {
    if (operator !== "StringEquals") return false;
    return Object.entries(keys).every(([key, value]) => {
      const actual = Object.entries(context).find(([k]) => k.toLowerCase() === key.toLowerCase())?.[1];
      return actual !== undefined && actual === value;
    });
  });
}

/** The Allow statement that grants the request, if one does. */
export function allowingStatement(statements: readonly PolicyStatement[], request: IamRequest): PolicyStatement | undefined {
  return statements.find(
    (st) =>
      st.Effect === "Allow" &&
      st.Action.some((a) => globMatch(a, request.action, true)) &&
      (Array.isArray(st.Resource) ? st.Resource : [st.Resource as string]).some((res) => globMatch(res, request.resource, false)) &&
      conditionHolds(st.Condition, request.context),
  );
}

export type Permission =
  | { allowed: true; way: Way }
  | { allowed: false; code: string; reason: string };

/** Whether the student policy lets a student make `change`, by any of its ways, and if not, why. */
export function studentMayMake(statements: readonly PolicyStatement[], change: Change, r: RightsResolver, policyName = `netlab-${r.lab}-student`): Permission {
  const ways = waysOf(change, r);
  const denials: string[] = [];
  for (const way of ways) {
    const denied = way.requests.filter((q) => !allowingStatement(statements, q));
    if (!denied.length) return { allowed: true, way };
    denials.push(`${way.label}: no statement allows ${denied.map((q) => `${q.action} on ${q.what}`).join(", ")}`);
  }
  return {
    allowed: false,
    code: ways[0].deniedCode,
    reason: `the student policy ${policyName} does not allow it (${denials.join("; or ")}), so AWS would answer ${ways[0].deniedCode}`,
  };
}

/** A change of each kind, on the lab's own (tagged) resources, to ask the policy which kinds it allows. */
const SAMPLES: { [K in ChangeKind]: Extract<Change, { kind: K }>[] } = {
  "delete-route": [{ kind: "delete-route", routeTable: "rt", destination: "0.0.0.0/0" }],
  "create-route": [{ kind: "create-route", routeTable: "rt", destination: "0.0.0.0/0", target: { kind: "tgw", name: "tgw" } }],
  "replace-route": [{ kind: "replace-route", routeTable: "rt", destination: "0.0.0.0/0", target: { kind: "tgw", name: "tgw" } }],
  "stop-instance": [{ kind: "stop-instance", instance: "i" }],
  "start-instance": [{ kind: "start-instance", instance: "i" }],
  "set-source-dest-check": [{ kind: "set-source-dest-check", instance: "i", enabled: false }],
  "revoke-sg-rule": (["ingress", "egress"] as const).map((direction) => ({ kind: "revoke-sg-rule" as const, securityGroup: "sg", direction, rule: { protocol: "tcp" as const, fromPort: 80, toPort: 80, cidr: "10.0.0.0/8" } })),
  "authorize-sg-rule": (["ingress", "egress"] as const).map((direction) => ({ kind: "authorize-sg-rule" as const, securityGroup: "sg", direction, rule: { protocol: "tcp" as const, fromPort: 80, toPort: 80, cidr: "10.0.0.0/8" } })),
  "deregister-target": [{ kind: "deregister-target", targetGroup: "tg", instance: "i", port: 80 }],
  "register-target": [{ kind: "register-target", targetGroup: "tg", instance: "i", port: 80 }],
  "disassociate-zone": [{ kind: "disassociate-zone", zone: "zone", vpc: "vpc" }],
  "associate-zone": [{ kind: "associate-zone", zone: "zone", vpc: "vpc" }],
  "delete-flow-log": [{ kind: "delete-flow-log", vpc: "vpc" }],
  "create-flow-log": [{ kind: "create-flow-log", vpc: "vpc", logGroup: LAB_TOPOLOGY.monitoring.flowLogGroup, trafficType: "ALL" }],
  "set-os-state": [{ kind: "set-os-state", instance: "i", key: "masquerade", value: true }],
};

/** A resolver in which every name is one of the lab's tagged resources: what the policy grants at best. */
function labResourceResolver(lab: string, zoneId: string): RightsResolver {
  const tags = { [LAB_TAG]: lab };
  return {
    lab,
    region: "ap-northeast-2",
    instance: () => ({ id: "i-0example", eniId: "eni-0example", tags }),
    routeTable: () => ({ id: "rtb-0example", tags }),
    securityGroup: () => ({ id: "sg-0example", tags }),
    targetGroup: () => ({ arn: `arn:aws:elasticloadbalancing:ap-northeast-2:${SIM_ACCOUNT}:targetgroup/example/0123456789abcdef`, tags }),
    vpc: (name) => ({ id: "vpc-0example", name, tags }),
    zone: () => ({ id: zoneId }),
    flowLogIds: () => [{ id: "fl-0example", tags }],
    routeTarget: () => ({ type: "transit-gateway", id: "tgw-0example", tags }),
  };
}

/** A change kind as the student may make it: "authorize-sg-rule (ingress)" when only one direction is allowed. */
export interface ChangeForm {
  kind: ChangeKind;
  /** Set when the policy allows only some directions of an SG-rule kind. */
  direction?: "ingress" | "egress";
  /** How the student makes it. */
  way: string;
}

/**
 * The change kinds the student policy allows on the lab's own resources, derived from its statements
 * (what `lab try` offers), and the kinds it refuses with the reason.
 */
export function studentChangeForms(
  lab = "s01",
  zoneId = "Z0EXAMPLE",
  statements: readonly PolicyStatement[] = studentStatements(lab, zoneId),
): { allowed: ChangeForm[]; refused: { kind: ChangeKind; direction?: "ingress" | "egress"; reason: string }[] } {
  const r = labResourceResolver(lab, zoneId);
  const allowed: ChangeForm[] = [];
  const refused: { kind: ChangeKind; direction?: "ingress" | "egress"; reason: string }[] = [];
  for (const samples of Object.values(SAMPLES) as Change[][]) {
    for (const sample of samples) {
      const direction = "direction" in sample ? sample.direction : undefined;
      const p = studentMayMake(statements, sample, r);
      if (p.allowed) allowed.push({ kind: sample.kind, ...(direction ? { direction } : {}), way: p.way.label });
      else refused.push({ kind: sample.kind, ...(direction ? { direction } : {}), reason: p.reason });
    }
  }
  return { allowed, refused };
}

/** "create-route, authorize-sg-rule (ingress only), …" */
export function describeForms(forms: readonly { kind: ChangeKind; direction?: string }[]): string {
  return forms.map((f) => (f.direction ? `${f.kind} (${f.direction})` : f.kind)).join(", ");
}
