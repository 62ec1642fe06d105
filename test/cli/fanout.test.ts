import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { forEachLab, makeContext, type Context } from "../../cli/context";
import { bufferIo } from "../../cli/io";
import { Slots } from "../../cli/slots";
import type { LabCloud } from "../../cloud/port";

function classContext(participants: number, concurrency: number): Context {
  const ctx = makeContext(bufferIo({ cwd: mkdtempSync(join(tmpdir(), "netlab-fan-")) }), { all: true });
  ctx.config = { ...ctx.config, concurrency, participants: Array.from({ length: participants }, (_, i) => ({ id: `s${i + 1}` })) };
  return ctx;
}

const fakeCloud = (lab: string): LabCloud => ({ lab, backend: "aws", close: async () => undefined }) as unknown as LabCloud;
const tick = () => new Promise((r) => setImmediate(r));

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

describe("Slots", () => {
  it("gives the slot back while a lab only waits", async () => {
    // GIVEN one slot held by a lab that goes idle
    const slots = new Slots(1);
    await slots.acquire();
    const waiting = slots.idle(5);
    // WHEN another lab asks for a slot / THEN it gets it during the first one's sleep
    await slots.acquire();
    expect(slots.busy).toBe(1);
    slots.release();
    await waiting;
    expect(slots.busy).toBe(1);
  });

  it("refuses a bound below 1", () => {
    expect(() => new Slots(0)).toThrow("Concurrency must be a whole number of at least 1; got 0.");
  });
});
