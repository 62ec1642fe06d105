import { randomBytes } from "node:crypto";
import type { Command } from "commander";
import { startBoard } from "../../board/board";
import { gradeClass } from "../../board/grade-class";
import { DEFAULT_BOARD_HOST, DEFAULT_BOARD_PORT, isBindableHost, isLoopback } from "../../board/server";
import { openSimReader } from "../../board/sim-reader";
import { openCloud, selectLabs, type Context } from "../context";
import { EXIT, UsageError } from "../exit-codes";
import { langOption, parseLang, scenarioArg, withLabOptions, type CommandHost } from "../common";

/** Seconds between the end of one grading run and the start of the next, when not given. */
export const DEFAULT_BOARD_INTERVAL = { sim: 5, aws: 30 } as const;
/**
 * The bounds of --interval. On AWS every run sends SSM commands to every probed instance of every lab,
 * so it is not allowed to run more often than every 10 s.
 */
export const BOARD_INTERVAL_BOUNDS = { sim: [1, 3600], aws: [10, 3600] } as const;

function parseInterval(text: string | undefined, backend: "sim" | "aws"): number {
  if (text === undefined) return DEFAULT_BOARD_INTERVAL[backend];
  const [min, max] = BOARD_INTERVAL_BOUNDS[backend];
  const n = /^\d+(\.\d+)?$/.test(text) ? Number(text) : NaN;
  if (!(n >= min && n <= max)) {
    throw new UsageError(`--interval must be a number of seconds from ${min} to ${max}${backend === "aws" ? " on AWS (each run sends SSM commands to every lab)" : ""}; got "${text}".`);
  }
  return n;
}

function parsePort(text: string | undefined): number {
  if (text === undefined) return DEFAULT_BOARD_PORT;
  const n = /^\d{1,5}$/.test(text) ? Number(text) : NaN;
  if (!(n >= 0 && n <= 65535)) throw new UsageError(`--port must be a number from 0 to 65535 (0 picks a free port); got "${text}".`);
  return n;
}

function parseScenarios(text: string | undefined): string[] {
  if (text === undefined) return [];
  return [...new Set(text.split(",").map((s) => s.trim()).filter(Boolean))].map((id) => scenarioArg(id).id);
}

/** A port that cannot be listened on is the user's choice to change, not a netlab bug. */
export function listenError(e: unknown, host: string, port: number): unknown {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === "EADDRINUSE") return new UsageError(`Port ${port} on ${host} is in use; choose another with --port (--port 0 picks a free one).`);
  if (code === "EACCES") return new UsageError(`Not allowed to listen on port ${port} of ${host} (ports below 1024 need privileges); choose another with --port.`);
  if (code === "EADDRNOTAVAIL") return new UsageError(`--host ${host} is not an address of this machine; give one of its addresses, or 127.0.0.1.`);
  return e;
}

export function registerBoard(program: Command, host: CommandHost): void {
  withLabOptions(
    program
      .command("board")
      .description("serve the class board: a live, read-only web page of every lab's grade, with explanations (Ctrl-C stops it)"),
  )
    .option("--port <n>", `port to listen on (0: any free port)`, String(DEFAULT_BOARD_PORT))
    .option("--host <address>", "address to listen on; anything but the loopback address requires the token the board prints", DEFAULT_BOARD_HOST)
    .option("--interval <seconds>", `pause between grading runs (default ${DEFAULT_BOARD_INTERVAL.sim} offline, ${DEFAULT_BOARD_INTERVAL.aws} on AWS)`)
    .option("--scenario <ids>", "also grade these scenarios on every lab (comma-separated); active faults are always graded")
    .addOption(langOption())
    .addHelpText(
      "after",
      `
The board re-grades every lab on the interval with the fan-out of \`lab check --all\`, never more than one
run at a time. It is read-only: inject, solve and reset stay CLI verbs. Offline, after opening each lab once
as every verb does, it reads the simulated labs without locking them, so \`lab inject --offline\` works in
another terminal while it runs.`,
    )
    .action(
      host.action(async (ctx, opts: { port?: string; host: string; interval?: string; scenario?: string; lang?: string }) => {
        const backend = ctx.options.offline ? "sim" : "aws";
        // Everything is checked before anything is opened or graded.
        const intervalSeconds = parseInterval(opts.interval, backend);
        const port = parsePort(opts.port);
        if (!isBindableHost(opts.host)) throw new UsageError(`--host must be an IP address of this machine or localhost; got "${opts.host}".`);
        const fixed = parseScenarios(opts.scenario);
        const lang = parseLang(opts.lang, "en");
        const gradingCtx: Context = { ...ctx, io: { ...ctx.io, isTTY: false }, options: { ...ctx.options, all: !ctx.options.lab } };
        const labs = selectLabs(gradingCtx);
        const token = isLoopback(opts.host) ? undefined : randomBytes(24).toString("base64url");
        let board;
        try {
          board = await startBoard({
            backend,
            region: ctx.config.region,
            lang,
            labs: labs.map((p) => ({ id: p.id, ...(p.lang ? { lang: p.lang } : {}) })),
            fixedScenarios: fixed,
            gradeAll: (report) => gradeClass(gradingCtx, fixed.map(scenarioArg), backend === "sim" ? openSimReader : openCloud, report),
            intervalMs: intervalSeconds * 1000,
            host: opts.host,
            port,
            ...(token ? { token } : {}),
          });
        } catch (e) {
          throw listenError(e, opts.host, port);
        }
        const url = token ? `${board.server.url}?token=${token}` : board.server.url;
        if (ctx.options.json) {
          ctx.io.out(JSON.stringify({ url, host: opts.host, port: board.server.port, tokenRequired: Boolean(token), backend, labs: labs.map((l) => l.id), intervalSeconds }));
        } else {
          ctx.io.out(`netlab class board (${backend === "sim" ? "offline" : `AWS ${ctx.config.region}`}, ${labs.length} lab${labs.length === 1 ? "" : "s"}, read-only): ${url}`);
          ctx.io.out(`grading every ${intervalSeconds} s after the previous run ends; Ctrl-C stops the board.`);
          if (token) ctx.io.err(`The board listens on ${opts.host}: anyone who has this URL can read the class's grades. The token changes at every start.`);
        }
        const signal = await (ctx.io.untilStopped?.() ?? new Promise<string>(() => undefined));
        if (!ctx.options.json) ctx.io.err(`${signal}: stopping the board…`);
        await board.close();
        return EXIT.OK;
      }),
    );
}
