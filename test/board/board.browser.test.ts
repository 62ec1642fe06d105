import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Page } from "playwright-core";
import { startBoard, type Board } from "../../board/board";
import { explainCheck, explainCollateral } from "../../board/cell-explain";
import { checkKey, collateralKey, type LabRun } from "../../board/view";
import { bufferIo } from "../../cli/io";
import { run } from "../../cli/run";
import { applyToSnapshot } from "../../cloud/model-apply";
import { toMermaid } from "../../network/diagram";
import { findScenario } from "../../scenarios";
import { labSnapshot } from "../helpers/lab";
import { browserSkipReason, launchChromium } from "./chromium";
import { offlineClass, type OfflineClass } from "./class-fixture";

/**
 * The class board in a real headless Chromium (Debian's chromium package, driven by playwright-core):
 * the real `lab board --offline` process, faults injected and solved with the real CLI.
 */
const ROOT = resolve(__dirname, "../..");
const ARTIFACTS = join(ROOT, "test-artifacts");
const A = "tgw-default-route/vpc02-a-reaches-internet-via-dmz-nat";
const B = "tgw-default-route/vpc02-b-reaches-internet-via-dmz-nat";
const cell = (lab: string, column: string) => `button[data-lab="${lab}"][data-column="${column}"]`;

// A fresh machine without Chromium skips these outside CI, saying why; CI always runs them.
const skipReason = browserSkipReason();
if (skipReason) console.log(skipReason);
const browserDescribe = skipReason ? describe.skip : describe;

let cls: OfflineClass;
let child: ChildProcess;
let chrome: Awaited<ReturnType<typeof launchChromium>>;
let page: Page;
let url: string;
const problems: string[] = [];

/** The board's first stdout line (--json): where it listens. */
function startLine(p: ChildProcess): Promise<{ url: string }> {
  return new Promise((resolveLine, reject) => {
    let out = "";
    let err = "";
    p.stdout!.on("data", (c: Buffer) => {
      out += c.toString();
      if (out.includes("\n")) resolveLine(JSON.parse(out.split("\n")[0]) as { url: string });
    });
    p.stderr!.on("data", (c: Buffer) => (err += c.toString()));
    p.on("exit", (code) => reject(new Error(`lab board exited with ${code} before listening: ${err}`)));
  });
}

beforeAll(async () => {
  if (skipReason) return;
  mkdirSync(ARTIFACTS, { recursive: true });
  // GIVEN Chromium (a missing browser fails here, with how to install it), two simulated labs and
  // the real `lab board --offline --port 0` grading them every second
  chrome = await launchChromium();
  cls = await offlineClass(["s01", "s02"]);
  child = spawn(process.execPath, [join(ROOT, "bin/lab.js"), "board", ...cls.flags, "--port", "0", "--interval", "1", "--json"], { cwd: cls.dir, stdio: ["ignore", "pipe", "pipe"] });
  url = (await startLine(child)).url;
  page = await chrome.context.newPage();
  page.on("console", (m) => void (m.type() === "error" && problems.push(`console: ${m.text()}`)));
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("requestfailed", (r) => problems.push(`request failed: ${r.url()}`));
});

afterAll(async () => {
  await chrome?.close();
  if (child && child.exitCode === null) {
    const exited = new Promise<number | null>((r) => child.on("exit", (code) => r(code)));
    child.kill("SIGTERM");
    // THEN the board stops cleanly on a signal (exit 0)
    expect(await exited).toBe(0);
  }
});

browserDescribe("the class board in Chromium (offline)", () => {
  it("loads: the labs are listed, nothing is active yet, every asset comes from the board", async () => {
    const requests: string[] = [];
    page.on("request", (r) => requests.push(r.url()));
    // WHEN the page is opened
    await page.goto(url);
    // THEN both labs have a row once graded, and the page says no fault is active
    await page.waitForSelector('tr[data-lab="s02"] .when:not(:text("not graded yet"))');
    expect(await page.textContent("h1")).toBe("netlab class board");
    expect(await page.textContent("#backend")).toBe("offline (simulated labs)");
    expect(await page.isVisible("#empty")).toBe(true);
    expect(await page.$$eval("tbody tr", (rows) => rows.map((r) => r.getAttribute("data-lab")))).toEqual(["s01", "s02"]);
    // AND nothing was fetched from anywhere but the board itself
    const origin = new URL(url).origin;
    expect(requests.filter((r) => !r.startsWith(origin) && !r.startsWith("data:"))).toEqual([]);
  });

  it("after an inject, s01 shows its failing checks (s02, not injected, says so)", async () => {
    // WHEN tgw-default-route is injected into s01 with the CLI
    expect(await run(["inject", "tgw-default-route", "--lab", "s01", ...cls.flags], bufferIo({ cwd: cls.dir }))).toBe(0);
    // THEN within a refresh, both of s01's checks show FAIL
    await page.waitForSelector(`${cell("s01", A)}[data-state="fail"]`, { timeout: 15_000 });
    await page.waitForSelector(`${cell("s01", B)}[data-state="fail"]`, { timeout: 15_000 });
    expect(await page.textContent(cell("s01", A))).toBe("✗ FAIL");
    expect(await page.getAttribute(cell("s02", A), "data-state")).toBe("not-injected");
    expect(await page.textContent('thead th[colspan="2"]')).toBe("VPC02 lost the internet");
  });

  it("explains a failing cell: evidence, hint, instructor text, explain's trace and the diagram as an SVG with the blocking route table marked", async () => {
    // WHEN the instructor clicks s01's first failing cell
    await page.click(cell("s01", A));
    // THEN the detail shows the evidence, the student's hint and the instructor's text
    await page.waitForSelector('#detail dd[data-field="instructor"]');
    expect(await page.textContent('#detail dd[data-field="evidence"]')).toContain("expected HTTP 200 from VPC02-Private-A-10.2.20.101 to the internet");
    expect(await page.textContent('#detail dd[data-field="hint"]')).toContain("Follow a packet from VPC02-Private-A-10.2.20.101");
    expect(await page.textContent('#detail dd[data-field="instructor"]')).toContain("blocked at VPC02-Private-Subnet-A-RT (NO_ROUTE)");
    // AND explain's trace, the route table last and marked as where it is blocked
    expect(await page.$$eval("#detail-trace li", (li) => li.map((x) => x.textContent))).toEqual([
      "VPC02-Private-A-10.2.20.101instance",
      "VPC02-PrivateSGsecurity-group",
      "VPC02-Private-Subnet-A-RTroute-table",
    ]);
    expect(await page.textContent("#detail-trace li.blocked")).toContain("VPC02-Private-Subnet-A-RT");
    // AND the lab diagram is drawn by Mermaid as an SVG, with exactly the route table in the blocked class
    await page.waitForSelector("#diagram svg .blocked", { timeout: 20_000 });
    const marked = await page.$$eval("#diagram svg .blocked", (xs) => xs.map((x) => x.textContent?.trim()));
    expect(marked).toEqual(["VPC02-Private-Subnet-A-RT"]);
    expect(await page.$$eval("#diagram svg .node", (xs) => xs.length)).toBeGreaterThan(30);
    expect(await page.textContent("#diagram-caption")).toContain("VPC02-Private-Subnet-A-RT is marked in red");
    // AND a screenshot is kept as a test artifact
    const shot = join(ARTIFACTS, "board-failing.png");
    await page.screenshot({ path: shot, fullPage: true });
    expect(statSync(shot).size).toBeGreaterThan(20_000);
  });

  it("switches to Korean and back", async () => {
    // WHEN 한국어 is chosen
    await page.click("#lang-ko");
    // THEN the page, the cells and the student's hint are in Korean; the analyzer's text says it is English
    expect(await page.textContent("h1")).toBe("netlab 수업 현황판");
    expect(await page.textContent(cell("s01", A))).toBe("✗ 실패");
    expect(await page.textContent('#detail dd[data-field="hint"]')).toContain("패킷을 따라가");
    expect(await page.textContent('#detail dd[data-field="instructor"]')).toContain("(분석기 설명, 영어)");
    expect(await page.getAttribute("html", "lang")).toBe("ko");
    await page.click("#lang-en");
    expect(await page.textContent(cell("s01", A))).toBe("✗ FAIL");
  });

  it("after a solve, s01's checks turn green on the next refresh", async () => {
    // WHEN the reference fix is applied with the CLI
    expect(await run(["solve", "tgw-default-route", "--lab", "s01", ...cls.flags], bufferIo({ cwd: cls.dir }))).toBe(0);
    // THEN both cells pass, and the open detail follows (no trace, no diagram for a pass)
    await page.waitForSelector(`${cell("s01", A)}[data-state="pass"]`, { timeout: 15_000 });
    await page.waitForSelector(`${cell("s01", B)}[data-state="pass"]`, { timeout: 15_000 });
    await page.waitForSelector('#detail-status [data-state="pass"]', { timeout: 15_000 });
    expect(await page.isHidden("#detail-diagram")).toBe(true);
    await page.screenshot({ path: join(ARTIFACTS, "board-solved.png"), fullPage: true });
  });

  it("after a reset, the fault's columns leave the table and the open detail closes", async () => {
    // WHEN the fault is reset with the CLI
    expect(await run(["reset", "tgw-default-route", "--lab", "s01", ...cls.flags], bufferIo({ cwd: cls.dir }))).toBe(0);
    // THEN no scenario is active: the table says so, and the detail of a cell that no longer exists is gone
    await page.waitForSelector("#empty:visible", { timeout: 15_000 });
    expect(await page.$$("td.cell button")).toHaveLength(0);
    expect(await page.isHidden("#detail")).toBe(true);
  });

  it("showed no console error, no script error and no failed request (CSP included)", () => {
    expect(problems).toEqual([]);
  });
});

browserDescribe("collateral damage on the board in Chromium", () => {
  let board: Board;
  let collateralPage: Page;
  afterAll(async () => {
    await collateralPage?.close();
    await board?.close();
  });

  it("shows a collateral cell with each broken component, and marks it on the diagram", async () => {
    // GIVEN a grade whose checks pass but whose repair deleted VPC01's default route (what the steady-state grader reports)
    const s = await labSnapshot();
    applyToSnapshot(s, { kind: "delete-route", routeTable: "VPC01-Private-Subnet-A-RT", destination: "0.0.0.0/0" });
    const scenario = findScenario("tgw-default-route");
    const entry = {
      kind: "collateral",
      component: "VPC01-Private-Subnet-A-RT",
      reason: "NO_ROUTE",
      instructor: { en: "VPC01-Private-A-10.1.20.101 lost the internet: its route table has no default route.", ko: "VPC01-Private-A-10.1.20.101이 인터넷에 연결되지 않습니다. 라우팅 테이블에 기본 경로가 없습니다." },
      hint: { en: "Your change broke something in VPC01: compare it with how it was.", ko: "변경으로 VPC01의 무언가가 망가졌습니다. 원래 상태와 비교해 보세요." },
    };
    const labRun: LabRun = {
      lab: "s01",
      gradedAt: new Date().toISOString(),
      active: [{ scenario: scenario.id, injectedAt: new Date().toISOString() }],
      grades: [{ scenario: scenario.id, lab: "s01", score: 100, status: "pass", checks: scenario.checks.map((c) => ({ id: c.id, status: "pass", evidence: "reached the internet", hint: c.hint })), collateral: [entry] } as never],
      explain: { [collateralKey(scenario.id)]: explainCollateral(s, [entry.component]), [checkKey(scenario.id, "unused")]: explainCheck(s, scenario.checks[0]) },
      diagram: toMermaid(s),
    };
    board = await startBoard({ backend: "sim", region: "ap-northeast-2", lang: "en", labs: [{ id: "s01" }], fixedScenarios: [], gradeAll: async () => [{ lab: "s01", result: labRun }], intervalMs: 60_000, port: 0 });
    await board.firstRun;
    collateralPage = await chrome.context.newPage();
    // WHEN the page is opened and the collateral cell clicked
    await collateralPage.goto(board.server.url);
    const key = collateralKey(scenario.id);
    await collateralPage.waitForSelector(`${cell("s01", key)}[data-state="collateral"]`);
    expect(await collateralPage.textContent(cell("s01", A))).toBe("✓ PASS");
    await collateralPage.click(cell("s01", key));
    // THEN the entry is listed with its component and texts, and the diagram marks VPC01's route table
    await collateralPage.waitForSelector('#detail dd[data-field="entries"] li');
    expect(await collateralPage.textContent('#detail dd[data-field="entries"] li')).toContain("VPC01-Private-Subnet-A-RT (NO_ROUTE)");
    await collateralPage.waitForSelector("#diagram svg .blocked", { timeout: 20_000 });
    expect(await collateralPage.$$eval("#diagram svg .blocked", (xs) => xs.map((x) => x.textContent?.trim()))).toEqual(["VPC01-Private-Subnet-A-RT"]);
    await collateralPage.screenshot({ path: join(ARTIFACTS, "board-collateral.png"), fullPage: true });
  });
});
