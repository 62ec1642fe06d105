import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadSynthDir, snapshotFromTerraform, SynthError } from "../../network/from-terraform";
import { toMermaid } from "../../network/diagram";
import { reach } from "../../network/analyzer";
import { labSnapshot } from "../helpers/lab";

// Small hand-written cdk.tf.json stacks in the shape the lab's CDKTF app synthesizes.

type Json = Record<string, unknown>;

interface FixtureStack {
  provider: { aws: Json[] };
  data: Record<string, Record<string, Json>>;
  resource: Record<string, Record<string, Json>>;
}

const provider = (lab: string) => ({ aws: [{ region: "ap-northeast-2", default_tags: [{ tags: { "netlab:lab": lab, "netlab:managed": "true" } }] }] });

/** A core-like stack: one VPC with a public and a private subnet, IGW, NAT gateway, TGW, ALB, private zone, flow log, alarm. */
function coreStack(lab = "t1"): FixtureStack {
  return {
    provider: provider(lab),
    data: { aws_availability_zones: { azs: { state: "available" } } },
    resource: {
      aws_vpc: { v: { cidr_block: "10.9.0.0/16", enable_dns_hostnames: true, tags: { Name: "V" } } },
      aws_subnet: {
        pub: { vpc_id: "${aws_vpc.v.id}", cidr_block: "10.9.1.0/24", availability_zone: "${data.aws_availability_zones.azs.names[0]}", map_public_ip_on_launch: true, tags: { Name: "V-Public" } },
        priv: { vpc_id: "${aws_vpc.v.id}", cidr_block: "10.9.2.0/24", availability_zone: "${element(data.aws_availability_zones.azs.names, 1)}", tags: { Name: "V-Private" } },
      },
      aws_route_table: { rt_pub: { vpc_id: "${aws_vpc.v.id}", tags: { Name: "V-Public-RT" } }, rt_priv: { vpc_id: "${aws_vpc.v.id}", tags: { Name: "V-Private-RT" } } },
      aws_route_table_association: {
        a_pub: { route_table_id: "${aws_route_table.rt_pub.id}", subnet_id: "${aws_subnet.pub.id}" },
        a_priv: { route_table_id: "${aws_route_table.rt_priv.id}", subnet_id: "${aws_subnet.priv.id}" },
      },
      aws_internet_gateway: { igw: { vpc_id: "${aws_vpc.v.id}", tags: { Name: "V-IGW" } } },
      aws_eip: { nat_eip: { domain: "vpc", tags: { Name: "V-NAT-EIP" } } },
      aws_nat_gateway: { nat: { allocation_id: "${aws_eip.nat_eip.allocation_id}", subnet_id: "${aws_subnet.pub.id}", connectivity_type: "public", tags: { Name: "V-NAT" } } },
      aws_route: {
        pub_default: { route_table_id: "${aws_route_table.rt_pub.id}", destination_cidr_block: "0.0.0.0/0", gateway_id: "${aws_internet_gateway.igw.id}" },
        priv_default: { route_table_id: "${aws_route_table.rt_priv.id}", destination_cidr_block: "0.0.0.0/0", nat_gateway_id: "${aws_nat_gateway.nat.id}" },
        priv_tgw: { route_table_id: "${aws_route_table.rt_priv.id}", destination_cidr_block: "10.0.0.0/8", transit_gateway_id: "${aws_ec2_transit_gateway.tgw.id}" },
      },
      aws_security_group: { g: { name: "V-WebSG", vpc_id: "${aws_vpc.v.id}", tags: { Name: "V-WebSG-tag" } }, alb_sg: { name: "V-AlbSG", vpc_id: "${aws_vpc.v.id}", tags: { Name: "V-AlbSG" } } },
      aws_vpc_security_group_ingress_rule: {
        web_from_alb: { security_group_id: "${aws_security_group.g.id}", ip_protocol: "tcp", from_port: 80, to_port: 80, referenced_security_group_id: "${aws_security_group.alb_sg.id}", description: "HTTP from ${aws_security_group.alb_sg.id} only" },
        alb_http: { security_group_id: "${aws_security_group.alb_sg.id}", ip_protocol: "tcp", from_port: 80, to_port: 80, cidr_ipv4: "0.0.0.0/0" },
      },
      aws_vpc_security_group_egress_rule: { all_out: { security_group_id: "${aws_security_group.g.id}", ip_protocol: "-1", cidr_ipv4: "0.0.0.0/0" } },
      aws_instance: {
        web: {
          subnet_id: "${aws_subnet.priv.id}",
          private_ip: "10.9.2.10",
          vpc_security_group_ids: ["${aws_security_group.g.id}"],
          associate_public_ip_address: false,
          // User data is opaque: shell variables stay as they are, Terraform's `$${` escape included.
          user_data: "#!/bin/bash\necho $${HOME} ${NOT_A_REFERENCE}",
          tags: { Name: "V-Web", "netlab:role": "web" },
        },
        ws: { subnet_id: "${aws_subnet.pub.id}", private_ip: "10.9.1.20", vpc_security_group_ids: ["${aws_security_group.g.id}"], associate_public_ip_address: true, tags: { Name: "V-Workstation", "netlab:role": "workstation" } },
      },
      aws_ec2_transit_gateway: { tgw: { default_route_table_association: "disable", default_route_table_propagation: "disable", tags: { Name: "lab-tgw" } } },
      aws_ec2_transit_gateway_vpc_attachment: { att: { transit_gateway_id: "${aws_ec2_transit_gateway.tgw.id}", vpc_id: "${aws_vpc.v.id}", subnet_ids: ["${aws_subnet.priv.id}"], tags: { Name: "V-attachment" } } },
      aws_ec2_transit_gateway_route_table: { tgw_rt: { transit_gateway_id: "${aws_ec2_transit_gateway.tgw.id}", tags: { Name: "lab-tgw-rt" } } },
      aws_ec2_transit_gateway_route_table_association: { assoc: { transit_gateway_attachment_id: "${aws_ec2_transit_gateway_vpc_attachment.att.id}", transit_gateway_route_table_id: "${aws_ec2_transit_gateway_route_table.tgw_rt.id}" } },
      aws_ec2_transit_gateway_route_table_propagation: { prop: { transit_gateway_attachment_id: "${aws_ec2_transit_gateway_vpc_attachment.att.id}", transit_gateway_route_table_id: "${aws_ec2_transit_gateway_route_table.tgw_rt.id}" } },
      aws_ec2_transit_gateway_route: {
        default: { destination_cidr_block: "0.0.0.0/0", transit_gateway_attachment_id: "${aws_ec2_transit_gateway_vpc_attachment.att.id}", transit_gateway_route_table_id: "${aws_ec2_transit_gateway_route_table.tgw_rt.id}" },
        drop: { destination_cidr_block: "192.168.0.0/16", blackhole: true, transit_gateway_route_table_id: "${aws_ec2_transit_gateway_route_table.tgw_rt.id}" },
      },
      aws_vpc_endpoint: {
        s3: { vpc_id: "${aws_vpc.v.id}", service_name: "com.amazonaws.ap-northeast-2.s3", vpc_endpoint_type: "Gateway", route_table_ids: ["${aws_route_table.rt_priv.id}"], tags: { Name: "V-s3" } },
        ssm: { vpc_id: "${aws_vpc.v.id}", service_name: "com.amazonaws.ap-northeast-2.ssm", vpc_endpoint_type: "Interface", subnet_ids: ["${aws_subnet.priv.id}"], security_group_ids: ["${aws_security_group.g.id}"], private_dns_enabled: true, tags: { Name: "V-ssm" } },
      },
      aws_lb: { alb: { name: "V-alb", load_balancer_type: "application", internal: false, subnets: ["${aws_subnet.pub.id}", "${aws_subnet.priv.id}"], security_groups: ["${aws_security_group.alb_sg.id}"], tags: { Name: "V-alb" } } },
      aws_lb_target_group: { tg: { name: "V-tg", port: 80, protocol: "HTTP", vpc_id: "${aws_vpc.v.id}", health_check: { path: "/health", interval: 10, timeout: 5, healthy_threshold: 2, unhealthy_threshold: 2 } } },
      aws_lb_listener: { http: { load_balancer_arn: "${aws_lb.alb.arn}", port: 80, protocol: "HTTP", default_action: [{ type: "forward", target_group_arn: "${aws_lb_target_group.tg.arn}" }] } },
      aws_lb_target_group_attachment: { web: { target_group_arn: "${aws_lb_target_group.tg.arn}", target_id: "${aws_instance.web.id}", port: 80 } },
      aws_route53_zone: { zone: { name: "lab.internal", vpc: [{ vpc_id: "${aws_vpc.v.id}" }], tags: { Name: "lab.internal" } } },
      aws_route53_record: {
        web: { zone_id: "${aws_route53_zone.zone.zone_id}", name: "web.lab.internal", type: "A", ttl: 60, records: ["${aws_instance.web.private_ip}"] },
        alb: { zone_id: "${aws_route53_zone.zone.zone_id}", name: "alb", type: "A", alias: { name: "${aws_lb.alb.dns_name}", zone_id: "${aws_lb.alb.zone_id}", evaluate_target_health: true } },
      },
      aws_cloudwatch_log_group: { lg: { name: "/aws/vpc/flowlogs", retention_in_days: 7 } },
      aws_flow_log: { fl: { vpc_id: "${aws_vpc.v.id}", log_destination: "${aws_cloudwatch_log_group.lg.arn}", log_destination_type: "cloud-watch-logs", traffic_type: "ALL", tags: { Name: "V-flowlog" } } },
      aws_sns_topic: { topic: { name: "lab-alarms" } },
      aws_cloudwatch_metric_alarm: {
        cpu: { alarm_name: "V-Web-CPU", metric_name: "CPUUtilization", namespace: "AWS/EC2", threshold: 70, dimensions: { InstanceId: "${aws_instance.web.id}" }, alarm_actions: ["${aws_sns_topic.topic.arn}"] },
      },
    },
  };
}

/**
 * A natinstance-like stack. Its logical names repeat the core stack's (`aws_vpc.v`, `aws_subnet.pub`…), as
 * CDKTF's do: a reference always means the resource of its own stack. It finds the core stack's zone and
 * log group by name through data sources.
 */
function natStack(lab = "t1"): FixtureStack {
  return {
    provider: provider(lab),
    data: {
      aws_availability_zones: { azs: { state: "available" } },
      aws_route53_zone: { core_zone: { name: "lab.internal.", private_zone: true } },
      aws_cloudwatch_log_group: { flowlogs: { name: "/aws/vpc/flowlogs" } },
    },
    resource: {
      aws_vpc: { v: { cidr_block: "10.10.0.0/16", tags: { Name: "N" } } },
      aws_subnet: {
        pub: { vpc_id: "${aws_vpc.v.id}", cidr_block: "10.10.1.0/24", availability_zone: "${element(data.aws_availability_zones.azs.names, 0)}", tags: { Name: "N-Public" } },
        priv: { vpc_id: "${aws_vpc.v.id}", cidr_block: "10.10.2.0/24", availability_zone: "${data.aws_availability_zones.azs.names[0]}", tags: { Name: "N-Private" } },
      },
      aws_route_table: { rt_priv: { vpc_id: "${aws_vpc.v.id}", tags: { Name: "N-Private-RT" } } },
      aws_route_table_association: { a_priv: { route_table_id: "${aws_route_table.rt_priv.id}", subnet_id: "${aws_subnet.priv.id}" } },
      aws_security_group: { g: { name: "N-SG", vpc_id: "${aws_vpc.v.id}", tags: { Name: "N-SG" } } },
      aws_instance: {
        nat: { subnet_id: "${aws_subnet.pub.id}", private_ip: "10.10.1.100", source_dest_check: false, vpc_security_group_ids: ["${aws_security_group.g.id}"], associate_public_ip_address: false, tags: { Name: "N-NAT", "netlab:role": "nat" } },
        app: { subnet_id: "${aws_subnet.priv.id}", private_ip: "10.10.2.101", vpc_security_group_ids: ["${aws_security_group.g.id}"], associate_public_ip_address: false, tags: { Name: "N-App", "netlab:role": "probe" } },
      },
      aws_eip: { nat_eip: { domain: "vpc", tags: { Name: "N-NAT-EIP" } } },
      aws_eip_association: { nat_eip: { allocation_id: "${aws_eip.nat_eip.allocation_id}", instance_id: "${aws_instance.nat.id}" } },
      aws_route: { priv_default: { route_table_id: "${aws_route_table.rt_priv.id}", destination_cidr_block: "0.0.0.0/0", network_interface_id: "${aws_instance.nat.primary_network_interface_id}" } },
      aws_route53_zone_association: { n: { zone_id: "${data.aws_route53_zone.core_zone.zone_id}", vpc_id: "${aws_vpc.v.id}" } },
      aws_route53_record: { nat: { zone_id: "${data.aws_route53_zone.core_zone.zone_id}", name: "nat.lab.internal.", type: "A", ttl: 60, records: ["${aws_instance.nat.private_ip}"] } },
      aws_flow_log: { fl: { vpc_id: "${aws_vpc.v.id}", log_destination: "${data.aws_cloudwatch_log_group.flowlogs.arn}", traffic_type: "ALL", tags: { Name: "N-flowlog" } } },
    },
  };
}

const OPTIONS = { lab: "t1", region: "ap-northeast-2" };
const both = () => snapshotFromTerraform({ core: coreStack(), natinstance: natStack() }, OPTIONS);
const byName = <T extends { name: string }>(items: T[], name: string): T => {
  const hit = items.find((i) => i.name === name);
  if (!hit) throw new Error(`no ${name} in ${items.map((i) => i.name).join(", ")}`);
  return hit;
};

describe("snapshotFromTerraform: references", () => {
  it("resolves whole-string references, references inside lists and references embedded in text", () => {
    // GIVEN the core fixture / WHEN modelled
    const s = snapshotFromTerraform({ core: coreStack() }, OPTIONS);
    // THEN ids chain through references, lists keep their shape and embedded references become text
    const vpc = byName(s.vpcs, "V");
    const web = byName(s.instances, "V-Web");
    const albSg = byName(s.securityGroups, "V-AlbSG");
    expect(byName(s.subnets, "V-Private")).toMatchObject({ vpcId: vpc.id, cidr: "10.9.2.0/24" });
    expect(web).toMatchObject({ vpcId: vpc.id, subnetId: byName(s.subnets, "V-Private").id, securityGroupIds: [byName(s.securityGroups, "V-WebSG-tag").id] });
    expect(s.loadBalancers[0].subnetIds).toEqual([byName(s.subnets, "V-Public").id, byName(s.subnets, "V-Private").id]);
    expect(byName(s.securityGroups, "V-WebSG-tag").ingress).toEqual([
      { id: expect.stringMatching(/^sgr-[0-9a-f]{17}$/), protocol: "tcp", fromPort: 80, toPort: 80, peerSecurityGroupId: albSg.id, description: `HTTP from ${albSg.id} only` },
    ]);
  });

  it("takes the AZ from data.aws_availability_zones, by index or by element()", () => {
    // GIVEN subnets whose availability_zone is names[0] and element(names, 1) / WHEN modelled
    const s = snapshotFromTerraform({ core: coreStack() }, { lab: "t1", region: "us-east-1" });
    // THEN they are the region's first and second AZ
    expect(byName(s.subnets, "V-Public").az).toBe("us-east-1a");
    expect(byName(s.subnets, "V-Private").az).toBe("us-east-1b");
  });

  it("resolves attributes other resources read: private_ip, dns_name, arn, allocation_id", () => {
    // GIVEN records, a listener, an alarm and a NAT gateway that read other resources' attributes / WHEN modelled
    const s = snapshotFromTerraform({ core: coreStack() }, OPTIONS);
    const zone = s.hostedZones[0];
    // THEN each reads the value the other resource has in the model
    expect(zone.records).toEqual([
      { name: "web.lab.internal", type: "A", values: ["10.9.2.10"] },
      { name: "alb.lab.internal", type: "A", values: [], aliasTarget: s.loadBalancers[0].dnsName },
    ]);
    expect(s.loadBalancers[0].listeners).toEqual([{ port: 80, protocol: "HTTP", targetGroupArn: s.targetGroups[0].arn }]);
    expect(s.targetGroups[0].targets).toEqual([{ instanceId: byName(s.instances, "V-Web").id, port: 80 }]);
    expect(s.alarms[0]).toMatchObject({ name: "V-Web-CPU", instanceId: byName(s.instances, "V-Web").id, state: "OK", actions: ["arn:aws:sns:ap-northeast-2:000000000000:lab-alarms"] });
    expect(s.natGateways[0].publicIp).toBe(s.elasticIps[0].publicIp);
  });

  it("resolves each reference inside its own stack, and data sources to the other stack's resources by name", () => {
    // GIVEN two stacks that both define aws_vpc.v, and a NAT stack that finds the core zone and log group by name
    // WHEN modelled together
    const s = both();
    const core = byName(s.vpcs, "V");
    const nat = byName(s.vpcs, "N");
    // THEN each stack's aws_vpc.v is its own VPC
    expect(core.id).not.toBe(nat.id);
    expect(byName(s.subnets, "N-Private")).toMatchObject({ vpcId: nat.id, az: "ap-northeast-2a" });
    // AND the NAT VPC joins the core zone, whose records it also extends
    expect(s.hostedZones).toHaveLength(1);
    expect(s.hostedZones[0].vpcIds).toEqual([core.id, nat.id]);
    expect(s.hostedZones[0].records.map((r) => r.name)).toContain("nat.lab.internal");
    // AND both flow logs write to the core stack's log group
    expect(s.flowLogs.map((f) => [f.resourceId, f.logGroupName, f.status])).toEqual([
      [core.id, "/aws/vpc/flowlogs", "ACTIVE"],
      [nat.id, "/aws/vpc/flowlogs", "ACTIVE"],
    ]);
  });

  it("leaves user data alone: shell variables are not references", () => {
    // GIVEN an instance whose user data holds ${NOT_A_REFERENCE} and an escaped $${HOME} / WHEN modelled
    // THEN nothing throws and the instance is there
    expect(byName(snapshotFromTerraform({ core: coreStack() }, OPTIONS).instances, "V-Web").privateIp).toBe("10.9.2.10");
  });
});

describe("snapshotFromTerraform: tags, ids and addresses", () => {
  it("merges the provider's default tags into every resource's tags, the resource's own tags winning", () => {
    // GIVEN default tags on the provider, and one resource that overrides one of them
    const core = coreStack();
    core.resource.aws_vpc.v.tags = { Name: "V", "netlab:managed": "override" };
    // WHEN modelled
    const s = snapshotFromTerraform({ core, natinstance: natStack() }, OPTIONS);
    // THEN every tagged model carries them
    const tagged = [...s.vpcs, ...s.subnets, ...s.routeTables, ...s.securityGroups, ...s.instances, ...s.internetGateways, ...s.natGateways, ...s.elasticIps, ...s.transitGateways, ...s.tgwAttachments, ...s.vpcEndpoints, ...s.loadBalancers, ...s.targetGroups, ...s.hostedZones, ...s.flowLogs, ...s.alarms];
    for (const r of tagged) expect(r.tags["netlab:lab"]).toBe("t1");
    expect(byName(s.instances, "V-Web").tags).toEqual({ "netlab:lab": "t1", "netlab:managed": "true", Name: "V-Web", "netlab:role": "web" });
    expect(byName(s.vpcs, "V").tags["netlab:managed"]).toBe("override");
  });

  it("accepts default_tags written as an object as well as CDKTF's one-element list", () => {
    // GIVEN a provider whose default_tags is an object / WHEN modelled
    const core = coreStack();
    core.provider.aws[0].default_tags = { tags: { "netlab:lab": "t1" } };
    // THEN its tags are merged too
    expect(snapshotFromTerraform({ core }, OPTIONS).vpcs[0].tags).toEqual({ "netlab:lab": "t1", Name: "V" });
  });

  it("takes the default tags of the aliased provider a resource names", () => {
    // GIVEN a second, aliased provider and a VPC that uses it / WHEN modelled
    const core = coreStack();
    core.provider.aws.push({ alias: "other", region: "ap-northeast-2", default_tags: [{ tags: { "netlab:lab": "t1", owner: "other" } }] });
    core.resource.aws_vpc.v.provider = "aws.other";
    // THEN the VPC carries that provider's default tags
    expect(snapshotFromTerraform({ core }, OPTIONS).vpcs[0].tags).toEqual({ "netlab:lab": "t1", owner: "other", Name: "V" });
  });

  it("gives the same fake ids on every run, different ones for another lab, in AWS's formats", () => {
    // GIVEN the same stacks twice, and once for another lab / WHEN modelled
    const a = both();
    const b = snapshotFromTerraform({ core: structuredClone(coreStack()), natinstance: structuredClone(natStack()) }, OPTIONS);
    const other = snapshotFromTerraform({ core: coreStack("t2"), natinstance: natStack("t2") }, { lab: "t2", region: "ap-northeast-2" });
    // THEN the two runs agree entirely, and the other lab shares no id
    expect(a).toEqual(b);
    expect(other.vpcs.map((v) => v.id)).not.toContain(a.vpcs[0].id);
    // AND ids look like AWS's
    expect(a.vpcs[0].id).toMatch(/^vpc-[0-9a-f]{17}$/);
    expect(a.subnets[0].id).toMatch(/^subnet-[0-9a-f]{17}$/);
    expect(a.instances[0]).toMatchObject({ id: expect.stringMatching(/^i-[0-9a-f]{17}$/), eniId: expect.stringMatching(/^eni-[0-9a-f]{17}$/) });
    expect(a.natGateways[0].id).toMatch(/^nat-[0-9a-f]{17}$/);
    expect(a.elasticIps[0].allocationId).toMatch(/^eipalloc-[0-9a-f]{17}$/);
    expect(a.transitGateways[0].id).toMatch(/^tgw-[0-9a-f]{17}$/);
    expect(a.tgwAttachments[0].id).toMatch(/^tgw-attach-[0-9a-f]{17}$/);
    expect(a.hostedZones[0].id).toMatch(/^Z[0-9A-F]{20}$/);
    expect(a.loadBalancers[0].arn).toMatch(/^arn:aws:elasticloadbalancing:ap-northeast-2:000000000000:loadbalancer\/app\/V-alb\/[0-9a-f]{16}$/);
    expect(a.targetGroups[0].arn).toMatch(/^arn:aws:elasticloadbalancing:ap-northeast-2:000000000000:targetgroup\/V-tg\/[0-9a-f]{16}$/);
    expect(a.loadBalancers[0].dnsName).toMatch(/^V-alb-\d+\.ap-northeast-2\.elb\.amazonaws\.com$/);
  });

  it("numbers EIPs and launch-time public addresses in 203.0.113.0/24 and assigns them to NAT gateways and instances", () => {
    // GIVEN a NAT gateway EIP, a NAT instance EIP (by aws_eip_association) and a workstation with a public IP / WHEN modelled
    const s = both();
    const natInstance = byName(s.instances, "N-NAT");
    const addresses = [...s.elasticIps.map((e) => e.publicIp), byName(s.instances, "V-Workstation").publicIp];
    // THEN each has a distinct TEST-NET-3 address
    for (const ip of addresses) expect(ip).toMatch(/^203\.0\.113\.\d{1,3}$/);
    expect(new Set(addresses).size).toBe(3);
    // AND the NAT gateway shows its EIP, the instance EIP points at the NAT instance
    expect(byName(s.natGateways, "V-NAT")).toMatchObject({ publicIp: byName(s.elasticIps, "V-NAT-EIP").publicIp, privateIp: "10.9.1.10", state: "available", connectivity: "public" });
    expect(byName(s.elasticIps, "N-NAT-EIP")).toMatchObject({ instanceId: natInstance.id, eniId: natInstance.eniId, privateIp: "10.10.1.100" });
    // AND an instance without a public IP at launch has none
    expect(byName(s.instances, "V-Web").publicIp).toBeUndefined();
  });

  it("gives a launch-time public address when the subnet maps one and the instance does not say otherwise", () => {
    // GIVEN a workstation without associate_public_ip_address in a subnet with map_public_ip_on_launch / WHEN modelled
    const core = coreStack();
    delete core.resource.aws_instance.ws.associate_public_ip_address;
    // THEN it still has a TEST-NET-3 address
    expect(byName(snapshotFromTerraform({ core }, OPTIONS).instances, "V-Workstation").publicIp).toMatch(/^203\.0\.113\.\d+$/);
  });

  it("attaches an EIP given with aws_eip.instance", () => {
    // GIVEN an EIP with instance = the web instance / WHEN modelled
    const core = coreStack();
    core.resource.aws_eip.web_eip = { domain: "vpc", instance: "${aws_instance.web.id}", tags: { Name: "V-Web-EIP" } };
    const s = snapshotFromTerraform({ core }, OPTIONS);
    // THEN the EIP points at the instance
    expect(byName(s.elasticIps, "V-Web-EIP")).toMatchObject({ instanceId: byName(s.instances, "V-Web").id, privateIp: "10.9.2.10", publicIp: expect.stringMatching(/^203\.0\.113\./) });
  });
});

describe("snapshotFromTerraform: what AWS adds and what the routes say", () => {
  it("adds each VPC's main route table (local route only) and default NACL (allow all, every subnet)", () => {
    // GIVEN two stacks with a VPC each / WHEN modelled
    const s = both();
    // THEN each VPC has exactly one main table named <VPC>-main with the local route only
    for (const v of s.vpcs) {
      const mains = s.routeTables.filter((t) => t.vpcId === v.id && t.main);
      expect(mains).toEqual([expect.objectContaining({ name: `${v.name}-main`, subnetIds: [], routes: [{ destination: v.cidr, target: { kind: "local" }, state: "active" }] })]);
      const acls = s.networkAcls.filter((a) => a.vpcId === v.id);
      expect(acls).toHaveLength(1);
      expect(acls[0]).toMatchObject({ isDefault: true, subnetIds: s.subnets.filter((x) => x.vpcId === v.id).map((x) => x.id) });
      expect(acls[0].entries.filter((e) => e.action === "allow")).toEqual([
        { ruleNumber: 100, egress: true, protocol: "-1", action: "allow", cidr: "0.0.0.0/0" },
        { ruleNumber: 100, egress: false, protocol: "-1", action: "allow", cidr: "0.0.0.0/0" },
      ]);
    }
  });

  it("starts every route table with its VPC's local route, then the stack's routes to each kind of target", () => {
    // GIVEN routes to an IGW, a NAT gateway, a TGW and a NAT instance's ENI / WHEN modelled
    const s = both();
    const nat = byName(s.instances, "N-NAT");
    // THEN each route table reads as AWS would show it
    expect(byName(s.routeTables, "V-Public-RT").routes).toEqual([
      { destination: "10.9.0.0/16", target: { kind: "local" }, state: "active" },
      { destination: "0.0.0.0/0", target: { kind: "igw", id: s.internetGateways[0].id }, state: "active" },
    ]);
    expect(byName(s.routeTables, "V-Private-RT").routes).toEqual([
      { destination: "10.9.0.0/16", target: { kind: "local" }, state: "active" },
      { destination: "0.0.0.0/0", target: { kind: "nat-gateway", id: s.natGateways[0].id }, state: "active" },
      { destination: "10.0.0.0/8", target: { kind: "tgw", id: s.transitGateways[0].id }, state: "active" },
    ]);
    expect(byName(s.routeTables, "N-Private-RT").routes[1]).toEqual({ destination: "0.0.0.0/0", target: { kind: "eni", id: nat.eniId, instanceId: nat.id }, state: "active" });
    expect(byName(s.routeTables, "V-Private-RT").subnetIds).toEqual([byName(s.subnets, "V-Private").id]);
  });

  it("models TGW route tables with their associations, propagations and static routes", () => {
    // GIVEN a TGW with its defaults disabled and one route table / WHEN modelled
    const s = snapshotFromTerraform({ core: coreStack() }, OPTIONS);
    const attachment = s.tgwAttachments[0];
    // THEN only the stack's table exists, with what the stack put in it
    expect(s.tgwRouteTables).toEqual([
      expect.objectContaining({
        name: "lab-tgw-rt",
        tgwId: s.transitGateways[0].id,
        associations: [attachment.id],
        propagations: [attachment.id],
        routes: [
          { destination: "0.0.0.0/0", attachmentId: attachment.id, type: "static", state: "active" },
          { destination: "192.168.0.0/16", type: "static", state: "blackhole" },
        ],
      }),
    ]);
    expect(attachment).toMatchObject({ vpcId: s.vpcs[0].id, subnetIds: [byName(s.subnets, "V-Private").id], state: "available" });
  });

  it("adds the TGW's default route table when the TGW keeps its defaults", () => {
    // GIVEN a TGW without default_route_table_* = disable and no explicit association / WHEN modelled
    const core = coreStack();
    core.resource.aws_ec2_transit_gateway.tgw = { tags: { Name: "lab-tgw" } };
    delete core.resource.aws_ec2_transit_gateway_route_table_association;
    const s = snapshotFromTerraform({ core }, OPTIONS);
    // THEN the attachment associates with and propagates to the default table
    expect(byName(s.tgwRouteTables, "lab-tgw-default-rt")).toMatchObject({ associations: [s.tgwAttachments[0].id], propagations: [s.tgwAttachments[0].id] });
  });

  it("runs every instance with the OS state of its role and keeps source/dest check as written", () => {
    // GIVEN web, workstation, nat and probe roles / WHEN modelled
    const s = both();
    // THEN the web tier listens on 80, the NAT instance forwards and masquerades
    expect(byName(s.instances, "V-Web")).toMatchObject({ state: "running", sourceDestCheck: true, os: { listeningPorts: [80], ipForward: false } });
    expect(byName(s.instances, "N-NAT")).toMatchObject({ state: "running", sourceDestCheck: false, os: { ipForward: true, masquerade: true, masqueradeSaved: true, listeningPorts: [] } });
    expect(byName(s.instances, "N-App").os).toEqual({ ipForward: false, masquerade: false, masqueradeSaved: false, listeningPorts: [], cpuLoad: false });
  });

  it("models the load balancer, target group health check, endpoints and private zone as written", () => {
    // GIVEN the core fixture / WHEN modelled
    const s = snapshotFromTerraform({ core: coreStack() }, OPTIONS);
    // THEN
    expect(s.loadBalancers[0]).toMatchObject({ name: "V-alb", type: "application", scheme: "internet-facing", vpcId: s.vpcs[0].id, securityGroupIds: [byName(s.securityGroups, "V-AlbSG").id] });
    expect(s.targetGroups[0]).toMatchObject({ name: "V-tg", port: 80, protocol: "HTTP", healthCheck: { path: "/health", port: "traffic-port", intervalSeconds: 10, timeoutSeconds: 5, healthyThreshold: 2, unhealthyThreshold: 2, matcher: "200" } });
    expect(byName(s.vpcEndpoints, "V-ssm")).toMatchObject({ type: "Interface", serviceName: "com.amazonaws.ap-northeast-2.ssm", privateDns: true, subnetIds: [byName(s.subnets, "V-Private").id] });
    expect(s.hostedZones[0]).toMatchObject({ name: "lab.internal", private: true, vpcIds: [s.vpcs[0].id] });
    expect(s.vpcs[0]).toMatchObject({ dnsSupport: true, dnsHostnames: true });
  });
});

describe("snapshotFromTerraform: interfaces AWS creates, and security group referencing", () => {
  it("gives each interface endpoint and load balancer node an address of its subnet that nothing else has, the same on every run", () => {
    // GIVEN the ssm endpoint in V-Private (where V-Web is 10.9.2.10) and the ALB in both subnets / WHEN modelled twice
    const s = snapshotFromTerraform({ core: coreStack() }, OPTIONS);
    const again = snapshotFromTerraform({ core: coreStack() }, OPTIONS);
    // THEN the endpoint's interface skips V-Web's address, and the ALB nodes skip the NAT gateway's and the endpoint's
    const priv = byName(s.subnets, "V-Private").id;
    const pub = byName(s.subnets, "V-Public").id;
    expect(byName(s.vpcEndpoints, "V-ssm").networkInterfaces).toEqual([{ id: expect.stringMatching(/^eni-[0-9a-f]{17}$/), subnetId: priv, privateIp: "10.9.2.11" }]);
    expect(s.natGateways[0].privateIp).toBe("10.9.1.10");
    expect(s.loadBalancers[0].nodes).toEqual([
      { id: expect.stringMatching(/^eni-/), subnetId: pub, privateIp: "10.9.1.11" },
      { id: expect.stringMatching(/^eni-/), subnetId: priv, privateIp: "10.9.2.12" },
    ]);
    expect(new Set(s.loadBalancers[0].nodes!.map((n) => n.id)).size).toBe(2);
    expect(again.loadBalancers[0].nodes).toEqual(s.loadBalancers[0].nodes);
    // AND a gateway endpoint has no interface
    expect(byName(s.vpcEndpoints, "V-s3").networkInterfaces).toBeUndefined();
  });

  it("leaves security group referencing off unless the transit gateway enables it", () => {
    // https://docs.aws.amazon.com/vpc/latest/tgw/tgw-vpc-attachments.html: disable is the TGW-level default
    expect(snapshotFromTerraform({ core: coreStack() }, OPTIONS).transitGateways[0].securityGroupReferencing).toBeUndefined();
    const core = coreStack();
    core.resource.aws_ec2_transit_gateway.tgw.security_group_referencing_support = "enable";
    core.resource.aws_ec2_transit_gateway_vpc_attachment.att.security_group_referencing_support = "disable";
    const s = snapshotFromTerraform({ core }, OPTIONS);
    expect(s.transitGateways[0].securityGroupReferencing).toBe(true);
    expect(s.tgwAttachments[0].securityGroupReferencing).toBe(false);
  });
});

describe("snapshotFromTerraform: NACLs, inline routes and rules in every form the provider takes", () => {
  it("models aws_network_acl with inline rules and subnet_ids, taking the subnet from the default ACL", () => {
    // GIVEN a custom ACL on the private subnet: SSH in from the VPC, everything out
    const core = coreStack();
    core.resource.aws_network_acl = {
      priv: {
        vpc_id: "${aws_vpc.v.id}",
        subnet_ids: ["${aws_subnet.priv.id}"],
        ingress: [{ rule_no: 100, action: "allow", protocol: "tcp", from_port: 22, to_port: 22, cidr_block: "10.9.0.0/16" }],
        egress: [{ rule_no: 100, action: "allow", protocol: "-1", from_port: 0, to_port: 0, cidr_block: "0.0.0.0/0" }],
        tags: { Name: "V-Private-ACL" },
      },
    };
    const s = snapshotFromTerraform({ core }, OPTIONS);
    const acl = byName(s.networkAcls, "V-Private-ACL");
    // THEN the ACL holds exactly its rules, and the subnet left the default ACL
    expect(acl).toMatchObject({ isDefault: false, subnetIds: [byName(s.subnets, "V-Private").id] });
    expect(acl.entries).toEqual([
      { ruleNumber: 100, egress: false, protocol: "tcp", action: "allow", cidr: "10.9.0.0/16", fromPort: 22, toPort: 22 },
      { ruleNumber: 100, egress: true, protocol: "-1", action: "allow", cidr: "0.0.0.0/0" },
    ]);
    expect(s.networkAcls.find((a) => a.isDefault)!.subnetIds).toEqual([byName(s.subnets, "V-Public").id]);
  });

  it("adds aws_network_acl_rule entries and moves subnets with aws_network_acl_association", () => {
    const core = coreStack();
    core.resource.aws_network_acl = { a: { vpc_id: "${aws_vpc.v.id}", tags: { Name: "V-ACL" } } };
    core.resource.aws_network_acl_rule = {
      deny_in: { network_acl_id: "${aws_network_acl.a.id}", rule_number: 90, egress: false, protocol: "6", rule_action: "deny", cidr_block: "0.0.0.0/0", from_port: 80, to_port: 80 },
      out: { network_acl_id: "${aws_network_acl.a.id}", rule_number: 100, egress: true, protocol: "-1", rule_action: "allow", cidr_block: "0.0.0.0/0" },
    };
    core.resource.aws_network_acl_association = { pub: { network_acl_id: "${aws_network_acl.a.id}", subnet_id: "${aws_subnet.pub.id}" } };
    const s = snapshotFromTerraform({ core }, OPTIONS);
    expect(byName(s.networkAcls, "V-ACL")).toMatchObject({
      subnetIds: [byName(s.subnets, "V-Public").id],
      entries: [
        { ruleNumber: 90, egress: false, protocol: "tcp", action: "deny", cidr: "0.0.0.0/0", fromPort: 80, toPort: 80 },
        { ruleNumber: 100, egress: true, protocol: "-1", action: "allow", cidr: "0.0.0.0/0" },
      ],
    });
  });

  it("replaces the default ACL's rules with aws_default_network_acl's, and the analyzer sees them", () => {
    // GIVEN the stack adopts the default ACL and allows only outbound traffic, no inbound at all
    const core = coreStack();
    core.resource.aws_default_network_acl = {
      d: { default_network_acl_id: "${aws_vpc.v.default_network_acl_id}", egress: [{ rule_no: 100, action: "allow", protocol: "-1", from_port: 0, to_port: 0, cidr_block: "0.0.0.0/0" }], tags: { Name: "V-Default-ACL" } },
    };
    const s = snapshotFromTerraform({ core }, OPTIONS);
    const acl = byName(s.networkAcls, "V-Default-ACL");
    expect(acl).toMatchObject({ isDefault: true, entries: [{ ruleNumber: 100, egress: true, protocol: "-1", action: "allow", cidr: "0.0.0.0/0" }] });
    // THEN replies are dropped at the subnet's inbound side
    expect(reach(s, "V-Workstation", { kind: "internet" }).blockedBy).toMatchObject({ component: "V-Default-ACL", reason: "NACL_DENY" });
  });

  it("models inline route blocks of aws_route_table and of aws_default_route_table", () => {
    // GIVEN the private table's routes written inline, and the main table adopted with a route of its own
    const core = coreStack();
    delete (core.resource.aws_route as Json).priv_default;
    core.resource.aws_route_table.rt_priv.route = [{ cidr_block: "0.0.0.0/0", nat_gateway_id: "${aws_nat_gateway.nat.id}" }, { ipv6_cidr_block: "::/0", gateway_id: "${aws_internet_gateway.igw.id}" }];
    core.resource.aws_default_route_table = { main: { default_route_table_id: "${aws_vpc.v.default_route_table_id}", route: [{ cidr_block: "172.16.0.0/12", transit_gateway_id: "${aws_ec2_transit_gateway.tgw.id}" }], tags: { Name: "V-Main-RT" } } };
    const s = snapshotFromTerraform({ core }, OPTIONS);
    // THEN the inline IPv4 routes are there (IPv6 is not modelled), and the analyzer follows them
    expect(byName(s.routeTables, "V-Private-RT").routes.map((r) => `${r.destination} ${r.target.kind}`)).toEqual(["10.9.0.0/16 local", "10.0.0.0/8 tgw", "0.0.0.0/0 nat-gateway"]);
    expect(byName(s.routeTables, "V-Main-RT")).toMatchObject({ main: true, routes: [{ destination: "10.9.0.0/16" }, { destination: "172.16.0.0/12", target: { kind: "tgw" } }] });
    expect(reach(s, "V-Web", { kind: "internet" }).hops.map((h) => h.kind)).toContain("nat-gateway");
  });

  it("models aws_security_group_rule (CIDRs, a source group, self) and inline self rules", () => {
    const core = coreStack();
    core.resource.aws_security_group_rule = {
      ssh: { type: "ingress", security_group_id: "${aws_security_group.g.id}", protocol: "tcp", from_port: 22, to_port: 22, cidr_blocks: ["10.0.0.0/8", "192.168.0.0/16"] },
      from_alb: { type: "ingress", security_group_id: "${aws_security_group.g.id}", protocol: "tcp", from_port: 8080, to_port: 8080, source_security_group_id: "${aws_security_group.alb_sg.id}" },
      alb_out: { type: "egress", security_group_id: "${aws_security_group.alb_sg.id}", protocol: "-1", from_port: 0, to_port: 0, self: true },
    };
    core.resource.aws_security_group.g.ingress = [{ protocol: "icmp", from_port: -1, to_port: -1, self: true }];
    const s = snapshotFromTerraform({ core }, OPTIONS);
    const web = byName(s.securityGroups, "V-WebSG-tag");
    const alb = byName(s.securityGroups, "V-AlbSG");
    expect(web.ingress).toEqual(
      expect.arrayContaining([
        { protocol: "icmp", fromPort: -1, toPort: -1, peerSecurityGroupId: web.id },
        expect.objectContaining({ protocol: "tcp", fromPort: 22, toPort: 22, cidr: "10.0.0.0/8" }),
        expect.objectContaining({ protocol: "tcp", fromPort: 22, toPort: 22, cidr: "192.168.0.0/16" }),
        expect.objectContaining({ protocol: "tcp", fromPort: 8080, toPort: 8080, peerSecurityGroupId: alb.id }),
      ]),
    );
    expect(alb.egress).toEqual([expect.objectContaining({ protocol: "-1", peerSecurityGroupId: alb.id })]);
  });

  it("models aws_default_security_group's rules and secondary CIDRs with their local routes", () => {
    const core = coreStack();
    core.resource.aws_default_security_group = { d: { vpc_id: "${aws_vpc.v.id}", ingress: [{ protocol: "-1", from_port: 0, to_port: 0, self: true }] } };
    core.resource.aws_vpc_ipv4_cidr_block_association = { extra: { vpc_id: "${aws_vpc.v.id}", cidr_block: "100.64.0.0/16" } };
    const s = snapshotFromTerraform({ core }, OPTIONS);
    const d = byName(s.securityGroups, "default");
    expect(d).toMatchObject({ groupName: "default", vpcId: s.vpcs[0].id, ingress: [{ protocol: "-1", peerSecurityGroupId: d.id }], egress: [] });
    expect(s.vpcs[0].secondaryCidrs).toEqual(["100.64.0.0/16"]);
    expect(byName(s.routeTables, "V-Public-RT").routes.slice(0, 2).map((r) => r.destination)).toEqual(["10.9.0.0/16", "100.64.0.0/16"]);
  });

  it.each([
    ["aws_network_acl_rule with action reject", (c: FixtureStack) => { c.resource.aws_network_acl = { a: { vpc_id: "${aws_vpc.v.id}" } }; c.resource.aws_network_acl_rule = { r: { network_acl_id: "${aws_network_acl.a.id}", rule_number: 1, protocol: "-1", rule_action: "reject", cidr_block: "0.0.0.0/0" } }; }, 'aws_network_acl_rule.r has a network ACL rule with action "reject"; it must be allow or deny.'],
    ["a rule number out of range", (c: FixtureStack) => { c.resource.aws_network_acl = { a: { vpc_id: "${aws_vpc.v.id}", ingress: [{ rule_no: 40000, action: "allow", protocol: "-1", cidr_block: "0.0.0.0/0" }] } }; }, "aws_network_acl.a has a network ACL rule numbered 40000; rule numbers run from 1 to 32766."],
    ["an association of an unknown ACL", (c: FixtureStack) => { c.resource.aws_network_acl_association = { x: { network_acl_id: "acl-nope", subnet_id: "${aws_subnet.pub.id}" } }; }, 'aws_network_acl_association.x names network ACL "acl-nope", which is not a network ACL of the lab.'],
    ["an aws_security_group_rule of an unknown type", (c: FixtureStack) => { c.resource.aws_security_group_rule = { x: { type: "both", security_group_id: "${aws_security_group.g.id}", protocol: "-1", from_port: 0, to_port: 0, cidr_blocks: ["0.0.0.0/0"] } }; }, 'aws_security_group_rule.x has type "both"; it must be ingress or egress.'],
    ["a resource netlab cannot model", (c: FixtureStack) => { c.resource.aws_network_interface = { extra: { subnet_id: "${aws_subnet.pub.id}" } }; }, "aws_network_interface.extra uses extra network interfaces, which netlab cannot model offline"],
    ["a default route table that is not a main table", (c: FixtureStack) => { c.resource.aws_default_route_table = { d: { default_route_table_id: "${aws_route_table.rt_pub.id}" } }; }, "aws_default_route_table.d adopts route table"],
    ["a network ACL in an unknown VPC", (c: FixtureStack) => { c.resource.aws_network_acl = { a: { vpc_id: "vpc-nope" } }; }, 'aws_network_acl.a is in VPC "vpc-nope", which is not a VPC of the lab.'],
    ["an ACL association of an unknown subnet", (c: FixtureStack) => { c.resource.aws_network_acl = { a: { vpc_id: "${aws_vpc.v.id}", subnet_ids: ["subnet-nope"] } }; }, 'aws_network_acl.a associates subnet "subnet-nope", which is not a subnet of the lab.'],
    ["an ACL association across VPCs", (c: FixtureStack) => { c.resource.aws_vpc.w = { cidr_block: "10.8.0.0/16" }; c.resource.aws_network_acl = { a: { vpc_id: "${aws_vpc.w.id}", subnet_ids: ["${aws_subnet.pub.id}"] } }; }, "aws_network_acl.a associates subnet V-Public with a network ACL of another VPC; AWS refuses that."],
    ["a default network ACL that is not one", (c: FixtureStack) => { c.resource.aws_default_network_acl = { d: { default_network_acl_id: "acl-nope" } }; }, 'aws_default_network_acl.d adopts network ACL "acl-nope", which is not the default ACL of a VPC of the lab.'],
    ["a default security group of an unknown VPC", (c: FixtureStack) => { c.resource.aws_default_security_group = { d: { vpc_id: "vpc-nope" } }; }, 'aws_default_security_group.d is the default group of VPC "vpc-nope", which is not a VPC of the lab.'],
    ["a main table association across VPCs", (c: FixtureStack) => { c.resource.aws_vpc.w = { cidr_block: "10.8.0.0/16" }; c.resource.aws_main_route_table_association = { m: { vpc_id: "${aws_vpc.w.id}", route_table_id: "${aws_route_table.rt_pub.id}" } }; }, "aws_main_route_table_association.m makes V-Public-RT the main table of VPC"],
    ["a secondary CIDR that is not one", (c: FixtureStack) => { c.resource.aws_vpc_ipv4_cidr_block_association = { x: { vpc_id: "${aws_vpc.v.id}", ipv4_ipam_pool_id: "ipam-pool-1" } }; }, "aws_vpc_ipv4_cidr_block_association.x has cidr_block undefined, which is not an IPv4 CIDR"],
    ["a secondary CIDR of an unknown VPC", (c: FixtureStack) => { c.resource.aws_vpc_ipv4_cidr_block_association = { x: { vpc_id: "vpc-nope", cidr_block: "100.64.0.0/16" } }; }, 'aws_vpc_ipv4_cidr_block_association.x adds a CIDR to VPC "vpc-nope", which is not a VPC of the stack.'],
    [
      "an interface endpoint in a full subnet",
      (c: FixtureStack) => {
        (c.resource.aws_subnet as Json).tiny = { vpc_id: "${aws_vpc.v.id}", cidr_block: "10.9.3.0/28", tags: { Name: "V-Tiny" } };
        for (const k of [10, 11, 12, 13, 14]) (c.resource.aws_instance as Json)[`t${k}`] = { subnet_id: "${aws_subnet.tiny.id}", private_ip: `10.9.3.${k}`, tags: { Name: `T${k}` } };
        (c.resource.aws_vpc_endpoint.ssm as Json).subnet_ids = ["${aws_subnet.tiny.id}"];
      },
      "aws_vpc_endpoint.ssm: subnet V-Tiny (10.9.3.0/28) has no free address left for its network interface.",
    ],
    ["an interface endpoint in an unknown subnet", (c: FixtureStack) => { (c.resource.aws_vpc_endpoint.ssm as Json).subnet_ids = ["subnet-nope"]; }, 'aws_vpc_endpoint.ssm is in subnet "subnet-nope", which is not a subnet of the lab.'],
  ])("refuses %s, naming the resource", (_what, mutate, message) => {
    const core = coreStack();
    mutate(core);
    expect(() => snapshotFromTerraform({ core }, OPTIONS)).toThrow(SynthError);
    expect(() => snapshotFromTerraform({ core }, OPTIONS)).toThrow(message);
  });
});

describe("snapshotFromTerraform: errors", () => {
  it("names the stack, the resource and the reference it cannot resolve", () => {
    // GIVEN a subnet that refers to a VPC the stack does not define
    const core = coreStack();
    core.resource.aws_subnet.pub.vpc_id = "${aws_vpc.missing.id}";
    // WHEN modelled / THEN
    expect(() => snapshotFromTerraform({ core }, OPTIONS)).toThrow(SynthError);
    expect(() => snapshotFromTerraform({ core }, OPTIONS)).toThrow("Stack netlab-t1-core: aws_subnet.pub refers to ${aws_vpc.missing.id}, but the stack defines no aws_vpc.missing.");
  });

  it("does not resolve a reference into the other stack (only data sources cross stacks)", () => {
    // GIVEN a NAT stack resource that names a resource only the core stack defines
    const nat = natStack();
    nat.resource.aws_route.priv_default = { route_table_id: "${aws_route_table.rt_priv.id}", destination_cidr_block: "0.0.0.0/0", gateway_id: "${aws_internet_gateway.igw.id}" };
    // WHEN modelled with both stacks / THEN
    expect(() => snapshotFromTerraform({ core: coreStack(), natinstance: nat }, OPTIONS)).toThrow(
      "Stack netlab-t1-natinstance: aws_route.priv_default refers to ${aws_internet_gateway.igw.id}, but the stack defines no aws_internet_gateway.igw.",
    );
  });

  it("says which data source finds nothing when the core stack is left out", () => {
    // GIVEN the NAT stack alone, whose zone lookup needs the core stack / WHEN modelled / THEN
    expect(() => snapshotFromTerraform({ natinstance: natStack() }, OPTIONS)).toThrow(
      'Stack netlab-t1-natinstance: data.aws_route53_zone.core_zone looks up "lab.internal.", which no stack of lab t1 creates (is the core variant left out of the config?).',
    );
  });

  it("names a data source attribute it cannot resolve offline", () => {
    // GIVEN a reference to an attribute of an unknown data source
    const core = coreStack();
    core.data.aws_vpc = { other: { id: "vpc-0123456789abcdef0" } };
    core.resource.aws_subnet.pub.vpc_id = "${data.aws_vpc.other.id}";
    // WHEN modelled / THEN
    expect(() => snapshotFromTerraform({ core }, OPTIONS)).toThrow(/^Stack netlab-t1-core: aws_subnet\.pub refers to data\.aws_vpc\.other\.id, which netlab cannot resolve offline \(it resolves data\.aws_availability_zones\.names, .*data\.aws_route53_zone by name/);
  });

  it.each([
    ["a function call", "${cidrsubnet(aws_vpc.v.cidr_block, 8, 1)}", "Stack netlab-t1-core: aws_subnet.pub uses ${cidrsubnet(aws_vpc.v.cidr_block, 8, 1)}, which netlab cannot evaluate offline (it resolves type.name.attribute, element(list, n) and list[n])."],
    ["an index past the end", "${data.aws_availability_zones.azs.names[7]}", "Stack netlab-t1-core: aws_subnet.pub uses ${data.aws_availability_zones.azs.names[7]}, but data.aws_availability_zones.azs.names has no element 7."],
    ["element() of a non-list", "${element(aws_vpc.v.id, 0)}", "Stack netlab-t1-core: aws_subnet.pub uses ${element(aws_vpc.v.id, 0)}, but aws_vpc.v.id is not a list."],
  ])("names an expression it cannot evaluate: %s", (_label, expression, message) => {
    // GIVEN a subnet whose availability_zone is the expression
    const core = coreStack();
    core.resource.aws_subnet.pub.availability_zone = expression;
    // WHEN modelled / THEN
    expect(() => snapshotFromTerraform({ core }, OPTIONS)).toThrow(message);
  });

  it("names a reference cycle", () => {
    // GIVEN a VPC whose CIDR reads a subnet that reads the VPC
    const core = coreStack();
    core.resource.aws_vpc.v.cidr_block = "${aws_subnet.pub.cidr_block}";
    core.resource.aws_subnet.pub.cidr_block = "${aws_vpc.v.cidr_block}";
    // WHEN modelled / THEN
    expect(() => snapshotFromTerraform({ core }, OPTIONS)).toThrow("Stack netlab-t1-core: aws_vpc.v refers to itself through a cycle of references.");
  });

  it.each<[string, (c: FixtureStack) => void, string]>([
    ["a VPC without an IPv4 CIDR", (c) => (c.resource.aws_vpc.v.cidr_block = "10.9.0.0"), 'Stack netlab-t1-core: aws_vpc.v has cidr_block "10.9.0.0", which is not an IPv4 CIDR (IPAM pools are not modelled offline).'],
    ["a subnet outside the lab's VPCs", (c) => (c.resource.aws_subnet.pub.vpc_id = "vpc-0123"), 'Stack netlab-t1-core: aws_subnet.pub is in VPC "vpc-0123", which is not a VPC of the stack.'],
    ["a route table outside the lab's VPCs", (c) => (c.resource.aws_route_table.rt_pub.vpc_id = "vpc-0123"), 'Stack netlab-t1-core: aws_route_table.rt_pub is in VPC "vpc-0123", which is not a VPC of the stack.'],
    ["an association with an unknown table", (c) => (c.resource.aws_route_table_association.a_pub.route_table_id = "rtb-0123"), 'Stack netlab-t1-core: aws_route_table_association.a_pub names route table "rtb-0123", which is not a route table of the lab.'],
    ["a rule of an unknown group", (c) => (c.resource.aws_vpc_security_group_egress_rule.all_out.security_group_id = "sg-0123"), 'Stack netlab-t1-core: aws_vpc_security_group_egress_rule.all_out belongs to security group "sg-0123", which is not a security group of the lab.'],
    ["an instance outside the lab's subnets", (c) => (c.resource.aws_instance.web.subnet_id = "subnet-0123"), 'Stack netlab-t1-core: aws_instance.web is in subnet "subnet-0123", which is not a subnet of the lab.'],
    ["an instance address outside its subnet", (c) => (c.resource.aws_instance.web.private_ip = "10.9.1.10"), 'Stack netlab-t1-core: aws_instance.web has private_ip "10.9.1.10", which is not an address of its subnet V-Private (10.9.2.0/24).'],
    ["an association of an unknown EIP", (c) => (c.resource.aws_eip_association = { x: { allocation_id: "eipalloc-0123", instance_id: "${aws_instance.web.id}" } }), 'Stack netlab-t1-core: aws_eip_association.x associates allocation "eipalloc-0123", which is not an EIP of the lab.'],
    ["a NAT gateway outside the lab's subnets", (c) => (c.resource.aws_nat_gateway.nat.subnet_id = "subnet-0123"), 'Stack netlab-t1-core: aws_nat_gateway.nat is in subnet "subnet-0123", which is not a subnet of the lab.'],
    ["a NAT gateway with an unknown EIP", (c) => (c.resource.aws_nat_gateway.nat.allocation_id = "eipalloc-0123"), 'Stack netlab-t1-core: aws_nat_gateway.nat uses allocation "eipalloc-0123", which is not an EIP of the lab.'],
    ["a route of an unknown table", (c) => (c.resource.aws_route.pub_default.route_table_id = "rtb-0123"), 'Stack netlab-t1-core: aws_route.pub_default names route table "rtb-0123", which is not a route table of the lab.'],
    [
      "a route without a target",
      (c) => (c.resource.aws_route.pub_default = { route_table_id: "${aws_route_table.rt_pub.id}", destination_cidr_block: "0.0.0.0/0" }),
      "Stack netlab-t1-core: aws_route.pub_default has no target (gateway_id, nat_gateway_id, transit_gateway_id, network_interface_id, vpc_endpoint_id or vpc_peering_connection_id).",
    ],
    [
      "an endpoint association with an unknown endpoint",
      (c) => (c.resource.aws_vpc_endpoint_route_table_association = { x: { vpc_endpoint_id: "vpce-0123", route_table_id: "${aws_route_table.rt_pub.id}" } }),
      'Stack netlab-t1-core: aws_vpc_endpoint_route_table_association.x names endpoint "vpce-0123", which is not an endpoint of the lab.',
    ],
    ["an attachment to an unknown TGW", (c) => (c.resource.aws_ec2_transit_gateway_vpc_attachment.att.transit_gateway_id = "tgw-0123"), 'Stack netlab-t1-core: aws_ec2_transit_gateway_vpc_attachment.att attaches to transit gateway "tgw-0123", which is not a transit gateway of the lab.'],
    ["a TGW route of an unknown table", (c) => (c.resource.aws_ec2_transit_gateway_route.default.transit_gateway_route_table_id = "tgw-rtb-0123"), 'Stack netlab-t1-core: aws_ec2_transit_gateway_route.default names TGW route table "tgw-rtb-0123", which is not a TGW route table of the lab.'],
    ["a TGW route without a target", (c) => delete c.resource.aws_ec2_transit_gateway_route.default.transit_gateway_attachment_id, "Stack netlab-t1-core: aws_ec2_transit_gateway_route.default has neither transit_gateway_attachment_id nor blackhole = true."],
    ["a listener of an unknown load balancer", (c) => (c.resource.aws_lb_listener.http.load_balancer_arn = "arn:x"), 'Stack netlab-t1-core: aws_lb_listener.http listens on load balancer "arn:x", which is not a load balancer of the lab.'],
    ["a registration into an unknown target group", (c) => (c.resource.aws_lb_target_group_attachment.web.target_group_arn = "arn:x"), 'Stack netlab-t1-core: aws_lb_target_group_attachment.web registers into target group "arn:x", which is not a target group of the lab.'],
    ["a record in an unknown zone", (c) => (c.resource.aws_route53_record.web.zone_id = "Z0123"), 'Stack netlab-t1-core: aws_route53_record.web names hosted zone "Z0123", which is not a zone of the lab.'],
    ["a flow log of nothing", (c) => delete c.resource.aws_flow_log.fl.vpc_id, "Stack netlab-t1-core: aws_flow_log.fl captures nothing: it has no vpc_id, subnet_id, eni_id or transit_gateway_id."],
  ])("refuses %s", (_label, mutate, message) => {
    // GIVEN the core fixture with one inconsistency
    const core = coreStack();
    mutate(core);
    // WHEN modelled / THEN the error names the resource and the bad value
    expect(() => snapshotFromTerraform({ core }, OPTIONS)).toThrow(message);
  });

  it("refuses more public addresses than 203.0.113.0/24 offers", () => {
    // GIVEN 300 EIPs on top of the fixture's NAT gateway EIP and workstation address
    const core = coreStack();
    for (let i = 0; i < 300; i++) core.resource.aws_eip[`e${i}`] = { domain: "vpc" };
    // WHEN modelled / THEN
    expect(() => snapshotFromTerraform({ core }, OPTIONS)).toThrow("The lab needs 302 fake public addresses, more than the 245 that 203.0.113.0/24 offers.");
  });

  it("refuses bad arguments: no stack, a stack that is not an object, an empty lab or region", () => {
    // GIVEN / WHEN / THEN
    expect(() => snapshotFromTerraform({}, OPTIONS)).toThrow("snapshotFromTerraform needs at least one stack of lab t1 (core or natinstance); it got none.");
    expect(() => snapshotFromTerraform({ core: [] as unknown as object }, OPTIONS)).toThrow("The core stack of lab t1 is not a Terraform JSON object (cdk.tf.json).");
    expect(() => snapshotFromTerraform({ core: coreStack() }, { lab: "", region: "ap-northeast-2" })).toThrow("snapshotFromTerraform needs a lab (participant id); it got an empty one.");
    expect(() => snapshotFromTerraform({ core: coreStack() }, { lab: "t1", region: "" })).toThrow("snapshotFromTerraform needs a region (e.g. ap-northeast-2); it got an empty one.");
  });
});

describe("loadSynthDir", () => {
  const writeStacks = (stacks: Record<string, unknown>): string => {
    const dir = mkdtempSync(join(tmpdir(), "netlab-synth-"));
    for (const [name, json] of Object.entries(stacks)) {
      mkdirSync(join(dir, "stacks", name), { recursive: true });
      writeFileSync(join(dir, "stacks", name, "cdk.tf.json"), typeof json === "string" ? json : JSON.stringify(json));
    }
    return dir;
  };

  it("reads both stacks of the lab and models them together", () => {
    // GIVEN a synth dir with the lab's two stacks / WHEN loaded
    const dir = writeStacks({ "netlab-t1-core": coreStack(), "netlab-t1-natinstance": natStack() });
    // THEN it is the snapshot of both
    expect(loadSynthDir(dir, "t1", "ap-northeast-2")).toEqual(both());
  });

  it("says the synth directory is missing and how to make one", () => {
    expect(() => loadSynthDir("/nonexistent/netlab", "t1", "ap-northeast-2")).toThrow("The synth directory /nonexistent/netlab does not exist; run `npx cdktf synth` or pass --synth-dir.");
  });

  it("names the missing stack and lists the stacks that are there", () => {
    // GIVEN only another participant's stacks
    const dir = writeStacks({ "netlab-s01-core": coreStack("s01"), "netlab-s01-natinstance": natStack("s01") });
    // WHEN loaded for t1 / THEN
    expect(() => loadSynthDir(dir, "t1", "ap-northeast-2")).toThrow(`The synth directory ${dir} has no stack netlab-t1-core; it has: netlab-s01-core, netlab-s01-natinstance. Is "t1" a participant of this config?`);
    expect(() => loadSynthDir(mkdtempSync(join(tmpdir(), "netlab-synth-")), "t1", "ap-northeast-2")).toThrow("has no stack netlab-t1-core; it has: no stacks.");
  });

  it("allows a missing natinstance stack only when the variants leave it out", () => {
    // GIVEN a synth dir with the core stack only
    const dir = writeStacks({ "netlab-t1-core": coreStack() });
    // WHEN loaded with both variants / THEN the natinstance stack is missing
    expect(() => loadSynthDir(dir, "t1", "ap-northeast-2")).toThrow(`The synth directory ${dir} has no stack netlab-t1-natinstance; it has: netlab-t1-core.`);
    // WHEN loaded with the core variant only / THEN it is the core lab
    expect(loadSynthDir(dir, "t1", "ap-northeast-2", { variants: ["core"] }).vpcs.map((v) => v.name)).toEqual(["V"]);
    expect(() => loadSynthDir(dir, "t1", "ap-northeast-2", { variants: [] })).toThrow("loadSynthDir needs at least one variant (core, natinstance); it got none.");
  });

  it("names the file that is not valid JSON", () => {
    // GIVEN a truncated cdk.tf.json / WHEN loaded / THEN
    const dir = writeStacks({ "netlab-t1-core": "{" });
    expect(() => loadSynthDir(dir, "t1", "ap-northeast-2", { variants: ["core"] })).toThrow(`${join(dir, "stacks", "netlab-t1-core", "cdk.tf.json")} is not valid JSON (`);
  });
});

describe("the synthesized lab as a snapshot", () => {
  it("has the lab's five VPCs with their CIDRs, each with a main table and a default NACL", async () => {
    const s = await labSnapshot();
    expect(s.vpcs.map((v) => `${v.name} ${v.cidr}`).sort()).toEqual(["DMZVPC 10.11.0.0/16", "NATInstance-VPC1 10.10.0.0/16", "VPC01 10.1.0.0/16", "VPC02 10.2.0.0/16", "mgmtvpc 10.254.0.0/16"]);
    for (const v of s.vpcs) {
      expect(s.routeTables.filter((t) => t.vpcId === v.id && t.main).map((t) => t.name)).toEqual([`${v.name}-main`]);
      expect(s.networkAcls.filter((a) => a.vpcId === v.id && a.isDefault)).toHaveLength(1);
    }
  });

  it("resolves every reference and tags every resource with the lab", async () => {
    const s = await labSnapshot();
    expect(JSON.stringify(s)).not.toContain("${");
    for (const r of [...s.vpcs, ...s.subnets, ...s.instances, ...s.securityGroups, ...s.natGateways, ...s.loadBalancers]) expect(r.tags).toMatchObject({ "netlab:lab": "s01", "netlab:managed": "true" });
  });

  it("sends VPC02's default route to the TGW and the NAT instance VPC's to the NAT instance's ENI", async () => {
    const s = await labSnapshot();
    for (const name of ["VPC02-Private-Subnet-A-RT", "VPC02-Private-Subnet-B-RT"]) {
      expect(byName(s.routeTables, name).routes).toContainEqual({ destination: "0.0.0.0/0", target: { kind: "tgw", id: s.transitGateways[0].id }, state: "active" });
    }
    const nat = byName(s.instances, "NAT-Instance");
    expect(byName(s.routeTables, "NATInstance-PrivateRouteTable1").routes).toContainEqual({ destination: "0.0.0.0/0", target: { kind: "eni", id: nat.eniId, instanceId: nat.id }, state: "active" });
    expect(nat.sourceDestCheck).toBe(false);
  });

  it("gives the two DMZ NAT gateways and the NAT instance distinct TEST-NET-3 EIPs", async () => {
    const s = await labSnapshot();
    const dmz = byName(s.vpcs, "DMZVPC");
    const natGateways = s.natGateways.filter((n) => n.vpcId === dmz.id);
    expect(natGateways).toHaveLength(2);
    const natInstanceEip = s.elasticIps.find((e) => e.instanceId === byName(s.instances, "NAT-Instance").id)?.publicIp;
    const addresses = [...natGateways.map((n) => n.publicIp), natInstanceEip];
    for (const ip of addresses) expect(ip).toMatch(/^203\.0\.113\.\d{1,3}$/);
    expect(new Set(addresses).size).toBe(3);
  });

  it("associates the private zone with every VPC, NATInstance-VPC1 included, and registers 4 targets on port 80", async () => {
    const s = await labSnapshot();
    expect(s.hostedZones).toHaveLength(1);
    expect([...s.hostedZones[0].vpcIds].sort()).toEqual(s.vpcs.map((v) => v.id).sort());
    expect(s.hostedZones[0].vpcIds).toContain(byName(s.vpcs, "NATInstance-VPC1").id);
    const web = s.instances.filter((i) => i.tags["netlab:role"] === "web");
    expect(s.targetGroups[0].targets.map((t) => t.port)).toEqual([80, 80, 80, 80]);
    expect(s.targetGroups[0].targets.map((t) => t.instanceId).sort()).toEqual(web.map((i) => i.id).sort());
    expect(s.flowLogs.map((f) => f.logGroupName)).toEqual(Array(5).fill("/aws/vpc/flowlogs"));
  });

  it("is the same on every load", async () => {
    expect(await labSnapshot()).toEqual(await labSnapshot());
  });

  it("draws it as a Mermaid flowchart with VPC subgraphs and route edges", async () => {
    const text = toMermaid(await labSnapshot());
    expect(text.split("\n")[0]).toBe("flowchart LR");
    expect(text).toMatch(/subgraph n_vpc_\w+\["DMZVPC 10\.11\.0\.0\/16"\]/);
    expect(text).toContain('-- "0.0.0.0/0" -->');
    expect(text).toContain('-- "10.0.0.0/8" -->');
    expect(text).toMatch(/\{\{"DMZVPC-NATGW-A 203\.0\.113\.\d+"\}\}/);
  });
});
