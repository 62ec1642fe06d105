import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { saveSnapshot } from "../../cli/commands/snapshot";
import { createAwsCloud } from "../../cloud/aws/aws-cloud";
import { diffLabs } from "../../lifecycle/compare";
import { reach } from "../../network/analyzer";
import { loadAwsConfigs } from "../../network/aws-configs";
import { labSnapshot, openSimLab } from "../helpers/lab";
import { mockLabAccount } from "../helpers/aws-lab-mock";

describe("lab snapshot save", () => {
  it("writes the live describe outputs (mocked account) in the Batfish layout with a manifest", async () => {
    // GIVEN an account that holds the lab
    const lab = await labSnapshot();
    const account = mockLabAccount(lab, { latencyMs: 0 });
    try {
      const cloud = await createAwsCloud({ id: "s01" }, "ap-northeast-2", { clients: account.clients });
      const dir = mkdtempSync(join(tmpdir(), "netlab-save-aws-"));
      // WHEN saved
      const files = await saveSnapshot(cloud, dir, "ap-northeast-2", new Date("2026-11-24T10:00:00Z"));
      // THEN the layout holds one file per describe call and a manifest
      expect(files.map((f) => f.slice(dir.length + 1))).toEqual(expect.arrayContaining(["Vpcs.json", "RouteTables.json", "Reservations.json", "TransitGatewayStaticRoutes.json", "LoadBalancerTargetHealth.json", "manifest.json"]));
      expect(JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8"))).toMatchObject({ lab: "s01", region: "ap-northeast-2", time: "2026-11-24T10:00:00.000Z", source: "aws" });
      // AND loading it gives the same network as the simulated lab saved in the same format
      const sim = await openSimLab();
      const simDir = mkdtempSync(join(tmpdir(), "netlab-save-sim-"));
      await saveSnapshot(sim, simDir, "ap-northeast-2");
      await sim.close();
      const fromAws = loadAwsConfigs(dir);
      const fromSim = loadAwsConfigs(simDir);
      expect(diffLabs(fromSim, fromAws)).toEqual([]);
      expect(reach(fromAws, "VPC02-Private-A-10.2.20.101", { kind: "internet" })).toEqual(reach(fromSim, "VPC02-Private-A-10.2.20.101", { kind: "internet" }));
    } finally {
      account.restore();
    }
  });

  it("--offline writes NetworkInterfaces.json: the endpoints' and ALB nodes' addresses load back as they were", async () => {
    // GIVEN the simulated lab / WHEN saved as `lab snapshot save --offline` does
    const sim = await openSimLab();
    const dir = mkdtempSync(join(tmpdir(), "netlab-save-sim-"));
    const files = await saveSnapshot(sim, dir, "ap-northeast-2");
    const before = await sim.snapshot();
    await sim.close();
    // THEN the file is there and the loaded model has the same service interfaces
    expect(files).toContain(join(dir, "NetworkInterfaces.json"));
    const loaded = loadAwsConfigs(dir);
    expect(loaded.vpcEndpoints.map((e) => e.networkInterfaces)).toEqual(before.vpcEndpoints.map((e) => e.networkInterfaces));
    expect(loaded.loadBalancers[0].nodes).toEqual(before.loadBalancers[0].nodes);
  });
});
