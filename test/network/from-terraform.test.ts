import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadSynthDir, snapshotFromTerraform, SynthError } from "../../network/from-terraform";
import { toMermaid } from "../../network/diagram";
import { labSnapshot, labSynthDir } from "../helpers/lab";

const tiny = {
  provider: { aws: [{ region: "ap-northeast-2", default_tags: [{ tags: { "netlab:lab": "t1", "netlab:managed": "true" } }] }] },
  data: { aws_availability_zones: { azs: { state: "available" } } },
  resource: {
    aws_vpc: { v: { cidr_block: "10.9.0.0/16", tags: { Name: "V" } } },
    aws_subnet: { s: { vpc_id: "${aws_vpc.v.id}", cidr_block: "10.9.1.0/24", availability_zone: "${element(data.aws_availability_zones.azs.names, 1)}", tags: { Name: "S" } } },
    aws_security_group: { g: { name: "G", vpc_id: "${aws_vpc.v.id}", tags: { Name: "G-tag" } } },
    aws_vpc_security_group_egress_rule: { e: { security_group_id: "${aws_security_group.g.id}", ip_protocol: "-1", cidr_ipv4: "0.0.0.0/0" } },
    aws_instance: { i: { subnet_id: "${aws_subnet.s.id}", private_ip: "10.9.1.10", vpc_security_group_ids: ["${aws_security_group.g.id}"], tags: { Name: "I", "netlab:role": "probe" }, user_data: "echo ${aws_vpc.v.id}" } },
    aws_eip: { e: { domain: "vpc", instance: "${aws_instance.i.id}", tags: { Name: "I-EIP" } } },
  },
};

describe("snapshotFromTerraform", () => {
  it("resolves references, embedded ones and list elements, and merges the provider's default tags", () => {
    // GIVEN a tiny stack / WHEN modelled
    const s = snapshotFromTerraform({ core: tiny }, { lab: "t1", region: "ap-northeast-2" });
    // THEN ids chain through references, the AZ comes from element(names, 1), tags include the default ones
    expect(s.subnets[0]).toMatchObject({ vpcId: s.vpcs[0].id, az: "ap-northeast-2b", name: "S" });
    expect(s.instances[0]).toMatchObject({ subnetId: s.subnets[0].id, vpcId: s.vpcs[0].id, securityGroupIds: [s.securityGroups[0].id], state: "running" });
    expect(s.instances[0].tags).toEqual({ "netlab:lab": "t1", "netlab:managed": "true", Name: "I", "netlab:role": "probe" });
    expect(s.securityGroups[0]).toMatchObject({ name: "G-tag", groupName: "G", egress: [expect.objectContaining({ protocol: "-1", cidr: "0.0.0.0/0" })] });
  });

  it("gives deterministic fake ids and TEST-NET-3 public addresses", () => {
    const a = snapshotFromTerraform({ core: tiny }, { lab: "t1", region: "ap-northeast-2" });
    const b = snapshotFromTerraform({ core: structuredClone(tiny) }, { lab: "t1", region: "ap-northeast-2" });
    expect(a).toEqual(b);
    expect(a.vpcs[0].id).toMatch(/^vpc-[0-9a-f]{17}$/);
    expect(a.instances[0].id).toMatch(/^i-[0-9a-f]{17}$/);
    expect(a.elasticIps[0]).toMatchObject({ publicIp: "203.0.113.10", instanceId: a.instances[0].id });
    expect(snapshotFromTerraform({ core: tiny }, { lab: "t2", region: "ap-northeast-2" }).vpcs[0].id).not.toBe(a.vpcs[0].id);
  });

  it("adds each VPC's main route table and default NACL, as AWS creates them", () => {
    const s = snapshotFromTerraform({ core: tiny }, { lab: "t1", region: "ap-northeast-2" });
    expect(s.routeTables).toEqual([expect.objectContaining({ main: true, routes: [{ destination: "10.9.0.0/16", target: { kind: "local" }, state: "active" }] })]);
    expect(s.networkAcls[0]).toMatchObject({ isDefault: true, subnetIds: [s.subnets[0].id] });
  });

  it("names the resource and the reference it cannot resolve", () => {
    const broken = structuredClone(tiny);
    (broken.resource.aws_subnet.s as Record<string, unknown>).vpc_id = "${aws_vpc.missing.id}";
    expect(() => snapshotFromTerraform({ core: broken }, { lab: "t1", region: "ap-northeast-2" })).toThrow(SynthError);
    expect(() => snapshotFromTerraform({ core: broken }, { lab: "t1", region: "ap-northeast-2" })).toThrow("Stack netlab-t1-core: aws_subnet.s refers to aws_vpc.missing, which neither stack defines.");
  });
});

describe("the synthesized lab as a snapshot", () => {
  it("has the lab's five VPCs, routes, NAT gateways, zone associations and targets", async () => {
    const s = await labSnapshot();
    expect(s.vpcs.map((v) => `${v.name} ${v.cidr}`).sort()).toEqual(["DMZVPC 10.11.0.0/16", "NATInstance-VPC1 10.10.0.0/16", "VPC01 10.1.0.0/16", "VPC02 10.2.0.0/16", "mgmtvpc 10.254.0.0/16"]);
    for (const name of ["VPC02-Private-Subnet-A-RT", "VPC02-Private-Subnet-B-RT"]) {
      expect(s.routeTables.find((t) => t.name === name)?.routes).toContainEqual({ destination: "0.0.0.0/0", target: { kind: "tgw", id: s.transitGateways[0].id }, state: "active" });
    }
    const nat = s.instances.find((i) => i.name === "NAT-Instance")!;
    expect(s.routeTables.find((t) => t.name === "NATInstance-PrivateRouteTable1")?.routes).toContainEqual({ destination: "0.0.0.0/0", target: { kind: "eni", id: nat.eniId, instanceId: nat.id }, state: "active" });
    const eips = s.natGateways.map((n) => n.publicIp);
    expect(new Set(eips).size).toBe(2);
    expect(s.hostedZones[0].vpcIds.sort()).toEqual(s.vpcs.map((v) => v.id).sort());
    expect(s.targetGroups[0].targets.map((t) => t.port)).toEqual([80, 80, 80, 80]);
    expect(s.flowLogs.map((f) => f.logGroupName)).toEqual(Array(5).fill("/aws/vpc/flowlogs"));
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

describe("loadSynthDir", () => {
  it("says what is missing: the dir, a stack, or valid JSON", async () => {
    expect(() => loadSynthDir("/nonexistent", "s01", "ap-northeast-2")).toThrow("The synth directory /nonexistent does not exist; run `npx cdktf synth` or pass --synth-dir.");
    const dir = await labSynthDir();
    expect(() => loadSynthDir(dir, "s02", "ap-northeast-2")).toThrow(`The synth directory ${dir} has no stack netlab-s02-core; it has: netlab-s01-core, netlab-s01-natinstance. Is "s02" a participant of this config?`);
    const bad = mkdtempSync(join(tmpdir(), "netlab-synth-"));
    mkdirSync(join(bad, "stacks", "netlab-s01-core"), { recursive: true });
    writeFileSync(join(bad, "stacks", "netlab-s01-core", "cdk.tf.json"), "{");
    expect(() => loadSynthDir(bad, "s01", "ap-northeast-2", { variants: ["core"] })).toThrow(`${join(bad, "stacks", "netlab-s01-core", "cdk.tf.json")} is not valid JSON`);
  });
});
