import { emptySnapshot, type Snapshot } from "../../network/snapshot";

/** A one-VPC lab with one of everything a change can touch. */
export function miniLab(): Snapshot {
  const s = emptySnapshot("s01", "ap-northeast-2", "terraform");
  const tags = { "netlab:lab": "s01" };
  s.vpcs.push({ id: "vpc-1", name: "VPC02", cidr: "10.2.0.0/16", dnsSupport: true, dnsHostnames: true, tags }, { id: "vpc-2", name: "VPC01", cidr: "10.1.0.0/16", dnsSupport: true, dnsHostnames: true, tags });
  s.transitGateways.push({ id: "tgw-1", name: "netlab-tgw", tags });
  s.routeTables.push({
    id: "rtb-1",
    name: "VPC02-Private-Subnet-A-RT",
    vpcId: "vpc-1",
    main: false,
    subnetIds: ["subnet-1"],
    routes: [
      { destination: "10.2.0.0/16", target: { kind: "local" }, state: "active" },
      { destination: "0.0.0.0/0", target: { kind: "tgw", id: "tgw-1" }, state: "active" },
    ],
    tags,
  });
  s.securityGroups.push(
    { id: "sg-1", name: "DMZVPC-PrivateSG", groupName: "DMZVPC-PrivateSG", vpcId: "vpc-1", ingress: [{ id: "sgr-1", protocol: "tcp", fromPort: 80, toPort: 80, peerSecurityGroupId: "sg-2" }], egress: [], tags },
    { id: "sg-2", name: "DMZVPC-ALB-SG", groupName: "DMZVPC-ALB-SG", vpcId: "vpc-1", ingress: [], egress: [], tags },
  );
  s.instances.push({
    id: "i-1",
    name: "NAT-Instance",
    vpcId: "vpc-1",
    subnetId: "subnet-1",
    privateIp: "10.2.20.101",
    eniId: "eni-1",
    securityGroupIds: ["sg-1"],
    sourceDestCheck: false,
    state: "running",
    os: { ipForward: true, masquerade: true, masqueradeSaved: true, listeningPorts: [80], cpuLoad: false },
    tags: { ...tags, "netlab:role": "nat" },
  });
  s.targetGroups.push({
    arn: "arn:tg/1",
    name: "DMZVPC-TG-web",
    vpcId: "vpc-1",
    protocol: "HTTP",
    port: 80,
    healthCheck: { protocol: "HTTP", path: "/", port: "traffic-port", intervalSeconds: 10, timeoutSeconds: 5, healthyThreshold: 2, unhealthyThreshold: 2, matcher: "200" },
    targets: [{ instanceId: "i-1", port: 80 }],
    tags,
  });
  s.hostedZones.push({ id: "Z1", name: "netlab.internal", private: true, vpcIds: ["vpc-1", "vpc-2"], records: [], tags });
  s.flowLogs.push({ id: "fl-1", resourceId: "vpc-1", logGroupName: "/aws/vpc/flowlogs", trafficType: "ALL", status: "ACTIVE", tags });
  s.alarms.push({ name: "cpu", metricName: "CPUUtilization", namespace: "AWS/EC2", instanceId: "i-1", threshold: 70, state: "OK", actions: [], tags });
  return s;
}
