import { servicePrivateDnsName } from "./addresses";
import { indexSnapshot } from "./analyzer-index";
import type { EndpointInterfaceModel, LoadBalancerModel, Snapshot, VpcEndpointModel } from "./snapshot";

/** What the Route 53 Resolver of a VPC answers for a name. */
export interface Resolution {
  /**
   * - `private-zone`: a record of a private hosted zone associated with the VPC;
   * - `load-balancer`: an alias to a load balancer;
   * - `vpc-endpoint`: the private DNS name of an interface endpoint of the VPC (private DNS on);
   * - `public`: a public name, answered from the internet (the analyzer treats it as an internet host);
   * - `no-answer`: NXDOMAIN.
   */
  kind: "private-zone" | "load-balancer" | "vpc-endpoint" | "public" | "no-answer";
  addresses: string[];
  loadBalancer?: LoadBalancerModel;
  endpoint?: VpcEndpointModel;
  /** The endpoint's interfaces the name resolves to. */
  endpointInterfaces?: EndpointInterfaceModel[];
  /** The private zone that answered, or that holds the name but is not associated with the VPC. */
  zone?: string;
  /** Whether `zone` is associated with the VPC. */
  associated: boolean;
  /** Why there is no answer (for `no-answer`). */
  detail?: string;
  /** For `no-answer` caused by the VPC's DNS attributes: the VPC, the component to name. */
  blockedAt?: string;
}

/** Special-use and internal TLDs no public resolver answers (RFC 6761, RFC 8375, ICANN's .internal). */
const NON_PUBLIC_TLDS = new Set(["internal", "local", "localhost", "test", "invalid", "example", "lan", "home", "corp", "intranet", "private"]);

const fqdnOf = (name: string): string => name.replace(/\.$/, "").toLowerCase();

/**
 * Resolves a name as the Route 53 Resolver of the VPC would:
 * 1. an interface endpoint of the VPC with private DNS on answers for its service's regional name
 *    (https://docs.aws.amazon.com/vpc/latest/privatelink/privatelink-access-aws-services.html#interface-endpoint-private-dns);
 * 2. a private hosted zone associated with the VPC answers for its domain, NXDOMAIN when it has no such record
 *    (https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/hosted-zone-private-considerations.html);
 * 3. a name held only by a private zone of another VPC gets no answer; so do special-use TLDs;
 * 4. anything else is a public name, resolved on the internet.
 * The VPC's DNS attributes come first: with enableDnsSupport off the Amazon-provided DNS server answers
 * nothing; private hosted zones and interface endpoints' private DNS also need enableDnsHostnames
 * (https://docs.aws.amazon.com/vpc/latest/userguide/AmazonDNS-concepts.html#vpc-dns-support,
 * https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/hosted-zone-private-considerations.html,
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateVpcEndpoint.html (PrivateDnsEnabled)).
 */
export function resolveInVpc(s: Snapshot, vpcId: string, name: string): Resolution {
  const fqdn = fqdnOf(name);
  const ix = indexSnapshot(s);
  const vpc = ix.vpcs.get(vpcId);
  const vpcName = vpc?.name ?? vpcId;
  // enableDnsSupport off: the Amazon-provided DNS server (169.254.169.253, VPC base + 2) answers nothing, public names included.
  if (vpc && !vpc.dnsSupport) {
    return { kind: "no-answer", addresses: [], associated: false, blockedAt: vpcName, detail: `${vpcName} has DNS resolution (enableDnsSupport) turned off, so the Route 53 Resolver does not answer ${fqdn}` };
  }
  // Private zones and endpoint private DNS need enableDnsHostnames too; public names do not.
  const hostnames = vpc?.dnsHostnames ?? true;
  const needsHostnames = (what: string): Resolution => ({
    kind: "no-answer",
    addresses: [],
    associated: false,
    blockedAt: vpcName,
    detail: `${vpcName} has DNS hostnames (enableDnsHostnames) turned off, so the Resolver does not answer ${fqdn} from ${what}`,
  });
  for (const e of s.vpcEndpoints) {
    if (e.vpcId !== vpcId || e.type !== "Interface" || !e.privateDns || servicePrivateDnsName(e.serviceName) !== fqdn) continue;
    // Without DNS hostnames the endpoint's private DNS does not apply: the regional name resolves publicly.
    if (!hostnames) continue;
    const enis = ix.endpointInterfaces.get(e.id) ?? [];
    return { kind: "vpc-endpoint", addresses: enis.map((n) => n.privateIp), endpoint: e, endpointInterfaces: enis, associated: true };
  }
  const zones = s.hostedZones.filter((z) => z.private);
  const covering = zones
    .filter((z) => z.vpcIds.includes(vpcId) && (fqdn === z.name || fqdn.endsWith(`.${z.name}`)))
    .sort((a, b) => b.name.length - a.name.length)[0];
  if (covering && !hostnames) return needsHostnames(`private zone ${covering.name}`);
  if (covering) {
    const record = covering.records.find((r) => fqdnOf(r.name) === fqdn && (r.type === "A" || r.aliasTarget !== undefined));
    if (!record) return { kind: "no-answer", addresses: [], zone: covering.name, associated: true, detail: `private zone ${covering.name} has no A record for ${fqdn}` };
    if (record.aliasTarget) {
      const lb = s.loadBalancers.find((l) => l.dnsName === record.aliasTarget?.replace(/\.$/, ""));
      if (lb) return { kind: "load-balancer", addresses: [], loadBalancer: lb, zone: covering.name, associated: true };
    }
    return { kind: "private-zone", addresses: record.values, zone: covering.name, associated: true };
  }
  const elsewhere = zones.find((z) => z.records.some((r) => fqdnOf(r.name) === fqdn && (r.type === "A" || r.aliasTarget !== undefined)));
  if (elsewhere) return { kind: "no-answer", addresses: [], zone: elsewhere.name, associated: false, detail: `${fqdn} is in private zone ${elsewhere.name}, which is not associated with ${ix.vpcs.get(vpcId)?.name ?? vpcId}` };
  const lb = s.loadBalancers.find((l) => l.dnsName.toLowerCase() === fqdn);
  if (lb) return { kind: "load-balancer", addresses: [], loadBalancer: lb, associated: false };
  const tld = fqdn.split(".").pop() ?? "";
  if (NON_PUBLIC_TLDS.has(tld)) return { kind: "no-answer", addresses: [], associated: false, detail: `no private zone associated with ${ix.vpcs.get(vpcId)?.name ?? vpcId} has ${fqdn}, and .${tld} names are not resolvable on the internet` };
  return { kind: "public", addresses: [], associated: false };
}
