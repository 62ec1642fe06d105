import { execFile, spawnSync } from "node:child_process";
import { createServer, type Server } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { promisify } from "node:util";
import { buildProbeScript, parseProbeOutput, type ProbeContext } from "../../../cloud/aws/probes";
import type { ProbeSpec } from "../../../cloud/port";

// The probe scripts run here for real, under bash, with curl, against servers on 127.0.0.1: what is
// parsed below is what the scripts print. Only the absence of curl skips them (the instances have it).
const HAS_CURL = spawnSync("curl", ["--version"]).status === 0;
const describeWithCurl = HAS_CURL ? describe : describe.skip;
if (!HAS_CURL) console.warn("probe-scripts.test.ts: curl is not installed here, so the probe scripts were not run.");

const run = promisify(execFile);
const INSTANCE = "i-0abc12345def67890";
const servers: Server[] = [];
const sockets: Socket[] = [];
let echo: string;
let web: string;
let failing: string;
let silent: string;
let refused: string;
let garbage: string;

async function serve(handler: Parameters<typeof createServer>[1]): Promise<string> {
  const s = createServer(handler);
  s.on("connection", (socket) => sockets.push(socket));
  servers.push(s);
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  return `127.0.0.1:${(s.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  echo = await serve((_req, res) => res.end("203.0.113.7\n"));
  garbage = await serve((_req, res) => res.end('"><b>captive portal</b>'));
  web = await serve((_req, res) => res.end(`<html><p>instance ${INSTANCE}</p><p>ap-northeast-2a</p></html>`));
  failing = await serve((_req, res) => {
    res.statusCode = 503;
    res.end("Service Unavailable");
  });
  // Accepts the connection and never answers: only curl's --max-time ends the request.
  silent = await serve(() => undefined);
  // A port that was just free: nothing listens there, so the connection is refused.
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  refused = `127.0.0.1:${(s.address() as AddressInfo).port}`;
  await new Promise((r) => s.close(r));
});

afterAll(async () => {
  sockets.forEach((s) => s.destroy());
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
});

/** Runs the probe's script under bash (no proxy settings) and parses what it printed, strictly. */
async function probe(spec: ProbeSpec, ctx: ProbeContext) {
  const { stdout } = await run("bash", ["-c", buildProbeScript(spec, ctx)], { env: { PATH: process.env.PATH ?? "/usr/bin:/bin" }, timeout: 20000 });
  return parseProbeOutput(stdout, spec.kind);
}

describeWithCurl("probe scripts run under bash against local servers", () => {
  describe("egress (http to the internet echo service)", () => {
    it("reports the address the echo service saw", async () => {
      expect(await probe({ kind: "http", to: "internet" }, { echoUrl: `http://${echo}/` })).toEqual({ observation: { httpStatus: 200, egressIp: "203.0.113.7" } });
    });

    it("reports curl's own exit code when the connection is refused (7), not the exit code of a pipe", async () => {
      expect(await probe({ kind: "http", to: "internet" }, { echoUrl: `http://${refused}/` })).toEqual({ observation: { httpStatus: 0, error: "curl exit 7" } });
    });

    it("reports a curl timeout (28) as a reachability failure", async () => {
      expect(await probe({ kind: "http", to: "internet", timeoutSeconds: 1 }, { echoUrl: `http://${silent}/` })).toEqual({ observation: { httpStatus: 0, error: "curl exit 28" } });
    });

    it("keeps an answer that is not an address out of the JSON", async () => {
      expect(await probe({ kind: "http", to: "internet" }, { echoUrl: `http://${garbage}/` })).toEqual({ observation: { httpStatus: 200, error: "the answer held no IP address" } });
    });
  });

  describe("through the ALB (http with an instance id in the page)", () => {
    const alb = (requests = 1, timeoutSeconds?: number): ProbeSpec => ({ kind: "http", to: "alb", path: "/ec2meta-webpage/index.php", requests, ...(timeoutSeconds ? { timeoutSeconds } : {}) });

    it("reports the status and the instance that served each request", async () => {
      expect(await probe(alb(2), { albDnsName: web })).toEqual({ observation: { httpStatus: 200, servedBy: [INSTANCE, INSTANCE], body: `<html><p>instance ${INSTANCE}</p><p>ap-northeast-2a</p></html>` } });
    });

    it("reports an HTTP error status as it is", async () => {
      expect(await probe(alb(), { albDnsName: failing })).toEqual({ observation: { httpStatus: 503, servedBy: [], body: "Service Unavailable" } });
    });

    it("turns curl's 000 (nothing answered) into status 0 and valid JSON: refused", async () => {
      expect(await probe(alb(), { albDnsName: refused })).toEqual({ observation: { httpStatus: 0, servedBy: [], body: "", error: "curl exit 7" } });
    });

    it("turns curl's 000 into status 0 and valid JSON: timed out", async () => {
      expect(await probe(alb(1, 1), { albDnsName: silent })).toEqual({ observation: { httpStatus: 0, servedBy: [], body: "", error: "curl exit 28" } });
    });
  });

  describe("tcp", () => {
    it("connects to a listening port and not to a closed one", async () => {
      const [host, port] = web.split(":");
      const [, closed] = refused.split(":");
      expect(await probe({ kind: "tcp", host, port: Number(port), timeoutSeconds: 2 }, {})).toEqual({ observation: { connected: true } });
      expect(await probe({ kind: "tcp", host, port: Number(closed), timeoutSeconds: 2 }, {})).toEqual({ observation: { connected: false, error: "no answer" } });
    });
  });
});
