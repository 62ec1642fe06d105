import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { DataAwsSsmParameter } from "@cdktf/provider-aws/lib/data-aws-ssm-parameter";
import { Ec2TransitGateway } from "@cdktf/provider-aws/lib/ec2-transit-gateway";
import { Lb } from "@cdktf/provider-aws/lib/lb";
import { LbListener } from "@cdktf/provider-aws/lib/lb-listener";
import { LbTargetGroup } from "@cdktf/provider-aws/lib/lb-target-group";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { Vpc } from "@cdktf/provider-aws/lib/vpc";
import {
  byNameTag,
  dataOf,
  dataRef,
  follow,
  ref,
  resourcesOf,
  single,
  stackOf,
  synthLab,
  type SynthStack,
  type TfBlock,
  type TfJson,
} from "./synth-helpers";

// Every expected value below is written from DESIGN.md's lab table, never read from topology/lab.ts:
// these tests are the independent check that the stacks build the lab the seeds describe.

let core: SynthStack;
let nat: SynthStack;

beforeAll(() => {
  // GIVEN the default config (one participant, s01, both variants)
  const lab = synthLab({});
  core = stackOf(lab, "netlab-s01-core");
  nat = stackOf(lab, "netlab-s01-natinstance");
});

/** The logical id of the VPC tagged `name`. */
function vpcId(tf: TfJson, name: string): string {
  return byNameTag(tf, "aws_vpc", name)[0];
}

/** The routes of the route table tagged `table`, by destination. */
function routesOf(tf: TfJson, table: string): Map<string, TfBlock> {
  const [rtId] = byNameTag(tf, "aws_route_table", table);
  const routes = resourcesOf(tf, "aws_route").filter(([, r]) => r.route_table_id === ref("aws_route_table", rtId, "id"));
  return new Map(routes.map(([, r]) => [r.destination_cidr_block as string, r]));
}

function route(tf: TfJson, table: string, destination: string): TfBlock {
  const r = routesOf(tf, table).get(destination);
  if (!r) throw new Error(`Route table ${table} has no route to ${destination}.`);
  return r;
}

describe("VPCs", () => {
  it.each([
    ["VPC01", "10.1.0.0/16"],
    ["VPC02", "10.2.0.0/16"],
    ["DMZVPC", "10.11.0.0/16"],
    ["mgmtvpc", "10.254.0.0/16"],
  ])("core stack has VPC %s with CIDR %s", (name, cidr) => {
    // THEN
    expect(core.json).toHaveResourceWithProperties(Vpc, { cidr_block: cidr, tags: { Name: name } });
  });

  it("natinstance stack has NATInstance-VPC1 10.10.0.0/16 and no other VPC", () => {
    expect(nat.json).toHaveResourceWithProperties(Vpc, { cidr_block: "10.10.0.0/16", tags: { Name: "NATInstance-VPC1" } });
    expect(resourcesOf(nat.tf, "aws_vpc")).toHaveLength(1);
  });

  it("core stack has exactly the four core VPCs", () => {
    expect(resourcesOf(core.tf, "aws_vpc").map(([, v]) => v.tags.Name).sort()).toEqual(["DMZVPC", "VPC01", "VPC02", "mgmtvpc"]);
  });
});

describe("subnets", () => {
  it.each([
    ["VPC01", "VPC01-PrivateSubnetA", "10.1.20.0/22"],
    ["VPC01", "VPC01-PrivateSubnetB", "10.1.24.0/22"],
    ["VPC02", "VPC02-PrivateSubnetA", "10.2.20.0/22"],
    ["VPC02", "VPC02-PrivateSubnetB", "10.2.24.0/22"],
    ["DMZVPC", "DMZVPC-PrivateSubnetA", "10.11.20.0/22"],
    ["DMZVPC", "DMZVPC-PrivateSubnetB", "10.11.24.0/22"],
    ["mgmtvpc", "mgmtvpc-PublicSubnetA", "10.254.0.0/24"],
  ])("core: %s has %s %s", (vpc, name, cidr) => {
    // WHEN the subnet is looked up by its Name tag
    const [, subnet] = byNameTag(core.tf, "aws_subnet", name);
    // THEN it has the seed's CIDR and sits in the seed's VPC
    expect(subnet.cidr_block).toBe(cidr);
    expect(subnet.vpc_id).toBe(ref("aws_vpc", vpcId(core.tf, vpc), "id"));
  });

  it.each([
    ["NATInstance-VPC1-Subnet1", "10.10.1.0/24"],
    ["NATInstance-VPC1-Subnet2", "10.10.2.0/24"],
  ])("natinstance: %s is %s in NATInstance-VPC1", (name, cidr) => {
    const [, subnet] = byNameTag(nat.tf, "aws_subnet", name);
    expect(subnet.cidr_block).toBe(cidr);
    expect(subnet.vpc_id).toBe(ref("aws_vpc", vpcId(nat.tf, "NATInstance-VPC1"), "id"));
  });

  it("private subnets A and B are in the region's first and second AZ", () => {
    expect(byNameTag(core.tf, "aws_subnet", "VPC02-PrivateSubnetA")[1].availability_zone).toMatch(/element\(.*names, 0\)/);
    expect(byNameTag(core.tf, "aws_subnet", "VPC02-PrivateSubnetB")[1].availability_zone).toMatch(/element\(.*names, 1\)/);
  });
});

describe("route tables", () => {
  it.each(["VPC02-Private-Subnet-A-RT", "VPC02-Private-Subnet-B-RT"])("%s sends 0.0.0.0/0 to the TGW, after VPC02's attachment", (table) => {
    // WHEN
    const r = route(core.tf, table, "0.0.0.0/0");
    // THEN the target is the transit gateway named netlab-tgw
    const tgw = follow(core.tf, r.transit_gateway_id);
    expect(tgw.type).toBe("aws_ec2_transit_gateway");
    expect(tgw.block.tags.Name).toBe("netlab-tgw");
    // AND the route waits for the VPC02 attachment (a route to a TGW the VPC is not attached to fails)
    const [attachId] = single(core.tf, "aws_ec2_transit_gateway_vpc_attachment", (a) => a.vpc_id === ref("aws_vpc", vpcId(core.tf, "VPC02"), "id"), "VPC02");
    expect(r.depends_on).toContain(`aws_ec2_transit_gateway_vpc_attachment.${attachId}`);
  });

  it("VPC02 route tables are associated with the VPC02 private subnets", () => {
    for (const az of ["A", "B"]) {
      const [rtId] = byNameTag(core.tf, "aws_route_table", `VPC02-Private-Subnet-${az}-RT`);
      const [subnetId] = byNameTag(core.tf, "aws_subnet", `VPC02-PrivateSubnet${az}`);
      single(core.tf, "aws_route_table_association", (a) => a.subnet_id === ref("aws_subnet", subnetId, "id") && a.route_table_id === ref("aws_route_table", rtId, "id"), `VPC02 ${az}`);
    }
  });

  it("DMZVPC-Public-RT: 0.0.0.0/0 → the DMZ IGW and 10.0.0.0/8 → the TGW", () => {
    const igw = follow(core.tf, route(core.tf, "DMZVPC-Public-RT", "0.0.0.0/0").gateway_id);
    expect(igw.type).toBe("aws_internet_gateway");
    expect(igw.block.vpc_id).toBe(ref("aws_vpc", vpcId(core.tf, "DMZVPC"), "id"));
    expect(follow(core.tf, route(core.tf, "DMZVPC-Public-RT", "10.0.0.0/8").transit_gateway_id).block.tags.Name).toBe("netlab-tgw");
  });

  it.each([
    ["DMZVPC-Private-Subnet-A-RT", "DMZVPC-PublicSubnetA", 0],
    ["DMZVPC-Private-Subnet-B-RT", "DMZVPC-PublicSubnetB", 1],
  ])("%s sends 0.0.0.0/0 to the NAT gateway of the same AZ (in %s)", (table, publicSubnet, azIndex) => {
    // WHEN the default route is followed to its NAT gateway, and that to its subnet
    const natGw = follow(core.tf, route(core.tf, table, "0.0.0.0/0").nat_gateway_id);
    expect(natGw.type).toBe("aws_nat_gateway");
    const subnet = follow(core.tf, natGw.block.subnet_id);
    // THEN the NAT gateway is in the public subnet of that AZ
    expect(subnet.block.tags.Name).toBe(publicSubnet);
    expect(subnet.block.availability_zone).toMatch(new RegExp(`element\\(.*names, ${azIndex}\\)`));
    expect(subnet.block.vpc_id).toBe(ref("aws_vpc", vpcId(core.tf, "DMZVPC"), "id"));
    // AND it has a public EIP
    expect(follow(core.tf, natGw.block.allocation_id).block.domain).toBe("vpc");
  });

  it("mgmtvpc-Public-RT: 0.0.0.0/0 → the mgmt IGW and 10.0.0.0/8 → the TGW", () => {
    const igw = follow(core.tf, route(core.tf, "mgmtvpc-Public-RT", "0.0.0.0/0").gateway_id);
    expect(igw.type).toBe("aws_internet_gateway");
    expect(igw.block.vpc_id).toBe(ref("aws_vpc", vpcId(core.tf, "mgmtvpc"), "id"));
    expect(follow(core.tf, route(core.tf, "mgmtvpc-Public-RT", "10.0.0.0/8").transit_gateway_id).block.tags.Name).toBe("netlab-tgw");
  });

  it("NATInstance-PublicRouteTable1: 0.0.0.0/0 → the IGW of NATInstance-VPC1", () => {
    const igw = follow(nat.tf, route(nat.tf, "NATInstance-PublicRouteTable1", "0.0.0.0/0").gateway_id);
    expect(igw.type).toBe("aws_internet_gateway");
    expect(igw.block.vpc_id).toBe(ref("aws_vpc", vpcId(nat.tf, "NATInstance-VPC1"), "id"));
  });

  it("NATInstance-PrivateRouteTable1: 0.0.0.0/0 → the NAT-Instance's primary ENI", () => {
    const r = route(nat.tf, "NATInstance-PrivateRouteTable1", "0.0.0.0/0");
    const [natInstanceId] = byNameTag(nat.tf, "aws_instance", "NAT-Instance");
    expect(r.network_interface_id).toBe(ref("aws_instance", natInstanceId, "primary_network_interface_id"));
  });

  it("NAT instance subnets use their route tables: Subnet1 public, Subnet2 private", () => {
    for (const [subnet, table] of [
      ["NATInstance-VPC1-Subnet1", "NATInstance-PublicRouteTable1"],
      ["NATInstance-VPC1-Subnet2", "NATInstance-PrivateRouteTable1"],
    ]) {
      const [subnetId] = byNameTag(nat.tf, "aws_subnet", subnet);
      const [rtId] = byNameTag(nat.tf, "aws_route_table", table);
      single(nat.tf, "aws_route_table_association", (a) => a.subnet_id === ref("aws_subnet", subnetId, "id") && a.route_table_id === ref("aws_route_table", rtId, "id"), subnet);
    }
  });
});

describe("security groups", () => {
  it("VPC02-PrivateSG exists in VPC02", () => {
    expect(core.json).toHaveResourceWithProperties(SecurityGroup, { name: "VPC02-PrivateSG", vpc_id: ref("aws_vpc", vpcId(core.tf, "VPC02"), "id") });
  });

  it.each(["VPC1-NATInstance-SecurityGroup", "VPC1-PrivateEC2-SecurityGroup"])("natinstance stack has %s", (name) => {
    expect(nat.json).toHaveResourceWithProperties(SecurityGroup, { name });
  });
});

describe("instances", () => {
  it.each([
    ["VPC01-Private-A-10.1.20.101", "10.1.20.101", "VPC01-PrivateSubnetA"],
    ["VPC01-Private-B-10.1.24.101", "10.1.24.101", "VPC01-PrivateSubnetB"],
    ["VPC02-Private-A-10.2.20.101", "10.2.20.101", "VPC02-PrivateSubnetA"],
    ["VPC02-Private-B-10.2.24.101", "10.2.24.101", "VPC02-PrivateSubnetB"],
    ["DMZVPC-Private-A-10.11.20.101", "10.11.20.101", "DMZVPC-PrivateSubnetA"],
    ["DMZVPC-Private-A-10.11.20.102", "10.11.20.102", "DMZVPC-PrivateSubnetA"],
    ["DMZVPC-Private-B-10.11.24.101", "10.11.24.101", "DMZVPC-PrivateSubnetB"],
    ["DMZVPC-Private-B-10.11.24.102", "10.11.24.102", "DMZVPC-PrivateSubnetB"],
    ["mgmtvpc-Workstation-10.254.0.101", "10.254.0.101", "mgmtvpc-PublicSubnetA"],
  ])("core: %s has private IP %s in %s", (name, ip, subnet) => {
    const [, instance] = byNameTag(core.tf, "aws_instance", name);
    expect(instance.private_ip).toBe(ip);
    expect(follow(core.tf, instance.subnet_id).block.tags.Name).toBe(subnet);
  });

  it("core has exactly the nine seed instances", () => {
    expect(resourcesOf(core.tf, "aws_instance")).toHaveLength(9);
  });

  it("the workstation has a public IP; the private instances do not", () => {
    expect(byNameTag(core.tf, "aws_instance", "mgmtvpc-Workstation-10.254.0.101")[1].associate_public_ip_address).toBe(true);
    expect(byNameTag(core.tf, "aws_instance", "VPC02-Private-A-10.2.20.101")[1].associate_public_ip_address).not.toBe(true);
  });

  it.each([
    ["NAT-Instance", "10.10.1.100", "NATInstance-VPC1-Subnet1"],
    ["Private-EC2-1", "10.10.2.101", "NATInstance-VPC1-Subnet2"],
    ["Private-EC2-2", "10.10.2.102", "NATInstance-VPC1-Subnet2"],
  ])("natinstance: %s has private IP %s in %s", (name, ip, subnet) => {
    const [, instance] = byNameTag(nat.tf, "aws_instance", name);
    expect(instance.private_ip).toBe(ip);
    expect(follow(nat.tf, instance.subnet_id).block.tags.Name).toBe(subnet);
  });

  it("the NAT-Instance has source/dest check off and an EIP (domain vpc) attached", () => {
    const [natId, natInstance] = byNameTag(nat.tf, "aws_instance", "NAT-Instance");
    expect(natInstance.source_dest_check).toBe(false);
    const [, eip] = single(nat.tf, "aws_eip", (e) => e.instance === ref("aws_instance", natId, "id"), "attached to NAT-Instance");
    expect(eip.domain).toBe("vpc");
  });

  it("the private instances behind the NAT instance keep source/dest check on", () => {
    expect(byNameTag(nat.tf, "aws_instance", "Private-EC2-1")[1].source_dest_check).not.toBe(false);
    expect(byNameTag(nat.tf, "aws_instance", "Private-EC2-2")[1].source_dest_check).not.toBe(false);
  });

  it.each([
    ["core", () => core],
    ["natinstance", () => nat],
  ])("%s: every instance boots the AL2023 AMI from the SSM public parameter", (_name, stack) => {
    const { tf, json } = stack();
    expect(json).toHaveDataSourceWithProperties(DataAwsSsmParameter, { name: "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64" });
    const [paramId] = dataOf(tf, "aws_ssm_parameter").find(([, p]) => p.name === "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64")!;
    for (const [, instance] of resourcesOf(tf, "aws_instance")) expect(instance.ami).toBe(dataRef("aws_ssm_parameter", paramId, "value"));
  });
});

describe("transit gateway", () => {
  it("is named netlab-tgw and attaches the four core VPCs", () => {
    expect(core.json).toHaveResourceWithProperties(Ec2TransitGateway, { tags: { Name: "netlab-tgw" } });
    const attached = resourcesOf(core.tf, "aws_ec2_transit_gateway_vpc_attachment").map(([, a]) => follow(core.tf, a.vpc_id).block.tags.Name);
    expect(attached.sort()).toEqual(["DMZVPC", "VPC01", "VPC02", "mgmtvpc"]);
  });
});

describe("web tier", () => {
  it("ALB DMZVPC-alb1 is internet-facing with an HTTP listener on 80", () => {
    const [albId] = single(core.tf, "aws_lb", (b) => b.name === "DMZVPC-alb1", "DMZVPC-alb1");
    expect(core.json).toHaveResourceWithProperties(Lb, { name: "DMZVPC-alb1", internal: false, load_balancer_type: "application" });
    expect(core.json).toHaveResourceWithProperties(LbListener, { load_balancer_arn: ref("aws_lb", albId, "arn"), port: 80, protocol: "HTTP" });
  });

  it("the ALB waits for the DMZ internet gateway (an internet-facing ALB in a VPC without one is refused)", () => {
    // https://github.com/hashicorp/terraform-provider-aws/pull/3494 — InvalidSubnet: VPC … has no internet gateway
    const [, alb] = single(core.tf, "aws_lb", (b) => b.name === "DMZVPC-alb1", "DMZVPC-alb1");
    const [igwId] = single(core.tf, "aws_internet_gateway", (g) => g.vpc_id === ref("aws_vpc", vpcId(core.tf, "DMZVPC"), "id"), "DMZVPC's IGW");
    expect(alb.depends_on).toContain(`aws_internet_gateway.${igwId}`);
  });

  it("the target group checks GET /ec2meta-webpage/index.php every 10 s, timeout 5 s, thresholds 2/2", () => {
    expect(core.json).toHaveResourceWithProperties(LbTargetGroup, {
      port: 80,
      protocol: "HTTP",
      health_check: expect.objectContaining({ path: "/ec2meta-webpage/index.php", interval: 10, timeout: 5, healthy_threshold: 2, unhealthy_threshold: 2 }),
    });
  });

  it("the four DMZ web instances are registered on port 80", () => {
    const [tgId] = resourcesOf(core.tf, "aws_lb_target_group")[0];
    const targets = resourcesOf(core.tf, "aws_lb_target_group_attachment");
    expect(targets).toHaveLength(4);
    for (const [, t] of targets) {
      expect(t.port).toBe(80);
      expect(t.target_group_arn).toBe(ref("aws_lb_target_group", tgId, "arn"));
    }
    const names = targets.map(([, t]) => follow(core.tf, t.target_id).block.tags.Name).sort();
    expect(names).toEqual(["DMZVPC-Private-A-10.11.20.101", "DMZVPC-Private-A-10.11.20.102", "DMZVPC-Private-B-10.11.24.101", "DMZVPC-Private-B-10.11.24.102"]);
  });
});

describe("SSM endpoints", () => {
  it.each([
    ["core", "VPC01"],
    ["core", "VPC02"],
    ["core", "DMZVPC"],
    ["natinstance", "NATInstance-VPC1"],
  ])("%s: %s has ssm, ssmmessages and ec2messages interface endpoints with private DNS in exactly one subnet, and an S3 gateway endpoint", (stack, vpc) => {
    const tf = stack === "core" ? core.tf : nat.tf;
    const vpcRef = ref("aws_vpc", vpcId(tf, vpc), "id");
    const endpoints = resourcesOf(tf, "aws_vpc_endpoint").filter(([, e]) => e.vpc_id === vpcRef);
    for (const service of ["ssm", "ssmmessages", "ec2messages"]) {
      const matches = endpoints.filter(([, e]) => e.service_name === `com.amazonaws.ap-northeast-2.${service}`);
      expect(matches).toHaveLength(1);
      const [, e] = matches[0];
      expect(e.vpc_endpoint_type).toBe("Interface");
      expect(e.private_dns_enabled).toBe(true);
      expect(e.subnet_ids).toHaveLength(1);
      expect(follow(tf, e.subnet_ids[0]).block.vpc_id).toBe(vpcRef);
    }
    const s3 = endpoints.filter(([, e]) => e.service_name === "com.amazonaws.ap-northeast-2.s3");
    expect(s3).toHaveLength(1);
    expect(s3[0][1].vpc_endpoint_type).toBe("Gateway");
    expect(s3[0][1].route_table_ids.length).toBeGreaterThan(0);
  });
});

describe("private DNS", () => {
  it("core: private zone netlab.internal is associated with all four core VPCs (inline vpc + associations)", () => {
    const [zoneId, zone] = single(core.tf, "aws_route53_zone", (z) => z.name === "netlab.internal", "netlab.internal");
    // A zone with a vpc block is private.
    const inline: string[] = (zone.vpc ?? []).map((v: TfBlock) => v.vpc_id);
    expect(inline.length).toBeGreaterThan(0);
    const associated = resourcesOf(core.tf, "aws_route53_zone_association")
      .filter(([, a]) => a.zone_id === ref("aws_route53_zone", zoneId, "zone_id"))
      .map(([, a]) => a.vpc_id as string);
    const names = [...inline, ...associated].map((r) => follow(core.tf, r).block.tags.Name);
    expect(names.sort()).toEqual(["DMZVPC", "VPC01", "VPC02", "mgmtvpc"]);
  });

  it("natinstance: associates NATInstance-VPC1 with the zone found by data aws_route53_zone", () => {
    const [dataId] = dataOf(nat.tf, "aws_route53_zone").find(([, z]) => z.name === "netlab.internal" && z.private_zone === true)!;
    const [, assoc] = single(nat.tf, "aws_route53_zone_association", () => true, "the only association");
    expect(assoc.zone_id).toBe(dataRef("aws_route53_zone", dataId, "zone_id"));
    expect(assoc.vpc_id).toBe(ref("aws_vpc", vpcId(nat.tf, "NATInstance-VPC1"), "id"));
    expect(resourcesOf(nat.tf, "aws_route53_zone")).toHaveLength(0);
  });
});

describe("flow logs", () => {
  it("core creates the log group /aws/vpc/flowlogs with 7 days of retention", () => {
    expect(core.json).toHaveResourceWithProperties(CloudwatchLogGroup, { name: "/aws/vpc/flowlogs", retention_in_days: 7 });
  });

  it("core: every VPC has a flow log of ALL traffic to /aws/vpc/flowlogs", () => {
    const [groupId] = single(core.tf, "aws_cloudwatch_log_group", (g) => g.name === "/aws/vpc/flowlogs", "/aws/vpc/flowlogs");
    for (const [vpc] of resourcesOf(core.tf, "aws_vpc")) {
      const [, log] = single(core.tf, "aws_flow_log", (f) => f.vpc_id === ref("aws_vpc", vpc, "id"), vpc);
      expect(log.traffic_type).toBe("ALL");
      expect(log.log_destination_type).toBe("cloud-watch-logs");
      expect(log.log_destination).toBe(ref("aws_cloudwatch_log_group", groupId, "arn"));
    }
  });

  it("natinstance: NATInstance-VPC1 has a flow log of ALL traffic to the core stack's /aws/vpc/flowlogs", () => {
    const [groupId] = dataOf(nat.tf, "aws_cloudwatch_log_group").find(([, g]) => g.name === "/aws/vpc/flowlogs")!;
    const [, log] = single(nat.tf, "aws_flow_log", (f) => f.vpc_id === ref("aws_vpc", vpcId(nat.tf, "NATInstance-VPC1"), "id"), "NATInstance-VPC1");
    expect(log.traffic_type).toBe("ALL");
    expect(log.log_destination).toBe(dataRef("aws_cloudwatch_log_group", groupId, "arn"));
  });
});

describe("CPU alarm", () => {
  it("watches CPUUtilization of VPC02-Private-A-10.2.20.101 and notifies an SNS topic", () => {
    const [, alarm] = single(core.tf, "aws_cloudwatch_metric_alarm", (a) => a.metric_name === "CPUUtilization", "CPUUtilization");
    expect(alarm.namespace).toBe("AWS/EC2");
    const [instanceId] = byNameTag(core.tf, "aws_instance", "VPC02-Private-A-10.2.20.101");
    expect(alarm.dimensions.InstanceId).toBe(ref("aws_instance", instanceId, "id"));
    expect(alarm.alarm_actions.length).toBeGreaterThan(0);
    for (const action of alarm.alarm_actions) expect(follow(core.tf, action).type).toBe("aws_sns_topic");
  });
});

/** Where a route sends traffic, in DESIGN.md's words: `tgw`, `igw:<VPC>`, `nat:<public subnet>`, `eni:<instance>`. */
function targetOf(tf: TfJson, r: TfBlock): string {
  if (r.transit_gateway_id) return `tgw:${follow(tf, r.transit_gateway_id).block.tags.Name}`;
  if (r.gateway_id) {
    const igw = follow(tf, r.gateway_id);
    return `${igw.type === "aws_internet_gateway" ? "igw" : igw.type}:${follow(tf, igw.block.vpc_id).block.tags.Name}`;
  }
  if (r.nat_gateway_id) return `nat:${follow(tf, follow(tf, r.nat_gateway_id).block.subnet_id).block.tags.Name}`;
  if (r.network_interface_id) {
    const eni = follow(tf, r.network_interface_id);
    return `eni:${eni.type === "aws_instance" && eni.attr === "primary_network_interface_id" ? eni.block.tags.Name : eni.type}`;
  }
  return `unknown:${JSON.stringify(r)}`;
}

/** The routes of a route table (by Name) as destination → target. */
function routeMap(tf: TfJson, table: string): Record<string, string> {
  return Object.fromEntries([...routesOf(tf, table)].map(([dest, r]) => [dest, targetOf(tf, r)]));
}

/** The Name of the VPC an attachment (given by reference) attaches. */
function attachedVpc(tf: TfJson, attachmentRef: unknown): string {
  return follow(tf, follow(tf, attachmentRef).block.vpc_id).block.tags.Name;
}

describe("every route table, route by route", () => {
  const TGW = "tgw:netlab-tgw";
  it.each([
    // Centralized egress (DESIGN.md): spokes send everything to the TGW; mgmt reaches the lab through it.
    ["core", "VPC01-Private-Subnet-A-RT", { "0.0.0.0/0": TGW }],
    ["core", "VPC01-Private-Subnet-B-RT", { "0.0.0.0/0": TGW }],
    ["core", "VPC02-Private-Subnet-A-RT", { "0.0.0.0/0": TGW }],
    ["core", "VPC02-Private-Subnet-B-RT", { "0.0.0.0/0": TGW }],
    ["core", "mgmtvpc-Public-RT", { "0.0.0.0/0": "igw:mgmtvpc", "10.0.0.0/8": TGW }],
    // The DMZ: attachment subnets → the NAT gateway of the same AZ; public subnets → IGW, and the return path → TGW.
    ["core", "DMZVPC-Private-Subnet-A-RT", { "0.0.0.0/0": "nat:DMZVPC-PublicSubnetA", "10.0.0.0/8": TGW }],
    ["core", "DMZVPC-Private-Subnet-B-RT", { "0.0.0.0/0": "nat:DMZVPC-PublicSubnetB", "10.0.0.0/8": TGW }],
    ["core", "DMZVPC-Public-RT", { "0.0.0.0/0": "igw:DMZVPC", "10.0.0.0/8": TGW }],
    ["natinstance", "NATInstance-PublicRouteTable1", { "0.0.0.0/0": "igw:NATInstance-VPC1" }],
    ["natinstance", "NATInstance-PrivateRouteTable1", { "0.0.0.0/0": "eni:NAT-Instance" }],
  ])("%s: %s has exactly the routes %j", (stack, table, expected) => {
    // GIVEN the stack / WHEN the table's routes are read by destination and followed to their targets
    const tf = stack === "core" ? core.tf : nat.tf;
    // THEN they are exactly the seed's routes (the local route is implicit in AWS)
    expect(routeMap(tf, table)).toEqual(expected);
  });

  it.each([
    ["core", "VPC01", ["VPC01-Private-Subnet-A-RT", "VPC01-Private-Subnet-B-RT"]],
    ["core", "VPC02", ["VPC02-Private-Subnet-A-RT", "VPC02-Private-Subnet-B-RT"]],
    ["core", "DMZVPC", ["DMZVPC-Private-Subnet-A-RT", "DMZVPC-Private-Subnet-B-RT", "DMZVPC-Public-RT"]],
    ["core", "mgmtvpc", ["mgmtvpc-Public-RT"]],
    ["natinstance", "NATInstance-VPC1", ["NATInstance-PrivateRouteTable1", "NATInstance-PublicRouteTable1"]],
  ])("%s: %s has exactly the route tables %j", (stack, vpc, tables) => {
    const tf = stack === "core" ? core.tf : nat.tf;
    const vpcRef = ref("aws_vpc", vpcId(tf, vpc), "id");
    expect(resourcesOf(tf, "aws_route_table").filter(([, t]) => t.vpc_id === vpcRef).map(([, t]) => t.tags.Name).sort()).toEqual(tables);
  });

  it.each([
    ["VPC01-PrivateSubnetA", "VPC01-Private-Subnet-A-RT"],
    ["VPC01-PrivateSubnetB", "VPC01-Private-Subnet-B-RT"],
    ["DMZVPC-PrivateSubnetA", "DMZVPC-Private-Subnet-A-RT"],
    ["DMZVPC-PrivateSubnetB", "DMZVPC-Private-Subnet-B-RT"],
    ["DMZVPC-PublicSubnetA", "DMZVPC-Public-RT"],
    ["DMZVPC-PublicSubnetB", "DMZVPC-Public-RT"],
    ["mgmtvpc-PublicSubnetA", "mgmtvpc-Public-RT"],
  ])("core: %s is associated with %s", (subnet, table) => {
    const [subnetId] = byNameTag(core.tf, "aws_subnet", subnet);
    const [, assoc] = single(core.tf, "aws_route_table_association", (a) => a.subnet_id === ref("aws_subnet", subnetId, "id"), subnet);
    expect(follow(core.tf, assoc.route_table_id).block.tags.Name).toBe(table);
  });

  it("every route to the TGW waits for its own VPC's attachment", () => {
    for (const [id, r] of resourcesOf(core.tf, "aws_route").filter(([, x]) => x.transit_gateway_id)) {
      const vpc = follow(core.tf, follow(core.tf, r.route_table_id).block.vpc_id).block.tags.Name;
      const [attachId] = single(core.tf, "aws_ec2_transit_gateway_vpc_attachment", (a) => a.vpc_id === ref("aws_vpc", vpcId(core.tf, vpc), "id"), vpc);
      expect({ id, dependsOn: r.depends_on }).toEqual({ id, dependsOn: expect.arrayContaining([`aws_ec2_transit_gateway_vpc_attachment.${attachId}`]) });
    }
  });
});

describe("transit gateway route tables", () => {
  /** One TGW route table: the VPCs associated with it, propagating into it, and its static routes. */
  function tgwTables(): Array<{ associations: string[]; propagations: string[]; routes: Record<string, string> }> {
    return resourcesOf(core.tf, "aws_ec2_transit_gateway_route_table").map(([id]) => {
      const tableRef = ref("aws_ec2_transit_gateway_route_table", id, "id");
      const of = (type: string) => resourcesOf(core.tf, type).filter(([, x]) => x.transit_gateway_route_table_id === tableRef);
      return {
        associations: of("aws_ec2_transit_gateway_route_table_association").map(([, a]) => attachedVpc(core.tf, a.transit_gateway_attachment_id)).sort(),
        propagations: of("aws_ec2_transit_gateway_route_table_propagation").map(([, p]) => attachedVpc(core.tf, p.transit_gateway_attachment_id)).sort(),
        routes: Object.fromEntries(of("aws_ec2_transit_gateway_route").map(([, r]) => [r.destination_cidr_block, r.blackhole ? "blackhole" : attachedVpc(core.tf, r.transit_gateway_attachment_id)])),
      };
    });
  }

  it("the TGW neither associates nor propagates by default: every attachment is placed by hand", () => {
    const [, tgw] = single(core.tf, "aws_ec2_transit_gateway", () => true, "netlab-tgw");
    expect(tgw).toMatchObject({ default_route_table_association: "disable", default_route_table_propagation: "disable" });
    for (const [id, a] of resourcesOf(core.tf, "aws_ec2_transit_gateway_vpc_attachment")) {
      expect({ id, assoc: a.transit_gateway_default_route_table_association, prop: a.transit_gateway_default_route_table_propagation }).toEqual({ id, assoc: false, prop: false });
    }
  });

  it("has exactly a spoke table (0.0.0.0/0 → the DMZ attachment) and a DMZ table (return routes from every spoke, no default route)", () => {
    // GIVEN the TGW's route tables, read as associations, propagations and static routes
    const tables = tgwTables().sort((a, b) => a.associations.length - b.associations.length);
    // THEN the DMZ's table learns every spoke and has no default route (no hairpin back into the TGW)
    // AND the spokes' table sends everything to the DMZ, and learns the spokes' own prefixes (mgmt → VPC02)
    expect(tables).toEqual([
      { associations: ["DMZVPC"], propagations: ["VPC01", "VPC02", "mgmtvpc"], routes: {} },
      { associations: ["VPC01", "VPC02", "mgmtvpc"], propagations: ["VPC01", "VPC02", "mgmtvpc"], routes: { "0.0.0.0/0": "DMZVPC" } },
    ]);
  });
});

describe("SSM reachability through every fault", () => {
  it.each([
    ["core", "VPC01"],
    ["core", "VPC02"],
    ["core", "DMZVPC"],
    ["core", "mgmtvpc"],
    ["natinstance", "NATInstance-VPC1"],
  ])("%s: %s has DNS support and DNS hostnames on", (stack, vpc) => {
    const tf = stack === "core" ? core.tf : nat.tf;
    const [, v] = byNameTag(tf, "aws_vpc", vpc);
    expect({ support: v.enable_dns_support, hostnames: v.enable_dns_hostnames }).toEqual({ support: true, hostnames: true });
  });

  it.each([
    // The S3 gateway endpoint carries the AL2023 repositories: the web tier installs httpd through the DMZ private tables.
    ["core", "VPC01", "10.1.0.0/16", ["VPC01-Private-Subnet-A-RT", "VPC01-Private-Subnet-B-RT"]],
    ["core", "VPC02", "10.2.0.0/16", ["VPC02-Private-Subnet-A-RT", "VPC02-Private-Subnet-B-RT"]],
    ["core", "DMZVPC", "10.11.0.0/16", ["DMZVPC-Private-Subnet-A-RT", "DMZVPC-Private-Subnet-B-RT", "DMZVPC-Public-RT"]],
    ["natinstance", "NATInstance-VPC1", "10.10.0.0/16", ["NATInstance-PrivateRouteTable1", "NATInstance-PublicRouteTable1"]],
  ])("%s: %s's S3 gateway endpoint serves its route tables, and its SSM endpoints' SG admits 443 from %s", (stack, vpc, cidr, tables) => {
    const tf = stack === "core" ? core.tf : nat.tf;
    const vpcRef = ref("aws_vpc", vpcId(tf, vpc), "id");
    // WHEN the S3 endpoint's route tables are followed to their names
    const [, s3] = single(tf, "aws_vpc_endpoint", (e) => e.vpc_id === vpcRef && e.service_name === "com.amazonaws.ap-northeast-2.s3", `${vpc} S3`);
    // THEN they are the VPC's tables
    expect((s3.route_table_ids as string[]).map((t) => follow(tf, t).block.tags.Name).sort()).toEqual(tables);
    // AND each interface endpoint's SG admits HTTPS from the VPC
    for (const [id, e] of resourcesOf(tf, "aws_vpc_endpoint").filter(([, x]) => x.vpc_id === vpcRef && x.vpc_endpoint_type === "Interface")) {
      expect({ id, groups: e.security_group_ids.length }).toEqual({ id, groups: 1 });
      const ingress = resourcesOf(tf, "aws_vpc_security_group_ingress_rule").filter(([, r]) => r.security_group_id === e.security_group_ids[0]);
      expect({ id, https: ingress.some(([, r]) => r.ip_protocol === "tcp" && r.from_port === 443 && r.to_port === 443 && r.cidr_ipv4 === cidr) }).toEqual({ id, https: true });
    }
  });
});

describe("the NAT instance's security group (seed 002)", () => {
  it("admits exactly HTTP, HTTPS, UDP and ICMP from 10.10.0.0/16, and the NAT-Instance uses it", () => {
    // GIVEN VPC1-NATInstance-SecurityGroup
    const [sgId] = single(nat.tf, "aws_security_group", (g) => g.name === "VPC1-NATInstance-SecurityGroup", "VPC1-NATInstance-SecurityGroup");
    const sgRef = ref("aws_security_group", sgId, "id");
    // WHEN its ingress rules are read
    const rules = resourcesOf(nat.tf, "aws_vpc_security_group_ingress_rule")
      .filter(([, r]) => r.security_group_id === sgRef)
      .map(([, r]) => ({ protocol: r.ip_protocol, from: r.from_port, to: r.to_port, cidr: r.cidr_ipv4 }));
    // THEN they are the seed's four
    expect(rules.sort((a, b) => `${a.protocol}${a.from}`.localeCompare(`${b.protocol}${b.from}`))).toEqual([
      { protocol: "icmp", from: -1, to: -1, cidr: "10.10.0.0/16" },
      { protocol: "tcp", from: 443, to: 443, cidr: "10.10.0.0/16" },
      { protocol: "tcp", from: 80, to: 80, cidr: "10.10.0.0/16" },
      { protocol: "udp", from: 0, to: 65535, cidr: "10.10.0.0/16" },
    ]);
    expect(byNameTag(nat.tf, "aws_instance", "NAT-Instance")[1].vpc_security_group_ids).toEqual([sgRef]);
  });
});
