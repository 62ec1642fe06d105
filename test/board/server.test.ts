import { startBoard, type Board } from "../../board/board";
import { gradeClass } from "../../board/grade-class";
import { cellDetailSchema, classViewSchema, errorBodySchema, type ClassView } from "../../board/schema";
import { scrub } from "../../board/scrub";
import { CONTENT_SECURITY_POLICY, MERMAID_PATH, startBoardServer, tokenMatches, type BoardServer } from "../../board/server";
import { openSimReader } from "../../board/sim-reader";
import { bufferIo } from "../../cli/io";
import { run } from "../../cli/run";
import { findScenario } from "../../scenarios";
import { offlineClass, type OfflineClass } from "./class-fixture";

let cls: OfflineClass;
let board: Board;
const A = "tgw-default-route/vpc02-a-reaches-internet-via-dmz-nat";
const B = "tgw-default-route/vpc02-b-reaches-internet-via-dmz-nat";

beforeAll(async () => {
  // GIVEN a class of two simulated labs, tgw-default-route injected in s01 only, and a board grading it on every lab
  cls = await offlineClass(["s01", "s02"]);
  const io = bufferIo({ cwd: cls.dir });
  expect(await run(["inject", "tgw-default-route", "--lab", "s01", ...cls.flags], io)).toBe(0);
  const ctx = cls.context();
  board = await startBoard({
    backend: "sim",
    region: "ap-northeast-2",
    lang: "en",
    labs: [{ id: "s01" }, { id: "s02" }],
    fixedScenarios: ["tgw-default-route"],
    gradeAll: () => gradeClass(ctx, [findScenario("tgw-default-route")], openSimReader),
    intervalMs: 60_000,
    port: 0,
  });
  await board.firstRun;
});
afterAll(() => board?.close());

const get = (path: string, init: RequestInit = {}, base = board.server.url) => fetch(new URL(path, base), init);

describe("the board's API", () => {
  it("GET /api/class returns JSON with every lab's grade, s01 with its failing checks", async () => {
    // WHEN the class is read
    const res = await get("/api/class");
    // THEN it is JSON of the class view's schema, not cached
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/json; charset=utf-8");
    expect(res.headers.get("cache-control")).toBe("no-store");
    const view = classViewSchema.parse(await res.json());
    expect(view.board).toMatchObject({ backend: "sim", readOnly: true, grading: false, fixedScenarios: ["tgw-default-route"] });
    // AND every lab has its grade: s01 fails both checks (with the analyzer's explanation), s02 passes them
    expect(view.labs.map((l) => [l.id, l.grades.map((g) => [g.scenario, g.status, g.score])])).toEqual([
      ["s01", [["tgw-default-route", "fail", 0]]],
      ["s02", [["tgw-default-route", "pass", 100]]],
    ]);
    expect(view.columns.map((c) => c.key)).toEqual([A, B]);
    expect(view.labs[0].cells[A]).toMatchObject({ state: "fail", explainable: true, instructor: { en: expect.stringContaining("blocked at VPC02-Private-Subnet-A-RT (NO_ROUTE)") } });
    expect(view.labs[1].cells[B]).toMatchObject({ state: "pass", explainable: false });
    expect(view.labs[0].active.map((a) => a.scenario)).toEqual(["tgw-default-route"]);
    expect(view.labs[1].active).toEqual([]);
    expect(view.labs.every((l) => l.lastGradedAt !== null && l.error === null)).toBe(true);
  });

  it("GET /api/cell gives a failing cell's trace and the diagram with the blocking route table marked", async () => {
    // WHEN s01's first cell is read
    const res = await get(`/api/cell?lab=s01&column=${encodeURIComponent(A)}`);
    // THEN it has explain's trace, and the diagram puts the route table's node in the blocked class
    const detail = cellDetailSchema.parse(await res.json());
    expect(detail.trace).toMatchObject({ from: "VPC02-Private-A-10.2.20.101", to: "internet", reachable: false, blockedBy: { component: "VPC02-Private-Subnet-A-RT", reason: "NO_ROUTE" } });
    expect(detail.diagram?.marks).toEqual([expect.objectContaining({ component: "VPC02-Private-Subnet-A-RT", drawnAs: "itself" })]);
    expect(detail.diagram?.mermaid).toMatch(new RegExp(`\\n  class ${detail.diagram!.marks[0].nodeId} blocked\\n$`));
    // AND a passing cell has neither
    const pass = cellDetailSchema.parse(await (await get(`/api/cell?lab=s02&column=${encodeURIComponent(A)}`)).json());
    expect(pass).toMatchObject({ trace: null, diagram: null, cell: { state: "pass" } });
  });

  it("answers a cell request it cannot serve with a JSON error naming what to give", async () => {
    for (const [path, status, text] of [
      ["/api/cell?lab=s01", 400, "needs ?lab=ID&column=KEY"],
      [`/api/cell?lab=s09&column=${encodeURIComponent(A)}`, 404, 'lab "s09"'],
      ["/api/cell?lab=s01&column=nope", 404, 'column "nope"'],
      ["/api/labs", 404, "GET /api/class and GET /api/cell"],
    ] as const) {
      const res = await get(path);
      expect(res.status).toBe(status);
      expect(errorBodySchema.parse(await res.json()).error).toContain(text);
    }
  });

  it("is read-only: every method but GET is refused with 405, and the lab is unchanged", async () => {
    for (const method of ["POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"]) {
      // WHEN something other than GET is sent
      const res = await get("/api/class", { method, ...(method === "POST" || method === "PUT" || method === "PATCH" ? { body: "{}" } : {}) });
      // THEN it is refused, saying only GET is allowed
      expect([method, res.status, res.headers.get("allow")]).toEqual([method, 405, "GET"]);
      if (method !== "HEAD") expect(errorBodySchema.parse(await res.json()).error).toContain("read-only");
    }
    // AND s01 still has its fault (nothing was reset)
    const io = bufferIo({ cwd: cls.dir });
    await run(["status", "--all", "--json", ...cls.flags], io);
    expect(JSON.parse(io.stdout)[0].active.map((a: { scenario: string }) => a.scenario)).toEqual(["tgw-default-route"]);
  });

  it("sends a CSP without remote origins and nosniff on the page, its scripts, Mermaid and the API", async () => {
    for (const path of ["/", "/app.js", "/i18n.js", "/board.css", MERMAID_PATH, "/api/class", "/nope"]) {
      const res = await get(path);
      await res.arrayBuffer();
      expect([path, res.headers.get("content-security-policy")]).toEqual([path, CONTENT_SECURITY_POLICY]);
      expect([path, res.headers.get("x-content-type-options")]).toEqual([path, "nosniff"]);
    }
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/https?:|\*|unsafe-eval/);
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
  });

  it("serves Mermaid from node_modules and nothing else of the disk", async () => {
    // WHEN the diagram library and paths that try to leave the page's files are asked for
    const mermaid = await get(MERMAID_PATH);
    // THEN Mermaid is JavaScript from the npm package; the rest is not found
    expect(mermaid.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    expect((await mermaid.text()).length).toBeGreaterThan(1_000_000);
    for (const path of ["/../package.json", "/%2e%2e/package.json", "/index.html", "/static/app.js", "/vendor/../package.json", "/node_modules/mermaid/package.json"]) {
      const res = await fetch(`${board.server.url.replace(/\/$/, "")}${path}`);
      expect([path, res.status]).toEqual([path, 404]);
    }
  });

  it("refuses a request whose Host is not the loopback address it listens on (DNS rebinding)", async () => {
    // WHEN a page from another origin resolves its name to 127.0.0.1 and asks
    const res = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const http = require("node:http") as typeof import("node:http");
      http.get({ host: "127.0.0.1", port: board.server.port, path: "/api/class", headers: { host: "evil.example:80" } }, (r) => {
        let body = "";
        r.on("data", (c) => (body += c));
        r.on("end", () => resolve({ status: r.statusCode ?? 0, body }));
      }).on("error", reject);
    });
    // THEN it gets no grades
    expect(res.status).toBe(421);
    expect(res.body).not.toContain("s01");
  });
});

describe("the board with a token (listening beyond the loopback address)", () => {
  let server: BoardServer;
  const token = "k3Y-for-this-test-only_0123456789";
  beforeAll(async () => {
    server = await startBoardServer({ source: { classView: () => structuredClone(emptyView), cellDetail: () => undefined }, port: 0, token });
  });
  afterAll(() => server.close());

  it("answers nothing without the token, or with a wrong one of the same length", async () => {
    const attempts: RequestInit[] = [{}, { headers: { "x-netlab-token": token.replace("k3Y", "k3Z") } }, { headers: { authorization: "Bearer nope" } }];
    for (const init of attempts) {
      const res = await get("/api/class", init, server.url);
      expect(res.status).toBe(401);
      expect(errorBodySchema.parse(await res.json()).error).toContain("token it printed");
    }
    expect((await get("/", {}, server.url)).status).toBe(401);
    expect((await get(`/?token=${token}x`, {}, server.url)).status).toBe(401);
  });

  it("accepts the token in the query (and gives the page a same-site cookie), a header, a bearer or the cookie", async () => {
    const page = await get(`/?token=${token}`, {}, server.url);
    expect(page.status).toBe(200);
    const cookie = page.headers.get("set-cookie")!;
    expect(cookie).toMatch(/^netlab_board=.+; HttpOnly; SameSite=Strict; Path=\/$/);
    const ways: Record<string, string>[] = [{ "x-netlab-token": token }, { authorization: `Bearer ${token}` }, { cookie: cookie.split(";")[0] }];
    for (const headers of ways) {
      const res = await get("/api/class", { headers }, server.url);
      expect(res.status).toBe(200);
      classViewSchema.parse(await res.json());
    }
  });

  it("compares tokens in constant time over digests: any length, no prefix match", () => {
    expect(tokenMatches(token, token)).toBe(true);
    expect(tokenMatches(token.slice(0, 5), token)).toBe(false);
    expect(tokenMatches(`${token}extra`, token)).toBe(false);
    expect(tokenMatches(undefined, token)).toBe(false);
  });
});

const emptyView: ClassView = {
  board: { backend: "aws", region: "ap-northeast-2", readOnly: true, lang: "ko", intervalSeconds: 30, generatedAt: "2026-12-01T09:00:00.000Z", grading: false, lastRun: null, nextRunAt: null, fixedScenarios: [] },
  scenarios: [],
  columns: [],
  labs: [{ id: "s01", lang: "ko", lastGradedAt: null, error: { message: "User: arn:aws:sts::210987654321:assumed-role/NetlabInstructor/s01 is not authorized (key AKIAIOSFODNN7EXAMPLE, secret wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY, account 111122223333)", at: "2026-12-01T09:00:00.000Z" }, active: [], grades: [], cells: {} }],
};

describe("what never reaches the page", () => {
  it("masks account ids, access key ids and secrets in every string the API sends", async () => {
    // GIVEN a lab whose error carries a participant's role ARN, an access key id, a secret and an account id
    const server = await startBoardServer({ source: { classView: () => structuredClone(emptyView), cellDetail: () => undefined }, port: 0 });
    try {
      // WHEN the class is read
      const body = await (await get("/api/class", {}, server.url)).text();
      // THEN none of them is in the response; the sentence still reads
      for (const secret of ["210987654321", "111122223333", "AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"]) expect(body).not.toContain(secret);
      expect(classViewSchema.parse(JSON.parse(body)).labs[0].error?.message).toBe(
        "User: arn:aws:sts::<account>:assumed-role/NetlabInstructor/s01 is not authorized (key <redacted-key-id>, secret <redacted-secret>, account <account>)",
      );
    } finally {
      await server.close();
    }
  });

  it("leaves lab names, IPs, CIDRs, times and resource ids alone", () => {
    const text = "VPC02-Private-A-10.2.20.101 → 0.0.0.0/0 via tgw-0123456789abcdef0 at 2026-12-01T09:00:00.000Z (i-0a1b2c3d4e5f67890, 1733043600000 ms)";
    expect(scrub(text)).toBe(text);
  });

  it("answers a failure while building a response with a JSON 500, not a crash", async () => {
    // GIVEN a source that throws
    const server = await startBoardServer({
      source: {
        classView: () => {
          throw new Error("the view broke");
        },
        cellDetail: () => undefined,
      },
      port: 0,
    });
    try {
      // WHEN read
      const res = await get("/api/class", {}, server.url);
      // THEN a 500 that says so, and the server keeps answering
      expect(res.status).toBe(500);
      expect(errorBodySchema.parse(await res.json()).error).toBe("netlab internal error: the view broke");
      expect((await get("/", {}, server.url)).status).toBe(200);
    } finally {
      await server.close();
    }
  });

  it("never sends a response that does not fit its schema", async () => {
    // GIVEN a source whose view is broken (a cell state the page does not know)
    const broken = structuredClone(emptyView) as unknown as { labs: { cells: Record<string, unknown> }[] };
    broken.labs[0].cells.x = { state: "exploded" };
    const server = await startBoardServer({ source: { classView: () => broken as unknown as ClassView, cellDetail: () => undefined }, port: 0 });
    try {
      // WHEN read
      const res = await get("/api/class", {}, server.url);
      // THEN a 500 with the reason, and none of the view
      expect(res.status).toBe(500);
      const body = errorBodySchema.parse(await res.json());
      expect(body.error).toContain("does not fit its schema");
      expect(JSON.stringify(body)).not.toContain("exploded");
    } finally {
      await server.close();
    }
  });
});
