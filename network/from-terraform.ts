import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { emptySnapshot, type Snapshot } from "./snapshot";
import { SynthError, type TfStackJson } from "./terraform-refs";
import { TerraformResolver, type NamedStack } from "./terraform-resolver";
import { addDns, addLoadBalancing, addMonitoring, addTransitGateways } from "./terraform-services";
import { addVpcLayer } from "./terraform-vpc";

export { SynthError } from "./terraform-refs";
export type { TfStackJson } from "./terraform-refs";
export { FAKE_PUBLIC_PREFIX } from "./terraform-resolver";

export type StackVariant = "core" | "natinstance";
const VARIANTS: readonly StackVariant[] = ["core", "natinstance"];

/** The synthesized stacks of one participant, parsed `cdk.tf.json`. */
export type LabStackJsons = { [V in StackVariant]?: TfStackJson | object };

export interface TerraformSnapshotOptions {
  /** Participant id: names the stacks (`netlab-<lab>-<variant>`) and seeds every fake id. */
  lab: string;
  /** Region of the AZ names, ARNs and DNS names, e.g. `ap-northeast-2`. */
  region: string;
}

/** The stack name of a participant's variant, as the CDKTF app names it. */
export function stackName(lab: string, variant: StackVariant): string {
  return `netlab-${lab}-${variant}`;
}

/**
 * The network model of one participant's lab from its synthesized stacks, as AWS would show it right
 * after `cdktf deploy`: deterministic fake ids, TEST-NET-3 public addresses, AWS's implicit main route
 * tables and default NACLs, instances running with the OS state their user data leaves.
 */
export function snapshotFromTerraform(stacks: LabStackJsons, options: TerraformSnapshotOptions): Snapshot {
  const { lab, region } = options;
  if (!lab) throw new SynthError("snapshotFromTerraform needs a lab (participant id); it got an empty one.");
  if (!region) throw new SynthError("snapshotFromTerraform needs a region (e.g. ap-northeast-2); it got an empty one.");
  const named: NamedStack[] = [];
  for (const variant of VARIANTS) {
    const json = stacks[variant];
    if (json === undefined) continue;
    if (typeof json !== "object" || json === null || Array.isArray(json)) throw new SynthError(`The ${variant} stack of lab ${lab} is not a Terraform JSON object (cdk.tf.json).`);
    named.push({ stack: stackName(lab, variant), json: json as TfStackJson });
  }
  if (named.length === 0) throw new SynthError(`snapshotFromTerraform needs at least one stack of lab ${lab} (core or natinstance); it got none.`);
  const t = new TerraformResolver(named, { lab, region });
  refuseUnmodelled(t);
  const s = emptySnapshot(lab, region, "terraform");
  addVpcLayer(s, t);
  addTransitGateways(s, t);
  addLoadBalancing(s, t);
  addDns(s, t);
  addMonitoring(s, t);
  return s;
}

/**
 * Resources that change who reaches what but that the offline model does not represent: a stack with any of
 * them would get confident and wrong answers, so it is refused, naming the resource. (Route targets the model
 * does not follow, such as VPN gateways or peering connections, are kept: the analyzer says it cannot tell.)
 */
const UNMODELLED: Record<string, string> = {
  aws_network_interface: "extra network interfaces",
  aws_network_interface_attachment: "extra network interfaces",
  aws_network_interface_sg_attachment: "security groups attached to network interfaces",
  aws_ec2_transit_gateway_peering_attachment: "transit gateway peering",
  aws_ec2_transit_gateway_connect: "transit gateway Connect attachments",
  aws_ec2_transit_gateway_policy_table: "transit gateway policy tables",
  aws_networkfirewall_firewall: "AWS Network Firewall",
  aws_lb_listener_rule: "load balancer listener rules (only default actions are modelled)",
  aws_route53_resolver_rule: "Route 53 Resolver forwarding rules",
};

function refuseUnmodelled(t: TerraformResolver): void {
  for (const [type, what] of Object.entries(UNMODELLED)) {
    const r = t.ofType(type)[0];
    if (r) throw new SynthError(`Stack ${r.stack}: ${r.type}.${r.name} uses ${what}, which netlab cannot model offline; its answers about this lab would be wrong. Remove it or analyze the deployed lab (--aws-configs).`);
  }
}

export interface LoadSynthOptions {
  /** The variants the config deploys: only their stacks must exist. @default ["core", "natinstance"] */
  variants?: readonly StackVariant[];
}

/** Reads `<dir>/stacks/netlab-<lab>-{core,natinstance}/cdk.tf.json` and builds the lab's snapshot. */
export function loadSynthDir(dir: string, lab: string, region: string, options: LoadSynthOptions = {}): Snapshot {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new SynthError(`The synth directory ${dir} does not exist; run \`npx cdktf synth\` or pass --synth-dir.`);
  const variants = options.variants ?? VARIANTS;
  if (variants.length === 0) throw new SynthError(`loadSynthDir needs at least one variant (core, natinstance); it got none.`);
  const stacksDir = join(dir, "stacks");
  const found = existsSync(stacksDir) ? readdirSync(stacksDir).sort() : [];
  const jsons: LabStackJsons = {};
  for (const variant of variants) {
    const stack = stackName(lab, variant);
    const file = join(stacksDir, stack, "cdk.tf.json");
    if (!existsSync(file)) {
      throw new SynthError(`The synth directory ${dir} has no stack ${stack}; it has: ${found.length ? found.join(", ") : "no stacks"}. Is "${lab}" a participant of this config?`);
    }
    try {
      jsons[variant] = JSON.parse(readFileSync(file, "utf8")) as TfStackJson;
    } catch (e) {
      throw new SynthError(`${file} is not valid JSON (${(e as Error).message}); synthesize again.`);
    }
  }
  return snapshotFromTerraform(jsons, { lab, region });
}
