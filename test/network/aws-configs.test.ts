import { cpSync, mkdtempSync, readdirSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { reach } from "../../network/analyzer";
import { loadAwsConfigs, readAwsConfigs, writeAwsConfigs } from "../../network/aws-configs";
import { DescribeShapeError, snapshotFromDescribe } from "../../network/from-aws-describe";
import { snapshotToDescribe } from "../../network/to-aws-describe";
import { diffLabs } from "../../lifecycle/compare";
import { labSnapshot } from "../helpers/lab";

/** External test data: real describe outputs from the Batfish project (see its NOTICE.md). */
const FIXTURES = resolve(__dirname, "../fixtures/batfish-aws");
const fixture = (name: string) => loadAwsConfigs(join(FIXTURES, name));
const CASES = readdirSync(FIXTURES).filter((f) => f.startsWith("test-"));

describe("loading Batfish's AWS snapshots", () => {
  it("finds all eight cases", () => {
    expect(CASES.sort()).toEqual([
      "test-load-balancer",
      "test-nat-gateway",
      "test-public-private-subnet",
      "test-public-subnet",
      "test-subnet",
      "test-transit-gateway",
      "test-transit-gateway-multi-table",
      "test-vpc-endpoint-interface",
    ]);
  });

  it.each(CASES)("loads %s with as many VPCs, subnets, instances and route tables as its files hold", (name) => {
    // GIVEN the raw files / WHEN loaded / THEN nothing is lost on the way into the model
    const { outputs } = readAwsConfigs(join(FIXTURES, name));
    const s = fixture(name);
    expect(s.vpcs).toHaveLength(outputs.Vpcs?.Vpcs?.length ?? 0);
    expect(s.subnets).toHaveLength(outputs.Subnets?.Subnets?.length ?? 0);
    expect(s.routeTables).toHaveLength(outputs.RouteTables?.RouteTables?.length ?? 0);
    expect(s.instances).toHaveLength((outputs.Reservations?.Reservations ?? []).flatMap((r) => r.Instances ?? []).length);
    expect(s.region).toMatch(/^us-east-[12]$/);
    // AND every instance can be asked about, by id or by Name
    for (const i of s.instances) expect(() => reach(s, i.id, { kind: "internet" })).not.toThrow();
  });

  it("names resources by their Name tag, else by id, and flags the main route table", () => {
    const s = fixture("test-nat-gateway");
    expect(s.subnets.map((x) => x.name).sort()).toEqual(["Public Subnet", "Subnet 1", "Subnet 20"]);
    const main = s.routeTables.filter((t) => t.main);
    expect(main).toHaveLength(1);
    expect(main[0].name).toBe(main[0].id);
  });

  it("maps NACL protocols and SG group pairs", () => {
    const s = fixture("test-load-balancer");
    expect(s.networkAcls[0].entries.map((e) => e.protocol)).toContain("-1");
    expect(s.securityGroups.find((g) => g.name === "default")?.ingress).toEqual([{ protocol: "-1", fromPort: -1, toPort: -1, peerSecurityGroupId: "sg-014dccc589d557a6b" }]);
  });

  it("keeps the target health AWS observed", () => {
    const s = fixture("test-load-balancer");
    const tg = s.targetGroups.find((g) => g.targets.length)!;
    expect(tg.targets.map((t) => t.observed?.state)).toEqual(["healthy", "healthy"]);
  });
});

describe("the analyzer on networks nobody here designed", () => {
  it("test-nat-gateway: a private subnet reaches the internet through the NAT gateway, whose EIP the far side sees", () => {
    // Subnet 1's table sends 0.0.0.0/0 to nat-07ab…, which sits in Public Subnet (0.0.0.0/0 → igw):
    // the NAT gateway translates to its public IP 3.135.127.225.
    const s = fixture("test-nat-gateway");
    const r = reach(s, "test1", { kind: "internet" });
    expect(r).toMatchObject({ reachable: true, egressIp: "3.135.127.225" });
    expect(r.hops.map((h) => h.kind)).toEqual(expect.arrayContaining(["nat-gateway", "internet-gateway"]));
  });

  it("test-nat-gateway: Subnet 20 uses the main table, which has only the local route", () => {
    // Subnet 20 has no explicit association, so AWS uses the VPC's main table: no route to 0.0.0.0/0.
    const s = fixture("test-nat-gateway");
    const main = s.routeTables.find((t) => t.main)!;
    expect(reach(s, "test20", { kind: "internet" }).blockedBy).toMatchObject({ component: main.name, reason: "NO_ROUTE" });
  });

  it("test-public-subnet: an instance with a public IP reaches the internet through the IGW as itself", () => {
    // WHY: its subnet's table sends 0.0.0.0/0 to igw-0a40… (attached to its VPC), its group allows all egress,
    // the default NACL allows everything, and the IGW translates its private address to its public one
    // 18.216.80.133, which is therefore what the far side sees.
    const s = fixture("test-public-subnet");
    const i = s.instances[0];
    expect(reach(s, i.id, { kind: "internet" })).toMatchObject({ reachable: true, egressIp: i.publicIp });
  });

  it("test-vpc-endpoint-interface: an instance without a public IP cannot use the IGW", () => {
    // private-web01's table routes 0.0.0.0/0 to the IGW, but the IGW only translates addresses
    // that have a public IP (https://docs.aws.amazon.com/vpc/latest/userguide/VPC_Internet_Gateway.html).
    const s = fixture("test-vpc-endpoint-interface");
    expect(reach(s, "private-web01", { kind: "internet" }).blockedBy).toMatchObject({ reason: "NO_PUBLIC_IP" });
    expect(reach(s, "public-web01", { kind: "internet" }).reachable).toBe(true);
    expect(s.vpcEndpoints.map((e) => e.type)).toEqual(["Interface"]);
  });

  it("test-transit-gateway: VPC A reaches VPC B through the TGW from the attachment's AZ", () => {
    // tgw-vpcA has its one subnet in us-east-2c (subnet A); the TGW table learns 192.168.1.0/24 from tgw-vpcB.
    const s = fixture("test-transit-gateway");
    const r = reach(s, "i-06ba034d88c84ef07", { kind: "instance", ref: "i-0b14080af811fda3d" }, { protocol: "tcp", port: 22 });
    expect(r.reachable).toBe(true);
    expect(r.hops.map((h) => h.component)).toEqual(expect.arrayContaining(["tgw-vpcA", "transit-test", "tgw-vpcB"]));
  });

  it("test-transit-gateway: an instance in an AZ where the attachment has no subnet cannot reach the TGW", () => {
    // i-075e… is in subnet-A2 (us-east-2a); tgw-vpcA has no subnet there, and a VPC attachment only
    // carries traffic from the AZs it has a subnet in (https://docs.aws.amazon.com/vpc/latest/tgw/tgw-vpc-attachments.html).
    const s = fixture("test-transit-gateway");
    expect(reach(s, "i-075e846ed41670385", { kind: "instance", ref: "i-0b14080af811fda3d" }, { protocol: "tcp", port: 22 }).blockedBy).toMatchObject({
      component: "tgw-vpcA",
      reason: "TGW_NO_ATTACHMENT_IN_AZ",
    });
  });

  it("test-transit-gateway-multi-table: each attachment looks up the table it is associated with", () => {
    // tgw-vpcA is associated with "default", which learns VPC B's CIDR by propagation; tgw-vpcB with "rt B",
    // which learns VPC A's. Both directions therefore work, through different tables.
    const s = fixture("test-transit-gateway-multi-table");
    const there = reach(s, "i-06ba034d88c84ef07", { kind: "instance", ref: "i-0b14080af811fda3d" }, { protocol: "tcp", port: 22 });
    expect(there.reachable).toBe(true);
    expect(there.hops).toContainEqual(expect.objectContaining({ component: "default", kind: "tgw-route-table" }));
    const back = reach(s, "i-0b14080af811fda3d", { kind: "instance", ref: "i-06ba034d88c84ef07" }, { protocol: "icmp" });
    expect(back.reachable).toBe(true);
    expect(back.hops).toContainEqual(expect.objectContaining({ component: "rt B", kind: "tgw-route-table" }));
  });

  it("test-load-balancer: security groups that admit only SSH", () => {
    // WHY: test1's only group vpc_a_ssh admits tcp/22 from 0.0.0.0/0 and nothing else, while Jump Host's group
    // allows all egress and every subnet shares the VPC's local route and the allow-all default NACL: so SSH
    // passes and HTTP is refused by the destination's group.
    const s = fixture("test-load-balancer");
    expect(reach(s, "Jump Host", { kind: "instance", ref: "test1" }, { protocol: "tcp", port: 22 }).reachable).toBe(true);
    expect(reach(s, "Jump Host", { kind: "instance", ref: "test1" }, { protocol: "tcp", port: 80 }).blockedBy).toMatchObject({ component: "vpc_a_ssh", reason: "SG_INGRESS_DENY" });
  });
});

describe("load balancers, endpoints and targets netlab does not model, on the fixtures", () => {
  it("test-load-balancer: Jump Host reaches the internal NLB test-lb on its TCP listener 80", () => {
    // WHY: test-lb is an internal Network Load Balancer with no security groups (LoadBalancers.json has none),
    // so nothing filters at the load balancer itself. Its nodes are the ENIs described "ELB net/test-lb/…" in
    // NetworkInterfaces.json (10.1.20.123 in Subnet 20, 10.1.1.237 in Subnet 1); Jump Host's AZ (us-east-2c)
    // has no node, so it connects to the first, over the VPC's local route (vpc_a_public has 10.1.0.0/16 local)
    // and the allow-all default NACL. The listener on 80 forwards to test-lb-tg, whose two targets AWS
    // observed healthy.
    const s = fixture("test-load-balancer");
    expect(s.loadBalancers[0].nodes?.map((n) => n.privateIp).sort()).toEqual(["10.1.1.237", "10.1.20.123"]);
    const r = reach(s, "Jump Host", { kind: "load-balancer", ref: "test-lb" }, { port: 80 });
    expect(r).toMatchObject({ reachable: true, blockedBy: null });
    expect(r.hops.slice(-2)).toMatchObject([
      { component: "test-lb", kind: "load-balancer" },
      { component: "test-lb-tg", kind: "target-group" },
    ]);
    // AND a port it has no listener on is refused at the load balancer, which says where it listens
    expect(reach(s, "Jump Host", { kind: "load-balancer", ref: "test-lb" }, { port: 8443 }).blockedBy).toEqual({
      component: "test-lb",
      id: "arn:aws:elasticloadbalancing:us-east-2:554773406868:loadbalancer/net/test-lb/725b996cb6be8fba",
      reason: "SERVICE_DOWN",
      detail: "test-lb has no listener on 8443; it listens on 80",
    });
  });

  it("test-vpc-endpoint-interface: the CloudTrail interface endpoint is reachable at its ENI's address and by the service's name", () => {
    // WHY: VpcEndpoints.json lists vpce-083c… (Interface, PrivateDnsEnabled) with ENI eni-0084…, whose address in
    // NetworkInterfaces.json is 10.1.101.97. public-web01 (10.1.1.88) reaches it over the local route; the
    // endpoint's group testing_sg admits tcp/443 from 0.0.0.0/0. With private DNS on, the VPC's Resolver answers
    // cloudtrail.us-east-1.amazonaws.com with that address, so the name goes to the endpoint, not the internet.
    const s = fixture("test-vpc-endpoint-interface");
    expect(s.vpcEndpoints[0].networkInterfaces).toEqual([{ id: "eni-0084b734451ba23ca", subnetId: "subnet-0bb8615d8368ece31", privateIp: "10.1.101.97" }]);
    const byIp = reach(s, "public-web01", { kind: "address", ip: "10.1.101.97" }, { port: 443 });
    expect(byIp).toMatchObject({ reachable: true, egressIp: null });
    expect(byIp.hops).toContainEqual(expect.objectContaining({ component: "vpce-083c683a6be29b889", kind: "vpc-endpoint" }));
    const byName = reach(s, "public-web01", { kind: "dns", name: "cloudtrail.us-east-1.amazonaws.com" }, { port: 443 });
    expect(byName).toMatchObject({ reachable: true, egressIp: null });
    expect(byName.hops).toContainEqual(expect.objectContaining({ component: "vpce-083c683a6be29b889", kind: "vpc-endpoint" }));
    // AND private-web01, which has no public IP and so no internet, still reaches CloudTrail through the endpoint
    expect(reach(s, "private-web01", { kind: "dns", name: "cloudtrail.us-east-1.amazonaws.com" }, { port: 443 }).reachable).toBe(true);
  });

  it("test-vpc-endpoint-interface: a public name is an internet destination", () => {
    // WHY: www.example.com is in no private zone and is no endpoint's name, so the Resolver answers from public DNS:
    // public-web01 gets there through the IGW as 3.86.201.253; private-web01 has no public IP for the IGW to use.
    const s = fixture("test-vpc-endpoint-interface");
    expect(reach(s, "public-web01", { kind: "dns", name: "www.example.com" })).toMatchObject({ reachable: true, egressIp: "3.86.201.253" });
    expect(reach(s, "private-web01", { kind: "dns", name: "www.example.com" }).blockedBy).toMatchObject({ reason: "NO_PUBLIC_IP" });
  });

  it("test-public-private-subnet: a default route to a VPN gateway is UNMODELED_TARGET, not a definite no", () => {
    // WHY: the private instance's subnet has no explicit association, so it uses the main table, whose 0.0.0.0/0
    // goes to vgw-0700… (VpnGateways.json: a VPN gateway). What lies beyond a VPN is unknowable from these files,
    // and the fixture has no VpcPeeringConnections.json to model either. The public instance, through the IGW, is fine.
    const s = fixture("test-public-private-subnet");
    const main = s.routeTables.find((t) => t.main)!;
    const r = reach(s, "i-099cf38911942421c", { kind: "internet" });
    expect(r.reachable).toBe(false);
    expect(r.blockedBy).toMatchObject({ component: main.name, reason: "UNMODELED_TARGET" });
    expect(r.blockedBy!.detail).toContain("cannot tell whether the internet is reachable");
    expect(reach(s, "i-094a9e5b545a4fde4", { kind: "internet" })).toMatchObject({ reachable: true, egressIp: "13.58.55.60" });
  });

  it("transit gateways from before security group referencing have it off", () => {
    // WHY: TransitGateways.json (2019) has no SecurityGroupReferencingSupport option; AWS's default is disable.
    expect(fixture("test-transit-gateway").transitGateways[0].securityGroupReferencing).toBeUndefined();
    const outputs = readAwsConfigs(join(FIXTURES, "test-transit-gateway")).outputs;
    outputs.TransitGateways!.TransitGateways![0].Options = { ...outputs.TransitGateways!.TransitGateways![0].Options, SecurityGroupReferencingSupport: "enable" };
    expect(snapshotFromDescribe(outputs, { lab: "x", region: "us-east-2", source: "aws-configs" }).transitGateways[0].securityGroupReferencing).toBe(true);
  });
});

describe("errors and layout", () => {
  it("names a malformed file", () => {
    const dir = mkdtempSync(join(tmpdir(), "netlab-awsconfigs-"));
    cpSync(join(FIXTURES, "test-subnet", "aws_configs"), dir, { recursive: true });
    writeFileSync(join(dir, "Subnets.json"), "{ nope");
    expect(() => loadAwsConfigs(dir)).toThrow(`${join(dir, "Subnets.json")} is not valid JSON`);
  });

  it("names a file of the wrong shape", () => {
    expect(() => snapshotFromDescribe({ Vpcs: { Vpcs: {} as never } }, { lab: "x", region: "r", source: "aws-configs" })).toThrow(DescribeShapeError);
    expect(() => snapshotFromDescribe({ Vpcs: { Vpcs: {} as never } }, { lab: "x", region: "r", source: "aws-configs" })).toThrow("Vpcs.json: Vpcs is an object; it must be a list.");
  });

  /** A copy of test-subnet's files with one file replaced by `content` (raw text). */
  function withFile(file: string, content: string): string {
    const dir = mkdtempSync(join(tmpdir(), "netlab-awsconfigs-"));
    cpSync(join(FIXTURES, "test-subnet", "aws_configs"), dir, { recursive: true });
    writeFileSync(join(dir, file), content);
    return dir;
  }

  it.each([
    ["a null entry", "Vpcs.json", '{"Vpcs":[null]}', ": Vpcs[0] is null; it must be an object."],
    ["a top-level list", "Vpcs.json", "[]", ' is a list; expected an object { "Vpcs": [...] }.'],
    ["a file that is null", "Subnets.json", "null", ' is null; expected an object { "Subnets": [...] }.'],
    ["routes that are not a list", "RouteTables.json", '{"RouteTables":[{"RouteTableId":"rtb-1","VpcId":"vpc-1","Routes":"x"}]}', ': RouteTables[0].Routes is "x"; it must be a list.'],
    ["an entry without its id", "Subnets.json", '{"Subnets":[{"VpcId":"vpc-1","CidrBlock":"10.0.0.0/24"}]}', ": Subnets[0].SubnetId is required (a string)."],
    ["an id that is not a string", "SecurityGroups.json", '{"SecurityGroups":[{"GroupId":7,"VpcId":"vpc-1"}]}', ": SecurityGroups[0].GroupId is 7; it must be a string."],
  ])("%s is an error naming the file and the path inside it", (_what, file, content, rest) => {
    // GIVEN a saved snapshot with one malformed file / WHEN loaded
    const dir = withFile(file, content);
    // THEN the error is the loader's own sentence with the file's full path, never a TypeError or an empty model
    expect(() => loadAwsConfigs(dir)).toThrow(DescribeShapeError);
    expect(() => loadAwsConfigs(dir)).toThrow(`${join(dir, file)}${rest}`);
  });

  it("an instance whose subnet is absent from Subnets.json is an error naming both files", () => {
    const dir = withFile("Subnets.json", '{"Subnets":[]}');
    expect(() => loadAwsConfigs(dir)).toThrow(
      `${join(dir, "Reservations.json")}: Reservations[0].Instances[0] (i-08ef86e76fceabd8d) is in subnet subnet-06c8307e34ffadb04, which ${join(dir, "Subnets.json")} does not have; save the snapshot again.`,
    );
  });

  it("a terminated instance without a subnet is kept (it holds no address)", () => {
    const s = fixture("test-transit-gateway");
    expect(s.instances.find((i) => i.id === "i-04a292ff83b3aa833")).toMatchObject({ state: "terminated", subnetId: "" });
  });

  it.each([
    ["not JSON", "{ nope", "is not valid JSON"],
    ["a list", "[]", "is a list; expected an object with lab, region, time and toolVersion."],
    ["a region that is not a string", '{"lab":"s01","region":5,"time":"t","toolVersion":"v"}', ': field "region" is 5; it must be a string.'],
    ["no lab", '{"region":"us-east-1","time":"t","toolVersion":"v"}', ': field "lab" is required (a string).'],
  ])("a malformed manifest.json (%s) is an error naming it", (_what, content, message) => {
    const dir = withFile("manifest.json", content);
    expect(() => loadAwsConfigs(dir)).toThrow(DescribeShapeError);
    expect(() => loadAwsConfigs(dir)).toThrow(`${join(dir, "manifest.json")}${message.startsWith(":") ? "" : " "}${message}`);
  });

  it("ignores unknown files and accepts a region folder", () => {
    const dir = mkdtempSync(join(tmpdir(), "netlab-awsconfigs-"));
    mkdirSync(join(dir, "aws_configs", "eu-west-1"), { recursive: true });
    cpSync(join(FIXTURES, "test-public-subnet", "aws_configs"), join(dir, "aws_configs", "eu-west-1"), { recursive: true });
    writeFileSync(join(dir, "aws_configs", "eu-west-1", "Whatever.json"), "not json at all");
    const s = loadAwsConfigs(dir);
    expect(s.region).toBe("eu-west-1");
    expect(s.instances).toHaveLength(1);
  });

  it("refuses a folder with no describe outputs", () => {
    const dir = mkdtempSync(join(tmpdir(), "netlab-awsconfigs-"));
    expect(() => loadAwsConfigs(dir)).toThrow("holds no AWS describe outputs");
  });
});

describe("the simulated lab saved in the same format", () => {
  it("round-trips through the describe shapes without changing the network", async () => {
    // GIVEN the synthesized lab / WHEN written as describe outputs and loaded back
    const before = await labSnapshot();
    const dir = mkdtempSync(join(tmpdir(), "netlab-save-"));
    writeAwsConfigs(dir, snapshotToDescribe(before), { lab: "s01", region: before.region, time: "2026-11-24T00:00:00Z", toolVersion: "test", source: "sim" });
    const after = loadAwsConfigs(dir);
    // THEN the network model is the same, and the analyzer answers the same (OS state is not in any describe call)
    expect(diffLabs({ ...before, instances: before.instances.map((i) => ({ ...i, os: undefined })) }, after)).toEqual([]);
    expect(after.lab).toBe("s01");
    for (const from of ["VPC02-Private-A-10.2.20.101", "Private-EC2-1"]) {
      expect(reach(after, from, { kind: "internet" })).toEqual(reach(before, from, { kind: "internet" }));
    }
  });

  it("writes NetworkInterfaces.json, so endpoint and load balancer addresses survive the round trip", async () => {
    // GIVEN the synthesized lab, whose interface endpoints and ALB nodes have addresses of their own
    const before = await labSnapshot();
    const dir = mkdtempSync(join(tmpdir(), "netlab-save-"));
    // WHEN saved as `lab snapshot save --offline` does, and loaded back
    const files = writeAwsConfigs(dir, snapshotToDescribe(before), { lab: "s01", region: before.region, time: "2026-11-24T00:00:00Z", toolVersion: "test", source: "sim" });
    const after = loadAwsConfigs(dir);
    // THEN NetworkInterfaces.json is among the files and the addresses, security group options and SSM paths are the same
    expect(files).toContain(join(dir, "NetworkInterfaces.json"));
    expect(after.vpcEndpoints.map((e) => e.networkInterfaces)).toEqual(before.vpcEndpoints.map((e) => e.networkInterfaces));
    expect(after.loadBalancers.map((l) => l.nodes)).toEqual(before.loadBalancers.map((l) => l.nodes));
    expect(after.transitGateways.map((t) => t.securityGroupReferencing)).toEqual(before.transitGateways.map((t) => t.securityGroupReferencing));
    expect(after.tgwAttachments.map((a) => a.securityGroupReferencing)).toEqual(before.tgwAttachments.map((a) => a.securityGroupReferencing));
    const ssm = { kind: "dns" as const, name: "ssm.ap-northeast-2.amazonaws.com" };
    expect(reach(after, "VPC01-Private-B-10.1.24.101", ssm, { port: 443 })).toEqual(reach(before, "VPC01-Private-B-10.1.24.101", ssm, { port: 443 }));
  });
});

describe("when an alarm last entered ALARM", () => {
  const alarm = { AlarmName: "cpu", MetricName: "CPUUtilization", Namespace: "AWS/EC2", Dimensions: [{ Name: "InstanceId", Value: "i-1" }] };
  const entered = (at: string, to: string) => ({ AlarmName: "cpu", Timestamp: new Date(at), HistoryItemType: "StateUpdate" as const, HistorySummary: `Alarm updated from X to ${to}`, HistoryData: JSON.stringify({ newState: { stateValue: to } }) });
  const load = (outputs: object) => snapshotFromDescribe(outputs, { lab: "x", region: "r", source: "aws-configs" }).alarms[0].lastAlarmAt;

  it("comes from the alarm's history once it is back to OK (DescribeAlarms only dates the current state)", () => {
    // GIVEN an alarm that is OK now, whose history holds a return to OK and, before it, an entry into ALARM
    const outputs = { MetricAlarms: { MetricAlarms: [{ ...alarm, StateValue: "OK" as const, StateUpdatedTimestamp: new Date("2026-11-24T10:20:00Z") }] }, AlarmHistory: { AlarmHistoryItems: [entered("2026-11-24T10:20:00Z", "OK"), entered("2026-11-24T10:00:00Z", "ALARM")] } };
    // WHEN loaded / THEN the last ALARM is the history's, not the time of the return to OK
    expect(load(outputs)).toBe("2026-11-24T10:00:00.000Z");
  });

  it("is the current state's time while the alarm is in ALARM, and absent when it never fired", () => {
    // GIVEN an alarm in ALARM with no history file, and one that never left OK
    const inAlarm = { MetricAlarms: { MetricAlarms: [{ ...alarm, StateValue: "ALARM" as const, StateUpdatedTimestamp: new Date("2026-11-24T11:00:00Z") }] } };
    const never = { MetricAlarms: { MetricAlarms: [{ ...alarm, StateValue: "OK" as const, StateUpdatedTimestamp: new Date("2026-11-24T09:00:00Z") }] }, AlarmHistory: { AlarmHistoryItems: [entered("2026-11-24T09:00:00Z", "OK")] } };
    // WHEN loaded / THEN
    expect(load(inAlarm)).toBe("2026-11-24T11:00:00.000Z");
    expect(load(never)).toBeUndefined();
  });

  it("survives the round trip of a saved simulated lab whose alarm fired and recovered", async () => {
    // GIVEN the simulated lab's CPU alarm that entered ALARM and is OK again
    const before = await labSnapshot();
    before.alarms[0].lastAlarmAt = "2026-11-24T10:00:00.000Z";
    before.alarms[0].state = "OK";
    // WHEN saved and loaded back
    const dir = mkdtempSync(join(tmpdir(), "netlab-save-"));
    writeAwsConfigs(dir, snapshotToDescribe(before), { lab: "s01", region: before.region, time: "2026-11-24T00:00:00Z", toolVersion: "test", source: "sim" });
    // THEN the time it fired is still known
    expect(loadAwsConfigs(dir).alarms[0].lastAlarmAt).toBe("2026-11-24T10:00:00.000Z");
  });
});
