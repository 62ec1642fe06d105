import { type ITerraformDependable, TerraformOutput } from "cdktf";
import type { Construct } from "constructs";
import { CpuAlarm, needsDetailedMonitoring } from "./constructs/cpu-alarm";
import { FlowLogs } from "./constructs/flow-logs";
import { LabInstances } from "./constructs/lab-instances";
import { PrivateDns } from "./constructs/private-dns";
import { SsmEndpoints } from "./constructs/ssm-endpoints";
import { StudentPolicy } from "./constructs/student-policy";
import { TransitHub } from "./constructs/transit-hub";
import { WebTier } from "./constructs/web-tier";
import { LabStack, type LabStackProps, outputValue } from "./lab-stack";

/** VPC01, VPC02, DMZVPC and mgmtvpc around the transit gateway; the ALB; DNS; monitoring. */
export class CoreStack extends LabStack {
  constructor(scope: Construct, props: Omit<LabStackProps, "variant">) {
    super(scope, { ...props, variant: "core" });
    const { topology, config } = props;
    const plans = topology.instances.filter((i) => this.vpcs.has(i.vpc));
    const packageSources = new Map<string, ITerraformDependable>();
    const ssmEndpoints = new Map<string, readonly ITerraformDependable[]>();
    for (const plan of topology.vpcs.filter((v) => v.stack === "core" && v.ssmEndpoints)) {
      const endpoints = new SsmEndpoints(this, `${plan.name}-ssm`, { plan, vpc: this.vpc(plan.name), region: config.region });
      packageSources.set(plan.name, endpoints.s3);
      ssmEndpoints.set(plan.name, endpoints.interfaces);
    }
    const alarm = topology.monitoring.cpuAlarm;
    const instances = new LabInstances(this, "instances", {
      plans,
      vpcs: this.vpcs,
      iamPrefix: `netlab-${this.lab}-core`,
      packageSources,
      ssmEndpoints,
      detailedMonitoring: new Set(needsDetailedMonitoring(alarm) ? [alarm.instance] : []),
    });
    const hub = new TransitHub(this, "transit", { plan: topology.tgw, vpcPlans: topology.vpcs, vpcs: this.vpcs });
    for (const [name, vpc] of this.vpcs) {
      const attachment = hub.attachments.get(name);
      vpc.addRoutes({
        ...(attachment ? { transitGateway: { id: hub.tgw.id, dependsOn: [attachment] } } : {}),
        instanceEni: (i) => instances.instance(i).primaryNetworkInterfaceId,
      });
    }
    const web = new WebTier(this, "web", { plan: topology.alb, vpc: this.vpc(topology.alb.vpc), instances });
    const dns = new PrivateDns(this, "dns", {
      zoneName: topology.dns.zoneName,
      vpcs: [...this.vpcs.values()],
      // Names for the NAT instance stack's hosts only when that stack is deployed too.
      instances: { plans: topology.instances.filter((i) => config.variants.includes(topology.vpcs.find((v) => v.name === i.vpc)?.stack ?? "core")), resources: instances },
      alb: { label: topology.alb.dnsLabel, lb: web.alb },
    });
    new FlowLogs(this, "flowlogs", {
      logGroupName: topology.monitoring.flowLogGroup,
      retentionDays: topology.monitoring.flowLogRetentionDays,
      vpcs: [...this.vpcs.values()],
      region: config.region,
      roleName: `netlab-${this.lab}-flowlogs-core`,
    });
    new CpuAlarm(this, "cpu-alarm", { plan: alarm, instanceId: instances.instance(alarm.instance).id, topicName: `netlab-${this.lab}-cpu-alarm` });
    new StudentPolicy(this, "student", { lab: this.lab, name: `netlab-${this.lab}-student`, hostedZoneId: dns.zoneId, flowLogGroup: topology.monitoring.flowLogGroup });
    new TerraformOutput(this, "alb_dns_name", { value: web.alb.dnsName, description: "Open http://<this>/ec2meta-webpage/index.php" });
    new TerraformOutput(this, "nat_gateway_eips", { value: outputValue([...this.vpc(topology.alb.vpc).natEips.values()].map((e) => e.publicIp)), description: "The egress IPs of every spoke instance" });
    new TerraformOutput(this, "instance_ids", { value: outputValue(Object.fromEntries([...instances.instances].map(([n, i]) => [n, i.id]))) });
  }
}
