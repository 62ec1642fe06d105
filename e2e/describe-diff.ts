import { DESCRIBE_LIST_KEYS, type AwsDescribeKey, type AwsDescribeOutputs } from "../network/from-aws-describe";
import type { Change } from "../cloud/change";

/** One described resource: a readable key, the lab names it belongs to, and its content without ids and times. */
export interface DescribedItem {
  key: string;
  /** Names of the lab resources this item is part of (its own, plus its owner's: an ENI's instance…). */
  involves: string[];
  value: string;
}

export interface DescribeDifference {
  key: string;
  involves: string[];
  /** present before and after with different content, only before, only after */
  kind: "changed" | "removed" | "added";
}

/** Fields that are an item's own id or a time: they differ between equal states ("ids and timestamps aside"). */
const VOLATILE_KEY = /(Time|Timestamp|Date)$|^(FlowLogId|SecurityGroupRuleId|ClientToken|RequestId|CallerReference|ChangeInfo|HistoryData)$/;
const ISO_TIME = /\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2}| ?GMT| ?UTC)?/g;

type Obj = Record<string, unknown>;

function nameTag(item: Obj): string | undefined {
  const tags = item.Tags as { Key?: string; Value?: string }[] | undefined;
  return Array.isArray(tags) ? tags.find((t) => t.Key === "Name")?.Value : undefined;
}

/** id (vpc-…, i-…, arn:…) → the lab's name for it. */
function namesById(d: AwsDescribeOutputs): Map<string, string> {
  const names = new Map<string, string>();
  const add = (id: unknown, name: unknown) => typeof id === "string" && typeof name === "string" && name && names.set(id, name);
  for (const v of d.Vpcs?.Vpcs ?? []) add(v.VpcId, nameTag(v as Obj));
  for (const s of d.Subnets?.Subnets ?? []) add(s.SubnetId, nameTag(s as Obj));
  for (const r of d.RouteTables?.RouteTables ?? []) add(r.RouteTableId, nameTag(r as Obj));
  for (const g of d.SecurityGroups?.SecurityGroups ?? []) add(g.GroupId, g.GroupName);
  for (const r of d.Reservations?.Reservations ?? []) for (const i of r.Instances ?? []) add(i.InstanceId, nameTag(i as Obj));
  for (const t of d.TransitGateways?.TransitGateways ?? []) add(t.TransitGatewayId, nameTag(t as Obj));
  for (const t of d.TransitGatewayRouteTables?.TransitGatewayRouteTables ?? []) add(t.TransitGatewayRouteTableId, nameTag(t as Obj));
  for (const t of d.TransitGatewayVpcAttachments?.TransitGatewayVpcAttachments ?? []) add(t.TransitGatewayAttachmentId, nameTag(t as Obj));
  for (const g of d.InternetGateways?.InternetGateways ?? []) add(g.InternetGatewayId, nameTag(g as Obj));
  for (const n of d.NatGateways?.NatGateways ?? []) add(n.NatGatewayId, nameTag(n as Obj));
  for (const t of d.TargetGroups?.TargetGroups ?? []) add(t.TargetGroupArn, t.TargetGroupName);
  for (const l of d.LoadBalancers?.LoadBalancers ?? []) add(l.LoadBalancerArn, l.LoadBalancerName);
  for (const z of d.HostedZones?.HostedZones ?? []) add(z.HostedZone.Id, z.HostedZone.Name?.replace(/\.$/, ""));
  return names;
}

/** The item without its volatile fields, with times inside strings masked, keys sorted, and lists in a stable order. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.keys(value as Obj)
        .filter((k) => !VOLATILE_KEY.test(k))
        .sort()
        .map((k) => [k, canonical((value as Obj)[k])]),
    );
  }
  return typeof value === "string" ? value.replace(ISO_TIME, "<time>") : value;
}

function label(kind: AwsDescribeKey, item: Obj, names: Map<string, string>): { label: string; involves: string[] } {
  const ref = (id: unknown) => (typeof id === "string" ? names.get(id) ?? id : "?");
  switch (kind) {
    case "NetworkInterfaces": {
      const owner = (item.Attachment as Obj | undefined)?.InstanceId;
      const instance = owner ? ref(owner) : undefined;
      return { label: `${instance ?? item.Description ?? item.InterfaceType ?? "eni"}/${item.PrivateIpAddress}`, involves: instance ? [instance] : [] };
    }
    case "FlowLogs":
      return { label: `${ref(item.ResourceId)}/${item.LogGroupName ?? item.LogDestination}/${item.TrafficType}`, involves: [ref(item.ResourceId)] };
    case "HostedZones": {
      const zone = (item.HostedZone as Obj).Name as string;
      return { label: zone.replace(/\.$/, ""), involves: [zone.replace(/\.$/, "")] };
    }
    case "TransitGatewayStaticRoutes":
    case "TransitGatewayPropagations":
      return { label: ref(item.TransitGatewayRouteTableId), involves: [ref(item.TransitGatewayRouteTableId)] };
    case "LoadBalancerListeners":
      return { label: ref(item.LoadBalancerArn), involves: [ref(item.LoadBalancerArn)] };
    case "VpcEndpoints":
      return { label: `${ref(item.VpcId)}/${item.ServiceName}`, involves: [ref(item.VpcId)] };
    case "NetworkAcls":
      return { label: `${ref(item.VpcId)}/${nameTag(item) ?? (item.IsDefault ? "default" : item.NetworkAclId)}`, involves: [] };
    case "AlarmHistory":
      return { label: `${item.AlarmName}@${item.Timestamp instanceof Date ? item.Timestamp.toISOString() : item.Timestamp}`, involves: [String(item.AlarmName)] };
    default: {
      const own =
        nameTag(item) ??
        (item.GroupName as string | undefined) ??
        (item.TargetGroupName as string | undefined) ??
        (item.LoadBalancerName as string | undefined) ??
        (item.AlarmName as string | undefined) ??
        (item.PublicIp as string | undefined) ??
        String(Object.entries(item).find(([k]) => k.endsWith("Id"))?.[1] ?? "?");
      return { label: own, involves: [own] };
    }
  }
}

/**
 * Every described resource of the lab, keyed `<DescribeFile>:<name>`, content without ids and times.
 * Instances come out of their reservations, and each target group's health one target at a time, so that
 * a stopped instance or a re-registered target is one difference, named for what it is.
 */
export function describedItems(d: AwsDescribeOutputs): Map<string, DescribedItem> {
  const names = namesById(d);
  const items = new Map<string, DescribedItem>();
  const put = (key: string, involves: string[], value: unknown) => {
    let k = key;
    for (let n = 2; items.has(k); n++) k = `${key}#${n}`;
    items.set(k, { key: k, involves, value: JSON.stringify(canonical(value)) });
  };
  for (const kind of Object.keys(DESCRIBE_LIST_KEYS) as AwsDescribeKey[]) {
    const list = ((d[kind] as Obj | undefined)?.[DESCRIBE_LIST_KEYS[kind]] as Obj[] | undefined) ?? [];
    for (const item of list) {
      if (kind === "Reservations") {
        for (const i of (item.Instances as Obj[] | undefined) ?? []) {
          const name = nameTag(i) ?? String(i.InstanceId);
          put(`Instances:${name}`, [name], i);
        }
      } else if (kind === "LoadBalancerTargetHealth") {
        const tg = names.get(String(item.TargetGroupArn)) ?? String(item.TargetGroupArn);
        for (const t of (item.TargetHealthDescriptions as Obj[] | undefined) ?? []) {
          const target = t.Target as Obj;
          const instance = names.get(String(target.Id)) ?? String(target.Id);
          put(`TargetHealth:${tg}/${instance}:${target.Port}`, [tg, instance], t);
        }
      } else {
        const { label: l, involves } = label(kind, item, names);
        put(`${kind}:${l}`, involves, item);
      }
    }
  }
  return items;
}

/** What differs between two describes of the lab, ids and timestamps aside. */
export function diffDescribed(before: Map<string, DescribedItem>, after: Map<string, DescribedItem>): DescribeDifference[] {
  const out: DescribeDifference[] = [];
  for (const [key, b] of before) {
    const a = after.get(key);
    if (!a) out.push({ key, involves: b.involves, kind: "removed" });
    else if (a.value !== b.value) out.push({ key, involves: [...new Set([...b.involves, ...a.involves])], kind: "changed" });
  }
  for (const [key, a] of after) if (!before.has(key)) out.push({ key, involves: a.involves, kind: "added" });
  return out.sort((x, y) => x.key.localeCompare(y.key));
}

/** The lab resources a change touches, by name: what its ledger entry names. */
export function namedBy(change: Change): string[] {
  switch (change.kind) {
    case "delete-route":
    case "create-route":
    case "replace-route":
      return [change.routeTable];
    case "stop-instance":
    case "start-instance":
    case "set-source-dest-check":
    case "set-os-state":
      return [change.instance];
    case "revoke-sg-rule":
    case "authorize-sg-rule":
      return [change.securityGroup];
    case "deregister-target":
    case "register-target":
      return [change.targetGroup, change.instance];
    case "disassociate-zone":
    case "associate-zone":
      return [change.zone.replace(/\.$/, "")];
    case "delete-flow-log":
    case "create-flow-log":
      return [change.vpc];
  }
}

/** Differences that belong to none of the named resources: a change the ledger does not account for. */
export function unaccounted(differences: readonly DescribeDifference[], named: readonly string[]): DescribeDifference[] {
  const set = new Set(named);
  return differences.filter((d) => !d.involves.some((n) => set.has(n)));
}
