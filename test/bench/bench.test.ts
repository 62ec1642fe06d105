import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseBenchArgs, runsSection } from "../../bench/args";
import { callTable, maxInAnyWindow, maxPerCommandIdPerSecond, minGapPerCommandId } from "../../bench/calls";
import { countAccount, countCalls } from "../../bench/fanout";

const ROOT = resolve(__dirname, "../..");
const list = (id: string, at: number) => ({ command: "ListCommandInvocations", input: { CommandId: id }, at });

describe("polling rates are counted from the calls' timestamps", () => {
  it("counts the most calls in any 1-second window, the window being half-open", () => {
    // GIVEN calls 1 s apart, then two 999 ms apart
    // WHEN counted / THEN 1 s apart never share a window, 999 ms apart do
    expect(maxInAnyWindow([0, 1000, 2000, 3000])).toBe(1);
    expect(maxInAnyWindow([0, 1000, 1999])).toBe(2);
    expect(maxInAnyWindow([5, 0, 400, 3000])).toBe(3);
    expect(maxInAnyWindow([])).toBe(0);
  });

  it("counts per CommandId: two commands polled in the same second are one call a second each", () => {
    // GIVEN two commands polled together every second
    const calls = [list("a", 0), list("b", 1), list("a", 1000), list("b", 1001)];
    // WHEN counted / THEN each command saw at most one call in any second
    expect(maxPerCommandIdPerSecond(calls, "ListCommandInvocations")).toBe(1);
    // THEN a third command, polled twice within a second, is seen
    expect(maxPerCommandIdPerSecond([...calls, list("c", 5000), list("c", 5600)], "ListCommandInvocations")).toBe(2);
    // THEN calls of another API are not counted
    expect(maxPerCommandIdPerSecond(calls, "GetCommandInvocation")).toBe(0);
    // THEN the closest two calls of one command are 1000 ms apart (not the 1 ms between a and b)
    expect(minGapPerCommandId(calls, "ListCommandInvocations")).toBe(1000);
    expect(minGapPerCommandId(calls, "GetCommandInvocation")).toBeUndefined();
  });

  it("puts together SendCommand per participant and per probe batch, and the call table per participant", () => {
    // GIVEN two participants' accounts: one sent one batch once, the other sent the same script twice
    const one = countAccount({ calls: new Map([["SendCommand", 1], ["DescribeVpcs", 2]]), sent: [{ script: "probe-a" }] as never, log: [list("c1", 0), list("c1", 1000)] as never });
    const two = countAccount({ calls: new Map([["SendCommand", 2]]), sent: [{ script: "probe-a" }, { script: "probe-a" }] as never, log: [list("c2", 0), list("c2", 300)] as never });
    // WHEN counted
    const calls = countCalls([one, two]);
    // THEN the resend and the fast poll show, and a call one account never made counts 0 for it
    expect(calls).toMatchObject({
      sendCommandsPerParticipant: { min: 1, max: 2 },
      probeBatchesPerParticipant: { min: 1, max: 1 },
      maxSendCommandsPerProbeBatch: 2,
      maxListCommandInvocationsPerCommandInAnySecond: 2,
      maxGetCommandInvocationPerCommandInAnySecond: 0,
      minMsBetweenListCallsOfOneCommand: 300,
    });
    expect(calls.apiCallsPerParticipant).toEqual({ DescribeVpcs: { min: 0, max: 2 }, SendCommand: { min: 1, max: 2 } });
    expect(callTable([])).toEqual({});
  });
});

describe("bench command line", () => {
  it("reads its options; runs every section by default, and a quick run leaves out npm test and itself", () => {
    const o = parseBenchArgs(["--quick", "--json", "--out", "r.json", "--only", "analyzer,fanout", "--runs", "2", "--before", "HEAD~1"]);
    expect(o).toEqual({ quick: true, json: true, out: "r.json", only: ["analyzer", "fanout"], runs: 2, before: "HEAD~1" });
    expect(runsSection(o, "analyzer")).toBe(true);
    expect(runsSection(o, "synth")).toBe(false);
    expect(runsSection(parseBenchArgs([]), "quickRun")).toBe(true);
    expect(runsSection(parseBenchArgs(["--quick"]), "quickRun")).toBe(false);
    expect(runsSection(parseBenchArgs(["--quick"]), "npmTest")).toBe(false);
    expect(runsSection(parseBenchArgs(["--quick", "--only", "npmTest"]), "npmTest")).toBe(true);
  });

  it.each([
    [["--only", "synth,nope"], 'Unknown section "nope" in --only; the sections are: synth, npmSynth, rehearse, rehearseCli, analyzer, steadyState, fanout, npmTest, quickRun.'],
    [["--runs", "0"], '--runs must be a whole number of at least 1; got "0".'],
    [["--runs", "two"], '--runs must be a whole number of at least 1; got "two".'],
    [["--out"], "--out needs a value."],
    [["--before", "--json"], "--before needs a value."],
    [["--fast"], 'Unknown option "--fast".'],
  ])("refuses %j", (argv, message) => {
    expect(() => parseBenchArgs(argv)).toThrow(message);
  });

  it("with --json prints exactly one JSON object on stdout (progress on stderr), the same as written to --out", () => {
    // GIVEN a tiny run: the analyzer only, one run, quick sizes
    const out = join(mkdtempSync(join(tmpdir(), "netlab-bench-test-")), "bench.json");
    // WHEN the bench runs as `npx tsx bench/run.ts --json --out FILE`
    const r = spawnSync(join(ROOT, "node_modules", ".bin", "tsx"), ["bench/run.ts", "--json", "--quick", "--only", "analyzer", "--runs", "1", "--out", out], { cwd: ROOT, encoding: "utf8" });
    // THEN it succeeds, its whole stdout parses as one object, and the file holds the same text
    expect({ status: r.status, stderr: r.status === 0 ? "" : r.stderr }).toEqual({ status: 0, stderr: "" });
    const result = JSON.parse(r.stdout) as Record<string, any>;
    expect(readFileSync(out, "utf8")).toBe(r.stdout);
    // THEN it says when, where and under which load it ran, and what it measured
    expect(result.machine.node).toBe(process.version);
    expect(result.loadAtStart.loadAverages).toHaveLength(3);
    expect(result.loadAtEnd.loadAverages).toHaveLength(3);
    expect(Object.keys(result.analyzer)).toEqual(["1", "10", "30"]);
    expect(result.summary.map((row: { target: string }) => row.target)).toEqual(["growth curve", "growth curve", "≤ 1 s"]);
    expect(r.stderr).toContain("analyzer: all pairs");
  });

  it("exits 2 on bad input, naming the valid choices, and prints nothing on stdout", () => {
    const r = spawnSync(join(ROOT, "node_modules", ".bin", "tsx"), ["bench/run.ts", "--json", "--only", "everything"], { cwd: ROOT, encoding: "utf8" });
    expect({ status: r.status, stdout: r.stdout }).toEqual({ status: 2, stdout: "" });
    expect(r.stderr).toContain('Unknown section "everything" in --only; the sections are: synth, npmSynth');
  });
});
