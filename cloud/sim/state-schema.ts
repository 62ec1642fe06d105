import { z } from "zod";
import type { Snapshot } from "../../network/snapshot";

/**
 * What a simulated lab's state.json must hold, field by field, read back from disk: a file edited by
 * hand or by another tool is refused with the field that is wrong, never used until it breaks deep
 * inside the analyzer with a TypeError. Ledger entries are checked one by one when used (change-schema),
 * so that each bad entry is named with how to clear it.
 */

const str = z.string();
const strs = z.array(str);
const tags = z.record(str);
const num = z.number();

const routeTarget = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("local") }),
  z.object({ kind: z.literal("eni"), id: str, instanceId: str.optional() }),
  z.object({ kind: z.literal("igw"), id: str }),
  z.object({ kind: z.literal("nat-gateway"), id: str }),
  z.object({ kind: z.literal("tgw"), id: str }),
  z.object({ kind: z.literal("vpc-endpoint"), id: str }),
  z.object({ kind: z.literal("peering"), id: str }),
  z.object({ kind: z.literal("vgw"), id: str }),
  z.object({ kind: z.literal("other"), id: str }),
]);

const sgRule = z.object({ id: str.optional(), protocol: str, fromPort: num, toPort: num, cidr: str.optional(), peerSecurityGroupId: str.optional(), prefixListId: str.optional(), description: str.optional() });
const endpointInterface = z.object({ id: str, subnetId: str, privateIp: str });

export const snapshotSchema = z.object({
  lab: str,
  region: str,
  source: z.enum(["terraform", "aws", "aws-configs"]),
  vpcs: z.array(z.object({ id: str, name: str, cidr: str, secondaryCidrs: strs.optional(), dnsSupport: z.boolean(), dnsHostnames: z.boolean(), tags })),
  subnets: z.array(z.object({ id: str, name: str, vpcId: str, cidr: str, az: str, mapPublicIpOnLaunch: z.boolean(), tags })),
  routeTables: z.array(z.object({ id: str, name: str, vpcId: str, main: z.boolean(), subnetIds: strs, routes: z.array(z.object({ destination: str, target: routeTarget, state: z.enum(["active", "blackhole"]) })), tags })),
  networkAcls: z.array(
    z.object({
      id: str,
      name: str,
      vpcId: str,
      isDefault: z.boolean(),
      subnetIds: strs,
      entries: z.array(z.object({ ruleNumber: num, egress: z.boolean(), protocol: str, action: z.enum(["allow", "deny"]), cidr: str, fromPort: num.optional(), toPort: num.optional() })),
      tags,
    }),
  ),
  securityGroups: z.array(z.object({ id: str, name: str, groupName: str, vpcId: str, ingress: z.array(sgRule), egress: z.array(sgRule), tags })),
  instances: z.array(
    z.object({
      id: str,
      name: str,
      vpcId: str,
      subnetId: str,
      privateIp: str,
      publicIp: str.optional(),
      autoPublicIp: z.boolean().optional(),
      eniId: str,
      securityGroupIds: strs,
      sourceDestCheck: z.boolean(),
      state: z.enum(["pending", "running", "stopping", "stopped", "shutting-down", "terminated"]),
      os: z.object({ ipForward: z.boolean(), masquerade: z.boolean(), masqueradeSaved: z.boolean(), listeningPorts: z.array(num), cpuLoad: z.boolean() }).optional(),
      tags,
    }),
  ),
  internetGateways: z.array(z.object({ id: str, name: str, vpcId: str.optional(), tags })),
  natGateways: z.array(z.object({ id: str, name: str, vpcId: str, subnetId: str, connectivity: z.enum(["public", "private"]), state: z.enum(["pending", "available", "deleting", "deleted", "failed"]), privateIp: str, publicIp: str.optional(), tags })),
  elasticIps: z.array(z.object({ allocationId: str, name: str, publicIp: str, instanceId: str.optional(), eniId: str.optional(), privateIp: str.optional(), tags })),
  transitGateways: z.array(z.object({ id: str, name: str, securityGroupReferencing: z.boolean().optional(), tags })),
  tgwAttachments: z.array(z.object({ id: str, name: str, tgwId: str, vpcId: str, subnetIds: strs, state: str, securityGroupReferencing: z.boolean().optional(), tags })),
  tgwRouteTables: z.array(
    z.object({ id: str, name: str, tgwId: str, associations: strs, propagations: strs, routes: z.array(z.object({ destination: str, attachmentId: str.optional(), type: z.enum(["static", "propagated"]), state: z.enum(["active", "blackhole"]) })), tags }),
  ),
  vpcEndpoints: z.array(
    z.object({ id: str, name: str, vpcId: str, type: str, serviceName: str, subnetIds: strs, securityGroupIds: strs, routeTableIds: strs, privateDns: z.boolean(), networkInterfaces: z.array(endpointInterface).optional(), tags }),
  ),
  loadBalancers: z.array(
    z.object({
      arn: str,
      name: str,
      type: str,
      scheme: z.enum(["internet-facing", "internal"]),
      vpcId: str,
      subnetIds: strs,
      securityGroupIds: strs,
      dnsName: str,
      listeners: z.array(z.object({ port: num, protocol: str, targetGroupArn: str })),
      nodes: z.array(endpointInterface).optional(),
      tags,
    }),
  ),
  targetGroups: z.array(
    z.object({
      arn: str,
      name: str,
      vpcId: str,
      protocol: str,
      port: num,
      healthCheck: z.object({ protocol: str, path: str, port: z.union([z.literal("traffic-port"), num]), intervalSeconds: num, timeoutSeconds: num, healthyThreshold: num, unhealthyThreshold: num, matcher: str }),
      targets: z.array(z.object({ instanceId: str, port: num, observed: z.object({ state: str, reason: str.optional() }).optional() })),
      tags,
    }),
  ),
  hostedZones: z.array(z.object({ id: str, name: str, private: z.boolean(), vpcIds: strs, records: z.array(z.object({ name: str, type: str, values: strs, aliasTarget: str.optional() })), tags })),
  flowLogs: z.array(z.object({ id: str, resourceId: str, logGroupName: str, trafficType: z.enum(["ACCEPT", "REJECT", "ALL"]), status: str, tags })),
  alarms: z.array(z.object({ name: str, metricName: str, namespace: str, instanceId: str.optional(), threshold: num, state: z.enum(["OK", "ALARM", "INSUFFICIENT_DATA"]), lastAlarmAt: str.optional(), actions: strs, tags })),
});

// The schema reads back a Snapshot (checked by the compiler).
const readsSnapshot = (s: z.infer<typeof snapshotSchema>): Snapshot => s;
void readsSnapshot;

/** The state file's fields after format, version and lab (those are checked first, with their own messages). */
export const simStateSchema = z.object({
  region: str,
  createdAt: str,
  updatedAt: str,
  baseline: z.object({ from: str, digest: str }).optional(),
  snapshot: snapshotSchema,
  ledger: z.record(z.unknown()),
});

/** The first few problems of a failed parse, as "path: message; …", the path in dotted form. */
export function describeIssues(error: z.ZodError, max = 3): string {
  const issues = error.issues.slice(0, max).map((i) => `${i.path.length ? i.path.join(".") : "(the file)"}: ${i.message}`);
  const more = error.issues.length - max;
  return `${issues.join("; ")}${more > 0 ? `; and ${more} more` : ""}`;
}
