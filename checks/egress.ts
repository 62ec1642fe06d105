import type { Snapshot } from "../network/snapshot";
import type { EgressVia } from "./types";

/** The public addresses that prove the intended egress path, read from the lab as it is now. */
export function egressAddresses(s: Snapshot, via: EgressVia): { label: string; addresses: string[] } {
  if ("natGatewaysOfVpc" in via) {
    const vpc = s.vpcs.find((v) => v.name === via.natGatewaysOfVpc || v.id === via.natGatewaysOfVpc);
    const nats = s.natGateways.filter((n) => n.vpcId === vpc?.id && n.publicIp);
    return { label: `the NAT gateway EIPs of ${via.natGatewaysOfVpc}`, addresses: nats.map((n) => n.publicIp as string) };
  }
  const inst = s.instances.find((i) => i.name === via.instancePublicIp || i.id === via.instancePublicIp);
  const eip = s.elasticIps.find((e) => e.instanceId === inst?.id || (inst && e.eniId === inst.eniId));
  const address = eip?.publicIp ?? inst?.publicIp;
  return { label: `the public IP of ${via.instancePublicIp}`, addresses: address ? [address] : [] };
}
