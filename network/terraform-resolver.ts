import type { Tags } from "./snapshot";
import { listResources, parseReference, referencedResource, resolveRefs, stableHex, SynthError, type TfResource, type TfStackJson } from "./terraform-refs";

/** The account id in fake ARNs: reserved-looking, never a real account. */
export const FAKE_ACCOUNT = "000000000000";
/** Fake public addresses come from TEST-NET-3 (RFC 5737): never a real host. */
export const FAKE_PUBLIC_PREFIX = "203.0.113.";
const FIRST_PUBLIC_HOST = 10;
const LAST_PUBLIC_HOST = 254;
/** AZ names for `data.aws_availability_zones`: the region's first AZs, in order. */
const AZ_LETTERS = ["a", "b", "c", "d"];

export interface TerraformResolverOptions {
  /** Participant id: part of every fake id, so two labs never share one. */
  lab: string;
  /** Region of AZ names, ARNs and DNS names, e.g. `ap-northeast-2`. */
  region: string;
}

/** One synthesized stack and its name (`netlab-<lab>-<variant>`). */
export interface NamedStack {
  stack: string;
  json: TfStackJson;
}

const ID_PREFIX: Record<string, string> = {
  aws_vpc: "vpc",
  aws_subnet: "subnet",
  aws_route_table: "rtb",
  aws_route_table_association: "rtbassoc",
  aws_route: "r",
  aws_security_group: "sg",
  aws_vpc_security_group_ingress_rule: "sgr",
  aws_vpc_security_group_egress_rule: "sgr",
  aws_instance: "i",
  aws_internet_gateway: "igw",
  aws_nat_gateway: "nat",
  aws_eip: "eipalloc",
  aws_eip_association: "eipassoc",
  aws_ec2_transit_gateway: "tgw",
  aws_ec2_transit_gateway_vpc_attachment: "tgw-attach",
  aws_ec2_transit_gateway_route_table: "tgw-rtb",
  aws_vpc_endpoint: "vpce",
  aws_flow_log: "fl",
};

/** EC2 ARN resource types: `arn:aws:ec2:<region>:<account>:<type>/<id>`. */
const EC2_ARN_TYPE: Record<string, string> = {
  aws_vpc: "vpc",
  aws_subnet: "subnet",
  aws_route_table: "route-table",
  aws_security_group: "security-group",
  aws_vpc_security_group_ingress_rule: "security-group-rule",
  aws_vpc_security_group_egress_rule: "security-group-rule",
  aws_instance: "instance",
  aws_internet_gateway: "internet-gateway",
  aws_nat_gateway: "natgateway",
  aws_eip: "elastic-ip",
  aws_ec2_transit_gateway: "transit-gateway",
  aws_ec2_transit_gateway_vpc_attachment: "transit-gateway-attachment",
  aws_ec2_transit_gateway_route_table: "transit-gateway-route-table",
  aws_vpc_endpoint: "vpc-endpoint",
  aws_flow_log: "vpc-flow-log",
};

/** Data sources that stand for a resource of another stack of the same lab, found by name. */
const LOOKED_UP: Record<string, string> = {
  "data.aws_route53_zone": "aws_route53_zone",
  "data.aws_cloudwatch_log_group": "aws_cloudwatch_log_group",
};

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const literal = (v: unknown): string | undefined => (typeof v === "string" && !v.includes("${") ? v : undefined);
const zoneName = (name: string): string => name.replace(/\.$/, "").toLowerCase();

/**
 * Resolves the references of synthesized stacks to deterministic fake values: ids from a hash of
 * lab, stack, type and logical name; public addresses from TEST-NET-3 in a stable order; data sources
 * of one stack to the resources another stack of the same lab creates.
 */
export class TerraformResolver {
  readonly lab: string;
  readonly region: string;
  private readonly resources: TfResource[] = [];
  private readonly index = new Map<string, TfResource>();
  private readonly providerTags = new Map<string, Tags>();
  private readonly bodies = new Map<TfResource, Record<string, unknown>>();
  private readonly resolving = new Set<TfResource>();
  private publicIpCache?: Map<TfResource, string>;

  constructor(stacks: readonly NamedStack[], options: TerraformResolverOptions) {
    this.lab = options.lab;
    this.region = options.region;
    for (const { stack, json } of stacks) {
      for (const r of listResources(stack, json)) {
        this.resources.push(r);
        this.index.set(`${stack}|${r.type}.${r.name}`, r);
      }
      for (const p of json.provider?.aws ?? []) {
        const block = Array.isArray(p.default_tags) ? p.default_tags[0] : p.default_tags;
        this.providerTags.set(`${stack}|${p.alias ?? ""}`, { ...(block?.tags ?? {}) });
      }
    }
  }

  /** Resources of one type, stacks in the order given, then in file order. */
  ofType(type: string): TfResource[] {
    return this.resources.filter((r) => r.type === type);
  }

  key(r: TfResource): string {
    return `${r.stack}|${r.type}|${r.name}`;
  }

  /** The fake AWS id, e.g. `vpc-` + 17 hex digits. */
  id(r: TfResource): string {
    const hex = stableHex(`${this.lab}|${this.key(r)}`, 24);
    if (r.type === "aws_route53_zone") return `Z${hex.slice(0, 20).toUpperCase()}`;
    if (r.type === "aws_lb" || r.type === "aws_lb_target_group" || r.type === "aws_lb_listener") return this.arn(r);
    const prefix = ID_PREFIX[r.type];
    return prefix ? `${prefix}-${hex.slice(0, 17)}` : `${r.type.replace(/^aws_/, "").replace(/_/g, "-")}-${hex.slice(0, 12)}`;
  }

  /** The body with every reference resolved (user data, policies and meta-arguments left out). */
  body(r: TfResource): Record<string, unknown> {
    const cached = this.bodies.get(r);
    if (cached) return cached;
    if (this.resolving.has(r)) throw new SynthError(`Stack ${r.stack}: ${r.type}.${r.name} refers to itself through a cycle of references.`);
    this.resolving.add(r);
    try {
      const resolved = resolveRefs(r.body, (expression) => this.evaluate(expression, r)) as Record<string, unknown>;
      this.bodies.set(r, resolved);
      return resolved;
    } finally {
      this.resolving.delete(r);
    }
  }

  /** The resource's tags over the provider's default tags (resource tags win, as in the AWS provider). */
  tags(r: TfResource): Tags {
    const own = this.body(r).tags;
    const provider = r.body.provider;
    const alias = typeof provider === "string" ? provider.replace(/^\$\{|\}$/g, "").replace(/^aws\.?/, "") : "";
    return { ...(this.providerTags.get(`${r.stack}|${alias}`) ?? {}), ...(isRecord(own) ? (own as Tags) : {}) };
  }

  /** The Name tag, else the id. */
  name(r: TfResource): string {
    return this.tags(r).Name ?? this.id(r);
  }

  /** The fake public address of an EIP or of an instance that gets one at launch. */
  publicIp(r: TfResource): string | undefined {
    return this.publicIps().get(r);
  }

  /** The primary ENI of an instance (or the ENI of a NAT gateway); `index` numbers the ENIs of a resource that has one per subnet. */
  eniId(r: TfResource, index = 0): string {
    return `eni-${stableHex(`${this.lab}|${this.key(r)}|eni${index ? `|${index}` : ""}`, 17)}`;
  }

  /** The main route table AWS creates with a VPC. */
  mainRouteTableId(vpcId: string): string {
    return `rtb-${stableHex(`${this.lab}|${vpcId}|main`, 17)}`;
  }

  /** The default network ACL AWS creates with a VPC. */
  defaultNaclId(vpcId: string): string {
    return `acl-${stableHex(`${this.lab}|${vpcId}|acl`, 17)}`;
  }

  /** The default security group AWS creates with a VPC. */
  defaultSecurityGroupId(vpcId: string): string {
    return `sg-${stableHex(`${this.lab}|${vpcId}|default-sg`, 17)}`;
  }

  /** The default route table AWS creates with a transit gateway (unless both defaults are disabled). */
  defaultTgwRouteTableId(tgwId: string): string {
    return `tgw-rtb-${stableHex(`${this.lab}|${tgwId}|default`, 17)}`;
  }

  arn(r: TfResource): string {
    const { region } = this;
    const name = literal(r.body.name) ?? r.name;
    const hex = stableHex(this.key(r), 16);
    if (EC2_ARN_TYPE[r.type]) return `arn:aws:ec2:${region}:${FAKE_ACCOUNT}:${EC2_ARN_TYPE[r.type]}/${this.id(r)}`;
    switch (r.type) {
      case "aws_lb":
        return `arn:aws:elasticloadbalancing:${region}:${FAKE_ACCOUNT}:loadbalancer/${r.body.load_balancer_type === "network" ? "net" : "app"}/${name}/${hex}`;
      case "aws_lb_target_group":
        return `arn:aws:elasticloadbalancing:${region}:${FAKE_ACCOUNT}:targetgroup/${name}/${hex}`;
      case "aws_lb_listener":
        return `arn:aws:elasticloadbalancing:${region}:${FAKE_ACCOUNT}:listener/app/${r.name}/${hex}`;
      case "aws_cloudwatch_log_group":
        return `arn:aws:logs:${region}:${FAKE_ACCOUNT}:log-group:${name}`;
      case "aws_cloudwatch_metric_alarm":
        return `arn:aws:cloudwatch:${region}:${FAKE_ACCOUNT}:alarm:${literal(r.body.alarm_name) ?? r.name}`;
      case "aws_sns_topic":
        return `arn:aws:sns:${region}:${FAKE_ACCOUNT}:${name}`;
      case "aws_iam_role":
        return `arn:aws:iam::${FAKE_ACCOUNT}:role/${name}`;
      case "aws_iam_policy":
        return `arn:aws:iam::${FAKE_ACCOUNT}:policy/${name}`;
      case "aws_iam_instance_profile":
        return `arn:aws:iam::${FAKE_ACCOUNT}:instance-profile/${name}`;
      case "aws_route53_zone":
        return `arn:aws:route53:::hostedzone/${this.id(r)}`;
      default:
        return `arn:aws:${r.type.replace(/^aws_/, "").split("_")[0]}:${region}:${FAKE_ACCOUNT}:${r.name}`;
    }
  }

  /** `<name>-<number>.<region>.elb.amazonaws.com`, with `internal-` in front for an internal load balancer. */
  dnsName(r: TfResource): string {
    const name = literal(r.body.name) ?? r.name;
    return `${r.body.internal === true ? "internal-" : ""}${name}-${parseInt(stableHex(this.key(r), 8), 16)}.${this.region}.elb.amazonaws.com`;
  }

  /** The value of `${expression}` as seen from resource `from`. */
  private evaluate(expression: string, from: TfResource): unknown {
    const element = /^element\((.+),\s*(\d+)\)$/.exec(expression);
    if (element) {
      const values = this.evaluate(element[1].trim(), from);
      if (!Array.isArray(values) || values.length === 0) throw new SynthError(`Stack ${from.stack}: ${from.type}.${from.name} uses \${${expression}}, but ${element[1]} is not a list.`);
      return values[Number(element[2]) % values.length];
    }
    const indexed = /^(.+)\[(\d+)\]$/.exec(expression);
    if (indexed) {
      const values = this.evaluate(indexed[1].trim(), from);
      if (!Array.isArray(values) || Number(indexed[2]) >= values.length) throw new SynthError(`Stack ${from.stack}: ${from.type}.${from.name} uses \${${expression}}, but ${indexed[1]} has no element ${indexed[2]}.`);
      return values[Number(indexed[2])];
    }
    const ref = parseReference(expression);
    if (!ref) {
      throw new SynthError(`Stack ${from.stack}: ${from.type}.${from.name} uses \${${expression}}, which netlab cannot evaluate offline (it resolves type.name.attribute, element(list, n) and list[n]).`);
    }
    const target = this.index.get(`${from.stack}|${ref.type}.${ref.name}`);
    if (!target) throw new SynthError(`Stack ${from.stack}: ${from.type}.${from.name} refers to \${${expression}}, but the stack defines no ${ref.type}.${ref.name}.`);
    return this.attribute(target, ref.attr, from);
  }

  /** An attribute of a resource or data source, as Terraform would know it after apply. */
  private attribute(r: TfResource, attr: string, from: TfResource): unknown {
    if (r.type.startsWith("data.")) return this.dataAttribute(r, attr, from);
    const computed = this.computed(r, attr);
    if (computed !== undefined) return computed;
    const [head, ...path] = attr.split(".");
    if (head in r.body) return path.reduce<unknown>((v, p) => (Array.isArray(v) ? v[Number(p)] : isRecord(v) ? v[p] : undefined), this.body(r)[head]);
    // An attribute the model never reads (it only lands in fields netlab ignores): stable but opaque.
    return `${this.id(r)}.${attr}`;
  }

  private computed(r: TfResource, attr: string): unknown {
    switch (attr) {
      case "id":
        return this.id(r);
      case "arn":
        return this.arn(r);
      case "owner_id":
        return FAKE_ACCOUNT;
    }
    switch (`${r.type}.${attr}`) {
      case "aws_eip.allocation_id":
        return this.id(r);
      case "aws_eip.public_ip":
      case "aws_instance.public_ip":
        return this.publicIp(r) ?? "";
      case "aws_instance.primary_network_interface_id":
      case "aws_nat_gateway.network_interface_id":
        return this.eniId(r);
      case "aws_lb.dns_name":
        return this.dnsName(r);
      case "aws_lb.zone_id":
        return `Z${stableHex(`${this.region}|elb`, 13).toUpperCase()}`;
      case "aws_route53_zone.zone_id":
        return this.id(r);
      case "aws_route53_zone.name_servers":
        return [1, 2, 3, 4].map((n) => `ns-${n}.awsdns-fake.netlab.invalid`);
      case "aws_vpc.main_route_table_id":
      case "aws_vpc.default_route_table_id":
        return this.mainRouteTableId(this.id(r));
      case "aws_vpc.default_network_acl_id":
        return this.defaultNaclId(this.id(r));
      case "aws_vpc.default_security_group_id":
        return this.defaultSecurityGroupId(this.id(r));
      case "aws_ec2_transit_gateway.association_default_route_table_id":
      case "aws_ec2_transit_gateway.propagation_default_route_table_id":
        return this.defaultTgwRouteTableId(this.id(r));
      default:
        return undefined;
    }
  }

  private dataAttribute(r: TfResource, attr: string, from: TfResource): unknown {
    const { region } = this;
    const known: Record<string, Record<string, () => unknown>> = {
      "data.aws_availability_zones": { names: () => AZ_LETTERS.map((l) => `${region}${l}`), zone_ids: () => AZ_LETTERS.map((_l, i) => `${region}-az${i + 1}`) },
      "data.aws_ssm_parameter": { value: () => `ami-${stableHex(literal(r.body.name) ?? r.name, 17)}`, insecure_value: () => `ami-${stableHex(literal(r.body.name) ?? r.name, 17)}` },
      "data.aws_caller_identity": { account_id: () => FAKE_ACCOUNT, arn: () => `arn:aws:iam::${FAKE_ACCOUNT}:root` },
      "data.aws_region": { name: () => region, region: () => region, id: () => region },
      "data.aws_partition": { partition: () => "aws", dns_suffix: () => "amazonaws.com" },
    };
    const value = known[r.type]?.[attr];
    if (value) return value();
    if (LOOKED_UP[r.type]) return this.attribute(this.lookedUp(r), attr, from);
    throw new SynthError(
      `Stack ${from.stack}: ${from.type}.${from.name} refers to ${r.type}.${r.name}.${attr}, which netlab cannot resolve offline (it resolves ${[...Object.entries(known).flatMap(([t, a]) => Object.keys(a).map((k) => `${t}.${k}`)), ...Object.keys(LOOKED_UP).map((t) => `${t} by name`)].join(", ")}).`,
    );
  }

  /** The resource of the lab that a by-name data source finds (e.g. the core stack's private zone). */
  private lookedUp(r: TfResource): TfResource {
    const wanted = literal(r.body.name);
    const privateOnly = r.body.private_zone;
    const hit = this.ofType(LOOKED_UP[r.type]).find((x) => {
      const name = literal(x.body.name);
      if (!wanted || !name || zoneName(name) !== zoneName(wanted)) return false;
      return typeof privateOnly !== "boolean" || privateOnly === (x.body.vpc !== undefined && x.body.vpc !== null);
    });
    if (!hit) throw new SynthError(`Stack ${r.stack}: ${r.type}.${r.name} looks up "${wanted ?? "(no name)"}", which no stack of lab ${this.lab} creates (is the core variant left out of the config?).`);
    return hit;
  }

  /** EIPs and launch-time public addresses, numbered in the order of their keys so every run agrees. */
  private publicIps(): Map<TfResource, string> {
    if (this.publicIpCache) return this.publicIpCache;
    const wants = [...this.ofType("aws_eip"), ...this.ofType("aws_instance").filter((i) => this.launchesWithPublicIp(i))].sort((a, b) => this.key(a).localeCompare(this.key(b)));
    if (wants.length > LAST_PUBLIC_HOST - FIRST_PUBLIC_HOST + 1) {
      throw new SynthError(`The lab needs ${wants.length} fake public addresses, more than the ${LAST_PUBLIC_HOST - FIRST_PUBLIC_HOST + 1} that ${FAKE_PUBLIC_PREFIX}0/24 offers.`);
    }
    this.publicIpCache = new Map(wants.map((r, i) => [r, `${FAKE_PUBLIC_PREFIX}${FIRST_PUBLIC_HOST + i}`]));
    return this.publicIpCache;
  }

  /** `associate_public_ip_address`, else the subnet's `map_public_ip_on_launch` (read raw: no resolution needed). */
  private launchesWithPublicIp(instance: TfResource): boolean {
    const explicit = instance.body.associate_public_ip_address;
    if (typeof explicit === "boolean") return explicit;
    const subnet = referencedResource(instance.body.subnet_id);
    return subnet !== undefined && this.index.get(`${instance.stack}|${subnet.type}.${subnet.name}`)?.body.map_public_ip_on_launch === true;
  }
}
