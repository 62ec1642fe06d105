import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { bufferIo } from "../../cli/io";
import { run } from "../../cli/run";
import { mockEveryClient } from "../helpers/mocked-clients";

// Every SDK client is mocked at its class: the clients the CLI builds from the config answer from here.
const { all: ALL } = mockEveryClient();
afterAll(() => ALL.forEach((m) => m.restore()));

/** What the SDK throws when the network is down (after its retries): a connect error, no HTTP answer. */
const unreachable = () => Object.assign(new Error("connect ECONNREFUSED 52.95.195.99:443"), { code: "ECONNREFUSED", syscall: "connect", address: "52.95.195.99", port: 443 });

async function lab(args: string[]) {
  const cwd = mkdtempSync(join(tmpdir(), "netlab-unreachable-"));
  writeFileSync(join(cwd, "netlab.config.json"), JSON.stringify({ participants: [{ id: "s01", profile: "netlab-class-s01" }] }));
  const io = bufferIo({ cwd, sleep: async () => undefined });
  const code = await run(args, io);
  return { code, out: io.stdout, err: io.stderr };
}

describe("AWS out of reach: every verb exits 3 (could not tell), with one sentence saying what to do", () => {
  beforeEach(() => {
    // GIVEN an account no call can reach
    ALL.forEach((m) => {
      m.reset();
      (m as { onAnyCommand(): { rejects(e: Error): unknown } }).onAnyCommand().rejects(unreachable());
    });
  });

  it.each([
    [["leftovers", "--lab", "s01"]],
    [["status", "--lab", "s01"]],
    [["inject", "tgw-default-route", "--lab", "s01"]],
    [["reset", "tgw-default-route", "--lab", "s01"]],
    [["solve", "tgw-default-route", "--lab", "s01"]],
    [["explain", "--lab", "s01", "--from", "VPC02-Private-A-10.2.20.101", "--to", "internet"]],
    [["check", "tgw-default-route", "--lab", "s01"]],
    [["preflight", "--lab", "s01"]],
  ])("%j exits 3, never 1 (for leftovers, 1 means billable resources were found)", async (args) => {
    // WHEN the verb runs
    const r = await lab(args);
    // THEN exit 3, and the sentence says AWS could not be reached and how to run it again
    expect(r.err).toMatch(/inconclusive(, not graded)?: AWS could not be reached for lab s01 \(ECONNREFUSED\) after every retry: run the command again for this lab \(--lab s01\) once the network is back\./);
    expect(r.err).not.toContain("internal error");
    expect(r.code).toBe(3);
  });
});
