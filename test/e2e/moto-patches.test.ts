import { CloudWatchClient, DescribeAlarmHistoryCommand, PutMetricAlarmCommand, SetAlarmStateCommand } from "@aws-sdk/client-cloudwatch";
import {
  AssociateTransitGatewayRouteTableCommand,
  CreateSubnetCommand,
  CreateTransitGatewayCommand,
  CreateTransitGatewayRouteCommand,
  CreateTransitGatewayRouteTableCommand,
  CreateTransitGatewayVpcAttachmentCommand,
  CreateSecurityGroupCommand,
  CreateVpcCommand,
  DeleteTransitGatewayVpcAttachmentCommand,
  CreateVpcEndpointCommand,
  DescribeNetworkInterfacesCommand,
  AllocateAddressCommand,
  CreateNatGatewayCommand,
  DescribeInstancesCommand,
  DescribeTransitGatewayVpcAttachmentsCommand,
  DescribeTransitGatewayAttachmentsCommand,
  RunInstancesCommand,
  DescribeTransitGatewayRouteTablesCommand,
  DescribeTransitGatewaysCommand,
  DisableTransitGatewayRouteTablePropagationCommand,
  DisassociateTransitGatewayRouteTableCommand,
  EnableTransitGatewayRouteTablePropagationCommand,
  GetTransitGatewayRouteTablePropagationsCommand,
  EC2Client,
  GetTransitGatewayRouteTableAssociationsCommand,
  SearchTransitGatewayRoutesCommand,
} from "@aws-sdk/client-ec2";
import { AssociateVPCWithHostedZoneCommand, CreateHostedZoneCommand, GetHostedZoneCommand, Route53Client } from "@aws-sdk/client-route-53";
import { DescribeInstanceInformationCommand, SSMClient } from "@aws-sdk/client-ssm";
import { startMoto, type MotoServer } from "../../e2e/moto";

// These tests start the patched moto that `npm run e2e` uses (python3 with moto, as CI installs it) and make
// the SDK call each patch is about, as netlab or the Terraform provider makes it.
const region = "ap-northeast-2";
let moto: MotoServer;
const clients = () => {
  const config = { region, endpoint: moto.endpoint, credentials: { accessKeyId: "emulator", secretAccessKey: "emulator" } };
  return { ec2: new EC2Client(config), route53: new Route53Client(config), cloudwatch: new CloudWatchClient(config), ssm: new SSMClient(config) };
};

beforeAll(async () => {
  moto = await startMoto();
}, 90_000);
afterAll(() => moto?.stop());

async function vpcWithSubnet(ec2: EC2Client, cidr: string) {
  const vpc = (await ec2.send(new CreateVpcCommand({ CidrBlock: cidr }))).Vpc!.VpcId!;
  const subnet = (await ec2.send(new CreateSubnetCommand({ VpcId: vpc, CidrBlock: cidr.replace("/16", "/24") }))).Subnet!.SubnetId!;
  return { vpc, subnet };
}

describe("the patched moto (e2e/moto_patches.py)", () => {
  it("lists each patch with the AWS API reference it restores, and each one has a test here", () => {
    // GIVEN the server's list of patches
    const ids = moto.patches.map((p) => p.id).sort();
    // THEN each quotes an AWS API reference page
    for (const p of moto.patches) {
      expect(p.reference).toMatch(/^https:\/\/docs\.aws\.amazon\.com\/.+\/API_\w+\.html$/);
      expect(p.quote.length).toBeGreaterThan(40);
    }
    // AND the list is exactly the patches tested below
    expect(ids).toEqual(["cloudwatch-describe-alarm-history", "ec2-instance-security-groups", "private-ips-from-the-subnet", "route53-zone-with-vpc-is-private", "ssm-describe-instance-information", "tgw-attachment-association", "tgw-deleted-attachment-stays-listed", "tgw-no-default-route-table-when-both-disabled", "tgw-propagation-per-route-table", "tgw-route-attachments", "tgw-search-routes-max-results", "tgw-vpc-attachment-tags"]);
  });

  it("tgw-no-default-route-table-when-both-disabled: no default route table, attachments associated with none, and an explicit association can be undone", async () => {
    const { ec2 } = clients();
    // GIVEN a transit gateway with default association and propagation both disabled (as the lab's)
    const tgw = (await ec2.send(new CreateTransitGatewayCommand({ Options: { DefaultRouteTableAssociation: "disable", DefaultRouteTablePropagation: "disable" } }))).TransitGateway!;
    // THEN it has no default route table, as AWS documents
    expect(tgw.Options?.AssociationDefaultRouteTableId).toBeUndefined();
    expect(tgw.Options?.PropagationDefaultRouteTableId).toBeUndefined();
    const tables = await ec2.send(new DescribeTransitGatewayRouteTablesCommand({ Filters: [{ Name: "transit-gateway-id", Values: [tgw.TransitGatewayId!] }] }));
    expect(tables.TransitGatewayRouteTables ?? []).toEqual([]);
    // WHEN a VPC is attached
    const { vpc, subnet } = await vpcWithSubnet(ec2, "10.30.0.0/16");
    const att = (await ec2.send(new CreateTransitGatewayVpcAttachmentCommand({ TransitGatewayId: tgw.TransitGatewayId, VpcId: vpc, SubnetIds: [subnet] }))).TransitGatewayVpcAttachment!;
    // AND associated with a route table of its own, then disassociated (what the provider does on update and destroy)
    const rt = (await ec2.send(new CreateTransitGatewayRouteTableCommand({ TransitGatewayId: tgw.TransitGatewayId }))).TransitGatewayRouteTable!.TransitGatewayRouteTableId!;
    await ec2.send(new AssociateTransitGatewayRouteTableCommand({ TransitGatewayAttachmentId: att.TransitGatewayAttachmentId, TransitGatewayRouteTableId: rt }));
    const associated = await ec2.send(new GetTransitGatewayRouteTableAssociationsCommand({ TransitGatewayRouteTableId: rt }));
    await ec2.send(new DisassociateTransitGatewayRouteTableCommand({ TransitGatewayAttachmentId: att.TransitGatewayAttachmentId, TransitGatewayRouteTableId: rt }));
    const after = await ec2.send(new GetTransitGatewayRouteTableAssociationsCommand({ TransitGatewayRouteTableId: rt }));
    // THEN the association came and went, with no error
    expect(associated.Associations?.map((a) => a.TransitGatewayAttachmentId)).toEqual([att.TransitGatewayAttachmentId]);
    expect(after.Associations ?? []).toEqual([]);
  });

  it("tgw-vpc-attachment-tags and tgw-attachment-association: an attachment has its tags, and shows the route table it is associated with", async () => {
    const { ec2 } = clients();
    // GIVEN an attachment created with its tags, as the provider creates the lab's (Name and the lab tag)
    const tgw = (await ec2.send(new CreateTransitGatewayCommand({ Options: { DefaultRouteTableAssociation: "disable", DefaultRouteTablePropagation: "disable" } }))).TransitGateway!;
    const { vpc, subnet } = await vpcWithSubnet(ec2, "10.36.0.0/16");
    const Tags = [{ Key: "Name", Value: "netlab-tgw-VPC02-attachment" }, { Key: "netlab:lab", Value: "s01" }];
    const att = (await ec2.send(new CreateTransitGatewayVpcAttachmentCommand({ TransitGatewayId: tgw.TransitGatewayId, VpcId: vpc, SubnetIds: [subnet], TagSpecifications: [{ ResourceType: "transit-gateway-attachment", Tags }] }))).TransitGatewayVpcAttachment!.TransitGatewayAttachmentId!;
    const described = async () => (await ec2.send(new DescribeTransitGatewayAttachmentsCommand({ TransitGatewayAttachmentIds: [att] }))).TransitGatewayAttachments![0];
    // THEN it has the tags
    expect((await described()).Tags).toEqual(expect.arrayContaining(Tags));
    // WHEN it is associated with a route table THEN describe shows that association, and after disassociation none
    const rt = (await ec2.send(new CreateTransitGatewayRouteTableCommand({ TransitGatewayId: tgw.TransitGatewayId }))).TransitGatewayRouteTable!.TransitGatewayRouteTableId!;
    expect((await described()).Association).toBeUndefined();
    await ec2.send(new AssociateTransitGatewayRouteTableCommand({ TransitGatewayAttachmentId: att, TransitGatewayRouteTableId: rt }));
    expect((await described()).Association).toEqual({ State: "associated", TransitGatewayRouteTableId: rt });
    await ec2.send(new DisassociateTransitGatewayRouteTableCommand({ TransitGatewayAttachmentId: att, TransitGatewayRouteTableId: rt }));
    expect((await described()).Association).toBeUndefined();
  });

  it("tgw-deleted-attachment-stays-listed: a deleted attachment is described as deleted, and the VPC can be attached again", async () => {
    const { ec2 } = clients();
    // GIVEN an attachment
    const tgw = (await ec2.send(new CreateTransitGatewayCommand({ Options: { DefaultRouteTableAssociation: "disable", DefaultRouteTablePropagation: "disable" } }))).TransitGateway!;
    const { vpc, subnet } = await vpcWithSubnet(ec2, "10.37.0.0/16");
    const create = () => ec2.send(new CreateTransitGatewayVpcAttachmentCommand({ TransitGatewayId: tgw.TransitGatewayId, VpcId: vpc, SubnetIds: [subnet] }));
    const att = (await create()).TransitGatewayVpcAttachment!.TransitGatewayAttachmentId!;
    // WHEN it is deleted
    await ec2.send(new DeleteTransitGatewayVpcAttachmentCommand({ TransitGatewayAttachmentId: att }));
    // THEN it is described in state deleted (what the provider's destroy waits for)
    const described = await ec2.send(new DescribeTransitGatewayVpcAttachmentsCommand({ TransitGatewayAttachmentIds: [att] }));
    expect(described.TransitGatewayVpcAttachments?.map((a) => a.State)).toEqual(["deleted"]);
    // AND the VPC can be attached again
    expect((await create()).TransitGatewayVpcAttachment?.State).toBe("available");
  });

  it("keeps moto's default route table when default association is enabled (AWS creates one then)", async () => {
    const { ec2 } = clients();
    // GIVEN a transit gateway with the defaults
    const tgw = (await ec2.send(new CreateTransitGatewayCommand({}))).TransitGateway!;
    // THEN it has its default route table
    const described = (await ec2.send(new DescribeTransitGatewaysCommand({ TransitGatewayIds: [tgw.TransitGatewayId!] }))).TransitGateways![0];
    expect(described.Options?.AssociationDefaultRouteTableId).toMatch(/^tgw-rtb-/);
  });

  it("tgw-propagation-per-route-table: an attachment propagating to two route tables stops propagating to each in turn", async () => {
    const { ec2 } = clients();
    // GIVEN a spoke attachment that propagates to two route tables, as each spoke of the lab does
    const tgw = (await ec2.send(new CreateTransitGatewayCommand({ Options: { DefaultRouteTableAssociation: "disable", DefaultRouteTablePropagation: "disable" } }))).TransitGateway!;
    const { vpc, subnet } = await vpcWithSubnet(ec2, "10.35.0.0/16");
    const att = (await ec2.send(new CreateTransitGatewayVpcAttachmentCommand({ TransitGatewayId: tgw.TransitGatewayId, VpcId: vpc, SubnetIds: [subnet] }))).TransitGatewayVpcAttachment!.TransitGatewayAttachmentId!;
    const tables: string[] = [];
    for (let i = 0; i < 2; i++) {
      const rt = (await ec2.send(new CreateTransitGatewayRouteTableCommand({ TransitGatewayId: tgw.TransitGatewayId }))).TransitGatewayRouteTable!.TransitGatewayRouteTableId!;
      await ec2.send(new EnableTransitGatewayRouteTablePropagationCommand({ TransitGatewayAttachmentId: att, TransitGatewayRouteTableId: rt }));
      tables.push(rt);
    }
    const propagating = async (rt: string) => ((await ec2.send(new GetTransitGatewayRouteTablePropagationsCommand({ TransitGatewayRouteTableId: rt }))).TransitGatewayRouteTablePropagations ?? []).map((p) => p.TransitGatewayAttachmentId);
    // WHEN the propagation to the first table is disabled THEN the second still has it
    await ec2.send(new DisableTransitGatewayRouteTablePropagationCommand({ TransitGatewayAttachmentId: att, TransitGatewayRouteTableId: tables[0] }));
    expect(await propagating(tables[0])).toEqual([]);
    expect(await propagating(tables[1])).toEqual([att]);
    // WHEN the second is disabled (what `terraform destroy` does next) THEN it succeeds, and neither table has it
    const r = await ec2.send(new DisableTransitGatewayRouteTablePropagationCommand({ TransitGatewayAttachmentId: att, TransitGatewayRouteTableId: tables[1] }));
    expect(r.Propagation?.TransitGatewayRouteTableId).toBe(tables[1]);
    expect(await propagating(tables[1])).toEqual([]);
  });

  it("route53-zone-with-vpc-is-private: a zone created with a VPC is private and takes more VPCs", async () => {
    const { ec2, route53 } = clients();
    const a = await vpcWithSubnet(ec2, "10.31.0.0/16");
    const b = await vpcWithSubnet(ec2, "10.32.0.0/16");
    // GIVEN a zone created the way the Terraform provider creates one: with a VPC, without HostedZoneConfig.PrivateZone
    const zone = (await route53.send(new CreateHostedZoneCommand({ Name: "patch-test.internal", CallerReference: `t-${Date.now()}`, VPC: { VPCId: a.vpc, VPCRegion: region } }))).HostedZone!;
    // WHEN a second VPC is associated
    await route53.send(new AssociateVPCWithHostedZoneCommand({ HostedZoneId: zone.Id, VPC: { VPCId: b.vpc, VPCRegion: region } }));
    // THEN the zone is private, with both VPCs
    const got = await route53.send(new GetHostedZoneCommand({ Id: zone.Id }));
    expect(got.HostedZone?.Config?.PrivateZone).toBe(true);
    expect(got.VPCs?.map((v) => v.VPCId).sort()).toEqual([a.vpc, b.vpc].sort());
  });

  it("tgw-search-routes-max-results and tgw-route-attachments: SearchTransitGatewayRoutes with MaxResults answers the routes, each with its attachment", async () => {
    const { ec2 } = clients();
    // GIVEN a route table with a static route
    const tgw = (await ec2.send(new CreateTransitGatewayCommand({ Options: { DefaultRouteTableAssociation: "disable", DefaultRouteTablePropagation: "disable" } }))).TransitGateway!;
    const { vpc, subnet } = await vpcWithSubnet(ec2, "10.33.0.0/16");
    const att = (await ec2.send(new CreateTransitGatewayVpcAttachmentCommand({ TransitGatewayId: tgw.TransitGatewayId, VpcId: vpc, SubnetIds: [subnet] }))).TransitGatewayVpcAttachment!;
    const rt = (await ec2.send(new CreateTransitGatewayRouteTableCommand({ TransitGatewayId: tgw.TransitGatewayId }))).TransitGatewayRouteTable!.TransitGatewayRouteTableId!;
    await ec2.send(new CreateTransitGatewayRouteCommand({ TransitGatewayRouteTableId: rt, DestinationCidrBlock: "0.0.0.0/0", TransitGatewayAttachmentId: att.TransitGatewayAttachmentId }));
    // WHEN netlab searches it as cloud/aws/describe.ts does (type filter, MaxResults 1000)
    const found = await ec2.send(new SearchTransitGatewayRoutesCommand({ TransitGatewayRouteTableId: rt, Filters: [{ Name: "type", Values: ["static", "propagated"] }], MaxResults: 1000 }));
    // THEN the route comes back (tgw-search-routes-max-results), active, to its attachment (tgw-route-attachments)
    expect(found.Routes?.map((r) => [r.DestinationCidrBlock, r.State, r.TransitGatewayAttachments?.map((a) => [a.TransitGatewayAttachmentId, a.ResourceId, a.ResourceType])])).toEqual([
      ["0.0.0.0/0", "active", [[att.TransitGatewayAttachmentId, vpc, "vpc"]]],
    ]);
  });

  it("cloudwatch-describe-alarm-history: the alarm's state changes, newest first", async () => {
    const { cloudwatch } = clients();
    // GIVEN an alarm that went to ALARM and back to OK
    const AlarmName = "patch-test-cpu";
    await cloudwatch.send(new PutMetricAlarmCommand({ AlarmName, MetricName: "CPUUtilization", Namespace: "AWS/EC2", Statistic: "Average", Period: 60, EvaluationPeriods: 1, Threshold: 80, ComparisonOperator: "GreaterThanThreshold" }));
    await cloudwatch.send(new SetAlarmStateCommand({ AlarmName, StateValue: "ALARM", StateReason: "test" }));
    await cloudwatch.send(new SetAlarmStateCommand({ AlarmName, StateValue: "OK", StateReason: "test" }));
    // WHEN its history is read as netlab reads it
    const h = await cloudwatch.send(new DescribeAlarmHistoryCommand({ AlarmName, HistoryItemType: "StateUpdate", ScanBy: "TimestampDescending", MaxRecords: 100 }));
    // THEN both changes are there, newest first, each a StateUpdate that names its new state
    const summaries = (h.AlarmHistoryItems ?? []).map((i) => [i.HistoryItemType, i.HistorySummary]);
    expect(summaries).toEqual([
      ["StateUpdate", "Alarm updated from ALARM to OK"],
      ["StateUpdate", "Alarm updated from OK to ALARM"],
    ]);
    expect(JSON.parse(h.AlarmHistoryItems![1].HistoryData!).newState.stateValue).toBe("ALARM");
  });

  it("ec2-instance-security-groups: an instance launched with its groups on its network interface lists them", async () => {
    const { ec2 } = clients();
    // GIVEN an instance launched as the Terraform provider launches one with a fixed private IP: groups on the primary interface
    const { vpc, subnet } = await vpcWithSubnet(ec2, "10.34.0.0/16");
    const sg = (await ec2.send(new CreateSecurityGroupCommand({ GroupName: "patch-test-sg", Description: "test", VpcId: vpc }))).GroupId!;
    const id = (await ec2.send(new RunInstancesCommand({ ImageId: "ami-12c6146b", MinCount: 1, MaxCount: 1, NetworkInterfaces: [{ DeviceIndex: 0, SubnetId: subnet, Groups: [sg], PrivateIpAddress: "10.34.0.101" }] }))).Instances![0].InstanceId!;
    // WHEN it is described
    const inst = (await ec2.send(new DescribeInstancesCommand({ InstanceIds: [id] }))).Reservations![0].Instances![0];
    // THEN the instance's security groups are its interface's, as on AWS
    expect(inst.SecurityGroups?.map((g) => g.GroupId)).toEqual([sg]);
    expect(inst.NetworkInterfaces?.[0].Groups?.map((g) => g.GroupId)).toEqual([sg]);
  });

  it("private-ips-from-the-subnet: an interface endpoint's network interface and a NAT gateway get addresses of their subnet", async () => {
    const { ec2 } = clients();
    // GIVEN a subnet 10.38.0.0/24
    const { vpc, subnet } = await vpcWithSubnet(ec2, "10.38.0.0/16");
    // WHEN an interface endpoint and a NAT gateway are created in it, with no address given
    const endpoint = (await ec2.send(new CreateVpcEndpointCommand({ VpcId: vpc, ServiceName: `com.amazonaws.${region}.ssm`, VpcEndpointType: "Interface", SubnetIds: [subnet] }))).VpcEndpoint!;
    const eni = (await ec2.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: endpoint.NetworkInterfaceIds }))).NetworkInterfaces![0];
    const eip = (await ec2.send(new AllocateAddressCommand({ Domain: "vpc" }))).AllocationId!;
    const nat = (await ec2.send(new CreateNatGatewayCommand({ SubnetId: subnet, AllocationId: eip }))).NatGateway!;
    // THEN both addresses are in the subnet, past the four AWS reserves, and different
    const inSubnet = (ip: string | undefined) => /^10\.38\.0\.(\d+)$/.exec(ip ?? "") && Number(ip!.split(".")[3]) >= 4;
    expect(inSubnet(eni.PrivateIpAddress)).toBeTruthy();
    expect(inSubnet(nat.NatGatewayAddresses?.[0]?.PrivateIp)).toBeTruthy();
    expect(eni.PrivateIpAddress).not.toBe(nat.NatGatewayAddresses?.[0]?.PrivateIp);
  });

  it("ssm-describe-instance-information: no managed node, since no SSM Agent runs on the emulator", async () => {
    const { ssm } = clients();
    // WHEN netlab asks which instances are Online in Systems Manager THEN the answer is a valid, empty list
    const r = await ssm.send(new DescribeInstanceInformationCommand({}));
    expect(r.InstanceInformationList).toEqual([]);
  });
});
