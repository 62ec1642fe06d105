import { createServer } from "node:net";
import type { AddressInfo } from "node:net";
import { classViewSchema } from "../../board/schema";
import { listenError } from "../../cli/commands/board";
import { UsageError } from "../../cli/exit-codes";
import { bufferIo } from "../../cli/io";
import { run } from "../../cli/run";
import { offlineClass, type OfflineClass } from "./class-fixture";

let cls: OfflineClass;
beforeAll(async () => {
  cls = await offlineClass(["s01"]);
});

/** Runs `lab board …` in-process; `whileUp` runs once it listens, then the board is asked to stop. */
async function board(args: string[], whileUp?: (start: { url: string; tokenRequired: boolean }) => Promise<void>) {
  let stop!: (signal: string) => void;
  const stopped = new Promise<string>((r) => (stop = r));
  const io = Object.assign(bufferIo({ cwd: cls.dir }), { untilStopped: () => stopped });
  const exit = run(["board", ...cls.flags, "--json", ...args], io);
  if (whileUp) {
    // The start line is the first thing written.
    for (let i = 0; i < 500 && !io.stdout.includes("\n") && !io.stderr; i++) await new Promise((r) => setTimeout(r, 20));
    if (io.stdout) {
      await whileUp(JSON.parse(io.stdout.split("\n")[0]));
      stop("SIGINT");
    }
  }
  return { code: await exit, io };
}

describe("lab board (the verb)", () => {
  it("serves the page and GET /api/class lists lab s01 with its checks, then stops on Ctrl-C with exit 0", async () => {
    // WHEN the board runs offline on a free port with a fixed scenario
    const { code, io } = await board(["--port", "0", "--scenario", "tgw-default-route"], async ({ url, tokenRequired }) => {
      expect(tokenRequired).toBe(false);
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
      // THEN the page is served, and the API lists s01 with the scenario's checks once graded
      const page = await fetch(url);
      expect(page.headers.get("content-type")).toBe("text/html; charset=utf-8");
      expect(await page.text()).toContain('<script type="module" src="/app.js"></script>');
      let view = classViewSchema.parse(await (await fetch(`${url}api/class`)).json());
      for (let i = 0; i < 100 && !view.labs[0].lastGradedAt; i++) {
        await new Promise((r) => setTimeout(r, 50));
        view = classViewSchema.parse(await (await fetch(`${url}api/class`)).json());
      }
      expect(view.labs.map((l) => l.id)).toEqual(["s01"]);
      expect(Object.entries(view.labs[0].cells).map(([k, c]) => [k, c.state])).toEqual([
        ["tgw-default-route/vpc02-a-reaches-internet-via-dmz-nat", "pass"],
        ["tgw-default-route/vpc02-b-reaches-internet-via-dmz-nat", "pass"],
      ]);
    });
    expect(code).toBe(0);
    expect(io.stderr).toBe("");
  });

  it("requires and prints a token when it listens beyond the loopback address", async () => {
    const { code } = await board(["--port", "0", "--host", "0.0.0.0"], async ({ url, tokenRequired }) => {
      // THEN the printed URL carries a random token, and without it nothing is served
      expect(tokenRequired).toBe(true);
      const token = new URL(url).searchParams.get("token")!;
      expect(token).toMatch(/^[A-Za-z0-9_-]{32}$/);
      const port = new URL(url).port;
      expect((await fetch(`http://127.0.0.1:${port}/api/class`)).status).toBe(401);
      expect((await fetch(`http://127.0.0.1:${port}/api/class`, { headers: { "x-netlab-token": token } })).status).toBe(200);
    });
    expect(code).toBe(0);
  });

  it.each([
    [["--interval", "0.5"], '--interval must be a number of seconds from 1 to 3600; got "0.5".'],
    [["--interval", "soon"], '--interval must be a number of seconds from 1 to 3600; got "soon".'],
    [["--port", "70000"], '--port must be a number from 0 to 65535 (0 picks a free port); got "70000".'],
    [["--host", "example.com"], '--host must be an IP address of this machine or localhost; got "example.com".'],
    [["--scenario", "tgw-default-route,nope"], 'Unknown scenario "nope"; valid scenarios: tgw-default-route, alb-target-stopped'],
    [["--lang", "fr"], "error: option '--lang <lang>' argument 'fr' is invalid. Allowed choices are en, ko."],
    [["--lab", "s09"], 'Unknown lab "s09"; the config lists: s01.'],
  ])("refuses %j with exit 2, naming the value and the valid choices, before listening", async (args, message) => {
    // WHEN started with a bad value
    const { code, io } = await board(args);
    // THEN exit 2 and the sentence; nothing was printed as started
    expect(code).toBe(2);
    expect(io.stderr).toContain(message);
    expect(io.stdout).toBe("");
  });

  it("refuses an interval under 10 s on AWS, where every run sends SSM commands to every lab", async () => {
    const io = Object.assign(bufferIo({ cwd: cls.dir }), { untilStopped: () => new Promise<string>(() => undefined) });
    expect(await run(["board", "--config", cls.configFile, "--interval", "5"], io)).toBe(2);
    expect(io.stderr).toContain('--interval must be a number of seconds from 10 to 3600 on AWS (each run sends SSM commands to every lab); got "5".');
  });

  it("says when --host is not an address of this machine (exit 2)", async () => {
    // WHEN asked to listen on an address no interface here has (TEST-NET-1, RFC 5737)
    const { code, io } = await board(["--port", "0", "--host", "192.0.2.1"]);
    // THEN exit 2, naming it
    expect(code).toBe(2);
    expect(io.stderr).toContain("--host 192.0.2.1 is not an address of this machine; give one of its addresses, or 127.0.0.1.");
  });

  it("turns a privileged port into the user's error, and leaves other errors as they are", () => {
    const denied = listenError(Object.assign(new Error("listen EACCES"), { code: "EACCES" }), "127.0.0.1", 80);
    expect(denied).toBeInstanceOf(UsageError);
    expect((denied as Error).message).toBe("Not allowed to listen on port 80 of 127.0.0.1 (ports below 1024 need privileges); choose another with --port.");
    const other = new Error("something else");
    expect(listenError(other, "127.0.0.1", 8420)).toBe(other);
  });

  it("says which port is in use and how to choose another (exit 2)", async () => {
    // GIVEN a port already taken
    const taken = createServer();
    await new Promise<void>((r) => taken.listen(0, "127.0.0.1", r));
    const port = (taken.address() as AddressInfo).port;
    try {
      // WHEN the board is asked to listen there
      const { code, io } = await board(["--port", String(port)]);
      // THEN exit 2 with the way out
      expect(code).toBe(2);
      expect(io.stderr).toContain(`Port ${port} on 127.0.0.1 is in use; choose another with --port (--port 0 picks a free one).`);
    } finally {
      taken.close();
    }
  });
});
