import type { Command } from "commander";
import { describeChange } from "../../cloud/change";
import { inject, type InjectOutcome } from "../../lifecycle/inject";
import { forEachLab, whoAmI } from "../context";
import { EXIT, type ExitCode } from "../exit-codes";
import { reportLabErrors, scenarioArg, withLabOptions, worstOf, type CommandHost } from "../common";
import { paint } from "../io";

export function registerInject(program: Command, host: CommandHost): void {
  withLabOptions(program.command("inject <scenario>").description("put a scenario's fault into the lab(s)"))
    .option("--dry-run", "print the changes and their recorded inverses; change nothing")
    .action(
      host.action(async (ctx, id: string, opts: { dryRun?: boolean }) => {
        const scenario = scenarioArg(id);
        const outcomes = await forEachLab(ctx, (cloud) => inject(cloud, scenario, { dryRun: opts.dryRun, by: whoAmI(ctx.io) }));
        let code: ExitCode = reportLabErrors(ctx.io, outcomes);
        const json: unknown[] = [];
        for (const { lab, result } of outcomes) {
          if (!result) continue;
          code = worstOf(code, exitOf(result));
          if (ctx.options.json) json.push({ lab, scenario: scenario.id, ...summarize(result) });
          else print(ctx.io, lab, scenario.id, result);
        }
        if (ctx.options.json) ctx.io.out(JSON.stringify(json.length === 1 && !ctx.options.all ? json[0] : json, null, 2));
        return code;
      }),
    );
}

function exitOf(r: InjectOutcome): ExitCode {
  return r.status === "injected" || r.status === "dry-run" ? EXIT.OK : EXIT.FAILED;
}

function summarize(r: InjectOutcome): Record<string, unknown> {
  switch (r.status) {
    case "dry-run":
      return { status: r.status, changes: r.changes, inverses: r.inverses };
    case "injected":
      return { status: r.status, changes: r.entry.changes, injectedAt: r.entry.injectedAt };
    case "refused":
      return { status: r.status, reason: r.reason };
    case "partial":
      return { status: r.status, applied: r.applied, error: r.error };
  }
}

function print(io: Parameters<typeof paint>[0], lab: string, scenario: string, r: InjectOutcome): void {
  switch (r.status) {
    case "dry-run":
      io.out(`lab ${lab}: dry run of ${scenario} — nothing was changed. It would:`);
      r.changes.forEach((c, i) => io.out(`  ${i + 1}. ${describeChange(c)}\n     undo: ${describeChange(r.inverses[i])}`));
      return;
    case "injected":
      io.out(`lab ${lab}: ${paint(io, "yellow", "injected")} ${scenario} (inverses recorded in the ledger first):`);
      r.entry.changes.forEach((c) => io.out(`  - ${describeChange(c)}`));
      return;
    case "refused":
      io.err(`lab ${lab}: refused: ${r.reason}`);
      return;
    case "partial":
      io.err(`lab ${lab}: ${scenario} stopped after ${r.applied} of ${r.entry.changes.length} changes: ${r.error}\n  The ledger holds every inverse: run \`lab reset ${scenario} --lab ${lab}\` to restore the lab.`);
  }
}
