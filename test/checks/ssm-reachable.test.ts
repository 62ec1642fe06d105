import { runChecks } from "../../checks/evaluate";
import type { CheckSpec } from "../../checks/types";
import type { LabCloud, ProbeRequest, ProbeResult } from "../../cloud/port";
import { answerProbes } from "../../cloud/sim/sim-probes";
import type { Snapshot } from "../../network/snapshot";
import { findScenario } from "../../scenarios";
import { labSnapshot } from "../helpers/lab";

const stillWorks = findScenario("ssh-open-world").checks.find((c) => c.id === "session-manager-still-works") as CheckSpec;
const vpc02Internet = findScenario("tgw-default-route").checks[0];

/** A lab whose probes the simulator answers, or `probe` when given (e.g. what SSM said on AWS). */
function labOf(s: Snapshot, probe?: (requests: readonly ProbeRequest[]) => ProbeResult[]): LabCloud {
  return {
    lab: "s01",
    backend: "sim",
    snapshot: async () => s,
    apply: async () => undefined,
    probe: async (requests) => (probe ?? ((r) => answerProbes(s, r)))(requests),
    ledger: {} as LabCloud["ledger"],
    close: async () => undefined,
  };
}

/** The lab with VPC02's interface endpoints no longer admitting 443 (a student's over-eager "fix"). */
async function vpc02EndpointsClosed(): Promise<Snapshot> {
  const s = await labSnapshot();
  const sg = s.securityGroups.find((g) => g.name === "VPC02-EndpointSG");
  if (!sg) throw new Error("the lab has no VPC02-EndpointSG");
  sg.ingress = [];
  return s;
}

describe("the simulator runs a probe only where Session Manager reaches the instance", () => {
  it("refuses a probe on an instance whose agent cannot reach the SSM endpoints: inconclusive, not the student's fail", async () => {
    // GIVEN VPC02's endpoints admit no HTTPS
    const s = await vpc02EndpointsClosed();
    // WHEN the tgw-default-route check probes from VPC02
    const [r] = (await runChecks(labOf(s), [vpc02Internet])).results;
    // THEN it could not run, and says why in AWS's terms
    expect(r.status).toBe("inconclusive");
    expect(r.evidence).toContain("Session Manager cannot reach VPC02-Private-A-10.2.20.101: its agent's HTTPS to ssm.ap-northeast-2.amazonaws.com is blocked at VPC02-EndpointSG (SG_INGRESS_DENY)");
  });

  it("still runs probes on instances in the other VPCs", async () => {
    // GIVEN VPC02's endpoints closed / WHEN probing from VPC01 / THEN the probe runs
    const s = await vpc02EndpointsClosed();
    const [r] = answerProbes(s, [{ from: "VPC01-Private-A-10.1.20.101", spec: { kind: "http", to: "internet" } }]);
    expect(r.ran).toBe(true);
  });

  it("does not answer a probe whose path crosses something it does not model (a route to a VPN gateway)", async () => {
    // GIVEN VPC02-A's default route pointing at a virtual private gateway
    const s = await labSnapshot();
    const rt = s.routeTables.find((t) => t.name === "VPC02-Private-Subnet-A-RT");
    const route = rt?.routes.find((x) => x.destination === "0.0.0.0/0");
    if (!route) throw new Error("VPC02-Private-Subnet-A-RT has no default route");
    route.target = { kind: "vgw", id: "vgw-0example" };
    // WHEN probing the internet from VPC02-A
    const [r] = answerProbes(s, [{ from: "VPC02-Private-A-10.2.20.101", spec: { kind: "http", to: "internet" } }]);
    // THEN the probe did not run: what a real one would see is unknown, so it is never a fail
    expect(r).toMatchObject({ ran: false, reason: expect.stringContaining("the simulator cannot tell what the probe would see") });
  });
});

describe("the session-manager-still-works check", () => {
  it("passes on the lab as deployed", async () => {
    const [r] = (await runChecks(labOf(await labSnapshot()), [stillWorks])).results;
    expect(r).toMatchObject({ status: "pass" });
  });

  it("fails, with the blocking component for the instructor, when the student's change cut the agent off", async () => {
    // GIVEN VPC02's endpoint SG stripped of its 443 rule
    const s = await vpc02EndpointsClosed();
    // WHEN graded
    const [r] = (await runChecks(labOf(s), [stillWorks])).results;
    // THEN it fails on the VPC02 instance and the explanation names the group
    expect(r.status).toBe("fail");
    expect(r.evidence).toContain("expected Session Manager to run a command on VPC02-Private-A-10.2.20.101");
    expect(r.explanation).toContain("blocked at VPC02-EndpointSG (SG_INGRESS_DENY)");
    expect(r.explanation).toContain("the agent's HTTPS to ssm");
  });

  it("fails when the instance's own outbound rules no longer allow HTTPS", async () => {
    // GIVEN VPC01's instance SG without egress (SGs created by Terraform have no default egress)
    const s = await labSnapshot();
    const inst = s.instances.find((i) => i.name === "VPC01-Private-A-10.1.20.101");
    for (const sg of s.securityGroups.filter((g) => inst?.securityGroupIds.includes(g.id))) sg.egress = [];
    // WHEN graded / THEN it fails at that group
    const [r] = (await runChecks(labOf(s), [stillWorks])).results;
    expect(r.status).toBe("fail");
    expect(r.explanation).toMatch(/SG_EGRESS_DENY/);
  });

  it("is inconclusive when SSM could not reach an instance the network lets it reach (the agent, IAM or SSM itself)", async () => {
    // GIVEN an intact lab, and SSM saying on AWS that one instance is not Online
    const s = await labSnapshot();
    const offline = (requests: readonly ProbeRequest[]): ProbeResult[] =>
      requests.map((request) =>
        request.from === "DMZVPC-Private-A-10.11.20.101"
          ? { request, ran: false, reason: "the instance is not Online in Systems Manager (ping status: ConnectionLost)" }
          : { request, ran: true, observation: { os: { ipForward: false, masquerade: false, masqueradeSaved: false, cpuLoad: false } } },
      );
    // WHEN graded
    const [r] = (await runChecks(labOf(s, offline), [stillWorks])).results;
    // THEN it is not the student's fail
    expect(r.status).toBe("inconclusive");
    expect(r.evidence).toContain("the cause is outside the network");
  });
});
