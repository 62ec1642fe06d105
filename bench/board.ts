import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { startBoard } from "../board/board";
import { gradeClass } from "../board/grade-class";
import { mermaidFile } from "../board/server";
import { openSimReader } from "../board/sim-reader";
import { bufferIo } from "../cli/io";
import { run } from "../cli/run";
import { findScenario } from "../scenarios";
import { offlineClass } from "../test/board/class-fixture";
import { loadNow, machine } from "./machine";
import { fmt, summarize, timeRuns, type Figure } from "./stats";

/**
 * The class board (issue 15): one refresh of a class of 30 simulated labs (target ≤ 1 s), and the
 * weight of the page without the diagram library (target ≤ 300 KB).
 *   npx tsx bench/board.ts [--json] [--runs N]
 */
const LABS = 30;
const PAGE_FILES = ["index.html", "app.js", "i18n.js", "board.css"];

interface BoardBench {
  date: string;
  command: string;
  machine: ReturnType<typeof machine>;
  loadAtStart: ReturnType<typeof loadNow>;
  labs: number;
  /** Every lab with tgw-default-route injected: each fails, so each also takes a snapshot, traces and draws its diagram. */
  refreshAllFailing: Figure;
  /** No fault active, the scenario graded on every lab (--scenario): every check passes. */
  refreshAllPassing: Figure;
  bytes: { pageFiles: number; apiClass: number; apiCell: number; pageWithoutDiagramLibrary: number; mermaid: number };
  loadAtEnd: ReturnType<typeof loadNow>;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const json = args.includes("--json");
  const runsAt = args.indexOf("--runs");
  const runs = runsAt >= 0 ? Number(args[runsAt + 1]) : 5;
  const log = (line: string) => void (json || console.log(line));
  const loadAtStart = loadNow();
  const ids = Array.from({ length: LABS }, (_, i) => `s${String(i + 1).padStart(2, "0")}`);
  log(`seeding ${LABS} simulated labs …`);
  const cls = await offlineClass(ids);
  const ctx = cls.context();
  const scenario = findScenario("tgw-default-route");

  log("refresh, every check passing (--scenario tgw-default-route, no fault) …");
  const passing = summarize(await timeRuns(runs, () => gradeClass(ctx, [scenario], openSimReader), 1), "s");
  log(`  ${fmt(passing)}`);

  log(`injecting tgw-default-route into all ${LABS} labs …`);
  const io = bufferIo({ cwd: cls.dir });
  if ((await run(["inject", "tgw-default-route", "--all", ...cls.flags], io)) !== 0) throw new Error(`inject failed: ${io.stderr}`);

  // A board as `lab board` starts it; one refresh is one grading run of the whole class.
  const board = await startBoard({
    backend: "sim",
    region: ctx.config.region,
    lang: "en",
    labs: ids.map((id) => ({ id })),
    fixedScenarios: [],
    gradeAll: () => gradeClass(ctx, [], openSimReader),
    intervalMs: 3_600_000,
    port: 0,
  });
  let failing: Figure;
  let apiClass: number;
  let apiCell: number;
  try {
    await board.firstRun;
    log("refresh, every lab failing (traces and diagrams included) …");
    failing = summarize(await timeRuns(runs, () => board.refresher.refresh(), 1), "s");
    log(`  ${fmt(failing)}`);
    const view = await fetch(`${board.server.url}api/class`);
    apiClass = (await view.arrayBuffer()).byteLength;
    const key = encodeURIComponent("tgw-default-route/vpc02-a-reaches-internet-via-dmz-nat");
    apiCell = (await (await fetch(`${board.server.url}api/cell?lab=s01&column=${key}`)).arrayBuffer()).byteLength;
  } finally {
    await board.close();
  }
  const pageFiles = PAGE_FILES.reduce((n, f) => n + readFileSync(join(__dirname, "../board/static", f)).byteLength, 0);
  const bytes = { pageFiles, apiClass, apiCell, pageWithoutDiagramLibrary: pageFiles + apiClass + apiCell, mermaid: statSync(mermaidFile()).size };
  log(`page files ${pageFiles} B + /api/class (${LABS} labs failing) ${apiClass} B + one /api/cell ${apiCell} B = ${bytes.pageWithoutDiagramLibrary} B; Mermaid ${bytes.mermaid} B`);
  const result: BoardBench = {
    date: loadAtStart.at,
    command: ["npx tsx bench/board.ts", ...args].join(" "),
    machine: machine(),
    loadAtStart,
    labs: LABS,
    refreshAllFailing: failing,
    refreshAllPassing: passing,
    bytes,
    loadAtEnd: loadNow(),
  };
  if (json) console.log(JSON.stringify(result));
  else log(`load: ${loadAtStart.uptime} → ${result.loadAtEnd.uptime}`);
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
