import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Change } from "../../cloud/change";
import { bufferIo } from "../../cli/io";
import { run } from "../../cli/run";
import { labSynthDir } from "../helpers/lab";

let synthDir: string;
beforeAll(async () => {
  synthDir = await labSynthDir();
});

/** Runs `lab …` offline in its own project dir; `cwd` shares one simulated lab between calls. */
async function lab(args: string[], cwd = mkdtempSync(join(tmpdir(), "netlab-try-"))) {
  const io = bufferIo({ cwd });
  const code = await run([...args, "--offline", "--synth-dir", synthDir, "--state-dir", join(cwd, "state")], io);
  return { code, out: io.stdout, err: io.stderr, cwd };
}

const statePath = (cwd: string) => join(cwd, "state", "s01", "state.json");
/** The simulated lab's network, without the time of its last write. */
const network = (cwd: string) => JSON.stringify((JSON.parse(readFileSync(statePath(cwd), "utf8")) as { snapshot: unknown; ledger: unknown }).snapshot);
const ledger = (cwd: string) => (JSON.parse(readFileSync(statePath(cwd), "utf8")) as { ledger: Record<string, unknown> }).ledger;
const json = (changes: Change | Change[]) => JSON.stringify(changes);

const tgw = { kind: "tgw" as const, name: "netlab-tgw" };
const halves = (rt: string): Change[] => ["0.0.0.0/1", "128.0.0.0/1"].map((destination) => ({ kind: "create-route", routeTable: rt, destination, target: tgw }));

/** A fresh lab with `scenario` injected; returns its project dir. */
async function injected(scenario: string): Promise<string> {
  const r = await lab(["inject", scenario]);
  expect(r.code).toBe(0);
  return r.cwd;
}

describe("lab try makes a student's change on the simulated lab", () => {
  it("keeps the change, so that a following lab check grades it (a correct alternative passes)", async () => {
    // GIVEN tgw-default-route injected
    const cwd = await injected("tgw-default-route");
    // WHEN the student's /1 halves are tried on both route tables, in one call
    const r = await lab(["try", json([...halves("VPC02-Private-Subnet-A-RT"), ...halves("VPC02-Private-Subnet-B-RT")])], cwd);
    // THEN all four are made, each with how a student makes it, and the grade command is suggested
    expect(r.code).toBe(0);
    expect(r.out).toContain("made the student's 4 changes (not in the fault ledger: reset leaves them in place)");
    expect(r.out).toContain("create route 128.0.0.0/1 → tgw netlab-tgw in VPC02-Private-Subnet-B-RT  — the EC2 API (CreateRoute)");
    expect(r.out).toContain("Grade it: lab check tgw-default-route --offline --lab s01");
    // AND a separate lab check sees them and passes
    expect((await lab(["check", "tgw-default-route"], cwd)).code).toBe(0);
  });

  it("grades a wrong repair as a fail, naming the table left broken", async () => {
    // GIVEN tgw-default-route injected, and the student repairs only table A
    const cwd = await injected("tgw-default-route");
    expect((await lab(["try", json({ kind: "create-route", routeTable: "VPC02-Private-Subnet-A-RT", destination: "0.0.0.0/0", target: tgw })], cwd)).code).toBe(0);
    // WHEN checked / THEN it fails at VPC02-Private-Subnet-B-RT
    const check = await lab(["check", "tgw-default-route"], cwd);
    expect(check.code).toBe(1);
    expect(check.out).toContain("blocked at VPC02-Private-Subnet-B-RT (NO_ROUTE)");
  });

  it("reads the changes from --file", async () => {
    // GIVEN a file holding an array of changes
    const cwd = await injected("tgw-default-route");
    const file = join(cwd, "changes.json");
    writeFileSync(file, json([...halves("VPC02-Private-Subnet-A-RT"), ...halves("VPC02-Private-Subnet-B-RT")]));
    // WHEN tried with --file (relative to the working folder) / THEN made, and the check passes
    expect((await lab(["try", "--file", "changes.json"], cwd)).code).toBe(0);
    expect((await lab(["check", "tgw-default-route"], cwd)).code).toBe(0);
  });

  it("--dry-run checks the changes and changes nothing; --json says how each would be made", async () => {
    // GIVEN alb-target-stopped injected
    const cwd = await injected("alb-target-stopped");
    const before = network(cwd);
    // WHEN the student's start is tried as a dry run, as JSON
    const r = await lab(["try", json({ kind: "start-instance", instance: "DMZVPC-Private-B-10.11.24.102" }), "--dry-run", "--json"], cwd);
    // THEN exit 0, the JSON names the change and its way, and the lab is untouched
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toEqual({
      lab: "s01",
      status: "dry-run",
      changes: [{ change: { kind: "start-instance", instance: "DMZVPC-Private-B-10.11.24.102" }, description: "start instance DMZVPC-Private-B-10.11.24.102", way: "the EC2 API (StartInstances)" }],
    });
    expect(network(cwd)).toBe(before);
  });

  it("stops an instance the way a student can: from inside the OS (the policy has no ec2:StopInstances)", async () => {
    // GIVEN a lab / WHEN a student stops an unrelated instance
    const r = await lab(["try", json({ kind: "stop-instance", instance: "VPC01-Private-A-10.1.20.101" }), "--json"]);
    // THEN it is made, by a shutdown inside the OS, and the instance is stopped
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).changes[0].way).toBe("inside the OS, by Run Command or Session Manager (sudo shutdown -h now)");
    const s = JSON.parse(readFileSync(statePath(r.cwd), "utf8")) as { snapshot: { instances: { name: string; state: string }[] } };
    expect(s.snapshot.instances.find((i) => i.name === "VPC01-Private-A-10.1.20.101")?.state).toBe("stopped");
  });
});

describe("lab try --help", () => {
  it("lists the kinds the student policy allows, with their fields and how a student makes them, and the refused ones", async () => {
    // GIVEN nothing / WHEN the help is asked for
    const io = bufferIo();
    const code = await run(["try", "--help"], io);
    // THEN exit 0, and the kinds are listed in the two groups
    expect(code).toBe(0);
    expect(io.stdout).toContain("  stop-instance {instance}: inside the OS, by Run Command or Session Manager (sudo shutdown -h now)");
    expect(io.stdout).toContain("  authorize-sg-rule (ingress) {securityGroup, direction, rule}: the EC2 API (AuthorizeSecurityGroupIngress)");
    const refused = io.stdout.slice(io.stdout.indexOf("Refused as the policy refuses them on AWS:"), io.stdout.indexOf("Names are"));
    expect(refused.trim().split("\n").slice(1).map((l) => l.trim())).toEqual(["delete-route", "revoke-sg-rule (egress)", "authorize-sg-rule (egress)", "disassociate-zone", "delete-flow-log"]);
  });
});

describe("lab try refuses, with exit 1 and nothing changed, what AWS would refuse the student", () => {
  it.each([
    [
      "a route deletion (the student policy has no ec2:DeleteRoute)",
      { kind: "delete-route", routeTable: "VPC01-Private-Subnet-A-RT", destination: "0.0.0.0/0" },
      ["no statement allows ec2:DeleteRoute on route table VPC01-Private-Subnet-A-RT", "AWS would answer UnauthorizedOperation"],
    ],
    [
      "an egress rule (only ingress rules are the student's)",
      { kind: "revoke-sg-rule", securityGroup: "VPC02-PrivateSG", direction: "egress", rule: { protocol: "-1", fromPort: -1, toPort: -1, cidr: "0.0.0.0/0" } },
      ["no statement allows ec2:RevokeSecurityGroupEgress on security group VPC02-PrivateSG"],
    ],
    [
      "a zone disassociation (the student may only associate)",
      { kind: "disassociate-zone", zone: "netlab.internal", vpc: "VPC01" },
      ["no statement allows route53:DisassociateVPCFromHostedZone on hosted zone netlab.internal", "AWS would answer AccessDenied"],
    ],
    ["a flow log deletion", { kind: "delete-flow-log", vpc: "VPC01" }, ["no statement allows ec2:DeleteFlowLogs"]],
    [
      "a target from another VPC",
      { kind: "register-target", targetGroup: "DMZVPC-TG-web", instance: "VPC01-Private-A-10.1.20.101", port: 80 },
      ["AWS would refuse it (InvalidTarget)", "VPC01-Private-A-10.1.20.101 is in VPC01, not in DMZVPC, the VPC of DMZVPC-TG-web"],
    ],
    [
      "a route to another VPC's NAT gateway",
      { kind: "create-route", routeTable: "VPC01-Private-Subnet-A-RT", destination: "8.8.8.8/32", target: { kind: "nat-gateway", name: "DMZVPC-NATGW-A" } },
      ["AWS would refuse it (InvalidParameterValue)", "belong to different networks", "DMZVPC-NATGW-A is in DMZVPC, VPC01-Private-Subnet-A-RT is in VPC01"],
    ],
    [
      "a route to another VPC's internet gateway",
      { kind: "create-route", routeTable: "VPC02-Private-Subnet-A-RT", destination: "8.8.8.8/32", target: { kind: "igw", name: "DMZVPC-IGW" } },
      ["AWS would refuse it (InvalidParameterValue)", "DMZVPC-IGW is in DMZVPC"],
    ],
    [
      "a route that is already there",
      { kind: "create-route", routeTable: "VPC01-Private-Subnet-A-RT", destination: "0.0.0.0/0", target: tgw },
      ["AWS would refuse it (RouteAlreadyExists)", "VPC01-Private-Subnet-A-RT already has a route for 0.0.0.0/0"],
    ],
    [
      "a rule that is already there",
      { kind: "authorize-sg-rule", securityGroup: "DMZVPC-PrivateSG", direction: "ingress", rule: { protocol: "tcp", fromPort: 80, toPort: 80, peerSecurityGroup: "DMZVPC-ALB-SG" } },
      ["AWS would refuse it (InvalidPermission.Duplicate)"],
    ],
    ["a second flow log of the same traffic to the same group", { kind: "create-flow-log", vpc: "VPC01", logGroup: "/aws/vpc/flowlogs", trafficType: "ALL" }, ["AWS would refuse it (FlowLogAlreadyExists)"]],
    ["an association the zone already has", { kind: "associate-zone", zone: "netlab.internal", vpc: "VPC01" }, ["AWS would refuse it (ConflictingDomainExists)"]],
  ])("%s", async (_what, change, reasons) => {
    // GIVEN a simulated lab
    const cwd = (await lab(["status"])).cwd;
    const before = network(cwd);
    // WHEN the student's change is tried
    const r = await lab(["try", JSON.stringify(change)], cwd);
    // THEN refused (exit 1) with the reason, and the lab is as it was
    expect(r.code).toBe(1);
    expect(r.err).toContain("refused change 1");
    for (const reason of reasons) expect(r.err).toContain(reason);
    expect(r.err).toContain("Nothing was changed.");
    expect(network(cwd)).toBe(before);
  });

  it("refuses a target that is not running (InvalidTarget), after a student stopped it", async () => {
    // GIVEN alb-target-stopped injected / WHEN the stopped instance is re-registered on another port
    const cwd = await injected("alb-target-stopped");
    const r = await lab(["try", json({ kind: "register-target", targetGroup: "DMZVPC-TG-web", instance: "DMZVPC-Private-B-10.11.24.102", port: 8080 })], cwd);
    // THEN AWS's refusal
    expect(r.code).toBe(1);
    expect(r.err).toContain("AWS would refuse it (InvalidTarget)");
    expect(r.err).toContain("DMZVPC-Private-B-10.11.24.102 is stopped, and a target must be running when it is registered");
  });

  it("refuses a command inside an instance that Run Command cannot reach (DeliveryTimedOut)", async () => {
    // GIVEN a lab / WHEN a student cuts VPC01's SSM endpoints, then tries to shut down a VPC01 instance from inside
    const cwd = (await lab(["status"])).cwd;
    const before = network(cwd);
    const changes: Change[] = [
      { kind: "revoke-sg-rule", securityGroup: "VPC01-EndpointSG", direction: "ingress", rule: { protocol: "tcp", fromPort: 443, toPort: 443, cidr: "10.1.0.0/16" } },
      { kind: "stop-instance", instance: "VPC01-Private-A-10.1.20.101" },
    ];
    const r = await lab(["try", json(changes)], cwd);
    // THEN the shutdown is refused as never delivered, naming what blocks the agent, and nothing is changed
    expect(r.code).toBe(1);
    expect(r.err).toContain("refused change 2 (stop instance VPC01-Private-A-10.1.20.101): Run Command cannot reach VPC01-Private-A-10.1.20.101 (its agent gets no answer from ssm: blocked at VPC01-EndpointSG");
    expect(r.err).toContain("DeliveryTimedOut");
    expect(network(cwd)).toBe(before);
  });

  it("refuses a command inside a stopped instance", async () => {
    // GIVEN alb-target-stopped injected / WHEN a student tries to start a CPU load inside the stopped target
    const cwd = await injected("alb-target-stopped");
    const r = await lab(["try", json({ kind: "set-os-state", instance: "DMZVPC-Private-B-10.11.24.102", key: "cpuLoad", value: true }), "--json"], cwd);
    // THEN refused: Run Command cannot reach a stopped instance
    expect(r.code).toBe(1);
    expect(JSON.parse(r.out)).toMatchObject({ status: "refused", by: "aws", code: "DeliveryTimedOut" });
    expect(JSON.parse(r.out).reason).toContain("blocked at DMZVPC-Private-B-10.11.24.102 (INSTANCE_NOT_RUNNING)");
  });

  it("makes none of a list when one of them would be refused, and says which", async () => {
    // GIVEN a lab, and a list whose second change is not the student's to make
    const cwd = (await lab(["status"])).cwd;
    const before = network(cwd);
    const changes: Change[] = [
      { kind: "create-route", routeTable: "VPC01-Private-Subnet-A-RT", destination: "192.168.0.0/16", target: tgw },
      { kind: "delete-route", routeTable: "VPC01-Private-Subnet-A-RT", destination: "0.0.0.0/0" },
    ];
    // WHEN tried as JSON
    const r = await lab(["try", json(changes), "--json"], cwd);
    // THEN exit 1, the refusal names change 2 and its code, and the first one was not made either
    expect(r.code).toBe(1);
    expect(JSON.parse(r.out)).toMatchObject({ lab: "s01", status: "refused", by: "policy", index: 1, change: changes[1], code: "UnauthorizedOperation" });
    expect(network(cwd)).toBe(before);
  });

  it("checks each change on the lab as the ones before it leave it", async () => {
    // GIVEN a lab / WHEN the same route is created twice in one list
    const cwd = (await lab(["status"])).cwd;
    const route: Change = { kind: "create-route", routeTable: "VPC01-Private-Subnet-A-RT", destination: "192.168.0.0/16", target: tgw };
    const r = await lab(["try", json([route, route])], cwd);
    // THEN the second is refused as AWS would: the first made the route exist
    expect(r.code).toBe(1);
    expect(r.err).toContain("refused change 2");
    expect(r.err).toContain("RouteAlreadyExists");
  });
});

describe("lab try rejects bad input with exit 2, naming the bad value and the valid choices", () => {
  it.each([
    [["try", "{kind"], "The change argument is not JSON"],
    [["try", '{"kind":"frob"}'], 'The change argument has an unknown kind "frob"; the kinds a student may make: create-route, replace-route, stop-instance, start-instance, set-source-dest-check, revoke-sg-rule (ingress), authorize-sg-rule (ingress), deregister-target, register-target, associate-zone, create-flow-log, set-os-state.'],
    [["try", '{"instance":"NAT-Instance"}'], "The change argument has no kind; the kinds a student may make: create-route,"],
    [["try", '[{"kind":"start-instance","instance":"NAT-Instance"},{"kind":"stop"}]'], 'The change argument, change 2, has an unknown kind "stop"'],
    [["try", "[]"], "The change argument holds an empty list: give at least one change."],
    [["try", '"start"'], "The change argument is not a JSON object"],
    [["try", '{"kind":"create-route","routeTable":"VPC01-Private-Subnet-A-RT","destination":"10.0.0.0/33","target":{"kind":"tgw","name":"netlab-tgw"}}'], 'destination = "10.0.0.0/33": must be an IPv4 CIDR such as 0.0.0.0/0'],
    [["try", '{"kind":"create-route","routeTable":"VPC01-Private-Subnet-A-RT","destination":"10.0.0.0/8","target":{"kind":"vgw","name":"x"}}'], "target.kind = \"vgw\": Invalid discriminator value. Expected 'tgw' | 'igw' | 'nat-gateway' | 'instance-eni'"],
    [["try", '{"kind":"start-instance","instance":"NAT-Instance","force":true}'], 'Unrecognized key(s) in object: \'force\''],
    [["try", '{"kind":"start-instance","instance":"Web-9"}'], 'The lab has no instance named "Web-9"; it has: DMZVPC-Private-A-10.11.20.101,'],
    [["try", '{"kind":"authorize-sg-rule","securityGroup":"VPC02-PrivateSG","direction":"ingress","rule":{"protocol":"tcp","fromPort":22,"toPort":22,"peerSecurityGroup":"No-SG"}}'], 'The lab has no security group named "No-SG"; it has: DMZVPC-ALB-SG,'],
    [["try", '{"kind":"create-route","routeTable":"VPC01-Private-Subnet-A-RT","destination":"10.0.0.0/8","target":{"kind":"tgw","name":"tgw-9"}}'], 'The lab has no transit gateway named "tgw-9"; it has: netlab-tgw.'],
    [["try"], "Give the change(s) to make: lab try '<change json>' --offline, or lab try --file changes.json --offline"],
    [["try", '{"kind":"start-instance","instance":"NAT-Instance"}', "--file", "x.json"], "Give the change(s) either as the argument or with --file, not both."],
    [["try", "--file", "missing.json"], "--file missing.json cannot be read (ENOENT)"],
  ])("%j", async (args, message) => {
    // GIVEN a simulated lab that exists
    const cwd = (await lab(["status"])).cwd;
    const before = network(cwd);
    // WHEN the bad input is tried / THEN exit 2, the message, and the lab unchanged
    const r = await lab(args, cwd);
    expect(r.code).toBe(2);
    expect(r.err).toContain(message);
    expect(network(cwd)).toBe(before);
  });

  it("works on the simulated lab only: without --offline it says so and touches nothing", async () => {
    // GIVEN a project with no simulated lab / WHEN try runs without --offline
    const cwd = mkdtempSync(join(tmpdir(), "netlab-try-"));
    const io = bufferIo({ cwd, root: cwd });
    const code = await run(["try", '{"kind":"start-instance","instance":"NAT-Instance"}'], io);
    // THEN exit 2 with the way to do it, and no lab was opened
    expect(code).toBe(2);
    expect(io.stderr).toContain("lab try works on the simulated lab only: add --offline.");
    expect(existsSync(join(cwd, ".netlab"))).toBe(false);
  });
});

describe("lab reset after a student's tried changes", () => {
  it("undoes the fault, keeps the student's extra change, and keeps the ledger free of it", async () => {
    // GIVEN alb-sg-blocked injected, the student's reference repair, and an extra rule of theirs
    const cwd = await injected("alb-sg-blocked");
    const fromAlb = { protocol: "tcp", fromPort: 80, toPort: 80, peerSecurityGroup: "DMZVPC-ALB-SG" };
    const extra = { protocol: "tcp", fromPort: 443, toPort: 443, cidr: "10.254.0.0/16" };
    const repair = [
      { kind: "authorize-sg-rule", securityGroup: "DMZVPC-PrivateSG", direction: "ingress", rule: fromAlb },
      { kind: "authorize-sg-rule", securityGroup: "DMZVPC-PrivateSG", direction: "ingress", rule: extra },
    ];
    expect((await lab(["try", JSON.stringify(repair)], cwd)).code).toBe(0);
    // THEN the ledger still holds only the fault
    expect(Object.keys(ledger(cwd))).toEqual(["alb-sg-blocked"]);
    // WHEN reset
    const r = await lab(["reset", "alb-sg-blocked"], cwd);
    // THEN the fault's inverse is skipped (the student made it already), the checks pass, the ledger is empty
    expect(r.code).toBe(0);
    expect(r.out).toContain("skip authorize ingress tcp/80 SG DMZVPC-ALB-SG on DMZVPC-PrivateSG");
    expect(ledger(cwd)).toEqual({});
    // AND the student's extra rule is still there
    const s = JSON.parse(readFileSync(statePath(cwd), "utf8")) as { snapshot: { securityGroups: { name: string; ingress: { fromPort: number; cidr?: string }[] }[] } };
    expect(s.snapshot.securityGroups.find((g) => g.name === "DMZVPC-PrivateSG")?.ingress.some((x) => x.fromPort === 443 && x.cidr === "10.254.0.0/16")).toBe(true);
  });

  it("keeps the fault's record when the student's change holds the place of an inverse, and overwrites nothing", async () => {
    // GIVEN tgw-default-route injected, and a student who sent VPC02-A's default route to an instance instead
    const cwd = await injected("tgw-default-route");
    const wrong: Change = { kind: "create-route", routeTable: "VPC02-Private-Subnet-A-RT", destination: "0.0.0.0/0", target: { kind: "instance-eni", instance: "VPC02-Private-A-10.2.20.101" } };
    expect((await lab(["try", json(wrong)], cwd)).code).toBe(0);
    // WHEN reset
    const r = await lab(["reset", "tgw-default-route"], cwd);
    // THEN table B is restored, table A keeps the student's route (reported as kept), the checks fail (exit 1),
    // and the ledger entry stays, so that reset can finish once the student's route is removed
    expect(r.code).toBe(1);
    expect(r.out).toContain("done create route 0.0.0.0/0 → tgw netlab-tgw in VPC02-Private-Subnet-B-RT");
    expect(r.out).toContain("kept create route 0.0.0.0/0 → tgw netlab-tgw in VPC02-Private-Subnet-A-RT");
    expect(r.out).toContain("The ledger entry is kept: 1 of its inverses was held back by a change someone made in its place");
    expect(Object.keys(ledger(cwd))).toEqual(["tgw-default-route"]);
    const s = JSON.parse(readFileSync(statePath(cwd), "utf8")) as { snapshot: { routeTables: { name: string; routes: { destination: string; target: { kind: string } }[] }[] } };
    expect(s.snapshot.routeTables.find((t) => t.name === "VPC02-Private-Subnet-A-RT")?.routes.find((x) => x.destination === "0.0.0.0/0")?.target.kind).toBe("eni");
  });

  it("undoes the fault, keeps a student's damaging change, and reports it as collateral damage (exit 1)", async () => {
    // GIVEN tgw-default-route injected, repaired by the student, who also shut down an unrelated VPC01 instance
    const cwd = await injected("tgw-default-route");
    const changes: Change[] = [
      ...["VPC02-Private-Subnet-A-RT", "VPC02-Private-Subnet-B-RT"].map((rt): Change => ({ kind: "create-route", routeTable: rt, destination: "0.0.0.0/0", target: tgw })),
      { kind: "stop-instance", instance: "VPC01-Private-A-10.1.20.101" },
    ];
    expect((await lab(["try", json(changes)], cwd)).code).toBe(0);
    // WHEN checked / THEN the scenario's checks pass, but the grade fails on the damage elsewhere
    const check = await lab(["check", "tgw-default-route", "--json"], cwd);
    expect(check.code).toBe(1);
    expect(JSON.stringify(JSON.parse(check.out))).toContain("blocked at VPC01-Private-A-10.1.20.101 (INSTANCE_NOT_RUNNING)");
    // WHEN reset
    const r = await lab(["reset", "tgw-default-route", "--json"], cwd);
    // THEN the fault's inverses are skipped (the student made them), the entry is cleared, the stopped instance
    // is left as the student left it, and reset exits 1 naming it
    expect(r.code).toBe(1);
    expect(JSON.stringify(JSON.parse(r.out))).toContain("VPC01-Private-A-10.1.20.101");
    expect(ledger(cwd)).toEqual({});
    const s = JSON.parse(readFileSync(statePath(cwd), "utf8")) as { snapshot: { instances: { name: string; state: string }[] } };
    expect(s.snapshot.instances.find((i) => i.name === "VPC01-Private-A-10.1.20.101")?.state).toBe("stopped");
  });

  it("undoes the fault and reports a wrong change of the student's that reset does not touch (exit 1)", async () => {
    // GIVEN alb-sg-blocked injected, and a student who opened port 80 to the world instead
    const cwd = await injected("alb-sg-blocked");
    const world = { kind: "authorize-sg-rule", securityGroup: "DMZVPC-PrivateSG", direction: "ingress", rule: { protocol: "tcp", fromPort: 80, toPort: 80, cidr: "0.0.0.0/0" } };
    expect((await lab(["try", JSON.stringify(world)], cwd)).code).toBe(0);
    expect((await lab(["check", "alb-sg-blocked"], cwd)).code).toBe(1);
    // WHEN reset
    const r = await lab(["reset", "alb-sg-blocked"], cwd);
    // THEN the fault is undone but the lab is not back to its baseline: the student's rule is named, and kept
    expect(r.code).toBe(1);
    expect(r.out).toContain("done authorize ingress tcp/80 SG DMZVPC-ALB-SG on DMZVPC-PrivateSG");
    expect(r.out).toContain("FAIL web-port-80-not-open-to-world");
    expect(r.out).toContain("comes from a change the fault did not make");
    expect(ledger(cwd)).toEqual({});
  });
});
