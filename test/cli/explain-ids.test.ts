import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { bufferIo } from "../../cli/io";
import { run } from "../../cli/run";
import { labSynthDir } from "../helpers/lab";

interface Component {
  component: string;
  id: string | null;
  kind?: string;
}

/** Saves the simulated lab's describe outputs, then renames two security groups of different VPCs to the same name. */
async function accountWhereNamesRepeat(): Promise<{ dir: string; sgIds: Record<string, string> }> {
  const cwd = mkdtempSync(join(tmpdir(), "netlab-ids-"));
  const dir = join(cwd, "saved");
  const io = bufferIo({ cwd });
  expect(await run(["snapshot", "save", "--out", dir, "--offline", "--synth-dir", await labSynthDir(), "--state-dir", join(cwd, "state")], io)).toBe(0);
  const file = join(dir, "SecurityGroups.json");
  const doc = JSON.parse(readFileSync(file, "utf8")) as { SecurityGroups: { GroupId: string; GroupName: string; Tags?: { Key: string; Value: string }[] }[] };
  const sgIds: Record<string, string> = {};
  for (const g of doc.SecurityGroups) {
    const name = g.Tags?.find((t) => t.Key === "Name")?.Value ?? g.GroupName;
    if (name !== "VPC02-PrivateSG" && name !== "DMZVPC-PrivateSG") continue;
    sgIds[name] = g.GroupId;
    // As in a real account: console-made groups named launch-wizard-1 in every VPC
    g.GroupName = "launch-wizard-1";
    g.Tags = (g.Tags ?? []).filter((t) => t.Key !== "Name");
  }
  writeFileSync(file, JSON.stringify(doc));
  return { dir, sgIds };
}

describe("explain names each component by its name and its AWS id: names repeat in real accounts", () => {
  it("two security groups both named launch-wizard-1 are told apart by their ids, in the text and in --json", async () => {
    // GIVEN a saved account where VPC02's and DMZVPC's private groups are both named launch-wizard-1
    const { dir, sgIds } = await accountWhereNamesRepeat();
    expect(Object.keys(sgIds)).toHaveLength(2);
    const args = ["explain", "--aws-configs", dir, "--from", "VPC02-Private-A-10.2.20.101", "--to", "DMZVPC-Private-A-10.11.20.101", "--port", "80"];
    // WHEN the path from VPC02 to a DMZ web instance is explained, as text and as JSON
    const text = bufferIo();
    await run(args, text);
    const json = bufferIo();
    await run([...args, "--json"], json);
    // THEN the text shows each group's name with its id
    expect(text.stdout).toContain(`security-group    launch-wizard-1 (${sgIds["VPC02-PrivateSG"]})`);
    expect(text.stdout).toContain(`security-group    launch-wizard-1 (${sgIds["DMZVPC-PrivateSG"]})`);
    // AND the JSON hops carry the same ids, so the two are different components
    const hops = (JSON.parse(json.stdout) as { hops: Component[] }).hops.filter((h) => h.kind === "security-group");
    expect(hops).toEqual([
      { component: "launch-wizard-1", id: sgIds["VPC02-PrivateSG"], kind: "security-group" },
      { component: "launch-wizard-1", id: sgIds["DMZVPC-PrivateSG"], kind: "security-group" },
    ]);
  });

  it("blockedBy carries the id of the route table that blocks, in the text and in --json", async () => {
    // GIVEN the simulated lab with VPC02's default route deleted
    const cwd = mkdtempSync(join(tmpdir(), "netlab-ids-"));
    const flags = ["--offline", "--synth-dir", await labSynthDir(), "--state-dir", join(cwd, "state")];
    expect(await run(["inject", "tgw-default-route", ...flags], bufferIo({ cwd }))).toBe(0);
    const state = JSON.parse(readFileSync(join(cwd, "state", "s01", "state.json"), "utf8")) as { snapshot: { routeTables: { id: string; name: string }[] } };
    const rtId = state.snapshot.routeTables.find((r) => r.name === "VPC02-Private-Subnet-A-RT")!.id;
    // WHEN explained
    const text = bufferIo({ cwd });
    const json = bufferIo({ cwd });
    expect(await run(["explain", "--from", "VPC02-Private-A-10.2.20.101", "--to", "internet", ...flags], text)).toBe(1);
    expect(await run(["explain", "--from", "VPC02-Private-A-10.2.20.101", "--to", "internet", "--json", ...flags], json)).toBe(1);
    // THEN both name the route table with its id; a component with no id other than its name has id null
    expect(text.stdout).toContain(`blocked at VPC02-Private-Subnet-A-RT (${rtId}): NO_ROUTE`);
    const out = JSON.parse(json.stdout) as { hops: Component[]; blockedBy: Component };
    expect(out.blockedBy).toEqual({ component: "VPC02-Private-Subnet-A-RT", id: rtId, reason: "NO_ROUTE" });
    expect(out.hops.every((h) => typeof h.id === "string" && h.id !== h.component)).toBe(true);
  });
});
