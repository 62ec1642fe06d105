import { z } from "zod";

/**
 * The shape each saved (or live) describe output must have for the loader to use it: the top level is an
 * object holding the list, each entry an object with the ids the model needs. Other fields pass through.
 * A file that does not fit is an error naming the file and the path inside it (e.g. `Vpcs[0].VpcId`).
 */
const id = z.string({ required_error: "is required (a string)", invalid_type_error: "must be a string" }).min(1, "must not be empty");
const list = (entry: z.ZodTypeAny) => z.array(entry, { invalid_type_error: "must be a list" });
const obj = (shape: z.ZodRawShape) => z.object(shape, { invalid_type_error: "must be an object" }).passthrough();
const optionalList = (entry: z.ZodTypeAny = obj({})) => list(entry).optional();

const ENTRY: Record<string, z.ZodTypeAny> = {
  Vpcs: obj({ VpcId: id, CidrBlock: id }),
  Subnets: obj({ SubnetId: id, VpcId: id, CidrBlock: id }),
  RouteTables: obj({ RouteTableId: id, VpcId: id, Routes: optionalList(), Associations: optionalList() }),
  SecurityGroups: obj({ GroupId: id, VpcId: id, IpPermissions: optionalList(), IpPermissionsEgress: optionalList() }),
  NetworkAcls: obj({ NetworkAclId: id, VpcId: id, Entries: optionalList(), Associations: optionalList() }),
  Reservations: obj({ Instances: optionalList(obj({ InstanceId: id, NetworkInterfaces: optionalList(), SecurityGroups: optionalList() })) }),
  NetworkInterfaces: obj({ NetworkInterfaceId: id }),
  Addresses: obj({ PublicIp: id }),
  InternetGateways: obj({ InternetGatewayId: id, Attachments: optionalList() }),
  NatGateways: obj({ NatGatewayId: id, VpcId: id, SubnetId: id, NatGatewayAddresses: optionalList() }),
  VpcEndpoints: obj({ VpcEndpointId: id, VpcId: id }),
  TransitGateways: obj({ TransitGatewayId: id }),
  TransitGatewayVpcAttachments: obj({ TransitGatewayAttachmentId: id, TransitGatewayId: id, VpcId: id }),
  TransitGatewayAttachments: obj({ TransitGatewayAttachmentId: id }),
  TransitGatewayRouteTables: obj({ TransitGatewayRouteTableId: id }),
  TransitGatewayStaticRoutes: obj({ TransitGatewayRouteTableId: id, Routes: optionalList() }),
  TransitGatewayPropagations: obj({ TransitGatewayRouteTableId: id, TransitGatewayRouteTablePropagations: optionalList() }),
  LoadBalancers: obj({ LoadBalancerArn: id }),
  LoadBalancerListeners: obj({ LoadBalancerArn: id, Listeners: optionalList() }),
  TargetGroups: obj({ TargetGroupArn: id }),
  LoadBalancerTargetHealth: obj({ TargetGroupArn: id, TargetHealthDescriptions: optionalList() }),
  HostedZones: obj({ HostedZone: obj({ Id: id, Name: id }), VPCs: optionalList(), ResourceRecordSets: optionalList() }),
  FlowLogs: obj({ ResourceId: id }),
  MetricAlarms: obj({ AlarmName: id }),
  AlarmHistory: obj({ AlarmName: id }),
};

function describeValue(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "a list";
  if (typeof v === "object") return "an object";
  return JSON.stringify(v);
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let v = input;
  for (const k of path) v = v !== null && typeof v === "object" ? (v as Record<PropertyKey, unknown>)[k] : undefined;
  return v;
}

function pathText(path: readonly PropertyKey[]): string {
  return path.map((k, i) => (typeof k === "number" ? `[${k}]` : `${i ? "." : ""}${String(k)}`)).join("");
}

/**
 * Checks one file's content; returns a sentence naming `file` and the path inside it, or undefined when it fits.
 * `key` is the file's base name (`Vpcs`), `listKey` the list it holds.
 */
export function describeFileProblem(key: string, listKey: string, content: unknown, file: string): string | undefined {
  const expected = `expected an object { "${listKey}": [...] }`;
  if (content === null || typeof content !== "object" || Array.isArray(content)) return `${file} is ${describeValue(content)}; ${expected}.`;
  const entry = ENTRY[key] ?? obj({});
  const result = z.object({ [listKey]: list(entry).optional() }).passthrough().safeParse(content);
  if (result.success) return undefined;
  const issue = result.error.issues[0];
  const where = pathText(issue.path);
  const value = valueAt(content, issue.path);
  if (issue.code === "invalid_type" && issue.received === "undefined") return `${file}: ${where} ${issue.message}.`;
  return `${file}: ${where} is ${describeValue(value)}; it ${issue.message}.`;
}

export const manifestSchema = z
  .object({
    lab: id,
    region: id,
    time: id,
    toolVersion: id,
    source: z.enum(["aws", "sim"], { errorMap: () => ({ message: "must be aws or sim" }) }).optional(),
  })
  .passthrough();

/** A sentence naming the manifest file and its bad field, or undefined when it fits. */
export function manifestProblem(content: unknown, file: string): string | undefined {
  if (content === null || typeof content !== "object" || Array.isArray(content)) return `${file} is ${describeValue(content)}; expected an object with lab, region, time and toolVersion.`;
  const result = manifestSchema.safeParse(content);
  if (result.success) return undefined;
  const issue = result.error.issues[0];
  const value = valueAt(content, issue.path);
  return `${file}: field "${pathText(issue.path)}" ${value === undefined ? "" : `is ${describeValue(value)}; it `}${issue.message}.`;
}
