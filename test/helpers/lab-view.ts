import type { Snapshot, Tags } from "../../network/snapshot";

/** The resources of one lab (those tagged `netlab:lab=<lab>`) out of an account that may hold more. */
export function labView(s: Snapshot, lab: string | undefined): Snapshot {
  const mine = <T extends { tags: Tags }>(items: T[]) => items.filter((x) => x.tags["netlab:lab"] === lab);
  return {
    ...s,
    lab: lab ?? "",
    vpcs: mine(s.vpcs),
    subnets: mine(s.subnets),
    routeTables: mine(s.routeTables),
    networkAcls: mine(s.networkAcls),
    securityGroups: mine(s.securityGroups),
    instances: mine(s.instances),
    internetGateways: mine(s.internetGateways),
    natGateways: mine(s.natGateways),
    elasticIps: mine(s.elasticIps),
    transitGateways: mine(s.transitGateways),
    tgwAttachments: mine(s.tgwAttachments),
    tgwRouteTables: mine(s.tgwRouteTables),
    vpcEndpoints: mine(s.vpcEndpoints),
    loadBalancers: mine(s.loadBalancers),
    targetGroups: mine(s.targetGroups),
    hostedZones: mine(s.hostedZones),
    flowLogs: mine(s.flowLogs),
    alarms: mine(s.alarms),
  };
}
