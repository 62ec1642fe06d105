import { UnknownEndpointError } from "../../network/analyzer";
import type { Snapshot } from "../../network/snapshot";
import { ssmPath } from "../../network/ssm-path";
import { labSnapshot } from "../helpers/lab";

let base: Snapshot;
beforeAll(async () => {
  base = await labSnapshot();
});
const lab = () => structuredClone(base);
const sg = (s: Snapshot, name: string) => s.securityGroups.find((g) => g.name === name)!;
const WORKSTATION = "mgmtvpc-Workstation-10.254.0.101";

describe("ssmPath on the synthesized lab", () => {
  it("every one of the 12 instances reaches SSM; the workstation through the internet, the others through their VPC's endpoints", () => {
    // GIVEN the lab as synthesized / WHEN asking for each instance
    const s = lab();
    expect(s.instances).toHaveLength(12);
    const paths = Object.fromEntries(s.instances.map((i) => [i.name, ssmPath(s, i.name)]));
    // THEN all are ok, and mgmtvpc (which has no endpoints, by design) goes out through its IGW
    for (const [name, p] of Object.entries(paths)) expect({ name, ...p }).toEqual({ name, ok: true, via: name === WORKSTATION ? "internet" : "vpc-endpoint", blockedBy: null });
  });

  it("without the endpoint group's 443 rule, the endpoint refuses the agent", () => {
    const s = lab();
    sg(s, "VPC02-EndpointSG").ingress = [];
    expect(ssmPath(s, "VPC02-Private-B-10.2.24.101")).toMatchObject({ ok: false, via: "vpc-endpoint", service: "ssm", blockedBy: { component: "VPC02-EndpointSG", reason: "SG_INGRESS_DENY" } });
    // AND the other VPCs are not affected
    expect(ssmPath(s, "VPC01-Private-A-10.1.20.101").ok).toBe(true);
  });

  it("without the instance group's egress, the agent cannot leave the instance", () => {
    const s = lab();
    sg(s, "VPC1-PrivateEC2-SecurityGroup").egress = [];
    expect(ssmPath(s, "Private-EC2-2")).toMatchObject({ ok: false, via: "vpc-endpoint", service: "ssm", blockedBy: { component: "VPC1-PrivateEC2-SecurityGroup", reason: "SG_EGRESS_DENY" } });
  });

  it("only one service's endpoint missing: that service goes to the internet, and is named when that fails", () => {
    // GIVEN VPC02 loses its ec2messages endpoint and its default routes (the tgw-default-route fault)
    const s = lab();
    s.vpcEndpoints = s.vpcEndpoints.filter((e) => e.name !== "VPC02-ec2messages-endpoint");
    for (const t of s.routeTables.filter((x) => x.name.startsWith("VPC02-Private"))) t.routes = t.routes.filter((r) => r.destination !== "0.0.0.0/0");
    // THEN ssm and ssmmessages still work through their endpoints, ec2messages does not
    expect(ssmPath(s, "VPC02-Private-A-10.2.20.101")).toMatchObject({ ok: false, via: "internet", service: "ec2messages", blockedBy: { component: "VPC02-Private-Subnet-A-RT", reason: "NO_ROUTE" } });
  });

  it("a workstation without its public IP loses SSM at its IGW", () => {
    const s = lab();
    delete s.instances.find((i) => i.name === WORKSTATION)!.publicIp;
    expect(ssmPath(s, WORKSTATION)).toMatchObject({ ok: false, via: "internet", service: "ssm", blockedBy: { component: "mgmtvpc-IGW", reason: "NO_PUBLIC_IP" } });
  });

  it("a stopped instance has no agent running", () => {
    const s = lab();
    s.instances.find((i) => i.name === "NAT-Instance")!.state = "stopped";
    expect(ssmPath(s, "NAT-Instance")).toMatchObject({ ok: false, via: null, blockedBy: { component: "NAT-Instance", reason: "INSTANCE_NOT_RUNNING", detail: "NAT-Instance is stopped, so its SSM agent is not running" } });
  });

  it("an unknown instance is an error that lists the valid ones", () => {
    expect(() => ssmPath(lab(), "VPC03")).toThrow(UnknownEndpointError);
    expect(() => ssmPath(lab(), "VPC03")).toThrow(/Unknown instance "VPC03"; valid instances: DMZVPC-Private-A-10\.11\.20\.101/);
  });
});
