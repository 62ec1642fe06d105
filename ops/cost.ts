import { count } from "./count";
import { SSM_ENDPOINT_SERVICES } from "../topology/lab";
import type { StackVariant, Topology } from "../topology/types";
import { pricesFor, PRICE_SOURCES, PRICES_AS_OF } from "./prices";

export interface CostLine {
  item: string;
  count: number;
  unitPerHour: number;
  perHour: number;
}

export interface CostEstimate {
  region: string;
  participants: number;
  hours: number;
  lines: CostLine[];
  perParticipantHour: number;
  classTotal: number;
  asOf: string;
  sources: string[];
}

const round = (x: number, d = 4) => Math.round(x * 10 ** d) / 10 ** d;

/** What one participant's lab costs per hour, item by item, from the plan's counts. */
export function estimateCost(options: { region: string; participants: number; hours: number; topology: Topology; variants?: readonly StackVariant[] }): CostEstimate {
  const { region, participants, hours, topology } = options;
  if (!Number.isInteger(participants) || participants < 1) throw new Error(`--participants must be a whole number of at least 1; got ${participants}.`);
  if (!(hours > 0)) throw new Error(`--hours must be a positive number; got ${hours}.`);
  const p = pricesFor(region);
  const variants = options.variants ?? ["core", "natinstance"];
  const vpcs = topology.vpcs.filter((v) => variants.includes(v.stack));
  const names = new Set(vpcs.map((v) => v.name));
  const instances = topology.instances.filter((i) => names.has(i.vpc));
  const nats = vpcs.reduce((n, v) => n + (v.natGateways?.length ?? 0), 0);
  const attachments = variants.includes("core") ? topology.tgw.attachments.filter((a) => names.has(a)).length : 0;
  const endpoints = vpcs.filter((v) => v.ssmEndpoints).length * SSM_ENDPOINT_SERVICES.length;
  // Public IPv4: NAT gateway EIPs, instance EIPs and launch-time public IPs, and one per ALB node (one per AZ).
  const publicIps = nats + instances.filter((i) => i.elasticIp || i.publicIp).length + (variants.includes("core") ? topology.alb.subnets.length : 0);
  const byType = new Map<string, number>();
  for (const i of instances) byType.set(i.instanceType, (byType.get(i.instanceType) ?? 0) + 1);
  const line = (item: string, count: number, unit: number): CostLine => ({ item, count, unitPerHour: unit, perHour: round(count * unit) });
  const lines = [
    line("NAT gateways", nats, p.natGatewayHour),
    line("Transit gateway attachments", attachments, p.tgwAttachmentHour),
    line("Interface endpoints (one AZ each)", endpoints, p.interfaceEndpointAzHour),
    line("Application load balancer", variants.includes("core") ? 1 : 0, p.albHour),
    ...[...byType].map(([type, n]) => line(`EC2 ${type}`, n, p.instanceHour[type] ?? Number.NaN)),
    line("Public IPv4 addresses", publicIps, p.publicIpv4Hour),
    line("CloudWatch alarm", variants.includes("core") ? 1 : 0, round(p.alarmMonth / 730, 6)),
  ].filter((l) => l.count > 0);
  const unknown = lines.find((l) => Number.isNaN(l.unitPerHour));
  if (unknown) throw new Error(`No ${region} price for ${unknown.item}; add it to ops/prices.ts.`);
  const perParticipantHour = round(lines.reduce((s, l) => s + l.perHour, 0));
  return { region, participants, hours, lines, perParticipantHour, classTotal: round(perParticipantHour * participants * hours, 2), asOf: PRICES_AS_OF, sources: [...PRICE_SOURCES] };
}

export function formatCost(e: CostEstimate): string {
  const w = Math.max(...e.lines.map((l) => l.item.length));
  const rows = e.lines.map((l) => `  ${l.item.padEnd(w)}  ${String(l.count).padStart(3)} × $${l.unitPerHour.toFixed(4)}/h = $${l.perHour.toFixed(4)}/h`);
  return [
    `Estimated cost in ${e.region} (list prices recorded on ${e.asOf} — this machine cannot reach AWS, so check the sources before class; data processing and transfer not included):`,
    ...rows,
    `  ${"per participant".padEnd(w)}  $${e.perParticipantHour.toFixed(2)}/h`,
    `  class: ${count(e.participants, "participant")} × ${e.hours} h = $${e.classTotal.toFixed(2)}`,
    `Sources: ${e.sources.join("; ")}`,
  ].join("\n");
}
