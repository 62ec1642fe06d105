import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CreateTagsCommand } from "@aws-sdk/client-ec2";
import { SimStateStore } from "../../cloud/sim/state-store";
import { inject } from "../../lifecycle/inject";
import { resetAll } from "../../lifecycle/reset";
import type { Snapshot } from "../../network/snapshot";
import { findScenario } from "../../scenarios";
import { mockLabAccount, openAwsLab, type MockedAccount } from "../helpers/aws-lab-mock";
import { labSnapshot, openSimLab } from "../helpers/lab";

/** Resources the faults below change (or sit next to), and the tag a student put on each. */
const TAGGED = [
  ["routeTables", "VPC02-Private-Subnet-A-RT"],
  ["instances", "DMZVPC-Private-B-10.11.24.102"],
  ["securityGroups", "DMZVPC-PrivateSG"],
] as const;
const STUDENT_TAG = { Key: "student:note", Value: "checked by team 3" };
const FAULTS = ["tgw-default-route", "alb-target-stopped", "alb-sg-blocked"].map(findScenario);

const tagsOf = (s: Snapshot) => TAGGED.map(([kind, name]) => (s[kind] as { name: string; tags: Record<string, string> }[]).find((x) => x.name === name)?.tags[STUDENT_TAG.Key]);

describe("R25 a student's tags survive reset", () => {
  it("R25 sim: tags a student added to a route table, an instance and a security group are still there after every fault is reset", async () => {
    // GIVEN a simulated lab where a student tagged three resources (the state file is the sim's console)
    const dir = mkdtempSync(join(tmpdir(), "netlab-tags-"));
    await (await openSimLab(dir)).close();
    const store = new SimStateStore(dir, "s01");
    store.lock();
    const state = store.read();
    for (const [kind, name] of TAGGED) {
      const r = (state.snapshot[kind] as { name: string; tags: Record<string, string> }[]).find((x) => x.name === name)!;
      r.tags = { ...r.tags, [STUDENT_TAG.Key]: STUDENT_TAG.Value };
    }
    store.write(state);
    store.unlock();
    // WHEN three faults touching them are injected, then reset
    const cloud = await openSimLab(dir);
    for (const s of FAULTS) expect((await inject(cloud, s, { by: "t" })).status).toBe("injected");
    expect((await resetAll(cloud)).map((r) => r.status)).toEqual(["reset", "reset", "reset"]);
    // THEN the student's tags are all there
    expect(tagsOf(await cloud.snapshot())).toEqual([STUDENT_TAG.Value, STUDENT_TAG.Value, STUDENT_TAG.Value]);
    await cloud.close();
  });

  let account: MockedAccount | undefined;
  afterEach(() => account?.restore());

  it("R25 AWS: tags a student added in the console are still there after reset, and netlab sent no CreateTags or DeleteTags", async () => {
    // GIVEN an account where a student tagged three resources
    account = mockLabAccount(await labSnapshot());
    const ids = TAGGED.map(([kind, name]) => {
      const r = (account!.state[kind] as { name: string; id: string }[]).find((x) => x.name === name)!;
      return r.id;
    });
    await account.clients.ec2.send(new CreateTagsCommand({ Resources: ids, Tags: [STUDENT_TAG] }));
    const studentCalls = account.log.length;
    // WHEN three faults are injected, then reset from another machine
    const cloud = await openAwsLab(account);
    for (const s of FAULTS) expect((await inject(cloud, s, { by: "t" })).status).toBe("injected");
    expect((await resetAll(await openAwsLab(account))).map((r) => r.status)).toEqual(["reset", "reset", "reset"]);
    // THEN describe calls still show the student's tags, and netlab never touched tags
    expect(tagsOf(await (await openAwsLab(account)).snapshot())).toEqual([STUDENT_TAG.Value, STUDENT_TAG.Value, STUDENT_TAG.Value]);
    expect(account.log.slice(studentCalls).filter((c) => c.command === "CreateTags" || c.command === "DeleteTags")).toEqual([]);
  });
});
