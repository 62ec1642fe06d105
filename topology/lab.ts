import type { InstancePlan, SecurityGroupPlan, SgRulePlan, Topology, VpcPlan } from "./types";

/** The region the seeds use. */
export const DEFAULT_REGION = "ap-northeast-2";
/** All lab VPCs together; spokes route it to the TGW. */
export const LAB_SUPERNET = "10.0.0.0/8";
export const ANYWHERE = "0.0.0.0/0";
/** AL2023 AMI, read from the SSM public parameter at deploy time. */
export const AL2023_AMI_PARAMETER = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64";
export const DEFAULT_INSTANCE_TYPE = "t3.micro";
/** The interface endpoints Session Manager and Run Command need without the internet (one each per VPC with `ssmEndpoints`). */
export const SSM_ENDPOINT_SERVICES = ["ssm", "ssmmessages", "ec2messages"] as const;

const allEgress: SgRulePlan = { protocol: "-1", fromPort: -1, toPort: -1, cidr: ANYWHERE, description: "All egress" };
const icmpFromLab: SgRulePlan = { protocol: "icmp", fromPort: -1, toPort: -1, cidr: LAB_SUPERNET, description: "ICMP (ping) from the lab" };

/** The SG of a VPC's SSM interface endpoints: HTTPS from the VPC only. */
function endpointSg(vpc: string, cidr: string): SecurityGroupPlan {
  return {
    name: `${vpc}-EndpointSG`,
    description: `SSM interface endpoints of ${vpc}: HTTPS from the VPC`,
    ingress: [{ protocol: "tcp", fromPort: 443, toPort: 443, cidr, description: "HTTPS from the VPC to the SSM endpoints" }],
    egress: [{ protocol: "tcp", fromPort: 443, toPort: 443, cidr, description: "HTTPS within the VPC" }],
  };
}

/** A spoke VPC of the core stack (VPC01, VPC02): two private subnets whose default route goes to the TGW. */
function spokeVpc(name: string, second: number): VpcPlan {
  const cidr = `10.${second}.0.0/16`;
  return {
    name,
    cidr,
    stack: "core",
    ssmEndpoints: true,
    subnets: [
      { name: `${name}-PrivateSubnetA`, tier: "private", az: "A", cidr: `10.${second}.20.0/22`, routeTable: `${name}-Private-Subnet-A-RT`, tgwAttachment: true, endpoints: true },
      { name: `${name}-PrivateSubnetB`, tier: "private", az: "B", cidr: `10.${second}.24.0/22`, routeTable: `${name}-Private-Subnet-B-RT`, tgwAttachment: true },
    ],
    routeTables: (["A", "B"] as const).map((az) => ({
      name: `${name}-Private-Subnet-${az}-RT`,
      routes: [{ destination: ANYWHERE, target: { kind: "tgw" } as const }],
    })),
    securityGroups: [
      {
        name: `${name}-PrivateSG`,
        description: `Private instances of ${name}`,
        ingress: [
          icmpFromLab,
          { protocol: "tcp", fromPort: 80, toPort: 80, cidr: LAB_SUPERNET, description: "HTTP from the lab" },
          { protocol: "tcp", fromPort: 443, toPort: 443, cidr: LAB_SUPERNET, description: "HTTPS from the lab" },
        ],
        egress: [allEgress],
      },
      endpointSg(name, cidr),
    ],
  };
}

const dmz: VpcPlan = {
  name: "DMZVPC",
  cidr: "10.11.0.0/16",
  stack: "core",
  ssmEndpoints: true,
  internetGateway: "DMZVPC-IGW",
  natGateways: [
    { name: "DMZVPC-NATGW-A", az: "A" },
    { name: "DMZVPC-NATGW-B", az: "B" },
  ],
  subnets: [
    { name: "DMZVPC-PublicSubnetA", tier: "public", az: "A", cidr: "10.11.0.0/22", routeTable: "DMZVPC-Public-RT" },
    { name: "DMZVPC-PublicSubnetB", tier: "public", az: "B", cidr: "10.11.4.0/22", routeTable: "DMZVPC-Public-RT" },
    { name: "DMZVPC-PrivateSubnetA", tier: "private", az: "A", cidr: "10.11.20.0/22", routeTable: "DMZVPC-Private-Subnet-A-RT", tgwAttachment: true, endpoints: true },
    { name: "DMZVPC-PrivateSubnetB", tier: "private", az: "B", cidr: "10.11.24.0/22", routeTable: "DMZVPC-Private-Subnet-B-RT", tgwAttachment: true },
  ],
  routeTables: [
    {
      name: "DMZVPC-Public-RT",
      routes: [
        { destination: ANYWHERE, target: { kind: "igw" } },
        // The return path of centralized egress: replies to spoke instances go back through the TGW.
        { destination: LAB_SUPERNET, target: { kind: "tgw" } },
      ],
    },
    ...(["A", "B"] as const).map((az) => ({
      name: `DMZVPC-Private-Subnet-${az}-RT`,
      routes: [
        // Same-AZ NAT gateway: no cross-AZ data charge, and an AZ failure stays in its AZ.
        { destination: ANYWHERE, target: { kind: "nat-gateway", az } as const },
        { destination: LAB_SUPERNET, target: { kind: "tgw" } as const },
      ],
    })),
  ],
  securityGroups: [
    {
      name: "DMZVPC-ALB-SG",
      description: "Internet-facing ALB DMZVPC-alb1: HTTP from anywhere",
      ingress: [{ protocol: "tcp", fromPort: 80, toPort: 80, cidr: ANYWHERE, description: "HTTP from the internet" }],
      egress: [{ protocol: "tcp", fromPort: 80, toPort: 80, cidr: "10.11.0.0/16", description: "HTTP to the web targets" }],
    },
    {
      name: "DMZVPC-PrivateSG",
      description: "Web targets of DMZVPC-alb1",
      ingress: [
        { protocol: "tcp", fromPort: 80, toPort: 80, peerSecurityGroup: "DMZVPC-ALB-SG", description: "HTTP from the ALB" },
        icmpFromLab,
      ],
      egress: [allEgress],
    },
    endpointSg("DMZVPC", "10.11.0.0/16"),
  ],
};

const mgmt: VpcPlan = {
  name: "mgmtvpc",
  cidr: "10.254.0.0/16",
  stack: "core",
  // The workstation has a public IP and its own IGW: Session Manager does not need endpoints here.
  ssmEndpoints: false,
  internetGateway: "mgmtvpc-IGW",
  subnets: [
    { name: "mgmtvpc-PublicSubnetA", tier: "public", az: "A", cidr: "10.254.0.0/24", routeTable: "mgmtvpc-Public-RT", tgwAttachment: true },
  ],
  routeTables: [
    {
      name: "mgmtvpc-Public-RT",
      routes: [
        { destination: ANYWHERE, target: { kind: "igw" } },
        { destination: LAB_SUPERNET, target: { kind: "tgw" } },
      ],
    },
  ],
  securityGroups: [
    {
      name: "mgmtvpc-WorkstationSG",
      description: "Students' workstation: no inbound, reached with Session Manager",
      ingress: [],
      egress: [allEgress],
    },
  ],
};

const natVpc: VpcPlan = {
  name: "NATInstance-VPC1",
  cidr: "10.10.0.0/16",
  stack: "natinstance",
  ssmEndpoints: true,
  internetGateway: "NATInstance-IGW1",
  subnets: [
    { name: "NATInstance-VPC1-Subnet1", tier: "public", az: "A", cidr: "10.10.1.0/24", routeTable: "NATInstance-PublicRouteTable1" },
    { name: "NATInstance-VPC1-Subnet2", tier: "private", az: "A", cidr: "10.10.2.0/24", routeTable: "NATInstance-PrivateRouteTable1", endpoints: true },
  ],
  routeTables: [
    { name: "NATInstance-PublicRouteTable1", routes: [{ destination: ANYWHERE, target: { kind: "igw" } }] },
    { name: "NATInstance-PrivateRouteTable1", routes: [{ destination: ANYWHERE, target: { kind: "instance-eni", instance: "NAT-Instance" } }] },
  ],
  securityGroups: [
    {
      name: "VPC1-NATInstance-SecurityGroup",
      description: "NAT instance: HTTP, HTTPS, UDP and ICMP from the VPC",
      ingress: [
        { protocol: "tcp", fromPort: 80, toPort: 80, cidr: "10.10.0.0/16", description: "HTTP from the VPC" },
        { protocol: "tcp", fromPort: 443, toPort: 443, cidr: "10.10.0.0/16", description: "HTTPS from the VPC" },
        { protocol: "udp", fromPort: 0, toPort: 65535, cidr: "10.10.0.0/16", description: "UDP from the VPC" },
        { protocol: "icmp", fromPort: -1, toPort: -1, cidr: "10.10.0.0/16", description: "ICMP from the VPC" },
      ],
      egress: [allEgress],
    },
    {
      name: "VPC1-PrivateEC2-SecurityGroup",
      description: "Private instances behind the NAT instance",
      ingress: [{ protocol: "icmp", fromPort: -1, toPort: -1, cidr: "10.10.0.0/16", description: "ICMP from the VPC" }],
      egress: [allEgress],
    },
    endpointSg("NATInstance-VPC1", "10.10.0.0/16"),
  ],
};

function probe(vpc: string, az: "A" | "B", ip: string, dnsLabel: string): InstancePlan {
  return {
    name: `${vpc}-Private-${az}-${ip}`,
    vpc,
    subnet: `${vpc}-PrivateSubnet${az}`,
    privateIp: ip,
    role: "probe",
    securityGroups: [`${vpc}-PrivateSG`],
    dnsLabel,
    instanceType: DEFAULT_INSTANCE_TYPE,
  };
}

function web(az: "A" | "B", ip: string, dnsLabel: string): InstancePlan {
  return { ...probe("DMZVPC", az, ip, dnsLabel), role: "web" };
}

const instances: readonly InstancePlan[] = [
  probe("VPC01", "A", "10.1.20.101", "vpc01-a"),
  probe("VPC01", "B", "10.1.24.101", "vpc01-b"),
  probe("VPC02", "A", "10.2.20.101", "vpc02-a"),
  probe("VPC02", "B", "10.2.24.101", "vpc02-b"),
  web("A", "10.11.20.101", "web-a1"),
  web("A", "10.11.20.102", "web-a2"),
  web("B", "10.11.24.101", "web-b1"),
  web("B", "10.11.24.102", "web-b2"),
  {
    name: "mgmtvpc-Workstation-10.254.0.101",
    vpc: "mgmtvpc",
    subnet: "mgmtvpc-PublicSubnetA",
    privateIp: "10.254.0.101",
    role: "workstation",
    securityGroups: ["mgmtvpc-WorkstationSG"],
    dnsLabel: "workstation",
    publicIp: true,
    instanceType: DEFAULT_INSTANCE_TYPE,
  },
  {
    name: "NAT-Instance",
    vpc: "NATInstance-VPC1",
    subnet: "NATInstance-VPC1-Subnet1",
    privateIp: "10.10.1.100",
    role: "nat",
    securityGroups: ["VPC1-NATInstance-SecurityGroup"],
    dnsLabel: "nat-instance",
    elasticIp: true,
    sourceDestCheck: false,
    instanceType: DEFAULT_INSTANCE_TYPE,
  },
  ...[1, 2].map((n): InstancePlan => ({
    name: `Private-EC2-${n}`,
    vpc: "NATInstance-VPC1",
    subnet: "NATInstance-VPC1-Subnet2",
    privateIp: `10.10.2.10${n}`,
    role: "probe",
    securityGroups: ["VPC1-PrivateEC2-SecurityGroup"],
    dnsLabel: `private-ec2-${n}`,
    instanceType: DEFAULT_INSTANCE_TYPE,
  })),
];

/** The lab of the seeds, exactly as DESIGN.md describes it. */
export const LAB_TOPOLOGY: Topology = {
  defaultRegion: DEFAULT_REGION,
  vpcs: [spokeVpc("VPC01", 1), spokeVpc("VPC02", 2), dmz, mgmt, natVpc],
  instances,
  alb: {
    name: "DMZVPC-alb1",
    vpc: "DMZVPC",
    subnets: ["DMZVPC-PublicSubnetA", "DMZVPC-PublicSubnetB"],
    securityGroup: "DMZVPC-ALB-SG",
    listenerPort: 80,
    dnsLabel: "web",
    targetGroup: {
      name: "DMZVPC-TG-web",
      port: 80,
      healthCheck: {
        path: "/ec2meta-webpage/index.php",
        intervalSeconds: 10,
        timeoutSeconds: 5,
        healthyThreshold: 2,
        unhealthyThreshold: 2,
        matcher: "200",
      },
      targets: ["DMZVPC-Private-A-10.11.20.101", "DMZVPC-Private-A-10.11.20.102", "DMZVPC-Private-B-10.11.24.101", "DMZVPC-Private-B-10.11.24.102"],
    },
  },
  tgw: {
    name: "netlab-tgw",
    amazonSideAsn: 64512,
    attachments: ["VPC01", "VPC02", "DMZVPC", "mgmtvpc"],
    routeTables: [
      {
        // Spokes: everything leaves through the DMZ; lab prefixes are learnt by propagation.
        name: "netlab-tgw-spoke-rt",
        associations: ["VPC01", "VPC02", "mgmtvpc"],
        propagations: ["VPC01", "VPC02", "mgmtvpc"],
        staticRoutes: [{ destination: ANYWHERE, vpc: "DMZVPC" }],
      },
      {
        // The egress VPC: return routes to every spoke, no default route (no hairpin).
        name: "netlab-tgw-dmz-rt",
        associations: ["DMZVPC"],
        propagations: ["VPC01", "VPC02", "mgmtvpc"],
        staticRoutes: [],
      },
    ],
  },
  dns: { zoneName: "netlab.internal" },
  monitoring: {
    flowLogGroup: "/aws/vpc/flowlogs",
    flowLogRetentionDays: 7,
    cpuAlarm: {
      name: "VPC02-Private-A-10.2.20.101-CPUUtilization-High",
      instance: "VPC02-Private-A-10.2.20.101",
      thresholdPercent: 70,
      // Basic monitoring's 5-minute data points: a 60 s period would lapse into INSUFFICIENT_DATA, and detailed
      // monitoring (MonitorInstances) is what the local emulator cannot deploy. One period is enough: an idle
      // lab instance never averages 70% for 5 minutes on its own.
      periodSeconds: 300,
      evaluationPeriods: 1,
      topicName: "netlab-cpu-alarm",
    },
  },
};
