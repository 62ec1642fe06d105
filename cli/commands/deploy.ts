import { spawn } from "node:child_process";
import type { Command } from "commander";
import { configPath } from "../../config/config";
import { estimateCost, formatCost } from "../../ops/cost";
import type { PreflightResult } from "../../ops/preflight";
import { LAB_TOPOLOGY } from "../../topology/lab";
import type { StackVariant } from "../../topology/types";
import { selectLabs } from "../context";
import { EXIT, type ExitCode } from "../exit-codes";
import { withLabOptions, type CommandHost } from "../common";
import { projectRoot, type ProgramRunner } from "../io";
import { preflightLabs } from "./preflight";

/** The cdktf CLI of the project (a devDependency), never one fetched on the fly. */
export const CDKTF_COMMAND = ["npx", "--no", "cdktf"] as const;

/** Order of a participant's stacks: the NAT instance stack reads the core stack's zone and log group. */
const STACK_ORDER: readonly StackVariant[] = ["core", "natinstance"];

const stack = (lab: string, v: StackVariant) => `netlab-${lab}-${v}`;

/** Runs a program with the terminal as its output (cdktf's progress and prompts go straight to the user). */
export const runChildProcess: ProgramRunner = (command, args, options) =>
  new Promise((resolve, reject) => {
    const child = spawn(command, [...args], { cwd: options.cwd, env: options.env as NodeJS.ProcessEnv, stdio: "inherit" });
    child.once("error", reject);
    child.once("exit", (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });

/** Whether every VPC of a stack variant is already in the lab's account (tagged for the lab). */
function deployed(r: PreflightResult, variant: StackVariant): boolean {
  const names = LAB_TOPOLOGY.vpcs.filter((v) => v.stack === variant).map((v) => v.name);
  return names.length > 0 && names.every((n) => r.existingLabVpcNames.includes(n));
}

export function registerDeploy(program: Command, host: CommandHost): void {
  withLabOptions(
    program
      .command("deploy")
      .description("deploy the lab(s): preflight first (stops if a quota is full or an account is shared), then cdktf deploy of each participant's stacks, core first"),
  )
    .option("--auto-approve", "passed to cdktf deploy: apply without asking")
    .option("--diff", "plan only (cdktf diff), no change; a natinstance stack whose core is not deployed yet is not planned (its lookups need core)")
    .addHelpText(
      "after",
      `
Exit codes: 0 deployed (or planned); 1 refused by preflight (a quota is full, two participants share an
account) or cdktf failed; 2 bad input, configuration or credentials (nothing was deployed).
The stacks are synthesized by cdktf from netlab.config.json (or --config / NETLAB_CONFIG).`,
    )
    .action(
      host.action(async (ctx, opts: { autoApprove?: boolean; diff?: boolean }) => {
        const labs = selectLabs(ctx);
        const { code, results, sharedAccount } = await preflightLabs(ctx, opts.diff ? "deploy --diff" : "deploy");
        if (ctx.options.json) ctx.io.out(JSON.stringify(results, null, 2));
        // A plan changes nothing: a full quota matters only to a deploy. Credentials and shared accounts always stop it.
        const quotaOnly = opts.diff && code === EXIT.FAILED && !sharedAccount && results.length === labs.length;
        if (code !== EXIT.OK && !quotaOnly) {
          ctx.io.err(`refused: nothing was deployed: ${code === EXIT.USAGE ? "a lab's account could not be read (see above)" : "preflight found a problem (see above); fix it, or deploy the labs that fit with --lab ID"}.`);
          return code;
        }
        if (!ctx.options.json) ctx.io.out(formatCost(estimateCost({ region: ctx.config.region, participants: labs.length, hours: 1, topology: LAB_TOPOLOGY, variants: ctx.config.variants })));
        const variants = STACK_ORDER.filter((v) => ctx.config.variants.includes(v));
        const stacks: string[] = [];
        for (const p of labs) {
          for (const v of variants) {
            const r = results.find((x) => x.lab === p.id);
            // On its own, the natinstance stack's data sources (the core stack's private zone and flow-log
            // group) find nothing until core is applied, and `cdktf diff` of it fails. A deploy applies core first.
            if (opts.diff && v === "natinstance" && variants.includes("core") && r && !deployed(r, "core")) {
              ctx.io.err(`${stack(p.id, v)}: not planned: it looks up ${stack(p.id, "core")}'s private zone and flow-log group, which exist only once that stack is applied (lab deploy applies it first).`);
              continue;
            }
            stacks.push(stack(p.id, v));
          }
        }
        // `cdktf deploy` takes every stack at once and orders them by their dependencies; `cdktf diff` takes one.
        const runs = opts.diff ? stacks.map((st) => [...CDKTF_COMMAND.slice(1), "diff", st]) : [[...CDKTF_COMMAND.slice(1), "deploy", ...stacks, ...(opts.autoApprove ? ["--auto-approve"] : [])]];
        const env = { ...ctx.io.env, NETLAB_CONFIG: configPath({ file: ctx.options.config, cwd: ctx.io.cwd, root: projectRoot(ctx.io), env: ctx.io.env }).path, CHECKPOINT_DISABLE: "1" };
        const runner = ctx.io.runProgram ?? runChildProcess;
        let failed = 0;
        for (const args of runs) {
          if (!ctx.options.json) ctx.io.out(`${opts.diff ? "planning" : "deploying"} ${opts.diff ? args[args.length - 1] : stacks.join(", ")}: ${CDKTF_COMMAND[0]} ${args.join(" ")}`);
          let status: number;
          try {
            status = await runner(CDKTF_COMMAND[0], args, { cwd: projectRoot(ctx.io), env });
          } catch (e) {
            ctx.io.err(`error: cdktf could not be started (${(e as Error).message}): run npm ci in ${projectRoot(ctx.io)} (cdktf-cli is one of its devDependencies). Nothing was deployed.`);
            return EXIT.USAGE;
          }
          if (status !== 0) {
            failed++;
            ctx.io.err(
              opts.diff
                ? `failed: cdktf diff ${args[args.length - 1]} exited with ${status} (its output is above).`
                : `failed: cdktf deploy exited with ${status} (its output is above). What it created stays; run lab deploy again to finish, or npx cdktf destroy to remove it.`,
            );
          }
        }
        if (failed) return EXIT.FAILED;
        return EXIT.OK as ExitCode;
      }),
    );
}
