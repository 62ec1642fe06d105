import type { Command } from "commander";
import { EXIT, type ExitCode } from "../exit-codes";
import { forEachAccount } from "./accounts";
import { reportLabErrors, withLabOptions, worstOf, type CommandHost } from "../common";

export function registerLeftovers(program: Command, host: CommandHost): void {
  withLabOptions(program.command("leftovers").description("after cdktf destroy: anything billable still tagged with the lab or in its VPCs (exit 1 if any)")).action(
    host.action(async (ctx) => {
      // Loaded lazily: it loads the AWS SDK, which the other (offline) verbs must not pay for.
      const { findLeftovers } = require("../../ops/leftovers") as typeof import("../../ops/leftovers");
      const outcomes = await forEachAccount(ctx, "leftovers", (clients, p) => findLeftovers(clients, p.id, ctx.config.region));
      let code: ExitCode = reportLabErrors(ctx.io, outcomes);
      const results = outcomes.flatMap((o) => (o.result ? [o.result] : []));
      if (results.some((r) => !r.ok)) code = worstOf(code, EXIT.FAILED);
      if (ctx.options.json) ctx.io.out(JSON.stringify(results, null, 2));
      for (const r of ctx.options.json ? [] : results) {
        const monthly = r.perMonth ? `, plus $${r.perMonth.toFixed(2)} a month (billed monthly, not hourly)` : "";
        ctx.io.out(r.ok ? `lab ${r.lab}: nothing left` : `lab ${r.lab}: ${r.leftovers.length} left, about $${r.perHour.toFixed(3)}/h${monthly}`);
        for (const l of r.leftovers) ctx.io.out(`  ${l.kind} ${l.id}${l.name ? ` (${l.name})` : ""}${l.perHour ? ` $${l.perHour.toFixed(4)}/h` : ""}${l.perMonth ? ` $${l.perMonth.toFixed(2)}/month` : ""}`);
      }
      return code;
    }),
  );
}
