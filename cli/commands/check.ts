import { resolve } from "node:path";
import type { Command } from "commander";
import type { Lang } from "../../checks/types";
import { grade, type Grade } from "../../lifecycle/grade";
import { forEachLab } from "../context";
import { classifyError, EXIT, UsageError, type ExitCode } from "../exit-codes";
import { langOption, parseLang, reportLabErrors, scenarioArg, withLabOptions, worstOf, type CommandHost } from "../common";
import { paint, type Io } from "../io";
import { printSteadyState, steadyStateJson } from "./steady-state-output";

export const REPORT_FORMATS = ["md", "json", "junit"] as const;

export const CHECK_EXIT_CODES = `
Exit codes (the worst lab decides; 2 over 1 over 3):
  0  every check of every lab passed
  1  a check failed (the lab is not repaired yet), or the lab shows collateral damage: something that
     worked at baseline no longer does, and no active fault causes it
  2  bad input, configuration or credentials (no credentials, expired, access denied): nothing was graded
  3  inconclusive: a probe could not run (the instance is not Online in Systems Manager, the command was
     not delivered, its output could not be read), or a lab's AWS calls failed (throttled after every
     retry, AWS out of reach): that lab was not graded; run it again with --lab ID`;

export function exitOfGrade(g: Grade): ExitCode {
  return g.status === "pass" ? EXIT.OK : g.status === "fail" ? EXIT.FAILED : EXIT.INCONCLUSIVE;
}

export function printGrade(io: Io, g: Grade, lang: Lang, verbose: boolean): void {
  const label = { pass: paint(io, "green", "PASS"), fail: paint(io, "red", "FAIL"), inconclusive: paint(io, "yellow", "INCONCLUSIVE") };
  io.out(`lab ${g.lab} · ${g.scenario} · score ${g.score}% · ${label[g.status]}`);
  for (const c of g.checks) {
    io.out(`  ${label[c.status]} ${c.id}`);
    io.out(`       ${c.evidence}`);
    if (c.status !== "pass") io.out(`       hint: ${c.hint[lang]}`);
    if (c.explanation && (c.status !== "pass" || verbose)) io.out(`       instructor: ${c.explanation}`);
  }
  printSteadyState(io, g.steadyState, lang, verbose);
}

export function gradeJson(g: Grade, lang: Lang): unknown {
  return {
    scenario: g.scenario,
    lab: g.lab,
    score: g.score,
    status: g.status,
    checks: g.checks.map((c) => ({ id: c.id, status: c.status, evidence: c.evidence, hint: c.hint[lang], ...(c.explanation ? { explanation: c.explanation } : {}) })),
    collateral: g.collateral,
    steadyState: steadyStateJson(g.steadyState),
  };
}

export function registerCheck(program: Command, host: CommandHost): void {
  withLabOptions(program.command("check <scenario>").description("grade the lab(s): exit 0 all pass, 1 any fail, 2 bad input or credentials, 3 inconclusive"))
    .addHelpText("after", CHECK_EXIT_CODES)
    .addOption(langOption())
    .option("--report <format>", `write reports: ${REPORT_FORMATS.join(", ")} (comma-separated)`)
    .option("--out <dir>", "directory for --report", "reports")
    .option("--save-snapshot", "with --report: also save each lab's network state (Batfish layout) next to its report")
    .action(
      host.action(async (ctx, id: string, opts: { lang?: string; report?: string; out: string; saveSnapshot?: boolean }) => {
        const scenario = scenarioArg(id);
        const formats = opts.report ? opts.report.split(",").map((f) => f.trim()) : [];
        const bad = formats.find((f) => !(REPORT_FORMATS as readonly string[]).includes(f));
        if (bad !== undefined) throw new UsageError(`Unknown report format "${bad}"; valid formats: ${REPORT_FORMATS.join(", ")}.`);
        if (opts.saveSnapshot && !formats.length) throw new UsageError("--save-snapshot goes with --report (the snapshot is saved next to the reports).");
        const outcomes = await forEachLab(ctx, async (cloud) => {
          const g = await grade(cloud, scenario);
          if (opts.saveSnapshot) {
            const { saveSnapshot } = require("./snapshot") as typeof import("./snapshot");
            await saveSnapshot(cloud, resolve(ctx.io.cwd, opts.out, `${cloud.lab}-snapshot`), ctx.config.region);
          }
          return g;
        });
        let code = reportLabErrors(ctx.io, outcomes, { grading: true });
        const grades = outcomes.flatMap((o) => (o.result ? [{ grade: o.result, lang: parseLang(opts.lang, ctx.config.participants.find((p) => p.id === o.lab)?.lang ?? "en") }] : []));
        for (const { grade: g, lang } of grades) {
          code = worstOf(code, exitOfGrade(g));
          if (!ctx.options.json) printGrade(ctx.io, g, lang, Boolean(ctx.options.verbose));
        }
        if (ctx.options.json) {
          const json = grades.map(({ grade: g, lang }) => gradeJson(g, lang));
          ctx.io.out(JSON.stringify(json.length === 1 && !ctx.options.all ? json[0] : json, null, 2));
        }
        if (formats.length) {
          // Loaded lazily: offline commands must not pay for modules they do not use.
  const { writeReports } = require("./check-reports") as typeof import("./check-reports");
          const errors = outcomes.filter((o) => o.error !== undefined).map((o) => ({ lab: o.lab, message: classifyError(o.error).message }));
          const written = await writeReports(ctx, scenario, grades, formats as (typeof REPORT_FORMATS)[number][], opts.out, errors);
          if (!ctx.options.json) ctx.io.out(`reports: ${written.join(", ")}`);
        }
        return code;
      }),
    );
}
