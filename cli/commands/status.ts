import type { Command } from "commander";
import { count } from "../../ops/count";
import { forEachLab } from "../context";
import { reportLabErrors, withLabOptions, type CommandHost } from "../common";

export function registerStatus(program: Command, host: CommandHost): void {
  withLabOptions(program.command("status").description("active faults per lab")).action(
    host.action(async (ctx) => {
      const outcomes = await forEachLab(ctx, (cloud) => cloud.ledger.list());
      const code = reportLabErrors(ctx.io, outcomes);
      if (ctx.options.json) {
        ctx.io.out(JSON.stringify(outcomes.filter((o) => o.result).map((o) => ({ lab: o.lab, active: o.result!.map((e) => ({ scenario: e.scenario, injectedAt: e.injectedAt, by: e.by })) })), null, 2));
        return code;
      }
      for (const { lab, result } of outcomes) {
        if (!result) continue;
        if (!result.length) ctx.io.out(`lab ${lab}: no active fault`);
        for (const e of result) ctx.io.out(`lab ${lab}: ${e.scenario} active since ${e.injectedAt} (by ${e.by}, ${count(e.changes.length, "change")})`);
      }
      return code;
    }),
  );
}
