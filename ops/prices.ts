/**
 * On-demand list prices, USD per hour, as published on AWS's pricing pages. A dated snapshot:
 * prices change, so `lab cost` prints the date and the sources, and says it is an estimate.
 * Data processing and transfer (per GB) are excluded: they depend on what the class does.
 */
export const PRICES_AS_OF = "2026-11-24";

export const PRICE_SOURCES = [
  "https://aws.amazon.com/vpc/pricing/ (NAT gateway, public IPv4 address, VPC endpoints via PrivateLink)",
  "https://aws.amazon.com/transit-gateway/pricing/ (per attachment-hour)",
  "https://aws.amazon.com/privatelink/pricing/ (interface endpoint per AZ-hour)",
  "https://aws.amazon.com/elasticloadbalancing/pricing/ (ALB-hour; LCUs excluded)",
  "https://aws.amazon.com/ec2/pricing/on-demand/ (t3.micro, Linux)",
  "https://aws.amazon.com/cloudwatch/pricing/ (standard alarm, per month)",
  "https://aws.amazon.com/route53/pricing/ (hosted zone, per month: first 25 zones)",
];

export interface RegionPrices {
  natGatewayHour: number;
  tgwAttachmentHour: number;
  interfaceEndpointAzHour: number;
  albHour: number;
  instanceHour: Readonly<Record<string, number>>;
  publicIpv4Hour: number;
  alarmMonth: number;
  /** A Route 53 hosted zone, per month (billed monthly, not hourly). */
  hostedZoneMonth: number;
}

export const PRICES: Readonly<Record<string, RegionPrices>> = {
  "ap-northeast-2": {
    natGatewayHour: 0.059,
    tgwAttachmentHour: 0.07,
    interfaceEndpointAzHour: 0.013,
    albHour: 0.0225,
    instanceHour: { "t3.micro": 0.013, "t3.small": 0.026 },
    publicIpv4Hour: 0.005,
    alarmMonth: 0.1,
    hostedZoneMonth: 0.5,
  },
  "us-east-1": {
    natGatewayHour: 0.045,
    tgwAttachmentHour: 0.05,
    interfaceEndpointAzHour: 0.01,
    albHour: 0.0225,
    instanceHour: { "t3.micro": 0.0104, "t3.small": 0.0208 },
    publicIpv4Hour: 0.005,
    alarmMonth: 0.1,
    hostedZoneMonth: 0.5,
  },
};

export function pricesFor(region: string): RegionPrices {
  const p = PRICES[region];
  if (!p) throw new Error(`No price table for region "${region}"; netlab has: ${Object.keys(PRICES).join(", ")}.`);
  return p;
}
