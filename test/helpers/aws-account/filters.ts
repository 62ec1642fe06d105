import { awsError } from "./errors";

export interface Ec2Filter {
  Name?: string;
  Values?: string[];
}

type Item = Record<string, unknown>;
type Tag = { Key?: string; Value?: string };

const tagsOf = (x: Item): Tag[] => ((x.Tags ?? x.TagSet ?? []) as Tag[]);

/** The values an EC2 filter name reads from a describe item; names the code under test uses. */
const FIELDS: Record<string, (x: Item) => unknown[]> = {
  "vpc-id": (x) => [x.VpcId],
  "resource-id": (x) => [x.ResourceId],
  "attachment.vpc-id": (x) => ((x.Attachments ?? []) as { VpcId?: string }[]).map((a) => a.VpcId),
  "transit-gateway-id": (x) => [x.TransitGatewayId],
  "instance-state-name": (x) => [(x.State as { Name?: string } | undefined)?.Name],
  "instance-id": (x) => [x.InstanceId],
  "group-id": (x) => [x.GroupId],
  "route-table-id": (x) => [x.RouteTableId],
  state: (x) => [x.State],
  type: (x) => [x.Type],
  "tag-key": (x) => tagsOf(x).map((t) => t.Key),
};

/**
 * EC2 filter semantics: the filters are ANDed, the values of one filter ORed, `tag:<key>` matches the
 * tag's value. https://docs.aws.amazon.com/AWSEC2/latest/APIReference/Query-Requests.html#query-filtering
 * An unknown filter name is refused, as EC2 does, so that a new filter in the code under test shows up.
 */
export function matchesFilters(item: Item, filters: readonly Ec2Filter[] | undefined): boolean {
  return (filters ?? []).every((f) => {
    const name = f.Name ?? "";
    const read = name.startsWith("tag:") ? (x: Item) => tagsOf(x).filter((t) => t.Key === name.slice(4)).map((t) => t.Value) : FIELDS[name];
    if (!read) throw awsError("InvalidParameterValue", `The filter '${name}' is invalid (the mocked account does not implement it).`);
    const values = read(item);
    return (f.Values ?? []).some((v) => values.includes(v));
  });
}
