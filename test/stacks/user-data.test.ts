import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createServer, get, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { retryShell } from "../../stacks/user-data/retry";
import { webUserData } from "../../stacks/user-data/web";

/** Runs a bash script in which `sleep N` only advances bash's clock (no real waiting). */
function bashWithFakeClock(script: string): { status: number | null; stdout: string } {
  const r = spawnSync("bash", ["-c", `sleep() { SECONDS=$((SECONDS + $1)); }\n${script}`], { encoding: "utf8" });
  return { status: r.status, stdout: r.stdout };
}

describe("retryShell", () => {
  it("retries a failing command with backoff until it succeeds", () => {
    // GIVEN a command that fails twice, then succeeds
    const script = `n=0; flaky() { n=$((n + 1)); [ "$n" -ge 3 ]; }\n${retryShell("flaky", 600, "t")}`;
    // WHEN run
    const r = bashWithFakeClock(script);
    // THEN it succeeded on the third attempt, after waiting 5 s then 10 s
    expect(r.status).toBe(0);
    expect(r.stdout).toBe("t: attempt 1 failed, retrying in 5 s: flaky\nt: attempt 2 failed, retrying in 10 s: flaky\n");
  });

  it("gives up with status 1 once its time budget is spent, waiting at most 60 s between attempts", () => {
    // GIVEN a command that always fails and a 200 s budget
    const r = bashWithFakeClock(`${retryShell("false", 200, "t")} || echo "status $?"`);
    // THEN it waited 5, 10, 20, 40, 60, 60 and 60 s: the budget is checked after each failure (at 195 s it was not yet spent)
    expect(r.stdout.match(/retrying in (\d+) s/g)).toEqual(["retrying in 5 s", "retrying in 10 s", "retrying in 20 s", "retrying in 40 s", "retrying in 60 s", "retrying in 60 s", "retrying in 60 s"]);
    // AND gave up after the eighth attempt, with status 1
    expect(r.stdout).toContain("t: gave up after 8 attempts: false\nstatus 1\n");
  });

  it.each([0, 1.5, -3])("refuses a budget of %p seconds", (budget) => {
    expect(() => retryShell("true", budget, "t")).toThrow(`The retry budget must be a whole number of seconds; got ${budget}.`);
  });
});

const hasPython = spawnSync("python3", ["--version"]).status === 0;

describe("the web targets' fallback server", () => {
  let imds: Server;
  let imdsUrl: string;
  const tokens: string[] = [];

  beforeAll(async () => {
    // GIVEN a fake IMDSv2: a token only by PUT with a TTL header, metadata only with that token
    imds = createServer((req, res) => {
      if (req.method === "PUT" && req.url === "/latest/api/token" && req.headers["x-aws-ec2-metadata-token-ttl-seconds"]) {
        tokens.push("tok-1");
        res.end("tok-1");
        return;
      }
      const values: Record<string, string> = { "instance-id": "i-0abc", "placement/availability-zone": "ap-northeast-2a", "local-ipv4": "10.11.20.101" };
      const key = (req.url ?? "").replace("/latest/meta-data/", "");
      if (req.method !== "GET" || req.headers["x-aws-ec2-metadata-token"] !== "tok-1" || !(key in values)) {
        res.statusCode = 401;
        res.end();
        return;
      }
      res.end(values[key]);
    });
    await new Promise<void>((r) => imds.listen(0, "127.0.0.1", r));
    imdsUrl = `http://127.0.0.1:${(imds.address() as AddressInfo).port}/latest`;
  });
  afterAll(() => new Promise<void>((r) => imds.close(() => r())));

  (hasPython ? it : it.skip)("answers /ec2meta-webpage/index.php as text/html with the instance's id, AZ and IP read through IMDSv2", async () => {
    // GIVEN the server as the user data writes it, pointed at the fake IMDS and a free local port
    const source = /<<'PY'\n([\s\S]*?)\nPY\n/.exec(webUserData())![1];
    const local = source
      .replace('IMDS = "http://169.254.169.254/latest"', `IMDS = "${imdsUrl}"`)
      .replace('http.server.ThreadingHTTPServer(("", 80), Page).serve_forever()', 's = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Page)\nprint(s.server_address[1], flush=True)\ns.serve_forever()');
    expect(local).not.toBe(source);
    const server = spawn("python3", ["-c", local]);
    try {
      const port = await new Promise<string>((resolve, reject) => {
        server.stdout.once("data", (d: Buffer) => resolve(d.toString().trim()));
        server.once("exit", (code) => reject(new Error(`python3 exited with ${code}`)));
      });
      // WHEN the page is requested
      const fetch = (path: string) =>
        new Promise<{ status?: number; type?: string; body: string }>((resolve, reject) => {
          get(`http://127.0.0.1:${port}${path}`, (res) => {
            let body = "";
            res.on("data", (c) => (body += c));
            res.on("end", () => resolve({ status: res.statusCode, type: res.headers["content-type"], body }));
          }).on("error", reject);
        });
      const page = await fetch("/ec2meta-webpage/index.php");
      // THEN it is an HTML page (not a download) with the metadata, which took a token
      expect(page).toEqual({
        status: 200,
        type: "text/html; charset=utf-8",
        body: "<h1>netlab web</h1>\n<p>instance-id: i-0abc</p>\n<p>availability-zone: ap-northeast-2a</p>\n<p>private-ip: 10.11.20.101</p>\n",
      });
      expect(tokens.length).toBeGreaterThanOrEqual(3);
      // AND another path is not served
      expect((await fetch("/etc/passwd")).status).toBe(404);
    } finally {
      server.kill();
    }
  });
});

describe("the web targets' user data, run with dnf and systemd stubbed", () => {
  /**
   * Runs the user data under bash with its paths moved into a scratch directory, `dnf install` recording
   * the packages it was given by name, and `systemctl enable` failing for a unit that neither a package
   * installed by name nor the script itself provides (a service is only sure to exist if its package is).
   */
  function runWebUserData(): { status: number | null; stdout: string; installed: string[] } {
    const root = mkdtempSync(join(tmpdir(), "netlab-userdata-"));
    try {
      const script = webUserData().replace(/\/usr\/local\/lib\/netlab|\/var\/www\/html|\/etc\/systemd\/system/g, (p) => `${root}${p}`);
      const stubs = [
        `mkdir -p ${root}/etc/systemd/system; : > ${root}/installed`,
        `dnf() { [ "$1" = install ] || return 1; shift; for a in "$@"; do case "$a" in -*) ;; *) echo "$a" >> ${root}/installed;; esac; done; }`,
        `systemctl() { [ "$1" = enable ] || return 0; shift; for s in "$@"; do case "$s" in -*) continue;; esac; grep -qx "$s" ${root}/installed || [ -f ${root}/etc/systemd/system/$s.service ] || { echo "systemctl: unit $s.service not found"; return 1; }; done; }`,
        `logger() { :; }`,
        `sleep() { SECONDS=$((SECONDS + $1)); }`,
      ].join("\n");
      const r = spawnSync("bash", ["-c", `${stubs}\n${script.replace(/^#!.*\n/, "")}`], { encoding: "utf8" });
      return { status: r.status, stdout: r.stdout + r.stderr, installed: readFileSync(join(root, "installed"), "utf8").split("\n").filter(Boolean) };
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  }

  it("installs php-fpm by name and starts httpd + PHP, so the PHP page does not depend on what `php` happens to pull in", () => {
    // WHEN the user data runs on a host where the packages install
    const r = runWebUserData();
    // THEN httpd, php and php-fpm were asked for by name, and every service it enabled exists
    expect(r.installed).toEqual(expect.arrayContaining(["httpd", "php", "php-fpm"]));
    expect(r.stdout).not.toContain("not found");
    expect(r.stdout).toContain("netlab-web: ready: httpd + PHP serve /ec2meta-webpage/index.php");
    expect(r.status).toBe(0);
  });
});
