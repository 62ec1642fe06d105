import { type ITerraformDependable, TerraformOutput } from "cdktf";
import type { Construct } from "constructs";
import { FlowLogs } from "./constructs/flow-logs";
import { LabInstances } from "./constructs/lab-instances";
import { PrivateDns } from "./constructs/private-dns";
import { SsmEndpoints } from "./constructs/ssm-endpoints";
import { LAB_TAG, LabStack, type LabStackProps, outputValue } from "./lab-stack";

/** Seed 002: NATInstance-VPC1 with a NAT instance in front of two private instances. */
export class NatInstanceStack extends LabStack {
  constructor(scope: Construct, props: Omit<LabStackProps, "variant"> & { readonly withCore: boolean }) {
    super(scope, { ...props, variant: "natinstance" });
    const { topology, config } = props;
    const plans = topology.instances.filter((i) => this.vpcs.has(i.vpc));
    const packageSources = new Map<string, ITerraformDependable>();
    const ssmEndpoints = new Map<string, readonly ITerraformDependable[]>();
    for (const plan of topology.vpcs.filter((v) => v.stack === "natinstance" && v.ssmEndpoints)) {
      const endpoints = new SsmEndpoints(this, `${plan.name}-ssm`, { plan, vpc: this.vpc(plan.name), region: config.region });
      packageSources.set(plan.name, endpoints.s3);
      ssmEndpoints.set(plan.name, endpoints.interfaces);
    }
    const instances = new LabInstances(this, "instances", { plans, vpcs: this.vpcs, iamPrefix: `netlab-${this.lab}-natinstance`, packageSources, ssmEndpoints });
    for (const vpc of this.vpcs.values()) vpc.addRoutes({ instanceEni: (i) => instances.instance(i).primaryNetworkInterfaceId });
    new FlowLogs(this, "flowlogs", {
      logGroupName: topology.monitoring.flowLogGroup,
      retentionDays: topology.monitoring.flowLogRetentionDays,
      createLogGroup: !props.withCore,
      vpcs: [...this.vpcs.values()],
      region: config.region,
      roleName: `netlab-${this.lab}-flowlogs-natinstance`,
    });
    if (props.withCore) {
      // The zone lives in the core stack; this stack only associates its VPC with it.
      new PrivateDns(this, "dns", { zoneName: topology.dns.zoneName, vpcs: [...this.vpcs.values()], createZone: false, lookupTags: { [LAB_TAG]: this.lab } });
    }
    new TerraformOutput(this, "nat_instance_eip", { value: outputValue([...instances.elasticIps.values()].map((e) => e.publicIp)) });
    new TerraformOutput(this, "instance_ids", { value: outputValue(Object.fromEntries([...instances.instances].map(([n, i]) => [n, i.id]))) });
  }
}
