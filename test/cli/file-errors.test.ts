import type * as Fs from "node:fs";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { bufferIo } from "../../cli/io";
import { run } from "../../cli/run";
import { labSynthDir } from "../helpers/lab";

// The tests run as root, for whom permission bits do not bite: ENOTDIR and EEXIST come from a regular file
// standing where a folder must be (which fails for root too), EACCES from a seam on the fs call.

/** A seam on fs.openSync: when set, it answers instead of the file system. */
let openSeam: ((path: string) => void) | undefined;
jest.mock("node:fs", () => {
  const real = jest.requireActual<typeof Fs>("node:fs");
  return { ...real, openSync: (path: Fs.PathLike, ...rest: unknown[]) => (openSeam?.(String(path)), (real.openSync as (...a: unknown[]) => number)(path, ...rest)) };
});

let synthDir: string;
beforeAll(async () => {
  synthDir = await labSynthDir();
});

async function lab(args: string[], cwd = mkdtempSync(join(tmpdir(), "netlab-files-")), stateDir = join(cwd, "state")) {
  const io = bufferIo({ cwd });
  const code = await run([...args, "--offline", "--synth-dir", synthDir, "--state-dir", stateDir], io);
  return { code, out: io.stdout, err: io.stderr, cwd };
}

/** A folder holding a regular file named `file`. */
function withFile(): { cwd: string; file: string } {
  const cwd = mkdtempSync(join(tmpdir(), "netlab-files-"));
  const file = join(cwd, "file");
  writeFileSync(file, "not a folder\n");
  return { cwd, file };
}

/** One line, no stack trace, not called netlab's own error. */
function expectOneLine(err: string): void {
  expect(err).not.toContain("internal error");
  expect(err).not.toMatch(/\n\s+at /);
  expect(err.trim().split("\n")).toHaveLength(1);
}

describe("file and permission errors are the user's environment: exit 2, one line naming the path and the reason", () => {
  it("the simulated lab's lock cannot be created (EACCES): exit 2 naming the lock file, no stack trace", async () => {
    // GIVEN a file system that denies creating the lock (as for a .netlab owned by another user)
    const cwd = mkdtempSync(join(tmpdir(), "netlab-files-"));
    openSeam = (path) => {
      if (path.endsWith(join("s01", "lock"))) throw Object.assign(new Error(`EACCES: permission denied, open '${path}'`), { code: "EACCES", errno: -13, syscall: "open", path });
    };
    try {
      // WHEN a command opens the lab
      const r = await lab(["status"], cwd);
      // THEN exit 2, and one line that names the lock file and the reason
      expect(r.code).toBe(2);
      expect(r.err).toContain(`lab s01: error: Cannot use ${join(cwd, "state", "s01", "lock")}: permission denied (EACCES on open). This is the file system's answer, not a netlab bug`);
      expectOneLine(r.err);
    } finally {
      openSeam = undefined;
    }
  });

  it("a --state-dir under a regular file (ENOTDIR): exit 2 naming the path, no state written", async () => {
    // GIVEN a state dir whose parent is a regular file
    const { cwd, file } = withFile();
    // WHEN a command opens the lab there
    const r = await lab(["inject", "cpu-alarm"], cwd, join(file, "state"));
    // THEN exit 2 naming the path that could not be made
    expect(r.code).toBe(2);
    expect(r.err).toContain(`Cannot use ${join(file, "state", "s01")}: a part of the path is a file, not a folder (ENOTDIR on mkdir)`);
    expectOneLine(r.err);
  });

  it.each([
    ["a file where the report folder goes (the folder's parent is a file)", (file: string) => join(file, "reports"), (file: string) => `Cannot use ${join(file, "reports")}: a part of the path is a file, not a folder (ENOTDIR on mkdir)`],
    ["an existing regular file as the report folder", (file: string) => file, (file: string) => `--out ${file} is a file, not a folder; give a folder (it is created if missing).`],
    ["a report folder under /proc (mkdir would loop forever there)", () => "/proc/netlab-reports", () => "--out /proc/netlab-reports is under /proc, a kernel file system, not a place for netlab's files; give a folder on disk."],
  ])("check --report with %s: exit 2 before grading, though the check would pass", async (_name, out, message) => {
    // GIVEN a lab whose check passes (nothing injected), and a --out that cannot be a folder
    const { cwd, file } = withFile();
    // WHEN checked with a report
    const r = await lab(["check", "cpu-alarm", "--report", "md", "--out", out(file)], cwd);
    // THEN exit 2 with one line naming the path, and no grade was printed (refused before grading)
    expect(r.code).toBe(2);
    expect(r.err).toContain(message(file));
    expectOneLine(r.err);
    expect(r.out).toBe("");
  });

  it("the same check with a writable --out passes (exit 0) and writes the report", async () => {
    const { cwd } = withFile();
    const r = await lab(["check", "cpu-alarm", "--report", "md", "--out", "reports"], cwd);
    expect(r.code).toBe(0);
    expect(readdirSync(join(cwd, "reports"))).toContain("s01-cpu-alarm.md");
  });

  it.each([
    ["under a regular file", (file: string) => join(file, "snap"), (file: string) => `Cannot use ${join(file, "snap")}: a part of the path is a file, not a folder (ENOTDIR on mkdir)`],
    ["under /sys", () => "/sys/netlab-snap", () => "--out /sys/netlab-snap is under /sys, a kernel file system"],
  ])("snapshot save --out %s: exit 2, one line", async (_name, out, message) => {
    const { cwd, file } = withFile();
    const r = await lab(["snapshot", "save", "--out", out(file)], cwd);
    expect(r.code).toBe(2);
    expect(r.err).toContain(message(file));
    expectOneLine(r.err);
  });

  it("diagram --out a named pipe (writing would wait forever for a reader): exit 2 at once", async () => {
    // GIVEN a FIFO where the diagram would go
    const { cwd } = withFile();
    const fifo = join(cwd, "pipe.mmd");
    execFileSync("mkfifo", [fifo]);
    // WHEN the diagram is written there / THEN refused, naming it
    const r = await lab(["diagram", "--out", fifo], cwd);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`--out ${fifo} is not a regular file (a pipe, socket or device); give a file path (or - for stdout).`);
    expect(existsSync(join(cwd, ".netlab"))).toBe(false);
  });
});
