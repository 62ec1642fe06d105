import { applyToSnapshot } from "../../cloud/model-apply";
import { diffLabs } from "../../lifecycle/compare";
import { reach } from "../../network/analyzer";
import { labSnapshot } from "../helpers/lab";

const WORKSTATION = "mgmtvpc-Workstation-10.254.0.101";

describe("public addresses across a stop and a start", () => {
  it("gives an auto-assigned address back, a new one, as AWS does: the workstation reaches the internet again", async () => {
    // GIVEN the lab, whose workstation has an auto-assigned public IP
    const lab = await labSnapshot();
    const before = lab.instances.find((i) => i.name === WORKSTATION)!.publicIp;
    expect(before).toBeDefined();
    // WHEN it is stopped
    applyToSnapshot(lab, { kind: "stop-instance", instance: WORKSTATION });
    // THEN it has no public address while stopped
    expect(lab.instances.find((i) => i.name === WORKSTATION)!.publicIp).toBeUndefined();
    // AND once started it has a new one, and reaches the internet from it
    applyToSnapshot(lab, { kind: "start-instance", instance: WORKSTATION });
    const after = lab.instances.find((i) => i.name === WORKSTATION)!.publicIp;
    expect(after).toMatch(/^203\.0\.113\.\d+$/);
    expect(after).not.toBe(before);
    const r = reach(lab, WORKSTATION, { kind: "internet" });
    expect(r).toMatchObject({ reachable: true, egressIp: after });
  });

  it("assigns the same new address on every run (deterministic) and one that nobody else holds", async () => {
    const cycle = async () => {
      const lab = await labSnapshot();
      applyToSnapshot(lab, { kind: "stop-instance", instance: WORKSTATION });
      applyToSnapshot(lab, { kind: "start-instance", instance: WORKSTATION });
      return lab;
    };
    const [a, b] = [await cycle(), await cycle()];
    const ip = a.instances.find((i) => i.name === WORKSTATION)!.publicIp;
    expect(b.instances.find((i) => i.name === WORKSTATION)!.publicIp).toBe(ip);
    const others = [...a.instances.filter((i) => i.name !== WORKSTATION).map((i) => i.publicIp), ...a.elasticIps.map((e) => e.publicIp), ...a.natGateways.map((n) => n.publicIp)];
    expect(others).not.toContain(ip);
  });

  it("keeps an Elastic IP through a stop and a start, and gives no second address", async () => {
    // GIVEN the NAT instance, whose address is an EIP
    const lab = await labSnapshot();
    const eip = lab.elasticIps.find((e) => e.name === "NAT-Instance-EIP")!.publicIp;
    // WHEN stopped and started / THEN it still leaves through its EIP, with no auto-assigned address added
    applyToSnapshot(lab, { kind: "stop-instance", instance: "NAT-Instance" });
    applyToSnapshot(lab, { kind: "start-instance", instance: "NAT-Instance" });
    expect(lab.instances.find((i) => i.name === "NAT-Instance")!.publicIp).toBeUndefined();
    expect(reach(lab, "Private-EC2-1", { kind: "internet" }).egressIp).toBe(eip);
  });

  it("does not give an address to an instance that never had one", async () => {
    const lab = await labSnapshot();
    applyToSnapshot(lab, { kind: "stop-instance", instance: "VPC02-Private-A-10.2.20.101" });
    applyToSnapshot(lab, { kind: "start-instance", instance: "VPC02-Private-A-10.2.20.101" });
    expect(lab.instances.find((i) => i.name === "VPC02-Private-A-10.2.20.101")!.publicIp).toBeUndefined();
  });

  it("is seen by the lab comparison: a lost public address is a difference, a new one is not", async () => {
    // GIVEN the baseline, a lab whose workstation lost its address, and one that got a new one
    const baseline = await labSnapshot();
    const lost = structuredClone(baseline);
    delete lost.instances.find((i) => i.name === WORKSTATION)!.publicIp;
    const renewed = structuredClone(baseline);
    renewed.instances.find((i) => i.name === WORKSTATION)!.publicIp = "203.0.113.250";
    // WHEN compared / THEN only the lost one differs
    expect(diffLabs(baseline, lost)).toEqual([expect.stringMatching(/^lab\.instances\[\d+\]\.publicIp: was true, now false$/)]);
    expect(diffLabs(baseline, renewed)).toEqual([]);
  });
});
