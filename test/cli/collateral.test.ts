import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { bufferIo } from "../../cli/io";
import { run } from "../../cli/run";
import { describeChange, type Change } from "../../cloud/change";
import { effectOf } from "../../cloud/inverse";
import type { Snapshot } from "../../network/snapshot";
import { inject } from "../../lifecycle/inject";
import { findScenario } from "../../scenarios";
import { labSynthDir, openSimLab } from "../helpers/lab";
import { attachGroup, editSimLab, setVpcDns } from "../helpers/sim-edit";

let synthDir: string;
beforeAll(async () => {
  synthDir = await labSynthDir();
});

async function lab(args: string[], cwd: string) {
  const io = bufferIo({ cwd });
  const code = await run([...args, "--offline", "--synth-dir", synthDir, "--state-dir", join(cwd, "state")], io);
  return { code, out: io.stdout, err: io.stderr };
}

interface WrongRepair {
  what: string;
  scenario: string;
  /** The student's changes, on top of the reference solve unless `solve` is false. */
  changes?: Change[];
  /** What no change kind offers (a group attached, a VPC attribute), done to the lab directly. */
  edit?: (s: Snapshot) => void;
  /** The component the check and the reset must name. */
  component: string;
}

const revoke = (securityGroup: string, rule: Extract<Change, { kind: "revoke-sg-rule" }>["rule"]): Change => ({ kind: "revoke-sg-rule", securityGroup, direction: "ingress", rule });

const WRONG_REPAIRS: WrongRepair[] = [
  {
    what: "SSH closed, and the web instances' SG emptied (ALB rule and ICMP gone)",
    scenario: "ssh-open-world",
    changes: [
      revoke("DMZVPC-PrivateSG", { protocol: "tcp", fromPort: 80, toPort: 80, peerSecurityGroup: "DMZVPC-ALB-SG" }),
      revoke("DMZVPC-PrivateSG", { protocol: "icmp", fromPort: -1, toPort: -1, cidr: "10.0.0.0/8" }),
    ],
    component: "DMZVPC-PrivateSG",
  },
  {
    what: "SSH closed, and Session Manager cut in another probed VPC (its endpoint SG's 443 rule removed)",
    scenario: "ssh-open-world",
    changes: [revoke("NATInstance-VPC1-EndpointSG", { protocol: "tcp", fromPort: 443, toPort: 443, cidr: "10.10.0.0/16" })],
    component: "NATInstance-VPC1-EndpointSG",
  },
  {
    what: "the ALB rule restored, and the ALB's group (80 from anywhere) attached to a web instance",
    scenario: "alb-sg-blocked",
    edit: attachGroup("DMZVPC-Private-A-10.11.20.101", "DMZVPC-ALB-SG"),
    component: "DMZVPC-ALB-SG",
  },
  {
    what: "the zone associated again, with VPC02's DNS support (enableDnsSupport) off",
    scenario: "dns-private-zone",
    edit: setVpcDns("VPC02", { dnsSupport: false }),
    component: "VPC02",
  },
  {
    what: "VPC02's routes restored, and VPC01's default route deleted",
    scenario: "tgw-default-route",
    changes: [{ kind: "delete-route", routeTable: "VPC01-Private-Subnet-A-RT", destination: "0.0.0.0/0" }],
    component: "VPC01-Private-Subnet-A-RT",
  },
  {
    what: "the target re-registered on 80, and an unrelated instance stopped",
    scenario: "alb-port-mismatch",
    changes: [{ kind: "stop-instance", instance: "VPC01-Private-B-10.1.24.101" }],
    component: "VPC01-Private-B-10.1.24.101",
  },
  {
    what: "the NAT instance's route restored, and the DMZ's return route (10.0.0.0/8 → TGW) removed",
    scenario: "nat-instance-route",
    changes: [{ kind: "delete-route", routeTable: "DMZVPC-Public-RT", destination: "10.0.0.0/8" }],
    component: "DMZVPC-Public-RT",
  },
];

describe.each(WRONG_REPAIRS.map((w) => [w.what, w] as const))("a wrong repair: %s", (_what, w) => {
  it("fails lab check (exit 1) naming the broken component, and lab reset exits 1 naming it too, leaving the student's change", async () => {
    // GIVEN the scenario injected, then the reference fix plus the student's wrong change
    const cwd = mkdtempSync(join(tmpdir(), "netlab-collateral-"));
    const cloud = await openSimLab(join(cwd, "state"));
    const scenario = findScenario(w.scenario);
    expect((await inject(cloud, scenario, { by: "jest" })).status).toBe("injected");
    for (const c of [...scenario.solve, ...(w.changes ?? [])]) await cloud.apply(c);
    if (w.edit) await editSimLab(cloud, w.edit);
    await cloud.close();
    // WHEN graded
    const check = await lab(["check", w.scenario], cwd);
    // THEN it is not a pass, and the component is named
    expect(check.code).toBe(1);
    expect(check.out).toContain(w.component);
    // AND the JSON names it as a check failure or a collateral entry
    const json = JSON.parse((await lab(["check", w.scenario, "--json"], cwd)).out);
    expect(json.status).toBe("fail");
    const named = JSON.stringify([...json.checks.filter((c: { status: string }) => c.status === "fail"), ...json.collateral]);
    expect(named).toContain(w.component);
    // WHEN reset / THEN it exits 1 and names it: the student's damage is reported, not undone
    const reset = await lab(["reset", w.scenario], cwd);
    expect(reset.code).toBe(1);
    expect(reset.out).toContain(w.component);
    const after = await openSimLab(join(cwd, "state"));
    const now = await after.snapshot();
    await after.close();
    for (const c of w.changes ?? []) expect([describeChange(c), effectOf(now, c).state]).toEqual([describeChange(c), "in-effect"]);
  });
});
