import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { cidrSize, formatIp, parseCidr, parseIp } from "../topology/cidr";
import { defaultOsState, emptySnapshot, type InstanceModel, type RouteTarget, type SgRuleModel, type Snapshot, type Tags } from "./snapshot";
import { listResources, resolveRefs, stableHex, type TfResource, type TfStackJson } from "./terraform-refs";

/** The synthesized lab cannot be read. The message names the file or the stack. */
export class SynthError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SynthError";
  }
}

/** Fake public addresses come from TEST-NET-3 (RFC 5737): never a real host. */
export const FAKE_PUBLIC_PREFIX = "203.0.113.";

const ID_PREFIX: Record<string, (h: string) => string> = {
  aws_vpc: (h) => `vpc-${h.slice(0, 17)}`,
  aws_subnet: (h) => `subnet-${h.slice(0, 17)}`,
  aws_route_table: (h) => `rtb-${h.slice(0, 17)}`,
  aws_security_group: (h) => `sg-${h.slice(0, 17)}`,
  aws_vpc_security_group_ingress_rule: (h) => `sgr-${h.slice(0, 17)}`,
  aws_vpc_security_group_egress_rule: (h) => `sgr-${h.slice(0, 17)}`,
  aws_instance: (h) => `i-${h.slice(0, 17)}`,
  aws_internet_gateway: (h) => `igw-${h.slice(0, 17)}`,
  aws_nat_gateway: (h) => `nat-${h.slice(0, 17)}`,
  aws_eip: (h) => `eipalloc-${h.slice(0, 17)}`,
  aws_ec2_transit_gateway: (h) => `tgw-${h.slice(0, 17)}`,
  aws_ec2_transit_gateway_vpc_attachment: (h) => `tgw-attach-${h.slice(0, 17)}`,
  aws_ec2_transit_gateway_route_table: (h) => `tgw-rtb-${h.slice(0, 17)}`,
  aws_vpc_endpoint: (h) => `vpce-${h.slice(0, 17)}`,
  aws_flow_log: (h) => `fl-${h.slice(0, 17)}`,
  aws_route53_zone: (h) => `Z${h.slice(0, 20).toUpperCase()}`,
};

interface Options {
  lab: string;
  region: string;
}

const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
const bool = (v: unknown, fallback: boolean): boolean => (typeof v === "boolean" ? v : fallback);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);

/** The model of one participant's lab from its synthesized stacks (core and/or natinstance). */
export function snapshotFromTerraform(stacks: { core?: TfStackJson; natinstance?: TfStackJson }, options: Options): Snapshot {
  const { lab, region } = options;
  const resources: TfResource[] = [];
  const defaultTags = new Map<string, Tags>();
  for (const [variant, json] of Object.entries(stacks) as [string, TfStackJson | undefined][]) {
    if (!json) continue;
    const stack = `netlab-${lab}-${variant}`;
    resources.push(...listResources(stack, json));
    defaultTags.set(stack, json.provider?.aws?.[0]?.default_tags?.[0]?.tags ?? {});
  }
  const key = (r: TfResource) => `${r.stack}|${r.type}|${r.name}`;
  const byRef = new Map<string, TfResource[]>();
  for (const r of resources) byRef.set(`${r.type}.${r.name}`, [...(byRef.get(`${r.type}.${r.name}`) ?? []), r]);
  const ofType = (type: string) => resources.filter((r) => r.type === type);
  const idOf = (r: TfResource) => (ID_PREFIX[r.type] ?? ((h: string) => `${r.type}-${h.slice(0, 12)}`))(stableHex(`${lab}|${key(r)}`, 24));

  // Public addresses: EIPs first (stable order), then instances with a launch-time public IP.
  const publicIps = new Map<string, string>();
  let nextPublic = 10;
  for (const r of [...ofType("aws_eip"), ...ofType("aws_instance").filter((i) => i.body.associate_public_ip_address === true)].sort((a, b) => key(a).localeCompare(key(b)))) {
    if (nextPublic > 254) throw new SynthError(`The lab needs more than 245 fake public addresses in ${FAKE_PUBLIC_PREFIX}0/24.`);
    publicIps.set(key(r), `${FAKE_PUBLIC_PREFIX}${nextPublic++}`);
  }

  let current: TfResource | undefined;
  const find = (stack: string, ref: string): TfResource => {
    const candidates = byRef.get(ref) ?? [];
    const hit = candidates.find((c) => c.stack === stack) ?? candidates[0];
    if (!hit) throw new SynthError(`Stack ${stack}: ${current ? `${current.type}.${current.name}` : "a resource"} refers to ${ref}, which neither stack defines.`);
    return hit;
  };
  const resolveData = (r: TfResource): TfResource => {
    // Data sources in the NAT instance stack stand for resources of the core stack, found by name.
    const name = str(r.body.name);
    const real = r.type === "data.aws_route53_zone" ? "aws_route53_zone" : r.type === "data.aws_cloudwatch_log_group" ? "aws_cloudwatch_log_group" : undefined;
    if (!real) return r;
    const target = ofType(real).find((x) => str(x.body.name)?.replace(/\.$/, "") === name?.replace(/\.$/, ""));
    if (!target) throw new SynthError(`Stack ${r.stack}: ${r.type}.${r.name} looks up "${name}", which no stack of lab ${lab} creates (is the core variant disabled?).`);
    return target;
  };
  const attribute = (r: TfResource, attr: string): unknown => {
    if (r.type.startsWith("data.")) {
      if (r.type === "data.aws_availability_zones" && attr === "names") return [`${region}a`, `${region}b`, `${region}c`];
      if (r.type === "data.aws_ssm_parameter" && attr === "value") return `ami-${stableHex(str(r.body.name) ?? "", 17)}`;
      const target = resolveData(r);
      if (target === r) throw new SynthError(`Stack ${r.stack}: data source ${r.type}.${r.name} cannot be resolved offline.`);
      return attribute(target, attr);
    }
    const id = idOf(r);
    switch (attr) {
      case "id":
        return r.type === "aws_route53_zone" ? id : id;
      case "zone_id":
        return r.type === "aws_lb" ? "ZWKZPGTI48KDX" : id;
      case "arn":
        if (r.type === "aws_lb") return `arn:aws:elasticloadbalancing:${region}:000000000000:loadbalancer/app/${str(r.body.name)}/${stableHex(key(r), 16)}`;
        if (r.type === "aws_lb_target_group") return `arn:aws:elasticloadbalancing:${region}:000000000000:targetgroup/${str(r.body.name)}/${stableHex(key(r), 16)}`;
        if (r.type === "aws_cloudwatch_log_group") return `arn:aws:logs:${region}:000000000000:log-group:${str(r.body.name)}`;
        return `arn:aws:${r.type}:${region}:000000000000:${id}`;
      case "allocation_id":
        return id;
      case "public_ip":
        return publicIps.get(key(r)) ?? "";
      case "primary_network_interface_id":
        return `eni-${stableHex(`${lab}|${key(r)}|eni`, 17)}`;
      case "dns_name":
        return `${str(r.body.name)}-${parseInt(stableHex(key(r), 8), 16)}.${region}.elb.amazonaws.com`;
      case "name":
        return str(r.body.name) ?? r.name;
      default:
        return `${id}.${attr}`;
    }
  };
  const lookup = (stack: string) => (expression: string): unknown => {
    const element = /^element\(([\w.-]+)\s*,\s*(\d+)\)$/.exec(expression);
    if (element) {
      const values = lookup(stack)(element[1]);
      if (!Array.isArray(values)) throw new SynthError(`Stack ${stack}: ${expression} does not index a list.`);
      return values[Number(element[2]) % values.length];
    }
    const indexed = /^(.+)\[(\d+)\]$/.exec(expression);
    if (indexed) {
      const values = lookup(stack)(indexed[1]);
      return Array.isArray(values) ? values[Number(indexed[2])] : values;
    }
    const parts = expression.split(".");
    const isData = parts[0] === "data";
    const ref = isData ? parts.slice(0, 3).join(".") : parts.slice(0, 2).join(".");
    const attr = parts.slice(isData ? 3 : 2).join(".");
    if (!attr) throw new SynthError(`Stack ${stack}: the reference \${${expression}} has no attribute.`);
    return attribute(find(stack, ref), attr);
  };
  const bodies = new Map<string, Record<string, unknown>>();
  const body = (r: TfResource): Record<string, unknown> => {
    const k = key(r);
    if (!bodies.has(k)) {
      current = r;
      bodies.set(k, resolveRefs(r.body, lookup(r.stack)) as Record<string, unknown>);
    }
    return bodies.get(k) as Record<string, unknown>;
  };
  const tagsOf = (r: TfResource): Tags => ({ ...(defaultTags.get(r.stack) ?? {}), ...((body(r).tags as Tags | undefined) ?? {}) });
  const nameOf = (r: TfResource) => tagsOf(r).Name ?? idOf(r);

  const s = emptySnapshot(lab, region, "terraform");
  for (const r of ofType("aws_vpc")) {
    const b = body(r);
    s.vpcs.push({ id: idOf(r), name: nameOf(r), cidr: str(b.cidr_block) ?? "", dnsSupport: bool(b.enable_dns_support, true), dnsHostnames: bool(b.enable_dns_hostnames, false), tags: tagsOf(r) });
  }
  for (const r of ofType("aws_subnet")) {
    const b = body(r);
    s.subnets.push({ id: idOf(r), name: nameOf(r), vpcId: str(b.vpc_id) ?? "", cidr: str(b.cidr_block) ?? "", az: str(b.availability_zone) ?? `${region}a`, mapPublicIpOnLaunch: bool(b.map_public_ip_on_launch, false), tags: tagsOf(r) });
  }
  const vpcCidr = new Map(s.vpcs.map((v) => [v.id, v.cidr]));
  const local = (vpcId: string) => ({ destination: vpcCidr.get(vpcId) ?? "", target: { kind: "local" } as RouteTarget, state: "active" as const });
  for (const v of s.vpcs) {
    // Every VPC has a main table AWS creates: only the local route, used by unassociated subnets.
    s.routeTables.push({ id: `rtb-${stableHex(`${lab}|${v.id}|main`, 17)}`, name: `${v.name}-main`, vpcId: v.id, main: true, subnetIds: [], routes: [local(v.id)], tags: { ...v.tags, Name: `${v.name}-main` } });
    // And a default NACL that allows everything both ways (rule 100), before the final deny (*).
    s.networkAcls.push({
      id: `acl-${stableHex(`${lab}|${v.id}|acl`, 17)}`,
      name: `${v.name}-default-acl`,
      vpcId: v.id,
      isDefault: true,
      subnetIds: s.subnets.filter((x) => x.vpcId === v.id).map((x) => x.id),
      entries: [true, false].flatMap((egress) => [
        { ruleNumber: 100, egress, protocol: "-1", action: "allow" as const, cidr: "0.0.0.0/0" },
        { ruleNumber: 32767, egress, protocol: "-1", action: "deny" as const, cidr: "0.0.0.0/0" },
      ]),
      tags: v.tags,
    });
  }
  for (const r of ofType("aws_route_table")) {
    const b = body(r);
    const vpcId = str(b.vpc_id) ?? "";
    s.routeTables.push({ id: idOf(r), name: nameOf(r), vpcId, main: false, subnetIds: [], routes: [local(vpcId)], tags: tagsOf(r) });
  }
  const rtById = new Map(s.routeTables.map((t) => [t.id, t]));
  for (const r of ofType("aws_route_table_association")) {
    const b = body(r);
    rtById.get(str(b.route_table_id) ?? "")?.subnetIds.push(str(b.subnet_id) ?? "");
  }
  for (const r of ofType("aws_security_group")) {
    const b = body(r);
    s.securityGroups.push({ id: idOf(r), name: nameOf(r), groupName: str(b.name) ?? nameOf(r), vpcId: str(b.vpc_id) ?? "", ingress: [], egress: [], tags: tagsOf(r) });
  }
  const sgById = new Map(s.securityGroups.map((g) => [g.id, g]));
  for (const [type, dir] of [["aws_vpc_security_group_ingress_rule", "ingress"], ["aws_vpc_security_group_egress_rule", "egress"]] as const) {
    for (const r of ofType(type)) {
      const b = body(r);
      const protocol = str(b.ip_protocol) ?? "-1";
      const rule: SgRuleModel = {
        id: idOf(r),
        protocol: protocol === "all" ? "-1" : protocol,
        fromPort: protocol === "-1" ? -1 : Number(b.from_port ?? -1),
        toPort: protocol === "-1" ? -1 : Number(b.to_port ?? -1),
        ...(str(b.cidr_ipv4) ? { cidr: str(b.cidr_ipv4) } : {}),
        ...(str(b.referenced_security_group_id) ? { peerSecurityGroupId: str(b.referenced_security_group_id) } : {}),
        ...(str(b.prefix_list_id) ? { prefixListId: str(b.prefix_list_id) } : {}),
        ...(str(b.description) ? { description: str(b.description) } : {}),
      };
      const sg = sgById.get(str(b.security_group_id) ?? "");
      if (!sg) throw new SynthError(`Stack ${r.stack}: ${type}.${r.name} belongs to no security group of the lab.`);
      sg[dir].push(rule);
    }
  }
  for (const r of ofType("aws_internet_gateway")) s.internetGateways.push({ id: idOf(r), name: nameOf(r), vpcId: str(body(r).vpc_id), tags: tagsOf(r) });
  const subnetById = new Map(s.subnets.map((x) => [x.id, x]));
  for (const r of ofType("aws_instance")) {
    const b = body(r);
    const subnet = subnetById.get(str(b.subnet_id) ?? "");
    if (!subnet) throw new SynthError(`Stack ${r.stack}: aws_instance.${r.name} is in no subnet of the lab.`);
    const tags = tagsOf(r);
    const role = tags["netlab:role"];
    const inst: InstanceModel = {
      id: idOf(r),
      name: nameOf(r),
      vpcId: subnet.vpcId,
      subnetId: subnet.id,
      privateIp: str(b.private_ip) ?? "",
      eniId: String(attribute(r, "primary_network_interface_id")),
      securityGroupIds: list(b.vpc_security_group_ids).map(String),
      sourceDestCheck: bool(b.source_dest_check, true),
      state: "running",
      os: defaultOsState(role === "web" || role === "nat" || role === "workstation" || role === "probe" ? role : "unknown"),
      tags,
    };
    if (publicIps.has(key(r))) inst.publicIp = publicIps.get(key(r));
    s.instances.push(inst);
  }
  const eniOf = new Map(s.instances.map((i) => [i.id, i.eniId]));
  for (const r of ofType("aws_eip")) {
    const b = body(r);
    const instanceId = str(b.instance);
    s.elasticIps.push({ allocationId: idOf(r), name: nameOf(r), publicIp: publicIps.get(key(r)) ?? "", ...(instanceId ? { instanceId, eniId: eniOf.get(instanceId) } : {}), tags: tagsOf(r) });
  }
  for (const r of ofType("aws_eip_association")) {
    const b = body(r);
    const eip = s.elasticIps.find((e) => e.allocationId === str(b.allocation_id));
    if (eip && str(b.instance_id)) Object.assign(eip, { instanceId: str(b.instance_id), eniId: eniOf.get(str(b.instance_id) ?? "") });
  }
  for (const r of ofType("aws_nat_gateway").sort((a, b) => key(a).localeCompare(key(b)))) {
    const b = body(r);
    const subnet = subnetById.get(str(b.subnet_id) ?? "");
    if (!subnet) throw new SynthError(`Stack ${r.stack}: aws_nat_gateway.${r.name} is in no subnet of the lab.`);
    const c = parseCidr(subnet.cidr);
    const taken = new Set([...s.instances.map((i) => i.privateIp), ...s.natGateways.map((n) => n.privateIp)]);
    let ip = c.network + 10;
    while (taken.has(formatIp(ip)) && ip < c.network + cidrSize(c) - 2) ip++;
    const eip = s.elasticIps.find((e) => e.allocationId === str(b.allocation_id));
    s.natGateways.push({ id: idOf(r), name: nameOf(r), vpcId: subnet.vpcId, subnetId: subnet.id, connectivity: str(b.connectivity_type) === "private" ? "private" : "public", state: "available", privateIp: formatIp(ip), ...(eip ? { publicIp: eip.publicIp } : {}), tags: tagsOf(r) });
    if (eip) eip.privateIp = formatIp(ip);
  }
  for (const r of ofType("aws_route")) {
    const b = body(r);
    const table = rtById.get(str(b.route_table_id) ?? "");
    if (!table) throw new SynthError(`Stack ${r.stack}: aws_route.${r.name} belongs to no route table of the lab.`);
    const gw = str(b.gateway_id);
    const eni = str(b.network_interface_id);
    const target: RouteTarget | undefined = str(b.nat_gateway_id)
      ? { kind: "nat-gateway", id: str(b.nat_gateway_id) as string }
      : str(b.transit_gateway_id)
        ? { kind: "tgw", id: str(b.transit_gateway_id) as string }
        : eni
          ? { kind: "eni", id: eni, ...(s.instances.find((i) => i.eniId === eni) ? { instanceId: s.instances.find((i) => i.eniId === eni)?.id } : {}) }
          : str(b.vpc_endpoint_id)
            ? { kind: "vpc-endpoint", id: str(b.vpc_endpoint_id) as string }
            : gw?.startsWith("igw-")
              ? { kind: "igw", id: gw }
              : gw
                ? { kind: "other", id: gw }
                : undefined;
    if (!target) throw new SynthError(`Stack ${r.stack}: aws_route.${r.name} has no target this model knows.`);
    table.routes.push({ destination: str(b.destination_cidr_block) ?? "", target, state: "active" });
  }
  for (const r of ofType("aws_ec2_transit_gateway")) s.transitGateways.push({ id: idOf(r), name: nameOf(r), tags: tagsOf(r) });
  for (const r of ofType("aws_ec2_transit_gateway_vpc_attachment")) {
    const b = body(r);
    s.tgwAttachments.push({ id: idOf(r), name: nameOf(r), tgwId: str(b.transit_gateway_id) ?? "", vpcId: str(b.vpc_id) ?? "", subnetIds: list(b.subnet_ids).map(String), state: "available", tags: tagsOf(r) });
  }
  for (const r of ofType("aws_ec2_transit_gateway_route_table")) s.tgwRouteTables.push({ id: idOf(r), name: nameOf(r), tgwId: str(body(r).transit_gateway_id) ?? "", associations: [], propagations: [], routes: [], tags: tagsOf(r) });
  const tgwRt = new Map(s.tgwRouteTables.map((t) => [t.id, t]));
  const tgwTable = (r: TfResource) => {
    const t = tgwRt.get(str(body(r).transit_gateway_route_table_id) ?? "");
    if (!t) throw new SynthError(`Stack ${r.stack}: ${r.type}.${r.name} names no TGW route table of the lab.`);
    return t;
  };
  for (const r of ofType("aws_ec2_transit_gateway_route_table_association")) tgwTable(r).associations.push(str(body(r).transit_gateway_attachment_id) ?? "");
  for (const r of ofType("aws_ec2_transit_gateway_route_table_propagation")) tgwTable(r).propagations.push(str(body(r).transit_gateway_attachment_id) ?? "");
  for (const r of ofType("aws_ec2_transit_gateway_route")) {
    const b = body(r);
    const blackhole = b.blackhole === true;
    tgwTable(r).routes.push({ destination: str(b.destination_cidr_block) ?? "", ...(blackhole ? {} : { attachmentId: str(b.transit_gateway_attachment_id) }), type: "static", state: blackhole ? "blackhole" : "active" });
  }
  for (const r of ofType("aws_vpc_endpoint")) {
    const b = body(r);
    s.vpcEndpoints.push({
      id: idOf(r),
      name: nameOf(r),
      vpcId: str(b.vpc_id) ?? "",
      type: str(b.vpc_endpoint_type) ?? "Gateway",
      serviceName: str(b.service_name) ?? "",
      subnetIds: list(b.subnet_ids).map(String),
      securityGroupIds: list(b.security_group_ids).map(String),
      routeTableIds: list(b.route_table_ids).map(String),
      privateDns: bool(b.private_dns_enabled, false),
      tags: tagsOf(r),
    });
  }
  for (const r of ofType("aws_lb")) {
    const b = body(r);
    const arn = String(attribute(r, "arn"));
    const subnetIds = list(b.subnets).map(String);
    s.loadBalancers.push({
      arn,
      name: str(b.name) ?? nameOf(r),
      type: str(b.load_balancer_type) ?? "application",
      scheme: b.internal === true ? "internal" : "internet-facing",
      vpcId: subnetById.get(subnetIds[0] ?? "")?.vpcId ?? "",
      subnetIds,
      securityGroupIds: list(b.security_groups).map(String),
      dnsName: String(attribute(r, "dns_name")),
      listeners: [],
      tags: tagsOf(r),
    });
  }
  for (const r of ofType("aws_lb_listener")) {
    const b = body(r);
    const lb = s.loadBalancers.find((l) => l.arn === str(b.load_balancer_arn));
    const action = list(b.default_action)[0] as Record<string, unknown> | undefined;
    lb?.listeners.push({ port: Number(b.port), protocol: str(b.protocol) ?? "HTTP", targetGroupArn: str(action?.target_group_arn) ?? "" });
  }
  for (const r of ofType("aws_lb_target_group")) {
    const b = body(r);
    const hc = (list(b.health_check)[0] ?? {}) as Record<string, unknown>;
    s.targetGroups.push({
      arn: String(attribute(r, "arn")),
      name: str(b.name) ?? nameOf(r),
      vpcId: str(b.vpc_id) ?? "",
      protocol: str(b.protocol) ?? "HTTP",
      port: Number(b.port),
      healthCheck: {
        protocol: str(hc.protocol) ?? "HTTP",
        path: str(hc.path) ?? "/",
        port: hc.port === undefined || hc.port === "traffic-port" ? "traffic-port" : Number(hc.port),
        intervalSeconds: Number(hc.interval ?? 30),
        timeoutSeconds: Number(hc.timeout ?? 5),
        healthyThreshold: Number(hc.healthy_threshold ?? 5),
        unhealthyThreshold: Number(hc.unhealthy_threshold ?? 2),
        matcher: str(hc.matcher) ?? "200",
      },
      targets: [],
      tags: tagsOf(r),
    });
  }
  for (const r of ofType("aws_lb_target_group_attachment")) {
    const b = body(r);
    const tg = s.targetGroups.find((g) => g.arn === str(b.target_group_arn));
    tg?.targets.push({ instanceId: str(b.target_id) ?? "", port: Number(b.port ?? tg.port) });
  }
  for (const r of ofType("aws_route53_zone")) {
    const b = body(r);
    const vpcs = list(b.vpc).map((v) => str((v as Record<string, unknown>).vpc_id) ?? "");
    s.hostedZones.push({ id: idOf(r), name: (str(b.name) ?? "").replace(/\.$/, ""), private: vpcs.length > 0, vpcIds: vpcs, records: [], tags: tagsOf(r) });
  }
  const zone = (r: TfResource) => {
    const z = s.hostedZones.find((x) => x.id === str(body(r).zone_id));
    if (!z) throw new SynthError(`Stack ${r.stack}: ${r.type}.${r.name} names no hosted zone of the lab.`);
    return z;
  };
  for (const r of ofType("aws_route53_zone_association")) zone(r).vpcIds.push(str(body(r).vpc_id) ?? "");
  for (const r of ofType("aws_route53_record")) {
    const b = body(r);
    const alias = list(b.alias)[0] as Record<string, unknown> | undefined;
    zone(r).records.push({ name: (str(b.name) ?? "").replace(/\.$/, ""), type: str(b.type) ?? "A", values: list(b.records).map(String), ...(alias ? { aliasTarget: str(alias.name) } : {}) });
  }
  for (const r of ofType("aws_flow_log")) {
    const b = body(r);
    const destination = str(b.log_destination) ?? "";
    s.flowLogs.push({
      id: idOf(r),
      resourceId: str(b.vpc_id) ?? str(b.subnet_id) ?? str(b.eni_id) ?? "",
      logGroupName: destination.includes(":log-group:") ? destination.split(":log-group:")[1].replace(/:\*$/, "") : str(b.log_group_name) ?? destination,
      trafficType: (str(b.traffic_type) ?? "ALL") as "ALL",
      status: "ACTIVE",
      tags: tagsOf(r),
    });
  }
  for (const r of ofType("aws_cloudwatch_metric_alarm")) {
    const b = body(r);
    const dims = (b.dimensions ?? {}) as Record<string, string>;
    s.alarms.push({
      name: str(b.alarm_name) ?? nameOf(r),
      metricName: str(b.metric_name) ?? "",
      namespace: str(b.namespace) ?? "",
      ...(dims.InstanceId ? { instanceId: dims.InstanceId } : {}),
      threshold: Number(b.threshold ?? 0),
      state: "OK",
      actions: list(b.alarm_actions).map(String),
      tags: tagsOf(r),
    });
  }
  for (const i of s.instances) parseIp(i.privateIp);
  return s;
}

export interface LoadSynthOptions {
  /** Variants the config deploys; a missing stack of another variant is not an error. @default both */
  variants?: readonly ("core" | "natinstance")[];
}

/** Reads `<dir>/stacks/netlab-<lab>-{core,natinstance}/cdk.tf.json` and builds the lab's snapshot. */
export function loadSynthDir(dir: string, lab: string, region: string, options: LoadSynthOptions = {}): Snapshot {
  if (!existsSync(dir)) throw new SynthError(`The synth directory ${dir} does not exist; run \`npx cdktf synth\` or pass --synth-dir.`);
  const stacksDir = join(dir, "stacks");
  const found = existsSync(stacksDir) ? readdirSync(stacksDir) : [];
  const variants = options.variants ?? ["core", "natinstance"];
  const jsons: { core?: TfStackJson; natinstance?: TfStackJson } = {};
  for (const variant of variants) {
    const stack = `netlab-${lab}-${variant}`;
    const file = join(stacksDir, stack, "cdk.tf.json");
    if (!existsSync(file)) {
      throw new SynthError(`The synth directory ${dir} has no stack ${stack}; it has: ${found.length ? found.join(", ") : "no stacks"}. Is "${lab}" a participant of this config?`);
    }
    try {
      jsons[variant] = JSON.parse(readFileSync(file, "utf8")) as TfStackJson;
    } catch (e) {
      throw new SynthError(`${file} is not valid JSON: ${(e as Error).message}`);
    }
  }
  return snapshotFromTerraform(jsons, { lab, region });
}
