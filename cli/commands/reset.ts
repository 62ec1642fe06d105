import type { Command } from "commander";
import { reset, resetAll, type ResetOutcome } from "../../lifecycle/reset";
import { forEachLab } from "../context";
import { EXIT, type ExitCode } from "../exit-codes";
import { reportLabErrors, scenarioArg, withLabOptions, worstOf, type CommandHost } from "../common";
import { printSteps, stepsJson } from "./steps";

export function registerReset(program: Command, host: CommandHost): void {
  withLabOptions(
    program.command("reset [scenario]").description("undo a scenario's fault from the ledger (no scenario: every active fault); --all: on every lab"),
  ).action(
    host.action(async (ctx, id: string | undefined) => {
      const scenario = id === undefined ? undefined : scenarioArg(id);
      const outcomes = await forEachLab(ctx, async (cloud) => (scenario ? [await reset(cloud, scenario.id)] : resetAll(cloud)));
      let code: ExitCode = reportLabErrors(ctx.io, outcomes);
      const json: unknown[] = [];
      for (const { lab, result } of outcomes) {
        if (!result) continue;
        if (result.length === 0 && !ctx.options.json) ctx.io.out(`lab ${lab}: no active fault; nothing to reset`);
        for (const r of result) {
          if (r.status === "incomplete") code = worstOf(code, EXIT.FAILED);
          if (ctx.options.json) json.push({ lab, scenario: r.scenario, status: r.status, ...("steps" in r ? { steps: stepsJson(r.steps) } : {}) });
          else printReset(ctx.io, lab, r);
        }
      }
      if (ctx.options.json) ctx.io.out(JSON.stringify(json, null, 2));
      return code;
    }),
  );
}

function printReset(io: Parameters<typeof printSteps>[0], lab: string, r: ResetOutcome): void {
  if (r.status === "not-active") {
    io.out(`lab ${lab}: ${r.scenario} is not active; nothing to reset`);
    return;
  }
  io.out(`lab ${lab}: reset ${r.scenario}${r.status === "incomplete" ? " INCOMPLETE — the ledger entry is kept; run reset again" : ""}`);
  printSteps(io, r.steps);
}
