import { spawn } from "node:child_process";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { startMoto } from "../../e2e/moto";

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function gone(pid: number, withinMs: number): Promise<boolean> {
  for (const end = Date.now() + withinMs; Date.now() < end; ) {
    if (!alive(pid)) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return !alive(pid);
}

describe("the emulator's lifetime", () => {
  it("stop() ends the server", async () => {
    // GIVEN a started server WHEN stopped THEN its process is gone
    const moto = await startMoto();
    await moto.stop();
    expect(alive(moto.pid)).toBe(false);
    // AND a second stop is harmless
    await moto.stop();
  }, 90_000);

  it("ends with the harness even when the harness is killed outright (SIGKILL: no handler runs)", async () => {
    // GIVEN a process that started the server and printed its pid
    // (node itself with tsx's loader, not the tsx wrapper: killing a wrapper would leave its node child running)
    const script = `require(${JSON.stringify(join(__dirname, "../../e2e/moto.ts"))}).startMoto().then((m) => console.log(m.pid)); setInterval(() => {}, 1000);`;
    const harness = spawn(process.execPath, ["--require", "tsx/cjs", "-e", script], { cwd: join(__dirname, "../.."), stdio: ["ignore", "pipe", "inherit"] });
    const pid = Number(await new Promise<string>((resolve) => createInterface({ input: harness.stdout! }).once("line", resolve)));
    expect(alive(pid)).toBe(true);
    // WHEN that process is killed with no chance to clean up
    harness.kill("SIGKILL");
    // THEN the server notices its stdin close and exits by itself
    expect(await gone(pid, 15_000)).toBe(true);
  }, 90_000);
});
