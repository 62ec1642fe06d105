import { TerraformStack, Testing } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { CPU_LOAD_SECONDS } from "../../cloud/aws/apply";
import { CpuAlarm, needsDetailedMonitoring } from "../../stacks/constructs/cpu-alarm";
import { LabVpc } from "../../stacks/constructs/lab-vpc";
import { parseConfig } from "../../config/config";
import { buildApp } from "../../stacks/app";
import { LAB_TOPOLOGY } from "../../topology/lab";
import { follow, resourcesOf, stackOf, synthLab, type SynthStack, type TfBlock, type TfJson } from "./synth-helpers";

// Findings of a review of the synthesized Terraform before a first real deploy (issue 12, item 4).
// Expected values come from DESIGN.md's lab table and the AWS documentation cited in the stacks.

let core: SynthStack;
let nat: SynthStack;

beforeAll(() => {
  // GIVEN the default config (one participant, s01, both stacks)
  const lab = synthLab({});
  core = stackOf(lab, "netlab-s01-core");
  nat = stackOf(lab, "netlab-s01-natinstance");
});

/** `type.id` as depends_on writes it. */
const address = (type: string, id: string) => `${type}.${id}`;

/** The reservations of a stack, by reserved CIDR: [address, subnet reference]. */
function reservations(tf: TfJson): Map<string, { address: string; block: TfBlock }> {
  return new Map(resourcesOf(tf, "aws_ec2_subnet_cidr_reservation").map(([id, b]) => [b.cidr_block as string, { address: address("aws_ec2_subnet_cidr_reservation", id), block: b }]));
}

/** Every subnet reference a resource places ENIs in (subnet_ids, subnet_id, subnets). */
function subnetsOf(b: TfBlock): string[] {
  return [...(b.subnet_ids ?? []), ...(b.subnets ?? []), ...(b.subnet_id ? [b.subnet_id] : [])];
}

describe("(a) fixed private IPs are reserved before anything AWS addresses can take them", () => {
  it.each(["core", "natinstance"])("%s: every instance's private IP is reserved, explicit, as a /32 in the instance's own subnet", (variant) => {
    const { tf } = variant === "core" ? core : nat;
    const reserved = reservations(tf);
    const instances = resourcesOf(tf, "aws_instance");
    expect(instances.length).toBeGreaterThan(0);
    for (const [, i] of instances) {
      // THEN its IP has a reservation of type explicit (AWS assigns those addresses only when asked by address)
      const r = reserved.get(`${i.private_ip}/32`);
      expect(r).toBeDefined();
      expect(r!.block.reservation_type).toBe("explicit");
      expect(r!.block.subnet_id).toBe(i.subnet_id);
    }
    // AND nothing else is reserved
    expect(reserved.size).toBe(instances.length);
  });

  it("the lab's fixed IPs of DESIGN.md are all reserved (.101, .102 and the NAT instance's .100)", () => {
    const all = [...reservations(core.tf).keys(), ...reservations(nat.tf).keys()].sort();
    expect(all).toEqual(
      [
        "10.1.20.101/32",
        "10.1.24.101/32",
        "10.2.20.101/32",
        "10.2.24.101/32",
        "10.11.20.101/32",
        "10.11.20.102/32",
        "10.11.24.101/32",
        "10.11.24.102/32",
        "10.254.0.101/32",
        "10.10.1.100/32",
        "10.10.2.101/32",
        "10.10.2.102/32",
      ].sort(),
    );
  });

  it.each(["core", "natinstance"])("%s: interface endpoints, TGW attachments, NAT gateways and load balancers wait for the reservations of every subnet they put an ENI in", (variant) => {
    const { tf } = variant === "core" ? core : nat;
    const bySubnet = new Map<string, string[]>();
    for (const { address: a, block } of reservations(tf).values()) bySubnet.set(block.subnet_id, [...(bySubnet.get(block.subnet_id) ?? []), a]);
    const pickers = [
      ...resourcesOf(tf, "aws_vpc_endpoint").filter(([, b]) => b.vpc_endpoint_type === "Interface"),
      ...resourcesOf(tf, "aws_ec2_transit_gateway_vpc_attachment"),
      ...resourcesOf(tf, "aws_nat_gateway"),
      ...resourcesOf(tf, "aws_lb"),
    ];
    let checked = 0;
    for (const [id, b] of pickers) {
      for (const subnet of subnetsOf(b)) {
        for (const r of bySubnet.get(subnet) ?? []) {
          checked++;
          expect({ resource: id, dependsOn: b.depends_on ?? [] }).toEqual({ resource: id, dependsOn: expect.arrayContaining([r]) });
        }
      }
    }
    // AND the ENIs that share a subnet with a fixed IP were found (the check is not empty)
    expect(checked).toBeGreaterThan(0);
  });

  it("core: the TGW attachment of VPC02 waits for both VPC02 reservations; its SSM endpoints for the one in their subnet", () => {
    const reserved = reservations(core.tf);
    const [, attachment] = resourcesOf(core.tf, "aws_ec2_transit_gateway_vpc_attachment").find(([, b]) => b.tags?.Name === "netlab-tgw-VPC02-attachment")!;
    expect(attachment.depends_on).toEqual(expect.arrayContaining([reserved.get("10.2.20.101/32")!.address, reserved.get("10.2.24.101/32")!.address]));
    const ssm = resourcesOf(core.tf, "aws_vpc_endpoint").find(([, b]) => b.tags?.Name === "VPC02-ssm-endpoint")![1];
    expect(ssm.depends_on).toContain(reserved.get("10.2.20.101/32")!.address);
    expect(ssm.depends_on).not.toContain(reserved.get("10.2.24.101/32")!.address);
  });

  it.each(["core", "natinstance"])("%s: each instance is created after its own IP's reservation", (variant) => {
    const { tf } = variant === "core" ? core : nat;
    const reserved = reservations(tf);
    for (const [, i] of resourcesOf(tf, "aws_instance")) expect(i.depends_on).toContain(reserved.get(`${i.private_ip}/32`)!.address);
  });
});

/** A bare stack for constructing one construct with its guard clauses. */
function bareStack(): TerraformStack {
  const stack = new TerraformStack(Testing.app(), "t");
  new AwsProvider(stack, "aws", { region: "ap-northeast-2" });
  return stack;
}

describe("(a) LabVpc's reservation guards", () => {
  const plan = LAB_TOPOLOGY.vpcs.find((v) => v.name === "VPC02")!;
  const azNames = { A: "ap-northeast-2a", B: "ap-northeast-2c" };

  it("refuses a fixed IP planned twice in one VPC, naming it", () => {
    // GIVEN two owners of 10.2.20.101  WHEN the VPC is built  THEN it refuses
    const fixedIps = [
      { subnet: "VPC02-PrivateSubnetA", ip: "10.2.20.101", owner: "a" },
      { subnet: "VPC02-PrivateSubnetA", ip: "10.2.20.101", owner: "b" },
    ];
    expect(() => new LabVpc(bareStack(), "VPC02", { plan, azNames, fixedIps })).toThrow('IP 10.2.20.101 of "b" is planned twice in VPC "VPC02"; each fixed IP has one owner.');
  });

  it("refuses a fixed IP in a subnet the VPC does not have, listing the subnets", () => {
    const fixedIps = [{ subnet: "VPC02-PublicSubnetA", ip: "10.2.0.10", owner: "a" }];
    expect(() => new LabVpc(bareStack(), "VPC02", { plan, azNames, fixedIps })).toThrow('VPC "VPC02" has no subnet "VPC02-PublicSubnetA"; it has: VPC02-PrivateSubnetA, VPC02-PrivateSubnetB.');
  });

  it("reservationsIn refuses a subnet the VPC does not have; a subnet without fixed IPs has no reservation", () => {
    const vpc = new LabVpc(bareStack(), "VPC02", { plan, azNames, fixedIps: [{ subnet: "VPC02-PrivateSubnetA", ip: "10.2.20.101", owner: "a" }] });
    expect(vpc.reservationsIn(["VPC02-PrivateSubnetA"])).toHaveLength(1);
    expect(vpc.reservationsIn(["VPC02-PrivateSubnetB"])).toEqual([]);
    expect(() => vpc.reservationsIn(["nope"])).toThrow('VPC "VPC02" has no subnet "nope"');
  });
});

describe("(b) a later deploy does not replace the instances when a new AMI is released", () => {
  it.each(["core", "natinstance"])("%s: every aws_instance ignores changes of its AMI (read from the AL2023 SSM parameter)", (variant) => {
    const { tf } = variant === "core" ? core : nat;
    const instances = resourcesOf(tf, "aws_instance");
    expect(instances.length).toBeGreaterThan(0);
    for (const [id, i] of instances) {
      expect({ id, ami: i.ami }).toEqual({ id, ami: expect.stringMatching(/^\$\{data\.aws_ssm_parameter\./) });
      expect({ id, ignore: i.lifecycle?.ignore_changes }).toEqual({ id, ignore: expect.arrayContaining(["ami"]) });
    }
  });
});

describe("(c) the CPU alarm gets a data point every period", () => {
  it("the alarm's period is 300 s, basic monitoring's data-point interval, so no instance pays for detailed monitoring", () => {
    const [, alarm] = resourcesOf(core.tf, "aws_cloudwatch_metric_alarm").find(([, a]) => a.metric_name === "CPUUtilization")!;
    expect(alarm.period).toBe(300);
    expect(alarm.evaluation_periods).toBe(1);
    expect(follow(core.tf, alarm.dimensions.InstanceId).block.tags.Name).toBe("VPC02-Private-A-10.2.20.101");
    const all = [...resourcesOf(core.tf, "aws_instance"), ...resourcesOf(nat.tf, "aws_instance")];
    expect(all.filter(([, i]) => i.monitoring !== undefined)).toEqual([]);
  });

  it("a plan whose alarm period is 60 s turns on detailed monitoring (1-minute metrics) for the watched instance only", () => {
    // GIVEN the lab with a 60 s alarm period
    const topology = { ...LAB_TOPOLOGY, monitoring: { ...LAB_TOPOLOGY.monitoring, cpuAlarm: { ...LAB_TOPOLOGY.monitoring.cpuAlarm, periodSeconds: 60 } } };
    const app = Testing.app();
    buildApp(app, parseConfig({ variants: ["core"] }), topology);
    const tf = JSON.parse(Testing.synth(app.node.children.find((c): c is TerraformStack => c instanceof TerraformStack)!)) as TfJson;
    // THEN the alarm's instance has detailed monitoring, and no other instance
    const monitored = resourcesOf(tf, "aws_instance").filter(([, i]) => i.monitoring === true).map(([, i]) => i.tags.Name);
    expect(monitored).toEqual(["VPC02-Private-A-10.2.20.101"]);
  });

  it("an alarm period of 300 s or more needs no detailed monitoring; under 300 s it does", () => {
    const base = LAB_TOPOLOGY.monitoring.cpuAlarm;
    expect(needsDetailedMonitoring({ ...base, periodSeconds: 60 })).toBe(true);
    expect(needsDetailedMonitoring({ ...base, periodSeconds: 240 })).toBe(true);
    expect(needsDetailedMonitoring({ ...base, periodSeconds: 300 })).toBe(false);
    expect(needsDetailedMonitoring({ ...base, periodSeconds: 600 })).toBe(false);
  });

  it.each([30, 90, 0])("CpuAlarm refuses a period of %p s (EC2 metrics come once a minute at best)", (periodSeconds) => {
    const plan = { ...LAB_TOPOLOGY.monitoring.cpuAlarm, periodSeconds };
    expect(() => new CpuAlarm(bareStack(), "a", { plan, instanceId: "i-1", topicName: "t" })).toThrow(`The CPU alarm period must be a whole number of minutes in seconds (60, 120, 300…); got ${periodSeconds}.`);
  });

  it("the cpu-alarm scenario's load outlasts the alarm's evaluation, whenever it starts in a period, plus 10 minutes of metric delay", () => {
    const a = LAB_TOPOLOGY.monitoring.cpuAlarm;
    // A load that starts just after a period's start fills the next evaluationPeriods whole periods only.
    expect(CPU_LOAD_SECONDS).toBeGreaterThanOrEqual((a.evaluationPeriods + 1) * a.periodSeconds + 600);
  });
});

describe("(e) creation order: SSM registers at first boot; flow logs deliver from the start", () => {
  it.each(["core", "natinstance"])("%s: every instance waits for the SSM policy attachment of its role", (variant) => {
    const { tf } = variant === "core" ? core : nat;
    const attachments = resourcesOf(tf, "aws_iam_role_policy_attachment").filter(([, a]) => a.policy_arn === "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore");
    expect(attachments).toHaveLength(1);
    const [attachmentId, attachment] = attachments[0];
    for (const [id, i] of resourcesOf(tf, "aws_instance")) {
      expect({ id, dependsOn: i.depends_on }).toEqual({ id, dependsOn: expect.arrayContaining([address("aws_iam_role_policy_attachment", attachmentId)]) });
      // AND the attachment is on the role of the instance's profile
      const profile = follow(tf, i.iam_instance_profile).block;
      expect(attachment.role).toBe(profile.role);
    }
  });

  it.each(["core", "natinstance"])("%s: every instance in a VPC with SSM interface endpoints waits for all three of them", (variant) => {
    const { tf } = variant === "core" ? core : nat;
    const vpcOfSubnet = (subnetRef: string) => follow(tf, subnetRef).block.vpc_id as string;
    let checked = 0;
    for (const [id, i] of resourcesOf(tf, "aws_instance")) {
      const vpc = vpcOfSubnet(i.subnet_id);
      const endpoints = resourcesOf(tf, "aws_vpc_endpoint").filter(([, e]) => e.vpc_endpoint_type === "Interface" && e.vpc_id === vpc);
      if (!endpoints.length) continue;
      expect(endpoints.map(([, e]) => (e.service_name as string).split(".").pop()).sort()).toEqual(["ec2messages", "ssm", "ssmmessages"]);
      checked++;
      expect({ id, dependsOn: i.depends_on }).toEqual({ id, dependsOn: expect.arrayContaining(endpoints.map(([eid]) => address("aws_vpc_endpoint", eid))) });
    }
    expect(checked).toBeGreaterThan(0);
  });

  it("the workstation (mgmtvpc: no SSM endpoints, a public IP) waits for its VPC's internet gateway instead", () => {
    const [, ws] = resourcesOf(core.tf, "aws_instance").find(([, i]) => i.tags.Name === "mgmtvpc-Workstation-10.254.0.101")!;
    const igw = resourcesOf(core.tf, "aws_internet_gateway").find(([, g]) => g.vpc_id === follow(core.tf, ws.subnet_id).block.vpc_id)!;
    expect(ws.depends_on).toContain(address("aws_internet_gateway", igw[0]));
  });

  it.each(["core", "natinstance"])("%s: every flow log waits for the policy of the role it publishes with", (variant) => {
    const { tf } = variant === "core" ? core : nat;
    const logs = resourcesOf(tf, "aws_flow_log");
    expect(logs.length).toBeGreaterThan(0);
    for (const [id, f] of logs) {
      const role = follow(tf, f.iam_role_arn);
      const policies = resourcesOf(tf, "aws_iam_role_policy").filter(([, p]) => p.role === `\${aws_iam_role.${role.id}.id}`);
      expect(policies).toHaveLength(1);
      expect({ id, dependsOn: f.depends_on }).toEqual({ id, dependsOn: [address("aws_iam_role_policy", policies[0][0])] });
    }
  });
});

describe("(h) the flow-log role can be assumed only for this account's flow logs (confused deputy)", () => {
  it.each(["core", "natinstance"])("%s: the trust policy conditions aws:SourceAccount and aws:SourceArn on the account and region", (variant) => {
    const { tf } = variant === "core" ? core : nat;
    const logs = resourcesOf(tf, "aws_flow_log");
    const role = follow(tf, logs[0][1].iam_role_arn).block;
    const trust = JSON.parse(role.assume_role_policy);
    expect(trust.Statement).toHaveLength(1);
    const [s] = trust.Statement;
    expect(s.Principal).toEqual({ Service: "vpc-flow-logs.amazonaws.com" });
    // THEN the account is the deploying account (caller identity), and the ARN is a flow log of this region and account
    const [identity] = Object.keys(tf.data?.aws_caller_identity ?? {});
    const [partition] = Object.keys(tf.data?.aws_partition ?? {});
    const account = `\${data.aws_caller_identity.${identity}.account_id}`;
    expect(s.Condition).toEqual({
      StringEquals: { "aws:SourceAccount": account },
      ArnLike: { "aws:SourceArn": `arn:\${data.aws_partition.${partition}.partition}:ec2:ap-northeast-2:${account}:vpc-flow-log/*` },
    });
  });

  it("the region in the condition follows the config's region", () => {
    // GIVEN a class in us-east-1
    const lab = synthLab({ region: "us-east-1" });
    const tf = stackOf(lab, "netlab-s01-core").tf;
    const role = follow(tf, resourcesOf(tf, "aws_flow_log")[0][1].iam_role_arn).block;
    // THEN its flow-log role trusts only flow logs of us-east-1
    expect(JSON.parse(role.assume_role_policy).Statement[0].Condition.ArnLike["aws:SourceArn"]).toMatch(/:ec2:us-east-1:/);
  });
});
