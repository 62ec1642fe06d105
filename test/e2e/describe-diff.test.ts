import { describedItems, diffDescribed, namedBy, unaccounted } from "../../e2e/describe-diff";
import type { AwsDescribeOutputs } from "../../network/from-aws-describe";

const name = (v: string) => [{ Key: "Name", Value: v }];

/** A small lab as DescribeX calls return it. */
function lab(over: { routes?: { DestinationCidrBlock: string; TransitGatewayId?: string; GatewayId?: string }[]; state?: string; flowLogId?: string; flowLogTime?: Date } = {}): AwsDescribeOutputs {
  return {
    Vpcs: { Vpcs: [{ VpcId: "vpc-2", CidrBlock: "10.2.0.0/16", Tags: name("VPC02") }] },
    RouteTables: {
      RouteTables: [
        { RouteTableId: "rtb-a", VpcId: "vpc-2", Tags: name("VPC02-Private-Subnet-A-RT"), Routes: over.routes ?? [{ DestinationCidrBlock: "10.2.0.0/16", GatewayId: "local" }, { DestinationCidrBlock: "0.0.0.0/0", TransitGatewayId: "tgw-1" }] },
        { RouteTableId: "rtb-b", VpcId: "vpc-2", Tags: name("VPC02-Private-Subnet-B-RT"), Routes: [{ DestinationCidrBlock: "10.2.0.0/16", GatewayId: "local" }] },
      ],
    },
    Reservations: { Reservations: [{ Instances: [{ InstanceId: "i-1", State: { Name: (over.state ?? "running") as "running" }, LaunchTime: new Date("2026-01-01T00:00:00Z"), Tags: name("VPC02-Private-A-10.2.20.101") }] }] },
    NetworkInterfaces: { NetworkInterfaces: [{ NetworkInterfaceId: "eni-1", PrivateIpAddress: "10.2.20.101", Attachment: { InstanceId: "i-1", AttachTime: new Date("2026-01-01T00:00:00Z") } }] },
    FlowLogs: { FlowLogs: [{ FlowLogId: over.flowLogId ?? "fl-1", ResourceId: "vpc-2", LogGroupName: "/aws/vpc/flowlogs", TrafficType: "ALL", CreationTime: over.flowLogTime ?? new Date("2026-01-01T00:00:00Z") }] },
  };
}

describe("the describe diff of the e2e", () => {
  it("finds no difference between two describes of one state, ids of recreated items and times aside", () => {
    // GIVEN the same lab, its flow log recreated (new id, new creation time)
    const before = describedItems(lab());
    const after = describedItems(lab({ flowLogId: "fl-9", flowLogTime: new Date("2026-02-02T00:00:00Z") }));
    // WHEN compared THEN nothing differs
    expect(diffDescribed(before, after)).toEqual([]);
  });

  it("names a deleted route as a change of its route table, and a stopped instance with its interface", () => {
    // GIVEN the default route deleted from the A table, and the instance stopped
    const before = describedItems(lab());
    const after = describedItems(lab({ routes: [{ DestinationCidrBlock: "10.2.0.0/16", GatewayId: "local" }], state: "stopped" }));
    // WHEN compared THEN exactly those two resources differ, each by its lab name
    expect(diffDescribed(before, after)).toEqual([
      { key: "Instances:VPC02-Private-A-10.2.20.101", involves: ["VPC02-Private-A-10.2.20.101"], kind: "changed" },
      { key: "RouteTables:VPC02-Private-Subnet-A-RT", involves: ["VPC02-Private-Subnet-A-RT"], kind: "changed" },
    ]);
  });

  it("tells differences the ledger names from those it does not", () => {
    // GIVEN both route tables changed, but a ledger that names only the A table
    const before = describedItems(lab());
    const changed = lab({ routes: [] });
    changed.RouteTables!.RouteTables![1].Routes = [];
    const diff = diffDescribed(before, describedItems(changed));
    const named = namedBy({ kind: "delete-route", routeTable: "VPC02-Private-Subnet-A-RT", destination: "0.0.0.0/0" });
    // WHEN the differences are checked against it THEN the B table is unaccounted for
    expect(unaccounted(diff, named).map((d) => d.key)).toEqual(["RouteTables:VPC02-Private-Subnet-B-RT"]);
  });

  it("counts a flow log that is gone as removed, named for its VPC", () => {
    // GIVEN the VPC02 flow log deleted
    const before = describedItems(lab());
    const gone = lab();
    gone.FlowLogs = { FlowLogs: [] };
    // WHEN compared THEN the difference belongs to VPC02, as delete-flow-log names it
    const diff = diffDescribed(before, describedItems(gone));
    expect(diff).toEqual([{ key: "FlowLogs:VPC02//aws/vpc/flowlogs/ALL", involves: ["VPC02"], kind: "removed" }]);
    expect(unaccounted(diff, namedBy({ kind: "delete-flow-log", vpc: "VPC02" }))).toEqual([]);
  });
});
