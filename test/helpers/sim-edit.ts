import type { SimLabCloud } from "../../cloud/sim/sim-cloud";
import type { Snapshot } from "../../network/snapshot";

/**
 * Changes a simulated lab in a way no change kind offers (a group attached to an instance, a VPC's DNS
 * attribute), as a student could on AWS, and keeps it in the lab's state.
 */
export async function editSimLab(cloud: SimLabCloud, edit: (s: Snapshot) => void): Promise<void> {
  const s = await cloud.snapshot();
  edit(s);
  const inner = cloud as unknown as { state: { snapshot: Snapshot }; persist(): void };
  inner.state.snapshot = s;
  inner.persist();
}

/** Adds a lab security group (by Name) to an instance's groups. */
export const attachGroup = (instance: string, group: string) => (s: Snapshot) => {
  const inst = s.instances.find((i) => i.name === instance);
  const sg = s.securityGroups.find((g) => g.name === group);
  if (!inst || !sg) throw new Error(`no instance ${instance} or group ${group} in the lab`);
  inst.securityGroupIds = [...inst.securityGroupIds, sg.id];
};

/** Sets a VPC's enableDnsSupport / enableDnsHostnames. */
export const setVpcDns = (vpc: string, attributes: { dnsSupport?: boolean; dnsHostnames?: boolean }) => (s: Snapshot) => {
  const v = s.vpcs.find((x) => x.name === vpc);
  if (!v) throw new Error(`no VPC ${vpc} in the lab`);
  Object.assign(v, attributes);
};
