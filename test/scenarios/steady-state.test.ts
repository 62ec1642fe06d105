import { compareSteadyState, effectCovers } from "../../checks/collateral";
import { steadyState } from "../../checks/steady-state";
import { grade } from "../../lifecycle/grade";
import { inject } from "../../lifecycle/inject";
import { SCENARIOS } from "../../scenarios";
import { labSnapshot, openSimLab } from "../helpers/lab";
import { attachGroup, editSimLab, setVpcDns } from "../helpers/sim-edit";

describe.each(SCENARIOS.map((s) => [s.id, s] as const))("the steady state under %s", (_id, scenario) => {
  it("differs during the fault exactly by the declared effects (none collateral), and not at all after the reference solve", async () => {
    // GIVEN the lab and its baseline steady state
    const cloud = await openSimLab();
    try {
      const baseline = steadyState(await labSnapshot());
      // WHEN the fault is injected
      await inject(cloud, scenario, { by: "jest" });
      const during = compareSteadyState(baseline, steadyState(await cloud.snapshot()), scenario.effects);
      // THEN every difference is declared, and every declared effect shows
      expect(during.collateral.map((c) => c.fact)).toEqual([]);
      const shown = during.expected.map((key) => {
        const [kind, from, to] = key.split("|");
        return { kind: kind as (typeof scenario.effects)[number]["kind"], from, to };
      });
      expect(scenario.effects.filter((e) => !shown.some((x) => effectCovers(e, x)))).toEqual([]);
      // AND the grade during the fault names no collateral
      expect((await grade(cloud, scenario)).collateral).toEqual([]);
      // WHEN the reference fix is applied / THEN the steady state is the baseline's, and the grade passes with zero collateral
      for (const c of scenario.solve) await cloud.apply(c);
      expect(compareSteadyState(baseline, steadyState(await cloud.snapshot()))).toMatchObject({ status: "same", collateral: [], expected: [] });
      const g = await grade(cloud, scenario);
      expect([g.status, g.collateral, g.steadyState.status]).toEqual(["pass", [], "same"]);
    } finally {
      await cloud.close();
    }
  });
});

describe("effective security group rules", () => {
  const alb = SCENARIOS.find((s) => s.id === "alb-sg-blocked")!;
  const web = "DMZVPC-Private-A-10.11.20.101";

  it("fails the web targets' port-80 check when a group a student attached opens 80 to the world, naming the instance and the group", async () => {
    // GIVEN alb-sg-blocked repaired, and the ALB's own group (80 from anywhere) attached to a web instance
    const cloud = await openSimLab();
    await inject(cloud, alb, { by: "jest" });
    for (const c of alb.solve) await cloud.apply(c);
    await editSimLab(cloud, attachGroup(web, "DMZVPC-ALB-SG"));
    // WHEN graded / THEN the world-opening check fails through the attached group
    const g = await grade(cloud, alb);
    const check = g.checks.find((c) => c.id === "web-port-80-not-open-to-world")!;
    expect(check.status).toBe("fail");
    expect(check.evidence).toContain(`${web} (groups DMZVPC-PrivateSG + DMZVPC-ALB-SG): DMZVPC-ALB-SG: tcp/80 from 0.0.0.0/0`);
    expect(g.status).toBe("fail");
    await cloud.close();
  });

  it("passes a correct alternative: the ALB rule restored in another group every web target carries", async () => {
    // GIVEN alb-sg-blocked injected, and a new group that admits 80 from the ALB's group attached to the four targets
    const cloud = await openSimLab();
    await inject(cloud, alb, { by: "jest" });
    await editSimLab(cloud, (s) => {
      const albSg = s.securityGroups.find((g) => g.name === "DMZVPC-ALB-SG")!;
      const base = s.securityGroups.find((g) => g.name === "DMZVPC-PrivateSG")!;
      s.securityGroups.push({ ...base, id: "sg-webfromalb", name: "web-from-alb", groupName: "web-from-alb", ingress: [{ protocol: "tcp", fromPort: 80, toPort: 80, peerSecurityGroupId: albSg.id }], egress: [] });
      for (const i of s.instances.filter((x) => x.name.startsWith("DMZVPC-Private-"))) i.securityGroupIds.push("sg-webfromalb");
    });
    // WHEN graded / THEN every check passes, and the steady state is the baseline's
    const g = await grade(cloud, alb);
    expect(g.checks.map((c) => [c.id, c.status])).toEqual(alb.checks.map((c) => [c.id, "pass"]));
    expect([g.status, g.collateral]).toEqual(["pass", []]);
    await cloud.close();
  });

  it("fails the ALB rule check for a target whose groups lack it, naming the target and the groups it carries", async () => {
    const cloud = await openSimLab();
    await inject(cloud, alb, { by: "jest" });
    const g = await grade(cloud, alb);
    const check = g.checks.find((c) => c.id === "web-port-80-open-to-alb-sg")!;
    expect(check.status).toBe("fail");
    expect(check.evidence).toContain(`${web} (groups DMZVPC-PrivateSG)`);
    await cloud.close();
  });

  it("fails an SG check on an instance the lab does not have, naming it", async () => {
    const cloud = await openSimLab();
    const { runChecks } = await import("../../checks/evaluate");
    const check = { ...alb.checks.find((c) => c.id === "web-port-80-not-open-to-world")!, securityGroups: { carriedBy: ["No-Such-Instance"] } };
    const { results } = await runChecks(cloud, [check]);
    expect(results[0]).toMatchObject({ status: "fail", evidence: "expected instances No-Such-Instance; the lab has none by that name" });
    await cloud.close();
  });
});

describe("the VPC's DNS attributes", () => {
  const dns = SCENARIOS.find((s) => s.id === "dns-private-zone")!;

  it("with enableDnsSupport off, the resolver answers nothing: no name resolves, the SSM agent loses its endpoints, and the grade names VPC02", async () => {
    // GIVEN VPC02 with DNS support off
    const cloud = await openSimLab();
    await editSimLab(cloud, setVpcDns("VPC02", { dnsSupport: false }));
    // WHEN names are resolved from VPC02 (a probe cannot even run there: the agent cannot resolve the SSM endpoints) and into it from VPC01
    const [inside, outside] = await cloud.probe([
      { from: "VPC02-Private-A-10.2.20.101", spec: { kind: "dns", name: "vpc01-a.netlab.internal" } },
      { from: "VPC01-Private-A-10.1.20.101", spec: { kind: "dns", name: "vpc02-a.netlab.internal" } },
    ]);
    expect(inside).toMatchObject({ ran: false, reason: expect.stringContaining("blocked at VPC02 (DNS_NO_ANSWER)") });
    expect(outside).toMatchObject({ ran: true, observation: { addresses: ["10.2.20.101"] } });
    const { resolveInVpc } = await import("../../network/dns");
    const s = await cloud.snapshot();
    const vpc02 = s.vpcs.find((v) => v.name === "VPC02")!.id;
    // THEN no name resolves there, public or private, and the steady state names VPC02
    expect(resolveInVpc(s, vpc02, "vpc01-a.netlab.internal")).toMatchObject({ kind: "no-answer", blockedAt: "VPC02", detail: expect.stringContaining("enableDnsSupport") });
    expect(resolveInVpc(s, vpc02, "example.com").kind).toBe("no-answer");
    const g = await grade(cloud, dns);
    expect(g.status).toBe("fail");
    expect(g.collateral.some((c) => c.component === "VPC02" && c.reason === "DNS_NO_ANSWER")).toBe(true);
    // AND Session Manager's agent in VPC02 cannot resolve its endpoints either
    expect(g.collateral.some((c) => c.factKind === "ssm" && c.subject === "Session Manager → VPC02-Private-A-10.2.20.101")).toBe(true);
    await cloud.close();
  });

  it("with enableDnsHostnames off, private zones and endpoint private DNS stop answering, public names still resolve", async () => {
    const s = structuredClone(await labSnapshot());
    setVpcDns("VPC02", { dnsHostnames: false })(s);
    const vpc02 = s.vpcs.find((v) => v.name === "VPC02")!.id;
    const { resolveInVpc } = await import("../../network/dns");
    expect(resolveInVpc(s, vpc02, "vpc01-a.netlab.internal")).toMatchObject({ kind: "no-answer", detail: expect.stringContaining("enableDnsHostnames") });
    expect(resolveInVpc(s, vpc02, `ssm.${s.region}.amazonaws.com`).kind).toBe("public");
    expect(resolveInVpc(s, vpc02, "example.com").kind).toBe("public");
  });
});

describe("what the ALB answers with no healthy target", () => {
  it("gives 504 when every target is unhealthy (the ALB fails open and cannot connect), as in alb-sg-blocked's brief", async () => {
    const cloud = await openSimLab();
    await inject(cloud, SCENARIOS.find((s) => s.id === "alb-sg-blocked")!, { by: "jest" });
    const [r] = await cloud.probe([{ from: "mgmtvpc-Workstation-10.254.0.101", spec: { kind: "http", to: "alb" } }]);
    expect(r).toMatchObject({ ran: true, observation: { httpStatus: 504 } });
    await cloud.close();
  });

  it("gives 503 when no target is in service (all stopped)", async () => {
    const cloud = await openSimLab();
    for (const i of (await cloud.snapshot()).instances.filter((x) => x.name.startsWith("DMZVPC-Private-"))) await cloud.apply({ kind: "stop-instance", instance: i.name });
    const [r] = await cloud.probe([{ from: "mgmtvpc-Workstation-10.254.0.101", spec: { kind: "http", to: "alb" } }]);
    expect(r).toMatchObject({ ran: true, observation: { httpStatus: 503 } });
    await cloud.close();
  });

  it("gives 502 when every target refuses the connection (nothing listens on the port)", async () => {
    const cloud = await openSimLab();
    await editSimLab(cloud, (s) => {
      for (const i of s.instances.filter((x) => x.name.startsWith("DMZVPC-Private-"))) i.os = { ...i.os!, listeningPorts: [] };
    });
    const [r] = await cloud.probe([{ from: "mgmtvpc-Workstation-10.254.0.101", spec: { kind: "http", to: "alb" } }]);
    expect(r).toMatchObject({ ran: true, observation: { httpStatus: 502 } });
    await cloud.close();
  });
});
