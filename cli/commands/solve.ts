import type { Command } from "commander";
import { solve } from "../../lifecycle/solve";
import { forEachLab } from "../context";
import { EXIT, type ExitCode } from "../exit-codes";
import { reportLabErrors, scenarioArg, withLabOptions, worstOf, type CommandHost } from "../common";
import { printSteps, stepsJson } from "./steps";

export function registerSolve(program: Command, host: CommandHost): void {
  withLabOptions(program.command("solve <scenario>").description("apply the reference fix (the ledger is kept for reset)")).action(
    host.action(async (ctx, id: string) => {
      const scenario = scenarioArg(id);
      const outcomes = await forEachLab(ctx, (cloud) => solve(cloud, scenario));
      let code: ExitCode = reportLabErrors(ctx.io, outcomes);
      const json: unknown[] = [];
      for (const { lab, result } of outcomes) {
        if (!result) continue;
        if (result.some((s) => s.outcome === "failed")) code = worstOf(code, EXIT.FAILED);
        if (ctx.options.json) json.push({ lab, scenario: scenario.id, steps: stepsJson(result) });
        else {
          ctx.io.out(`lab ${lab}: solve ${scenario.id}`);
          printSteps(ctx.io, result);
        }
      }
      if (ctx.options.json) ctx.io.out(JSON.stringify(json, null, 2));
      return code;
    }),
  );
}
