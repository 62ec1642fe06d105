import {
  AssociateVPCWithHostedZoneCommand,
  DisassociateVPCFromHostedZoneCommand,
  GetHostedZoneCommand,
  ListHostedZonesByNameCommand,
  ListHostedZonesCommand,
  ListResourceRecordSetsCommand,
  ListTagsForResourceCommand,
  type VPC,
} from "@aws-sdk/client-route-53";
import type { Snapshot } from "../../../network/snapshot";
import { findOr, onChange, onRead, type Account, type Router } from "./account";
import { awsError } from "./errors";

const bare = (id: string | undefined) => (id ?? "").replace(/^\/hostedzone\//, "");
/** Route 53 orders zones by their labels reversed (com.example.www). */
const reversed = (name: string) => name.replace(/\.$/, "").split(".").reverse().join(".");

/**
 * Route 53's private zones. A VPC already associated is `ConflictingDomainExists`; disassociating one
 * that is not is `VPCAssociationNotFound`, and a zone cannot lose its last VPC (`LastVPCAssociation`).
 * https://docs.aws.amazon.com/Route53/latest/APIReference/API_AssociateVPCWithHostedZone.html
 * https://docs.aws.amazon.com/Route53/latest/APIReference/API_DisassociateVPCFromHostedZone.html
 */
export function installRoute53(route53: Router, account: Account): void {
  const zones = () => account.describe().HostedZones?.HostedZones ?? [];
  const zone = (id: string | undefined) => {
    const z = zones().find((x) => bare(x.HostedZone.Id) === bare(id));
    if (!z) throw awsError("NoSuchHostedZone", `No hosted zone found with ID: ${bare(id)}`);
    return z;
  };
  onRead(route53, account, ListHostedZonesCommand, () => ({ HostedZones: structuredClone(zones().map((z) => z.HostedZone)), IsTruncated: false, MaxItems: 100 }));
  onRead<{ DNSName?: string; MaxItems?: number }>(route53, account, ListHostedZonesByNameCommand, (i) => {
    const from = reversed(i.DNSName ?? "");
    const sorted = zones().map((z) => z.HostedZone).sort((a, b) => reversed(a.Name ?? "").localeCompare(reversed(b.Name ?? "")));
    return { HostedZones: structuredClone(sorted.filter((z) => reversed(z.Name ?? "") >= from).slice(0, i.MaxItems ?? 100)), IsTruncated: false, DNSName: i.DNSName, MaxItems: i.MaxItems ?? 100 };
  });
  onRead<{ ResourceType?: string; ResourceId?: string }>(route53, account, ListTagsForResourceCommand, (i) => {
    if (i.ResourceType !== "hostedzone") throw awsError("InvalidInput", `The mocked account lists tags of hosted zones only; got ${i.ResourceType}.`);
    return { ResourceTagSet: { ResourceType: "hostedzone", ResourceId: bare(i.ResourceId), Tags: structuredClone(zone(i.ResourceId).Tags ?? []) } };
  });
  onRead<{ Id?: string }>(route53, account, GetHostedZoneCommand, (i) => {
    const z = zone(i.Id);
    return { HostedZone: structuredClone(z.HostedZone), VPCs: structuredClone(z.VPCs ?? []) };
  });
  onRead<{ HostedZoneId?: string }>(route53, account, ListResourceRecordSetsCommand, (i) => ({ ResourceRecordSets: structuredClone(zone(i.HostedZoneId).ResourceRecordSets ?? []), IsTruncated: false, MaxItems: 300 }));

  const change = { ChangeInfo: { Id: "/change/CMOCKED", Status: "PENDING", SubmittedAt: new Date(0) } };
  const target = (s: Snapshot, i: { HostedZoneId?: string; VPC?: VPC }) => {
    const z = findOr(s.hostedZones, (x) => x.id === bare(i.HostedZoneId), "NoSuchHostedZone", `hosted zone '${bare(i.HostedZoneId)}'`);
    findOr(s.vpcs, (v) => v.id === i.VPC?.VPCId, "InvalidVPCId", `VPC '${i.VPC?.VPCId}'`);
    return { z, vpcId: i.VPC?.VPCId ?? "" };
  };
  onChange<{ HostedZoneId?: string; VPC?: VPC }>(route53, account, AssociateVPCWithHostedZoneCommand, (i, s) => {
    const { z, vpcId } = target(s, i);
    if (z.vpcIds.includes(vpcId)) throw awsError("ConflictingDomainExists", `The VPC ${vpcId} is already associated with the hosted zone ${z.id}.`);
    z.vpcIds.push(vpcId);
    return change;
  });
  onChange<{ HostedZoneId?: string; VPC?: VPC }>(route53, account, DisassociateVPCFromHostedZoneCommand, (i, s) => {
    const { z, vpcId } = target(s, i);
    if (!z.vpcIds.includes(vpcId)) throw awsError("VPCAssociationNotFound", `The VPC ${vpcId} is not associated with the hosted zone ${z.id}.`);
    if (z.vpcIds.length === 1) throw awsError("LastVPCAssociation", `The VPC ${vpcId} is the last VPC associated with the private hosted zone ${z.id}.`);
    z.vpcIds = z.vpcIds.filter((v) => v !== vpcId);
    return change;
  });
}
