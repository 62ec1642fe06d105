import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DescribeInstanceInformationCommand, ListCommandInvocationsCommand, SendCommandCommand, SSMClient } from "@aws-sdk/client-ssm";
import { mockClient } from "aws-sdk-client-mock";
import { forEachAccount } from "../../cli/commands/accounts";
import { forEachLab, makeContext, type Context } from "../../cli/context";
import { bufferIo } from "../../cli/io";
import { Slots } from "../../cli/slots";
import type { AwsClients } from "../../cloud/aws/clients";
import { runScript } from "../../cloud/aws/run-command";
import type { LabCloud } from "../../cloud/port";

function classContext(participants: number, concurrency: number): Context {
  const ctx = makeContext(bufferIo({ cwd: mkdtempSync(join(tmpdir(), "netlab-fan-")) }), { all: true });
  ctx.config = { ...ctx.config, concurrency, participants: Array.from({ length: participants }, (_, i) => ({ id: `s${i + 1}` })) };
  return ctx;
}

const fakeCloud = (lab: string): LabCloud => ({ lab, backend: "aws", close: async () => undefined }) as unknown as LabCloud;
const tick = () => new Promise<void>((r) => setImmediate(r));

describe("class fan-out", () => {
  it("never runs more labs at once than the concurrency bound", async () => {
    // GIVEN 25 labs and a bound of 4
    let active = 0;
    let peak = 0;
    const out = await forEachLab(
      classContext(25, 4),
      async () => {
        active++;
        peak = Math.max(peak, active);
        await tick();
        await tick();
        active--;
        return "done";
      },
      async (_ctx, p) => fakeCloud(p.id),
    );
    // THEN all finished, in input order, and at most 4 ran together
    expect(out.map((o) => o.result)).toEqual(Array(25).fill("done"));
    expect(out.map((o) => o.lab)).toEqual(Array.from({ length: 25 }, (_, i) => `s${i + 1}`));
    expect(peak).toBe(4);
  });

  it("isolates a broken lab: it is reported, the others finish", async () => {
    const out = await forEachLab(
      classContext(5, 2),
      async (cloud) => {
        if (cloud.lab === "s3") throw Object.assign(new Error("denied"), { name: "AccessDenied" });
        return cloud.lab;
      },
      async (_ctx, p) => fakeCloud(p.id),
    );
    expect(out.map((o) => o.result ?? "error")).toEqual(["s1", "s2", "error", "s4", "s5"]);
    expect((out[2].error as Error).name).toBe("AccessDenied");
  });

  it("reports a lab whose backend cannot be opened, and still closes the others", async () => {
    const closed: string[] = [];
    const out = await forEachLab(
      classContext(3, 3),
      async (cloud) => cloud.lab,
      async (_ctx, p) => {
        if (p.id === "s2") throw new Error("no credentials");
        return { ...fakeCloud(p.id), close: async () => void closed.push(p.id) } as LabCloud;
      },
    );
    expect(out.map((o) => o.result ?? (o.error as Error).message)).toEqual(["s1", "no credentials", "s3"]);
    expect(closed.sort()).toEqual(["s1", "s3"]);
  });
});

describe("class fan-out while labs wait on SSM", () => {
  const ssm = mockClient(SSMClient);
  afterAll(() => ssm.restore());

  it("keeps the bound while a lab polls many instances: it gives back its own slot, never more", async () => {
    // GIVEN a bound of 2; lab s1 probes 6 instances by SSM (the answers come after two polls); s2..s7 queue
    const ids = Array.from({ length: 6 }, (_, i) => `i-${i}`);
    const inFlight = new Map<string, number>();
    let peak = 0;
    /** Counts a lab as working from the start to the end of each of its calls. */
    const working = async <T>(lab: string, work: () => Promise<T>): Promise<T> => {
      inFlight.set(lab, (inFlight.get(lab) ?? 0) + 1);
      peak = Math.max(peak, [...inFlight.values()].filter((n) => n > 0).length);
      try {
        await tick();
        return await work();
      } finally {
        inFlight.set(lab, (inFlight.get(lab) ?? 0) - 1);
      }
    };
    let listings = 0;
    ssm.reset();
    ssm.on(DescribeInstanceInformationCommand).callsFake(() => working("s1", async () => ({ InstanceInformationList: ids.map((InstanceId) => ({ InstanceId, PingStatus: "Online" })) })));
    ssm.on(SendCommandCommand).callsFake(() => working("s1", async () => ({ Command: { CommandId: "c1" } })));
    ssm.on(ListCommandInvocationsCommand).callsFake(() =>
      working("s1", async () => ({ CommandInvocations: ids.map((InstanceId) => (++listings > 2 ? { InstanceId, Status: "Success", StatusDetails: "Success", CommandPlugins: [{ Output: "ok" }] } : { InstanceId, Status: "InProgress" })) })),
    );
    const clients = { ssm: new SSMClient({ region: "ap-northeast-2" }) } as unknown as AwsClients;
    // WHEN the class is run
    const out = await forEachLab(
      classContext(7, 2),
      async (cloud) => {
        if (cloud.lab !== "s1") return working(cloud.lab, async () => (await tick(), "done"));
        const results = await runScript(clients, ids, "true", { sleep: (cloud as unknown as { idle: (ms: number) => Promise<void> }).idle });
        return [...results.values()].every((r) => r.ran) ? "done" : "not run";
      },
      async (_ctx, p, idle) => ({ ...fakeCloud(p.id), idle }) as unknown as LabCloud,
      () => tick(),
    );
    // THEN every lab finished, and never more than 2 labs worked at once
    expect(out.map((o) => o.result ?? o.error)).toEqual(Array(7).fill("done"));
    expect(peak).toBe(2);
  });
});

describe("Slots", () => {
  it("gives back only the waiting lab's own slot, however many of its tasks wait, and takes it back once", async () => {
    // GIVEN two slots held by labs a and b, and labs c and d queued
    const slots = new Slots(2, () => tick());
    const [a, b, c, d] = [slots.forLab(), slots.forLab(), slots.forLab(), slots.forLab()];
    await a.acquire();
    await b.acquire();
    let dGot = false;
    const cGets = c.acquire();
    void d.acquire().then(() => (dGot = true));
    // WHEN five of lab a's tasks wait at once
    const waits = Promise.all([1, 2, 3, 4, 5].map(() => a.idle(1000)));
    // THEN a's one slot went to c, and d still waits: two labs hold slots
    await cGets;
    await tick();
    await tick();
    expect(dGot).toBe(false);
    expect(slots.busy).toBe(2);
    // AND when b is done, d (first in the queue) gets its slot; when c is done, a's five tasks take one slot back, once
    b.close();
    await tick();
    expect(dGot).toBe(true);
    c.close();
    await waits;
    expect(slots.busy).toBe(2);
    a.close();
    d.close();
    expect(slots.busy).toBe(0);
  });

  it("does not let a task that wakes after its lab is done take a slot", async () => {
    const slots = new Slots(1, () => tick());
    const a = slots.forLab();
    await a.acquire();
    const late = a.idle(1000);
    a.close();
    await late;
    expect(slots.busy).toBe(0);
  });

  it("refuses a bound below 1", () => {
    expect(() => new Slots(0)).toThrow("Concurrency must be a whole number of at least 1; got 0.");
  });
});

describe("accounts fan-out (preflight, leftovers)", () => {
  it("runs every account with the same bound and prints progress on a terminal", async () => {
    // GIVEN 12 accounts, a bound of 3, a terminal
    const ctx = classContext(12, 3);
    ctx.io.isTTY = true;
    let active = 0;
    let peak = 0;
    // WHEN each account is checked (s05's fails)
    const out = await forEachAccount(
      ctx,
      "preflight",
      async (_clients, p) => {
        active++;
        peak = Math.max(peak, active);
        await tick();
        active--;
        if (p.id === "s5") throw new Error("denied");
        return p.id;
      },
      () => ({}) as AwsClients,
    );
    // THEN at most 3 at once, the broken one is isolated, and each finished account printed a line
    expect(peak).toBe(3);
    expect(out.map((o) => o.result ?? "error")).toEqual(["s1", "s2", "s3", "s4", "error", "s6", "s7", "s8", "s9", "s10", "s11", "s12"]);
    const lines = (ctx.io as unknown as { stderr: string }).stderr.trim().split("\n");
    expect(lines).toHaveLength(12);
    expect(lines).toContain("[12/12] s12 done");
    expect(lines.find((l) => l.includes(" s5 "))).toMatch(/^\[\d+\/12\] s5 could not finish \(see below\)$/);
  });

  it("refuses --offline", async () => {
    const ctx = classContext(2, 2);
    ctx.options.offline = true;
    await expect(forEachAccount(ctx, "leftovers", async () => 1)).rejects.toThrow("leftovers checks real AWS accounts; it has no --offline mode.");
  });
});
