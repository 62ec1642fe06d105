import { readdirSync, readFileSync } from "fs";
import { join } from "path";
import type { Change } from "../../cloud/change";
import type { CheckSpec, Localized } from "../../checks/types";
import { findScenario, scenarioIds, SCENARIOS, UnknownScenarioError } from "../../scenarios";
import type { Scenario } from "../../scenarios/types";
import { LAB_TOPOLOGY } from "../../topology/lab";

const KEBAB = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const HANGUL = /[\uAC00-\uD7A3]/;
const SCENARIO_DIR = join(__dirname, "../../scenarios");

/** What kind of lab resource a name must be. */
type ResourceKind = "vpc" | "route-table" | "security-group" | "instance" | "target-group" | "zone" | "tgw" | "igw" | "nat-gateway" | "log-group" | "alarm";

const lab = LAB_TOPOLOGY;
const KNOWN: Record<ResourceKind, ReadonlySet<string>> = {
  vpc: new Set(lab.vpcs.map((v) => v.name)),
  "route-table": new Set(lab.vpcs.flatMap((v) => v.routeTables.map((t) => t.name))),
  "security-group": new Set(lab.vpcs.flatMap((v) => v.securityGroups.map((g) => g.name))),
  instance: new Set(lab.instances.map((i) => i.name)),
  "target-group": new Set([lab.alb.targetGroup.name]),
  zone: new Set([lab.dns.zoneName]),
  tgw: new Set([lab.tgw.name]),
  igw: new Set(lab.vpcs.flatMap((v) => (v.internetGateway ? [v.internetGateway] : []))),
  "nat-gateway": new Set(lab.vpcs.flatMap((v) => (v.natGateways ?? []).map((n) => n.name))),
  "log-group": new Set([lab.monitoring.flowLogGroup]),
  alarm: new Set([lab.monitoring.cpuAlarm.name]),
};
const INSTANCE_IPS = new Set(lab.instances.map((i) => i.privateIp));

type NameRef = [ResourceKind, string];

function namesInChange(c: Change): NameRef[] {
  switch (c.kind) {
    case "delete-route":
      return [["route-table", c.routeTable]];
    case "create-route":
    case "replace-route": {
      const t = c.target;
      const target: NameRef = t.kind === "instance-eni" ? ["instance", t.instance] : [t.kind, t.name];
      return [["route-table", c.routeTable], target];
    }
    case "stop-instance":
    case "start-instance":
    case "set-source-dest-check":
    case "set-os-state":
      return [["instance", c.instance]];
    case "revoke-sg-rule":
    case "authorize-sg-rule":
      return [["security-group", c.securityGroup], ...(c.rule.peerSecurityGroup ? [["security-group", c.rule.peerSecurityGroup] as NameRef] : [])];
    case "deregister-target":
    case "register-target":
      return [
        ["target-group", c.targetGroup],
        ["instance", c.instance],
      ];
    case "disassociate-zone":
    case "associate-zone":
      return [
        ["zone", c.zone],
        ["vpc", c.vpc],
      ];
    case "delete-flow-log":
      return [["vpc", c.vpc]];
    case "create-flow-log":
      return [
        ["vpc", c.vpc],
        ["log-group", c.logGroup],
      ];
  }
}

function namesInCheck(c: CheckSpec): NameRef[] {
  switch (c.kind) {
    case "http": {
      const via: NameRef[] = !c.egressVia ? [] : "natGatewaysOfVpc" in c.egressVia ? [["vpc", c.egressVia.natGatewaysOfVpc]] : [["instance", c.egressVia.instancePublicIp]];
      return [["instance", c.from], ...via];
    }
    case "dns":
    case "tcp":
    case "icmp":
      return [["instance", c.from]];
    case "os-state":
    case "source-dest-check":
      return [["instance", c.instance]];
    case "ssm-reachable":
      return c.instances.map((i): NameRef => ["instance", i]);
    case "route-present":
      return [["route-table", c.routeTable]];
    case "target-health":
      return [["target-group", c.targetGroup]];
    case "target-registered":
      return [
        ["target-group", c.targetGroup],
        ["instance", c.instance],
      ];
    case "sg-rule": {
      const groups =
        c.securityGroups === "all"
          ? []
          : Array.isArray(c.securityGroups)
            ? c.securityGroups.map((g): NameRef => ["security-group", g])
            : c.securityGroups.carriedBy.map((i): NameRef => ["instance", i]);
      return [...groups, ...(c.rule.peerSecurityGroup ? [["security-group", c.rule.peerSecurityGroup] as NameRef] : [])];
    }
    case "zone-associated":
      return [["zone", c.zone], ...c.vpcs.map((v): NameRef => ["vpc", v])];
    case "flow-log-active":
      return [["log-group", c.logGroup], ...(c.vpcs === "all" ? [] : c.vpcs.map((v): NameRef => ["vpc", v]))];
    case "alarm-fired":
      return [["alarm", c.alarm]];
    case "alarm":
      return [
        ["alarm", c.alarm],
        ["instance", c.instance],
      ];
  }
}

function unknownNames(refs: readonly NameRef[], where: string): string[] {
  return refs.filter(([kind, name]) => !KNOWN[kind].has(name)).map(([kind, name]) => `${where}: no ${kind} named "${name}" in LAB_TOPOLOGY`);
}

/** Every text a student or instructor reads in a scenario, labelled. */
function texts(s: Scenario): [string, Localized][] {
  return [
    ["title", s.title],
    ["brief", s.brief],
    ...s.hints.map((h, i): [string, Localized] => [`hint ${i + 1}`, h]),
    ...s.checks.flatMap((c): [string, Localized][] => [
      [`check ${c.id} title`, c.title],
      [`check ${c.id} hint`, c.hint],
    ]),
  ];
}

/** The module specifiers a TypeScript file imports or requires, with whether the import is type-only. */
function importsOf(source: string): { from: string; typeOnly: boolean }[] {
  const found: { from: string; typeOnly: boolean }[] = [];
  for (const m of source.matchAll(/^\s*(import|export)\s+(type\s+)?[^'"]*?\bfrom\s+["']([^"']+)["']/gm)) found.push({ from: m[3], typeOnly: Boolean(m[2]) });
  for (const m of source.matchAll(/^\s*import\s+["']([^"']+)["']/gm)) found.push({ from: m[1], typeOnly: false });
  for (const m of source.matchAll(/\b(?:require|import)\s*\(\s*["']([^"']+)["']\s*\)/g)) found.push({ from: m[1], typeOnly: false });
  return found;
}

const scenarioFiles = readdirSync(SCENARIO_DIR).filter((f) => f.endsWith(".ts"));
const byId = SCENARIOS.map((s) => [s.id, s] as const);

describe("the scenario catalogue", () => {
  it("holds the 10 scenarios of DESIGN.md's table, in its order", () => {
    // GIVEN the catalogue / WHEN its ids are listed
    const ids = scenarioIds();
    // THEN they are the table's ids, in order, each unique and kebab-case
    expect(ids).toEqual([
      "tgw-default-route",
      "alb-target-stopped",
      "alb-sg-blocked",
      "alb-port-mismatch",
      "nat-instance-route",
      "nat-instance-masquerade",
      "dns-private-zone",
      "ssh-open-world",
      "cpu-alarm",
      "flow-logs-off",
    ]);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.filter((id) => !KEBAB.test(id))).toEqual([]);
  });

  it("finds a scenario by id", () => {
    // GIVEN a valid id / WHEN looked up / THEN the scenario with that id is returned
    expect(findScenario("dns-private-zone").id).toBe("dns-private-zone");
  });

  it("refuses an unknown id with an error that lists every valid id", () => {
    // GIVEN an id that is not in the catalogue
    // WHEN it is looked up
    const lookUp = () => findScenario("no-such-scenario");
    // THEN an UnknownScenarioError names the bad id and every valid one
    expect(lookUp).toThrow(UnknownScenarioError);
    expect(lookUp).toThrow(`Unknown scenario "no-such-scenario"; valid scenarios: ${scenarioIds().join(", ")}.`);
    expect(lookUp).toThrow(/valid scenarios: tgw-default-route, alb-target-stopped, .*, flow-logs-off\.$/);
  });
});

describe.each(byId)("scenario %s", (_id, scenario) => {
  it("comes from one or more of the seed labs", () => {
    // GIVEN the scenario / THEN its seed is one of 000…004, or several of them as "001, 003"
    expect(scenario.seed).toMatch(/^\d{3}(, \d{3})*$/);
    expect(scenario.seed.split(", ").filter((s) => !["000", "001", "002", "003", "004"].includes(s))).toEqual([]);
  });

  it("has every title, brief and hint in English and Korean, the Korean in Hangul", () => {
    // GIVEN every text of the scenario and its checks
    const all = texts(scenario);
    // WHEN each is read in both languages
    const problems = all.flatMap(([where, t]) => [
      ...(t.en.trim() ? [] : [`${where}: empty en`]),
      ...(t.ko.trim() ? [] : [`${where}: empty ko`]),
      ...(HANGUL.test(t.ko) ? [] : [`${where}: ko has no Hangul: "${t.ko}"`]),
    ]);
    // THEN none is empty and none of the Korean is untranslated English
    expect(scenario.hints.length).toBeGreaterThan(0);
    expect(problems).toEqual([]);
  });

  it("has a fault and a reference fix", () => {
    // GIVEN the scenario / THEN inject and solve both change something
    expect(scenario.inject.length).toBeGreaterThan(0);
    expect(scenario.solve.length).toBeGreaterThan(0);
  });

  it("has checks with unique kebab-case ids", () => {
    // GIVEN the scenario's checks / WHEN their ids are listed
    const ids = scenario.checks.map((c) => c.id);
    // THEN there is at least one, and the ids are unique and kebab-case
    expect(ids.length).toBeGreaterThan(0);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.filter((id) => !KEBAB.test(id))).toEqual([]);
  });

  it("names only resources that LAB_TOPOLOGY has", () => {
    // GIVEN every name its changes and checks use
    const problems = [
      ...scenario.inject.flatMap((c, i) => unknownNames(namesInChange(c), `inject[${i}] ${c.kind}`)),
      ...scenario.solve.flatMap((c, i) => unknownNames(namesInChange(c), `solve[${i}] ${c.kind}`)),
      ...scenario.checks.flatMap((c) => unknownNames(namesInCheck(c), `check ${c.id}`)),
    ];
    // THEN each is a resource of the plan, exactly as spelled there
    expect(problems).toEqual([]);
  });

  it("probes only the internet, the ALB or an address of the lab", () => {
    // GIVEN its probe checks / WHEN their destinations are read
    const destinations = scenario.checks.flatMap((c) => (c.kind === "http" ? [c.probe.to] : c.kind === "tcp" || c.kind === "icmp" ? [c.host] : []));
    // THEN each is "internet", "alb" or an instance's private IP (with an optional port)
    expect(destinations.filter((d) => d !== "internet" && d !== "alb" && !INSTANCE_IPS.has(d.split(":")[0]))).toEqual([]);
  });

  it("expects the addresses the plan gives its names, and egress through resources that have a public address", () => {
    const problems = scenario.checks.flatMap((c): string[] => {
      if (c.kind === "dns") {
        // GIVEN a DNS check / THEN the name is <dnsLabel>.<zone> of the instance whose private IP it expects
        const inst = lab.instances.find((i) => `${i.dnsLabel}.${lab.dns.zoneName}` === c.name);
        return inst?.privateIp === c.expectIp ? [] : [`check ${c.id}: ${c.name} is ${inst?.privateIp ?? "not a record of the zone"} in the plan, not ${c.expectIp}`];
      }
      if (c.kind === "http" && c.egressVia) {
        // GIVEN an egress check / THEN it leaves through a VPC that has NAT gateways, or an instance with a public address
        const via = c.egressVia;
        const ok =
          "natGatewaysOfVpc" in via
            ? (lab.vpcs.find((v) => v.name === via.natGatewaysOfVpc)?.natGateways?.length ?? 0) > 0
            : lab.instances.some((i) => i.name === via.instancePublicIp && (i.elasticIp || i.publicIp));
        return ok ? [] : [`check ${c.id}: egress via ${JSON.stringify(via)} has no public address in the plan`];
      }
      return [];
    });
    expect(problems).toEqual([]);
  });
});

describe("names that must match the plan exactly", () => {
  it("grades the CPU alarm of LAB_TOPOLOGY on the instance it watches", () => {
    // GIVEN the cpu-alarm scenario's alarm check
    const check = findScenario("cpu-alarm").checks.find((c) => c.kind === "alarm");
    // THEN it names the plan's alarm and instance
    expect(check).toMatchObject({ alarm: lab.monitoring.cpuAlarm.name, instance: lab.monitoring.cpuAlarm.instance });
  });

  it("uses the ALB's own target group in every target check and change", () => {
    // GIVEN every target group a scenario names
    const named = SCENARIOS.flatMap((s) => [
      ...s.checks.flatMap((c) => (c.kind === "target-health" || c.kind === "target-registered" ? [c.targetGroup] : [])),
      ...[...s.inject, ...s.solve].flatMap((c) => (c.kind === "register-target" || c.kind === "deregister-target" ? [c.targetGroup] : [])),
    ]);
    // THEN there are some, and each is LAB_TOPOLOGY.alb.targetGroup.name
    expect(named.length).toBeGreaterThan(0);
    expect(new Set(named)).toEqual(new Set([lab.alb.targetGroup.name]));
  });

  it("checks Session Manager on an instance of every VPC of the plan that has instances (the first of each)", () => {
    // GIVEN ssh-open-world's Session Manager check
    const check = findScenario("ssh-open-world").checks.find((c) => c.kind === "ssm-reachable");
    // THEN it probes the plan's first instance of each VPC with instances, so no VPC's Session Manager path is left out
    const vpcs = lab.vpcs.map((v) => v.name).filter((vpc) => lab.instances.some((i) => i.vpc === vpc));
    expect(check?.kind === "ssm-reachable" && check.instances).toEqual(vpcs.map((vpc) => lab.instances.find((i) => i.vpc === vpc)?.name));
    expect(check?.title.en).toContain(vpcs.join(", "));
  });

  it("checks the effective security group rules of every target of the ALB's target group", () => {
    // GIVEN alb-sg-blocked's SG checks
    const checks = findScenario("alb-sg-blocked").checks.filter((c) => c.kind === "sg-rule");
    // THEN both read the groups the plan's targets carry, not one named group
    expect(checks).toHaveLength(2);
    for (const c of checks) expect(c.kind === "sg-rule" && c.securityGroups).toEqual({ carriedBy: [...lab.alb.targetGroup.targets] });
  });

  it("checks the zone association of every VPC of the plan", () => {
    // GIVEN the dns-private-zone scenario's association check
    const check = findScenario("dns-private-zone").checks.find((c) => c.kind === "zone-associated");
    // THEN it lists all the plan's VPCs
    expect(check?.kind === "zone-associated" && [...check.vpcs].sort()).toEqual(lab.vpcs.map((v) => v.name).sort());
  });
});

describe("scenarios are data", () => {
  it("reads the imports of a file, type-only or not (the scanner below is not vacuous)", () => {
    // GIVEN a source with an SDK import, a type import and a require
    const src = 'import { EC2Client } from "@aws-sdk/client-ec2";\nimport type { Change } from "../cloud/change";\nconst x = require("../cloud/sim/sim-cloud");\n';
    // WHEN its imports are read / THEN all three are found, with their kind
    expect(importsOf(src)).toEqual([
      { from: "@aws-sdk/client-ec2", typeOnly: false },
      { from: "../cloud/change", typeOnly: true },
      { from: "../cloud/sim/sim-cloud", typeOnly: false },
    ]);
  });

  it.each(scenarioFiles)("%s imports no SDK and, from cloud/, only the Change types", (file) => {
    // GIVEN the text of a file of scenarios/
    const imports = importsOf(readFileSync(join(SCENARIO_DIR, file), "utf8"));
    // THEN nothing comes from an SDK, cloud/ is reached only by `import type` of cloud/change,
    // and every value import stays inside scenarios/
    expect(imports.filter((i) => i.from.includes("@aws-sdk") || i.from.includes("aws-sdk"))).toEqual([]);
    expect(imports.filter((i) => i.from.includes("cloud/") && !(i.typeOnly && /(^|\/)cloud\/change$/.test(i.from)))).toEqual([]);
    expect(imports.filter((i) => !i.typeOnly && !/^\.\/[\w-]+$/.test(i.from))).toEqual([]);
  });
});
