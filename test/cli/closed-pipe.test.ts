import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { labSynthDir } from "../helpers/lab";

const LAB = resolve(__dirname, "../../bin/lab.js");

/** Runs `lab <args>` with its stdout closed before it writes, as `lab … | head -0` would. */
function withStdoutClosed(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [LAB, ...args], { stdio: ["ignore", "pipe", "pipe"] });
    child.stdout.destroy();
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("close", (code) => done({ code, stderr }));
  });
}

/** Runs `lab <args>` normally. */
function lab(args: string[]): Promise<{ code: number | null; stdout: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [LAB, ...args], { stdio: ["ignore", "pipe", "ignore"] });
    let stdout = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.on("close", (code) => done({ code, stdout }));
  });
}

describe("a reader that goes away (lab … | head)", () => {
  it("does not crash the command, and the verb still finishes its work", async () => {
    // GIVEN a simulated lab of its own
    const offline = ["--offline", "--synth-dir", await labSynthDir(), "--state-dir", mkdtempSync(join(tmpdir(), "netlab-pipe-"))];
    // WHEN inject runs with its stdout already closed
    const r = await withStdoutClosed(["inject", "tgw-default-route", ...offline]);
    // THEN it exits as it would have (0), without an EPIPE stack trace
    expect(r.stderr).not.toMatch(/EPIPE|Unhandled/);
    expect(r.code).toBe(0);
    // AND the fault is in: the inject was not cut short by its reader leaving
    const status = await lab(["status", ...offline]);
    expect(status.stdout).toContain("tgw-default-route active since");
  });
});
