import type { Command } from "commander";
import { estimateCost, formatCost } from "../../ops/cost";
import type { PreflightResult } from "../../ops/preflight";
import { LAB_TOPOLOGY } from "../../topology/lab";
import { EXIT, type ExitCode } from "../exit-codes";
import { forEachAccount } from "./accounts";
import { reportLabErrors, withLabOptions, worstOf, type CommandHost } from "../common";
import type { Context } from "../context";
import { paint } from "../io";

export function registerPreflight(program: Command, host: CommandHost): void {
  withLabOptions(program.command("preflight").description("before deploy: identity, region, quotas (the default VPC counts), one account per participant, existing lab resources, cost")).action(
    host.action(async (ctx) => {
      const { code, results } = await preflightLabs(ctx, "preflight");
      if (ctx.options.json) ctx.io.out(JSON.stringify(results, null, 2));
      if (!ctx.options.json) ctx.io.out(formatCost(estimateCost({ region: ctx.config.region, participants: ctx.config.participants.length, hours: 1, topology: LAB_TOPOLOGY, variants: ctx.config.variants })));
      return code;
    }),
  );
}

/**
 * Runs preflight on the selected labs' accounts and prints each result (not with --json) and every
 * refusal: exit 0 only when every lab fits, each in an account of its own; 1 when one does not; 2 for
 * credentials or access. Shared by `lab preflight` and `lab deploy` (which stops unless it is 0).
 */
export async function preflightLabs(ctx: Context, verb: string): Promise<{ code: ExitCode; results: PreflightResult[]; sharedAccount: boolean }> {
  // Loaded lazily: it loads the AWS SDK, which the other (offline) verbs must not pay for.
  const { labNeeds, preflight, sharedAccountMessage, sharedAccounts } = require("../../ops/preflight") as typeof import("../../ops/preflight");
  const needs = labNeeds(LAB_TOPOLOGY, ctx.config.variants);
  const outcomes = await forEachAccount(ctx, verb, (clients, p) => preflight(clients, p.id, ctx.config.region, needs));
  let code: ExitCode = reportLabErrors(ctx.io, outcomes);
  const results = outcomes.flatMap((o) => (o.result ? [o.result] : []));
  if (results.some((r) => !r.ok)) code = worstOf(code, EXIT.FAILED);
  if (!ctx.options.json) for (const r of results) print(ctx.io, r);
  // One account per participant: two labs in one account and region would collide (same resource names).
  const shared = sharedAccounts(results);
  for (const g of shared) {
    ctx.io.err(`refused: ${sharedAccountMessage(g)}`);
    code = worstOf(code, EXIT.FAILED);
  }
  return { code, results, sharedAccount: shared.length > 0 };
}

function print(io: Parameters<typeof paint>[0], r: PreflightResult): void {
  io.out(`lab ${r.lab}: account ${r.account} as ${r.identity}, region ${r.region} — ${r.ok ? paint(io, "green", "ready") : paint(io, "red", "WILL NOT FIT")}`);
  for (const q of r.quotas) io.out(`  ${q.ok ? "ok  " : "FULL"} ${q.name}: ${q.inUse} in use${q.inUseByLab ? ` (${q.inUseByLab} already this lab's)` : ""} + ${q.needed} needed, limit ${q.limit}${q.limitSource === "aws-default" ? " (AWS default; Service Quotas not readable)" : ""}`);
  if (r.existingLabVpcs.length) io.out(`  the lab is already (partly) deployed: ${r.existingLabVpcs.join(", ")}`);
  for (const w of r.waysOut) io.out(`  way out: ${w}`);
}
