import type { Tag } from "@aws-sdk/client-ec2";
import type { AwsDescribeOutputs } from "./from-aws-describe";
import type { SgRuleModel, Snapshot, Tags } from "./snapshot";
import { indexSnapshot } from "./analyzer-index";
import { targetHealth } from "./target-health";

const tags = (t: Tags): Tag[] => Object.entries(t).map(([Key, Value]) => ({ Key, Value }));
const PROTOCOL_NUMBER: Record<string, string> = { tcp: "6", udp: "17", icmp: "1", "-1": "-1" };

function permissions(rules: readonly SgRuleModel[]) {
  return rules.map((r) => ({
    IpProtocol: r.protocol,
    ...(r.protocol === "-1" ? {} : { FromPort: r.fromPort, ToPort: r.toPort }),
    IpRanges: r.cidr ? [{ CidrIp: r.cidr, ...(r.description ? { Description: r.description } : {}) }] : [],
    UserIdGroupPairs: r.peerSecurityGroupId ? [{ GroupId: r.peerSecurityGroupId, ...(r.description ? { Description: r.description } : {}) }] : [],
    PrefixListIds: r.prefixListId ? [{ PrefixListId: r.prefixListId }] : [],
  }));
}

/**
 * The describe outputs AWS would give for this lab: what `lab snapshot save --offline` writes, so
 * that a simulated lab and a live one are saved, loaded and compared in one format. Lossy only where
 * AWS is: the OS state of instances (iptables, listening ports) is not part of any describe call.
 */
export function snapshotToDescribe(s: Snapshot): AwsDescribeOutputs {
  const ix = indexSnapshot(s);
  return {
    Vpcs: { Vpcs: s.vpcs.map((v) => ({ VpcId: v.id, CidrBlock: v.cidr, CidrBlockAssociationSet: [v.cidr, ...(v.secondaryCidrs ?? [])].map((c) => ({ CidrBlock: c })), State: "available", Tags: tags(v.tags) })) },
    Subnets: { Subnets: s.subnets.map((x) => ({ SubnetId: x.id, VpcId: x.vpcId, CidrBlock: x.cidr, AvailabilityZone: x.az, MapPublicIpOnLaunch: x.mapPublicIpOnLaunch, Tags: tags(x.tags) })) },
    RouteTables: {
      RouteTables: s.routeTables.map((t) => ({
        RouteTableId: t.id,
        VpcId: t.vpcId,
        Associations: [...(t.main ? [{ Main: true, RouteTableId: t.id }] : []), ...t.subnetIds.map((SubnetId) => ({ Main: false, SubnetId, RouteTableId: t.id }))],
        Routes: t.routes.map((r) => {
          const target = r.target;
          const base = { DestinationCidrBlock: r.destination, State: r.state };
          switch (target.kind) {
            case "local":
              return { ...base, GatewayId: "local" };
            case "nat-gateway":
              return { ...base, NatGatewayId: target.id };
            case "tgw":
              return { ...base, TransitGatewayId: target.id };
            case "eni":
              return { ...base, NetworkInterfaceId: target.id, ...(target.instanceId ? { InstanceId: target.instanceId } : {}) };
            case "peering":
              return { ...base, VpcPeeringConnectionId: target.id };
            default:
              return { ...base, GatewayId: target.id };
          }
        }),
        Tags: tags(t.tags),
      })),
    },
    NetworkAcls: {
      NetworkAcls: s.networkAcls.map((a) => ({
        NetworkAclId: a.id,
        VpcId: a.vpcId,
        IsDefault: a.isDefault,
        Associations: a.subnetIds.map((SubnetId) => ({ SubnetId, NetworkAclId: a.id })),
        Entries: a.entries.map((e) => ({
          RuleNumber: e.ruleNumber,
          Egress: e.egress,
          Protocol: PROTOCOL_NUMBER[e.protocol] ?? e.protocol,
          RuleAction: e.action,
          CidrBlock: e.cidr,
          ...(e.fromPort !== undefined ? { PortRange: { From: e.fromPort, To: e.toPort } } : {}),
        })),
        Tags: tags(a.tags),
      })),
    },
    SecurityGroups: { SecurityGroups: s.securityGroups.map((g) => ({ GroupId: g.id, GroupName: g.groupName, VpcId: g.vpcId, IpPermissions: permissions(g.ingress), IpPermissionsEgress: permissions(g.egress), Tags: tags(g.tags) })) },
    Reservations: {
      Reservations: s.instances.map((i) => ({
        Instances: [
          {
            InstanceId: i.id,
            VpcId: i.vpcId,
            SubnetId: i.subnetId,
            PrivateIpAddress: i.privateIp,
            ...(i.publicIp ? { PublicIpAddress: i.publicIp } : {}),
            SourceDestCheck: i.sourceDestCheck,
            State: { Name: i.state },
            SecurityGroups: i.securityGroupIds.map((GroupId) => ({ GroupId })),
            NetworkInterfaces: [{ NetworkInterfaceId: i.eniId, Attachment: { DeviceIndex: 0 }, PrivateIpAddress: i.privateIp, SubnetId: i.subnetId, VpcId: i.vpcId }],
            Tags: tags(i.tags),
          },
        ],
      })),
    },
    // What DescribeNetworkInterfaces shows for the lab's VPCs: the instances' primary interfaces, the interface
    // endpoints' and the load balancer nodes' (which is where their addresses are found on load).
    NetworkInterfaces: {
      NetworkInterfaces: [
        ...s.instances.map((i) => ({
          NetworkInterfaceId: i.eniId,
          InterfaceType: "interface" as const,
          Description: "Primary network interface",
          SubnetId: i.subnetId,
          VpcId: i.vpcId,
          PrivateIpAddress: i.privateIp,
          Groups: i.securityGroupIds.map((GroupId) => ({ GroupId })),
          SourceDestCheck: i.sourceDestCheck,
          Attachment: { InstanceId: i.id, DeviceIndex: 0 },
          ...(i.publicIp ? { Association: { PublicIp: i.publicIp } } : {}),
          Status: "in-use" as const,
        })),
        ...s.vpcEndpoints.flatMap((e) =>
          (ix.endpointInterfaces.get(e.id) ?? []).map((n) => ({
            NetworkInterfaceId: n.id,
            InterfaceType: "vpc_endpoint" as const,
            Description: `VPC Endpoint Interface ${e.id}`,
            SubnetId: n.subnetId,
            VpcId: e.vpcId,
            PrivateIpAddress: n.privateIp,
            Groups: e.securityGroupIds.map((GroupId) => ({ GroupId })),
            RequesterManaged: true,
            Status: "in-use" as const,
          })),
        ),
        ...s.loadBalancers.flatMap((lb) =>
          (ix.loadBalancerNodes.get(lb.arn) ?? []).map((n) => ({
            NetworkInterfaceId: n.id,
            InterfaceType: (lb.type === "network" ? "network_load_balancer" : "interface") as "interface",
            Description: `ELB ${lb.arn.split(":loadbalancer/")[1] ?? lb.name}`,
            SubnetId: n.subnetId,
            VpcId: lb.vpcId,
            PrivateIpAddress: n.privateIp,
            Groups: lb.securityGroupIds.map((GroupId) => ({ GroupId })),
            RequesterManaged: true,
            Status: "in-use" as const,
          })),
        ),
      ],
    },
    Addresses: {
      Addresses: s.elasticIps.map((e) => ({
        AllocationId: e.allocationId,
        PublicIp: e.publicIp,
        Domain: "vpc",
        ...(e.instanceId ? { InstanceId: e.instanceId } : {}),
        ...(e.eniId ? { NetworkInterfaceId: e.eniId } : {}),
        ...(e.privateIp ? { PrivateIpAddress: e.privateIp } : {}),
        Tags: tags(e.tags),
      })),
    },
    InternetGateways: { InternetGateways: s.internetGateways.map((g) => ({ InternetGatewayId: g.id, Attachments: g.vpcId ? [{ VpcId: g.vpcId, State: "available" as never }] : [], Tags: tags(g.tags) })) },
    NatGateways: {
      NatGateways: s.natGateways.map((n) => ({
        NatGatewayId: n.id,
        VpcId: n.vpcId,
        SubnetId: n.subnetId,
        State: n.state,
        ConnectivityType: n.connectivity,
        NatGatewayAddresses: [{ PrivateIp: n.privateIp, ...(n.publicIp ? { PublicIp: n.publicIp } : {}), IsPrimary: true }],
        Tags: tags(n.tags),
      })),
    },
    VpcEndpoints: {
      VpcEndpoints: s.vpcEndpoints.map((e) => ({
        VpcEndpointId: e.id,
        VpcId: e.vpcId,
        VpcEndpointType: e.type as "Interface",
        ServiceName: e.serviceName,
        SubnetIds: e.subnetIds,
        Groups: e.securityGroupIds.map((GroupId) => ({ GroupId })),
        RouteTableIds: e.routeTableIds,
        PrivateDnsEnabled: e.privateDns,
        ...(e.type === "Interface" ? { NetworkInterfaceIds: (ix.endpointInterfaces.get(e.id) ?? []).map((n) => n.id) } : {}),
        Tags: tags(e.tags),
      })),
    },
    TransitGateways: {
      TransitGateways: s.transitGateways.map((t) => ({ TransitGatewayId: t.id, State: "available", Options: { SecurityGroupReferencingSupport: t.securityGroupReferencing ? "enable" : "disable" }, Tags: tags(t.tags) })),
    },
    TransitGatewayVpcAttachments: {
      TransitGatewayVpcAttachments: s.tgwAttachments.map((a) => ({
        TransitGatewayAttachmentId: a.id,
        TransitGatewayId: a.tgwId,
        VpcId: a.vpcId,
        SubnetIds: a.subnetIds,
        State: a.state as "available",
        Options: { SecurityGroupReferencingSupport: a.securityGroupReferencing === false ? "disable" : "enable" },
        Tags: tags(a.tags),
      })),
    },
    TransitGatewayAttachments: {
      TransitGatewayAttachments: s.tgwAttachments.map((a) => {
        const table = s.tgwRouteTables.find((t) => t.associations.includes(a.id));
        return {
          TransitGatewayAttachmentId: a.id,
          TransitGatewayId: a.tgwId,
          ResourceId: a.vpcId,
          ResourceType: "vpc" as const,
          State: a.state as "available",
          ...(table ? { Association: { TransitGatewayRouteTableId: table.id, State: "associated" as const } } : {}),
          Tags: tags(a.tags),
        };
      }),
    },
    TransitGatewayRouteTables: { TransitGatewayRouteTables: s.tgwRouteTables.map((t) => ({ TransitGatewayRouteTableId: t.id, TransitGatewayId: t.tgwId, State: "available", Tags: tags(t.tags) })) },
    TransitGatewayStaticRoutes: {
      TransitGatewayStaticRoutes: s.tgwRouteTables.map((t) => ({
        TransitGatewayRouteTableId: t.id,
        Routes: t.routes.map((r) => ({
          DestinationCidrBlock: r.destination,
          Type: r.type,
          State: r.state,
          TransitGatewayAttachments: r.attachmentId ? [{ TransitGatewayAttachmentId: r.attachmentId, ResourceType: "vpc" as const }] : [],
        })),
      })),
    },
    TransitGatewayPropagations: {
      TransitGatewayPropagations: s.tgwRouteTables.map((t) => ({
        TransitGatewayRouteTableId: t.id,
        TransitGatewayRouteTablePropagations: t.propagations.map((a) => ({ TransitGatewayAttachmentId: a, ResourceType: "vpc" as const, ResourceId: s.tgwAttachments.find((x) => x.id === a)?.vpcId, State: "enabled" as const })),
      })),
    },
    LoadBalancers: {
      LoadBalancers: s.loadBalancers.map((lb) => ({
        LoadBalancerArn: lb.arn,
        LoadBalancerName: lb.name,
        Type: lb.type as "application",
        Scheme: lb.scheme,
        VpcId: lb.vpcId,
        DNSName: lb.dnsName,
        SecurityGroups: lb.securityGroupIds,
        AvailabilityZones: lb.subnetIds.map((SubnetId) => ({ SubnetId, ZoneName: s.subnets.find((x) => x.id === SubnetId)?.az })),
      })),
    },
    LoadBalancerListeners: {
      LoadBalancerListeners: s.loadBalancers.map((lb) => ({
        LoadBalancerArn: lb.arn,
        Listeners: lb.listeners.map((l) => ({ Port: l.port, Protocol: l.protocol as "HTTP", DefaultActions: [{ Type: "forward" as const, TargetGroupArn: l.targetGroupArn }] })),
      })),
    },
    TargetGroups: {
      TargetGroups: s.targetGroups.map((g) => ({
        TargetGroupArn: g.arn,
        TargetGroupName: g.name,
        VpcId: g.vpcId,
        Protocol: g.protocol as "HTTP",
        Port: g.port,
        HealthCheckProtocol: g.healthCheck.protocol as "HTTP",
        HealthCheckPath: g.healthCheck.path,
        HealthCheckPort: String(g.healthCheck.port),
        HealthCheckIntervalSeconds: g.healthCheck.intervalSeconds,
        HealthCheckTimeoutSeconds: g.healthCheck.timeoutSeconds,
        HealthyThresholdCount: g.healthCheck.healthyThreshold,
        UnhealthyThresholdCount: g.healthCheck.unhealthyThreshold,
        Matcher: { HttpCode: g.healthCheck.matcher },
      })),
    },
    // What DescribeTargetHealth would report: the sim's derived health.
    LoadBalancerTargetHealth: {
      LoadBalancerTargetHealth: s.targetGroups.map((g) => ({
        TargetGroupArn: g.arn,
        TargetHealthDescriptions: g.targets.map((t) => {
          const h = targetHealth(s, g, t);
          return { Target: { Id: t.instanceId, Port: t.port }, TargetHealth: { State: h.state as "healthy", ...(h.reason ? { Reason: h.reason as "Target.Timeout" } : {}) } };
        }),
      })),
    },
    HostedZones: {
      HostedZones: s.hostedZones.map((z) => ({
        HostedZone: { Id: `/hostedzone/${z.id}`, Name: `${z.name}.`, CallerReference: z.id, Config: { PrivateZone: z.private } },
        VPCs: z.vpcIds.map((VPCId) => ({ VPCId, VPCRegion: s.region as "us-east-1" })),
        ResourceRecordSets: z.records.map((r) => ({
          Name: `${r.name}.`,
          Type: r.type as "A",
          ...(r.aliasTarget ? { AliasTarget: { DNSName: `${r.aliasTarget}.`, HostedZoneId: "ZWKZPGTI48KDX", EvaluateTargetHealth: true } } : { TTL: 60, ResourceRecords: r.values.map((Value) => ({ Value })) }),
        })),
        Tags: tags(z.tags),
      })),
    },
    FlowLogs: { FlowLogs: s.flowLogs.map((f) => ({ FlowLogId: f.id, ResourceId: f.resourceId, LogGroupName: f.logGroupName, TrafficType: f.trafficType, FlowLogStatus: f.status, LogDestinationType: "cloud-watch-logs", Tags: tags(f.tags) })) },
    MetricAlarms: {
      MetricAlarms: s.alarms.map((a) => ({
        AlarmName: a.name,
        MetricName: a.metricName,
        Namespace: a.namespace,
        Threshold: a.threshold,
        StateValue: a.state,
        AlarmActions: a.actions,
        Dimensions: a.instanceId ? [{ Name: "InstanceId", Value: a.instanceId }] : [],
        ...(a.lastAlarmAt && a.state === "ALARM" ? { StateUpdatedTimestamp: new Date(a.lastAlarmAt) } : {}),
      })),
    },
    AlarmHistory: {
      AlarmHistoryItems: s.alarms.flatMap((a) =>
        a.lastAlarmAt
          ? [{ AlarmName: a.name, AlarmType: "MetricAlarm" as const, Timestamp: new Date(a.lastAlarmAt), HistoryItemType: "StateUpdate" as const, HistorySummary: "Alarm updated from OK to ALARM", HistoryData: JSON.stringify({ version: "1.0", oldState: { stateValue: "OK" }, newState: { stateValue: "ALARM" } }) }]
          : [],
      ),
    },
  };
}
