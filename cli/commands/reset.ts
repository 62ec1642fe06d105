import type { Command } from "commander";
import { reset, resetAll, type ResetOutcome } from "../../lifecycle/reset";
import { forEachLab } from "../context";
import { EXIT, type ExitCode } from "../exit-codes";
import { reportLabErrors, scenarioArg, withLabOptions, worstOf, type CommandHost } from "../common";
import { paint, type Io } from "../io";
import { printSteps, stepsJson } from "./steps";

export function registerReset(program: Command, host: CommandHost): void {
  withLabOptions(
    program
      .command("reset [scenario]")
      .description("undo a scenario's fault from the ledger (no scenario: every active fault), then check that the lab is back to its baseline; --all: on every lab"),
  )
    .option("--no-verify", "do not run the scenario's checks after the reset")
    .action(
      host.action(async (ctx, id: string | undefined, opts: { verify: boolean }) => {
        const scenario = id === undefined ? undefined : scenarioArg(id);
        const options = { verify: opts.verify };
        const outcomes = await forEachLab(ctx, async (cloud) => (scenario ? [await reset(cloud, scenario.id, options)] : resetAll(cloud, options)));
        let code: ExitCode = reportLabErrors(ctx.io, outcomes);
        const json: unknown[] = [];
        for (const { lab, result } of outcomes) {
          if (!result) continue;
          if (result.length === 0 && !ctx.options.json) ctx.io.out(`lab ${lab}: no active fault; nothing to reset`);
          for (const r of result) {
            code = worstOf(code, exitOf(r));
            if (ctx.options.json) json.push(resetJson(lab, r));
            else printReset(ctx.io, lab, r);
          }
        }
        if (ctx.options.json) ctx.io.out(JSON.stringify(json, null, 2));
        return code;
      }),
    );
}

function exitOf(r: ResetOutcome): ExitCode {
  if (r.status === "incomplete" || r.status === "not-restored") return EXIT.FAILED;
  return r.status === "unverified" ? EXIT.INCONCLUSIVE : EXIT.OK;
}

function resetJson(lab: string, r: ResetOutcome): unknown {
  if (r.status === "not-active") return { lab, scenario: r.scenario, status: r.status };
  const verification =
    r.status === "incomplete"
      ? undefined
      : r.verification.status === "skipped"
        ? { status: "skipped", reason: r.verification.reason }
        : { status: r.verification.status, checks: r.verification.checks.map((c) => ({ id: c.id, status: c.status, evidence: c.evidence })) };
  return {
    lab,
    scenario: r.scenario,
    status: r.status,
    steps: stepsJson(r.steps),
    ...(verification ? { verification } : {}),
    ...("ledger" in r ? { ledger: r.ledger, why: r.why } : {}),
  };
}

function printReset(io: Io, lab: string, r: ResetOutcome): void {
  if (r.status === "not-active") {
    io.out(`lab ${lab}: ${r.scenario} is not active; nothing to reset`);
    return;
  }
  if (r.status === "incomplete") {
    io.out(`lab ${lab}: reset ${r.scenario} INCOMPLETE — the ledger entry is kept; run reset again`);
    printSteps(io, r.steps);
    return;
  }
  if (r.status === "reset") {
    const verified = r.verification.status === "skipped" ? ` (${r.verification.reason})` : ` — ${r.verification.checks.length === 1 ? "its check passes" : `${r.verification.checks.length} checks pass`}`;
    io.out(`lab ${lab}: reset ${r.scenario}${verified}`);
    printSteps(io, r.steps);
    return;
  }
  const headline = r.status === "not-restored" ? paint(io, "red", "NOT BACK TO ITS BASELINE") : paint(io, "yellow", "NOT VERIFIED");
  io.out(`lab ${lab}: reset ${r.scenario} — ${headline}: ${r.status === "not-restored" ? "a check fails after the reset" : "a check could not run after the reset"}`);
  printSteps(io, r.steps);
  for (const c of r.verification.checks.filter((x) => x.status !== "pass")) {
    io.out(`  ${c.status === "fail" ? paint(io, "red", "FAIL") : paint(io, "yellow", "INCONCLUSIVE")} ${c.id}: ${c.evidence}`);
  }
  const kept = r.steps.filter((s) => s.outcome === "left-as-is");
  if (kept.length) io.out(`  Kept as it is (someone's change, never undone by reset): ${kept.map((s) => s.detail).join("; ")}.`);
  io.out(`  ${r.why[0].toUpperCase()}${r.why.slice(1)}.`);
}
