import type { Command } from "commander";
import { reset, resetAll, type ResetOutcome } from "../../lifecycle/reset";
import { forEachLab } from "../context";
import { EXIT, type ExitCode } from "../exit-codes";
import { reportLabErrors, scenarioArg, withLabOptions, worstOf, type CommandHost } from "../common";
import { paint, type Io } from "../io";
import { printSteadyState, steadyStateJson } from "./steady-state-output";
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
            else printReset(ctx.io, lab, r, Boolean(ctx.options.verbose));
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
        : {
            status: r.verification.status,
            checks: r.verification.checks.map((c) => ({ id: c.id, status: c.status, evidence: c.evidence })),
            collateral: r.verification.collateral,
            steadyState: steadyStateJson(r.verification.steadyState),
          };
  return {
    lab,
    scenario: r.scenario,
    status: r.status,
    steps: stepsJson(r.steps),
    ...(verification ? { verification } : {}),
    ...("ledger" in r ? { ledger: r.ledger, why: r.why } : {}),
  };
}

function printReset(io: Io, lab: string, r: ResetOutcome, verbose: boolean): void {
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
    const v = r.verification;
    const steady = v.status === "skipped" || v.steadyState.status !== "same" ? "" : `, and the lab's ${v.steadyState.compared} steady-state facts are as at baseline`;
    const verified = v.status === "skipped" ? ` (${v.reason})` : ` — ${v.checks.length === 1 ? "its check passes" : `${v.checks.length} checks pass`}${steady}`;
    io.out(`lab ${lab}: reset ${r.scenario}${verified}`);
    printSteps(io, r.steps);
    return;
  }
  const headline = r.status === "not-restored" ? paint(io, "red", "NOT BACK TO ITS BASELINE") : paint(io, "yellow", "NOT VERIFIED");
  const failing = r.verification.checks.some((c) => c.status === "fail");
  const damaged = r.verification.collateral.length > 0;
  const what =
    r.status === "not-restored"
      ? [failing ? "a check fails after the reset" : "", damaged ? "something a student broke elsewhere in the lab is still broken (collateral damage; reset changes nothing its ledger does not name)" : ""].filter(Boolean).join(", and ")
      : "a check or a steady-state fact could not be known after the reset";
  io.out(`lab ${lab}: reset ${r.scenario} — ${headline}: ${what}`);
  printSteps(io, r.steps);
  for (const c of r.verification.checks.filter((x) => x.status !== "pass")) {
    io.out(`  ${c.status === "fail" ? paint(io, "red", "FAIL") : paint(io, "yellow", "INCONCLUSIVE")} ${c.id}: ${c.evidence}`);
  }
  if (r.verification.steadyState.status !== "same") printSteadyState(io, r.verification.steadyState, "en", verbose);
  const kept = r.steps.filter((s) => s.outcome === "left-as-is");
  if (kept.length) io.out(`  Kept as it is (someone's change, never undone by reset): ${kept.map((s) => s.detail).join("; ")}.`);
  io.out(`  ${r.why[0].toUpperCase()}${r.why.slice(1)}.`);
}
