import type { Command } from "commander";
import { rehearse, type Rehearsal } from "../../lifecycle/rehearse";
import { SCENARIOS } from "../../scenarios";
import { forEachLab, selectLabs, whoAmI } from "../context";
import { EXIT, RefusedError, UsageError, type ExitCode } from "../exit-codes";
import { reportLabErrors, scenarioArg, withLabOptions, worstOf, type CommandHost } from "../common";
import { paint } from "../io";

export function registerRehearse(program: Command, host: CommandHost): void {
  withLabOptions(
    program
      .command("rehearse [scenarios...]")
      .description(
        "for each scenario: baseline passes → inject → a check fails → solve → all pass → reset → baseline passes (a failed baseline stops that scenario); --json: one lab",
      ),
  ).action(
    host.action(async (ctx, ids: string[]) => {
      const scenarios = ids.length ? ids.map(scenarioArg) : [...SCENARIOS];
      const labs = selectLabs(ctx);
      if (ctx.options.json && labs.length > 1) {
        // The JSON contract has no lab field: one lab per run keeps it exact.
        throw new UsageError(`rehearse --json reports on one lab (its JSON has no lab field); give --lab ID, once per lab: ${labs.map((p) => p.id).join(", ")}.`);
      }
      const outcomes = await forEachLab(ctx, async (cloud) => {
        const active = await cloud.ledger.list();
        if (active.length) {
          throw new RefusedError(`rehearse needs a lab with no active fault, and lab ${cloud.lab} has ${active.map((e) => e.scenario).join(", ")}; run \`lab reset --lab ${cloud.lab}\` first.`);
        }
        const out: Rehearsal[] = [];
        for (const s of scenarios) {
          const r = await rehearse(cloud, s, whoAmI(ctx.io));
          out.push(r);
          if (!ctx.options.json) printRehearsal(ctx.io, r, Boolean(ctx.options.verbose));
        }
        return out;
      });
      let code: ExitCode = reportLabErrors(ctx.io, outcomes);
      const all = outcomes.flatMap((o) => o.result ?? []);
      if (all.some((r) => !r.ok)) code = worstOf(code, EXIT.FAILED);
      if (ctx.options.json) {
        ctx.io.out(
          JSON.stringify(
            all.map((r) => ({ scenario: r.scenario, ok: r.ok, steps: r.steps.map((s) => ({ step: s.step, checks: s.checks.map((c) => ({ id: c.id, status: c.status })), collateral: s.collateral })) })),
            null,
            2,
          ),
        );
      } else if (all.length) {
        ctx.io.out(`${all.filter((r) => r.ok).length} of ${all.length} rehearsals ok`);
      }
      return code;
    }),
  );
}

function printRehearsal(io: Parameters<typeof paint>[0], r: Rehearsal, verbose: boolean): void {
  io.out(`${r.ok ? paint(io, "green", "ok  ") : paint(io, "red", "FAIL")} ${r.scenario} (lab ${r.lab})`);
  for (const s of r.steps) {
    const failed = s.checks.filter((c) => c.status !== "pass").map((c) => c.id);
    if (verbose || !s.ok) io.out(`     ${s.step.padEnd(8)} ${s.ok ? "ok" : "NOT OK"}${failed.length ? `  not passing: ${failed.join(", ")}` : ""}`);
    for (const p of s.problems) io.out(`              ${p}`);
  }
}
