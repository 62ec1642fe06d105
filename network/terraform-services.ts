import type { HostedZoneModel, Snapshot, TgwRouteTableModel } from "./snapshot";
import { SynthError, type TfResource } from "./terraform-refs";
import type { TerraformResolver } from "./terraform-resolver";
import { bool, list, serviceInterfaces, str, strings, where } from "./terraform-vpc";

/** Transit gateways (attachments, route tables, associations, propagations, static routes). */
export function addTransitGateways(s: Snapshot, t: TerraformResolver): void {
  const defaults = new Map<string, { table: TgwRouteTableModel; associate: boolean; propagate: boolean }>();
  for (const r of t.ofType("aws_ec2_transit_gateway")) {
    const b = t.body(r);
    // Security group referencing across attachments: AWS's (and the provider's) default is disable.
    // https://docs.aws.amazon.com/vpc/latest/tgw/tgw-vpc-attachments.html
    const referencing = str(b.security_group_referencing_support) === "enable";
    const tgw = { id: t.id(r), name: t.name(r), ...(referencing ? { securityGroupReferencing: true } : {}), tags: t.tags(r) };
    s.transitGateways.push(tgw);
    // Unless both are disabled, AWS creates a default route table that attachments associate and propagate to.
    // https://docs.aws.amazon.com/vpc/latest/tgw/tgw-route-tables.html
    const associate = str(b.default_route_table_association) !== "disable";
    const propagate = str(b.default_route_table_propagation) !== "disable";
    if (associate || propagate) {
      const table = { id: t.defaultTgwRouteTableId(tgw.id), name: `${tgw.name}-default-rt`, tgwId: tgw.id, associations: [], propagations: [], routes: [], tags: { ...tgw.tags, Name: `${tgw.name}-default-rt` } };
      s.tgwRouteTables.push(table);
      defaults.set(tgw.id, { table, associate, propagate });
    }
  }
  for (const r of t.ofType("aws_ec2_transit_gateway_vpc_attachment")) {
    const b = t.body(r);
    const tgwId = str(b.transit_gateway_id) ?? "";
    if (!s.transitGateways.some((x) => x.id === tgwId)) throw new SynthError(`${where(r)} attaches to transit gateway "${tgwId}", which is not a transit gateway of the lab.`);
    const id = t.id(r);
    // An attachment's own option defaults to enable; only an explicit disable turns it off.
    const referencing = str(b.security_group_referencing_support);
    s.tgwAttachments.push({
      id,
      name: t.name(r),
      tgwId,
      vpcId: str(b.vpc_id) ?? "",
      subnetIds: strings(b.subnet_ids),
      state: "available",
      ...(referencing === "disable" ? { securityGroupReferencing: false } : {}),
      tags: t.tags(r),
    });
    const d = defaults.get(tgwId);
    if (d?.associate && bool(b.transit_gateway_default_route_table_association, true)) d.table.associations.push(id);
    if (d?.propagate && bool(b.transit_gateway_default_route_table_propagation, true)) d.table.propagations.push(id);
  }
  for (const r of t.ofType("aws_ec2_transit_gateway_route_table")) {
    s.tgwRouteTables.push({ id: t.id(r), name: t.name(r), tgwId: str(t.body(r).transit_gateway_id) ?? "", associations: [], propagations: [], routes: [], tags: t.tags(r) });
  }
  const tableOf = (r: TfResource): TgwRouteTableModel => {
    const id = t.body(r).transit_gateway_route_table_id;
    const table = s.tgwRouteTables.find((x) => x.id === id);
    if (!table) throw new SynthError(`${where(r)} names TGW route table "${String(id)}", which is not a TGW route table of the lab.`);
    return table;
  };
  for (const r of t.ofType("aws_ec2_transit_gateway_route_table_association")) {
    const attachmentId = str(t.body(r).transit_gateway_attachment_id) ?? "";
    // An attachment is associated with one table: an explicit association replaces the default one.
    for (const d of defaults.values()) d.table.associations = d.table.associations.filter((a) => a !== attachmentId);
    tableOf(r).associations.push(attachmentId);
  }
  for (const r of t.ofType("aws_ec2_transit_gateway_route_table_propagation")) tableOf(r).propagations.push(str(t.body(r).transit_gateway_attachment_id) ?? "");
  for (const r of t.ofType("aws_ec2_transit_gateway_route")) {
    const b = t.body(r);
    const blackhole = b.blackhole === true;
    const attachmentId = str(b.transit_gateway_attachment_id);
    if (!blackhole && !attachmentId) throw new SynthError(`${where(r)} has neither transit_gateway_attachment_id nor blackhole = true.`);
    tableOf(r).routes.push({ destination: str(b.destination_cidr_block) ?? "", ...(blackhole ? {} : { attachmentId }), type: "static", state: blackhole ? "blackhole" : "active" });
  }
}

/** Load balancers, listeners, target groups and their registrations. */
export function addLoadBalancing(s: Snapshot, t: TerraformResolver): void {
  for (const r of t.ofType("aws_lb")) {
    const b = t.body(r);
    const subnetIds = [...strings(b.subnets), ...list(b.subnet_mapping).map((m) => String((m as Record<string, unknown>).subnet_id))];
    s.loadBalancers.push({
      arn: t.arn(r),
      name: str(b.name) ?? t.name(r),
      type: str(b.load_balancer_type) ?? "application",
      scheme: b.internal === true ? "internal" : "internet-facing",
      vpcId: s.subnets.find((x) => x.id === subnetIds[0])?.vpcId ?? "",
      subnetIds,
      securityGroupIds: strings(b.security_groups),
      dnsName: t.dnsName(r),
      listeners: [],
      // One node per subnet, at an address no other interface of the lab has.
      nodes: serviceInterfaces(s, t, r, subnetIds),
      tags: t.tags(r),
    });
  }
  for (const r of t.ofType("aws_lb_target_group")) {
    const b = t.body(r);
    const hc = (list(b.health_check)[0] ?? {}) as Record<string, unknown>;
    // Defaults of the AWS provider's health_check block:
    // https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/lb_target_group#health_check
    s.targetGroups.push({
      arn: t.arn(r),
      name: str(b.name) ?? t.name(r),
      vpcId: str(b.vpc_id) ?? "",
      protocol: str(b.protocol) ?? "HTTP",
      port: Number(b.port),
      healthCheck: {
        protocol: str(hc.protocol) ?? "HTTP",
        path: str(hc.path) ?? "/",
        port: hc.port === undefined || hc.port === "traffic-port" ? "traffic-port" : Number(hc.port),
        intervalSeconds: Number(hc.interval ?? 30),
        timeoutSeconds: Number(hc.timeout ?? 5),
        healthyThreshold: Number(hc.healthy_threshold ?? 3),
        unhealthyThreshold: Number(hc.unhealthy_threshold ?? 3),
        matcher: str(hc.matcher) ?? "200",
      },
      targets: [],
      tags: t.tags(r),
    });
  }
  for (const r of t.ofType("aws_lb_listener")) {
    const b = t.body(r);
    const lb = s.loadBalancers.find((l) => l.arn === b.load_balancer_arn);
    if (!lb) throw new SynthError(`${where(r)} listens on load balancer "${String(b.load_balancer_arn)}", which is not a load balancer of the lab.`);
    const action = (list(b.default_action)[0] ?? {}) as Record<string, unknown>;
    const forward = (list(action.forward)[0] ?? {}) as Record<string, unknown>;
    const weighted = (list(forward.target_group)[0] ?? {}) as Record<string, unknown>;
    lb.listeners.push({ port: Number(b.port ?? 80), protocol: str(b.protocol) ?? "HTTP", targetGroupArn: str(action.target_group_arn) ?? str(weighted.arn) ?? "" });
  }
  for (const r of t.ofType("aws_lb_target_group_attachment")) {
    const b = t.body(r);
    const tg = s.targetGroups.find((g) => g.arn === b.target_group_arn);
    if (!tg) throw new SynthError(`${where(r)} registers into target group "${String(b.target_group_arn)}", which is not a target group of the lab.`);
    tg.targets.push({ instanceId: str(b.target_id) ?? "", port: Number(b.port ?? tg.port) });
  }
}

/** Hosted zones, their VPC associations (vpc blocks and association resources) and records. */
export function addDns(s: Snapshot, t: TerraformResolver): void {
  for (const r of t.ofType("aws_route53_zone")) {
    const b = t.body(r);
    const vpcIds = list(b.vpc).map((v) => str((v as Record<string, unknown>).vpc_id) ?? "");
    s.hostedZones.push({ id: t.id(r), name: fqdn(str(b.name) ?? ""), private: vpcIds.length > 0, vpcIds, records: [], tags: t.tags(r) });
  }
  const zoneOf = (r: TfResource): HostedZoneModel => {
    const id = t.body(r).zone_id;
    const zone = s.hostedZones.find((z) => z.id === id);
    if (!zone) throw new SynthError(`${where(r)} names hosted zone "${String(id)}", which is not a zone of the lab.`);
    return zone;
  };
  for (const r of t.ofType("aws_route53_zone_association")) {
    const zone = zoneOf(r);
    const vpcId = str(t.body(r).vpc_id) ?? "";
    if (!zone.vpcIds.includes(vpcId)) zone.vpcIds.push(vpcId);
  }
  for (const r of t.ofType("aws_route53_record")) {
    const b = t.body(r);
    const zone = zoneOf(r);
    const alias = list(b.alias)[0] as Record<string, unknown> | undefined;
    zone.records.push({ name: recordName(str(b.name) ?? "", zone.name), type: str(b.type) ?? "A", values: strings(b.records), ...(alias ? { aliasTarget: (str(alias.name) ?? "").replace(/\.$/, "") } : {}) });
  }
}

function fqdn(name: string): string {
  return name.replace(/\.$/, "").toLowerCase();
}

/** The AWS provider appends the zone's name to a record name that does not end with it. */
function recordName(name: string, zone: string): string {
  const n = fqdn(name);
  if (!n) return zone;
  return n === zone || n.endsWith(`.${zone}`) ? n : `${n}.${zone}`;
}

/** VPC flow logs and CloudWatch alarms. */
export function addMonitoring(s: Snapshot, t: TerraformResolver): void {
  for (const r of t.ofType("aws_flow_log")) {
    const b = t.body(r);
    const destination = str(b.log_destination) ?? "";
    const resourceId = str(b.vpc_id) ?? str(b.subnet_id) ?? str(b.eni_id) ?? str(b.transit_gateway_id) ?? str(b.transit_gateway_attachment_id);
    if (!resourceId) throw new SynthError(`${where(r)} captures nothing: it has no vpc_id, subnet_id, eni_id or transit_gateway_id.`);
    s.flowLogs.push({
      id: t.id(r),
      resourceId,
      logGroupName: destination.includes(":log-group:") ? destination.split(":log-group:")[1].replace(/:\*$/, "") : (str(b.log_group_name) ?? destination),
      trafficType: (str(b.traffic_type) ?? "ALL") as "ALL",
      status: "ACTIVE",
      tags: t.tags(r),
    });
  }
  for (const r of t.ofType("aws_cloudwatch_metric_alarm")) {
    const b = t.body(r);
    const dimensions = (b.dimensions ?? {}) as Record<string, unknown>;
    s.alarms.push({
      name: str(b.alarm_name) ?? t.name(r),
      metricName: str(b.metric_name) ?? "",
      namespace: str(b.namespace) ?? "",
      ...(str(dimensions.InstanceId) ? { instanceId: str(dimensions.InstanceId) } : {}),
      threshold: Number(b.threshold ?? 0),
      state: "OK",
      actions: strings(b.alarm_actions),
      tags: t.tags(r),
    });
  }
}
