import { execFileSync } from "node:child_process";
import { buildProbeScript, parseProbeOutput } from "../../cloud/aws/probes";
import type { LabCloud, ProbeObservation, ProbeRequest } from "../../cloud/port";
import { runChecks } from "../../checks/evaluate";
import type { CheckSpec } from "../../checks/types";
import { grade } from "../../lifecycle/grade";
import { inject } from "../../lifecycle/inject";
import type { Snapshot } from "../../network/snapshot";
import { findScenario } from "../../scenarios";
import { labSnapshot, openSimLab } from "../helpers/lab";

const text = { en: "x", ko: "엑스" };

/** A lab whose probes all answer `observation`, whatever they ask (a stand-in for what SSM would print). */
function answering(s: Snapshot, observation: ProbeObservation): LabCloud {
  return {
    lab: "s01",
    backend: "sim",
    snapshot: async () => structuredClone(s),
    apply: async () => undefined,
    probe: async (requests: readonly ProbeRequest[]) => requests.map((request) => ({ request, ran: true as const, observation })),
    ledger: { list: async () => [], scenarios: async () => [], get: async () => undefined, create: async () => undefined, remove: async () => undefined },
    close: async () => undefined,
  };
}

const page: CheckSpec = {
  id: "alb-serves-the-page",
  kind: "http",
  from: "mgmtvpc-Workstation-10.254.0.101",
  probe: { kind: "http", to: "alb", path: "/ec2meta-webpage/index.php" },
  expectStatus: 200,
  expectBodyContains: "instance-id: i-",
  title: text,
  hint: text,
};

describe("http checks with an expected body", () => {
  it.each([
    ["a page without the text", { httpStatus: 200, body: "<h1>Welcome to nginx!</h1>" }, 'expected the page from the ALB to contain "instance-id: i-"; found "<h1>Welcome to nginx!</h1>"'],
    ["no body at all", { httpStatus: 200 }, 'expected the page from the ALB to contain "instance-id: i-"; found an empty body'],
  ])("fails on %s", async (_what, observation, evidence) => {
    // GIVEN an ALB that answers 200 with some other page
    const cloud = answering(await labSnapshot(), observation);
    // WHEN the check runs / THEN it fails and says what the page held
    const [r] = (await runChecks(cloud, [page])).results;
    expect(r.status).toBe("fail");
    expect(r.evidence).toBe(evidence);
  });

  it("passes on the web tier's page, and says so", async () => {
    const cloud = answering(await labSnapshot(), { httpStatus: 200, body: "<p>instance-id: i-0123456789abcdef0</p>" });
    const [r] = (await runChecks(cloud, [page])).results;
    expect(r).toMatchObject({ status: "pass", evidence: 'mgmtvpc-Workstation-10.254.0.101 reached the ALB (HTTP 200, the page shows "instance-id: i-")' });
  });

  it("gets the web page, with the serving instance's id, from the simulated ALB", async () => {
    // GIVEN the simulated lab / WHEN alb-target-stopped is graded at baseline / THEN the page check passes on the rendered page
    const cloud = await openSimLab();
    try {
      const g = await grade(cloud, findScenario("alb-target-stopped"));
      expect(g.checks.find((c) => c.id === "alb-serves-four-distinct-instances")?.evidence).toMatch(/^the ALB served 24 requests from 4 instances \(.*; HTTP 200, the page shows "instance-id: i-"\)$/);
    } finally {
      await cloud.close();
    }
  });

  it("reads the page that the AWS probe script prints, quotes and backslashes escaped, on one line", () => {
    // GIVEN the AWS probe script, with curl replaced by a stub that serves a page full of characters JSON must escape
    const stub = `curl() { printf '<h1>netlab "web"</h1>\\n<p>instance-id: i-0123456789abcdef0</p>\\tback\\\\slash %%d\\n200'; }\n`;
    const script = buildProbeScript({ kind: "http", to: "alb", path: "/ec2meta-webpage/index.php", requests: 2 }, { albDnsName: "alb.example" });
    // WHEN it runs in bash and its output is parsed
    const out = execFileSync("bash", ["-c", stub + script]).toString();
    // THEN the observation carries the page and the instance ids
    expect(parseProbeOutput(out, "http")).toEqual({
      observation: { httpStatus: 200, servedBy: ["i-0123456789abcdef0", "i-0123456789abcdef0"], body: '<h1>netlab "web"</h1><p>instance-id: i-0123456789abcdef0</p>back\\slash %d' },
    });
  });
});

describe("what a failing probe check tells the instructor", () => {
  it("explains a name that does not resolve through the zone association", async () => {
    // GIVEN dns-private-zone injected
    const cloud = await openSimLab();
    try {
      const scenario = findScenario("dns-private-zone");
      await inject(cloud, scenario, { by: "jest" });
      // WHEN graded
      const g = await grade(cloud, scenario);
      // THEN both DNS checks name the zone that is not associated with VPC02; the hints do not
      const dns = g.checks.filter((c) => c.id.includes("resolves"));
      expect(dns.map((c) => c.explanation)).toEqual([
        "blocked at netlab.internal (DNS_NO_ANSWER): vpc01-a.netlab.internal is in private zone netlab.internal, which is not associated with VPC02",
        "blocked at netlab.internal (DNS_NO_ANSWER): web-b2.netlab.internal is in private zone netlab.internal, which is not associated with VPC02",
      ]);
      expect(dns.map((c) => c.hint.en).join(" ")).not.toMatch(/not associated with VPC02|associate-zone/);
    } finally {
      await cloud.close();
    }
  });

  it("explains a name that resolves to another address by the record", async () => {
    // GIVEN a record of the zone that now points elsewhere, and a probe that sees it
    const s = await labSnapshot();
    s.hostedZones[0].records.find((r) => r.name === "vpc01-a.netlab.internal")!.values = ["10.1.20.199"];
    const cloud = answering(s, { addresses: ["10.1.20.199"] });
    const check = findScenario("dns-private-zone").checks[0];
    // WHEN the check runs / THEN the explanation says what the zone answers
    const [r] = (await runChecks(cloud, [check])).results;
    expect(r.explanation).toBe("private zone netlab.internal answers vpc01-a.netlab.internal in VPC02 with 10.1.20.199, not 10.1.20.101: the record was changed");
  });

  it("explains a failing OS state from the instance's OS model", async () => {
    // GIVEN nat-instance-masquerade injected
    const cloud = await openSimLab();
    try {
      const scenario = findScenario("nat-instance-masquerade");
      await inject(cloud, scenario, { by: "jest" });
      // WHEN graded / THEN the OS check says what the model of NAT-Instance's OS lacks
      const g = await grade(cloud, scenario);
      expect(g.checks[2].explanation).toBe(
        "NAT-Instance's OS, as the lab's model has it: no MASQUERADE rule in POSTROUTING, so packets leave with their private source address and no reply comes back; the MASQUERADE rule is not saved (in /etc/sysconfig/iptables, with iptables.service enabled), so it is gone after the next reboot",
      );
    } finally {
      await cloud.close();
    }
  });

  it("says when the OS cannot be seen from the control plane", async () => {
    const s = await labSnapshot();
    delete s.instances.find((i) => i.name === "NAT-Instance")!.os;
    const cloud = answering(s, { os: { ipForward: true, masquerade: false, masqueradeSaved: false, cpuLoad: false } });
    const [r] = (await runChecks(cloud, [findScenario("nat-instance-masquerade").checks[2]])).results;
    expect(r.explanation).toBe("the control plane cannot see inside NAT-Instance's OS, so the probe's reading is the only evidence");
  });

  it("explains too few distinct servers with the targets' health and reason codes", async () => {
    // GIVEN alb-target-stopped injected
    const cloud = await openSimLab();
    try {
      const scenario = findScenario("alb-target-stopped");
      await inject(cloud, scenario, { by: "jest" });
      // WHEN graded / THEN the distinct-servers check names the target that is out and why
      const g = await grade(cloud, scenario);
      const servers = g.checks.find((c) => c.id === "alb-serves-four-distinct-instances")!;
      expect(servers.status).toBe("fail");
      expect(servers.explanation).toBe(
        "DMZVPC-TG-web has 3 of 4 targets healthy, and only healthy targets get requests; not serving: DMZVPC-Private-B-10.11.24.102:80 unused (Target.InvalidState: DMZVPC-Private-B-10.11.24.102 is stopped)",
      );
    } finally {
      await cloud.close();
    }
  });

  it("explains an egress IP that is not the expected one with the hop where the path leaves", async () => {
    // GIVEN a probe from VPC02 that saw an egress IP that is not a DMZ NAT gateway's
    const cloud = answering(await labSnapshot(), { httpStatus: 200, egressIp: "198.51.100.7" });
    const check = findScenario("tgw-default-route").checks[0];
    // WHEN the check runs / THEN the explanation names the NAT gateway and IGW the model's path leaves through
    const [r] = (await runChecks(cloud, [check])).results;
    expect(r.status).toBe("fail");
    expect(r.explanation).toMatch(
      /^the analyzer's path from VPC02-Private-A-10\.2\.20\.101 leaves to the internet through DMZVPC-NATGW-A \(nat-gateway\) and DMZVPC-IGW \(internet-gateway\) with egress IP 203\.0\.113\.\d+, which is one of the NAT gateway EIPs of DMZVPC: the probe took another way out than the model$/,
    );
  });

  it("explains an egress path that the model sends out elsewhere than expected", async () => {
    // GIVEN a check from the NAT instance's VPC that expects the DMZ NAT gateways, and a probe that saw another address
    const cloud = answering(await labSnapshot(), { httpStatus: 200, egressIp: "198.51.100.7" });
    const check: CheckSpec = { ...findScenario("nat-instance-route").checks[0], egressVia: { natGatewaysOfVpc: "DMZVPC" } } as CheckSpec;
    const [r] = (await runChecks(cloud, [check])).results;
    expect(r.explanation).toMatch(/leaves to the internet through NAT-Instance \(nat-instance\) and NATInstance-IGW1 \(internet-gateway\) with egress IP 203\.0\.113\.\d+, which is not one of the NAT gateway EIPs of DMZVPC \(203\.0\.113\.\d+, 203\.0\.113\.\d+\)$/);
  });
});

describe("the AWS os-state probe", () => {
  /** Runs the probe script in bash with the OS replaced by stubs: a live MASQUERADE rule, a saved one, and iptables.service enabled or not. */
  function osStateWith(serviceEnabled: boolean): unknown {
    const stubs = [
      "sysctl() { echo 1; }",
      "iptables() { echo '-A POSTROUTING -o ens5 -j MASQUERADE'; }",
      'grep() { if [ "$3" = /etc/sysconfig/iptables ]; then echo 1; else command grep "$@"; fi; }',
      `systemctl() { [ "$1 $2 $3" = "is-enabled --quiet iptables" ] && ${serviceEnabled ? "true" : "false"}; }`,
    ].join("\n");
    const out = execFileSync("bash", ["-c", `${stubs}\n${buildProbeScript({ kind: "os-state" })}`]).toString();
    return parseProbeOutput(out, "os-state");
  }

  it("says the rule is saved when it is in /etc/sysconfig/iptables and iptables.service is enabled", () => {
    expect(osStateWith(true)).toEqual({ observation: { os: { ipForward: true, masquerade: true, masqueradeSaved: true, cpuLoad: false } } });
  });

  it("says it is not saved when iptables.service is not enabled: nothing loads the file at boot", () => {
    expect(osStateWith(false)).toEqual({ observation: { os: { ipForward: true, masquerade: true, masqueradeSaved: false, cpuLoad: false } } });
  });
});
