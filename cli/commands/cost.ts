import type { Command } from "commander";
import { estimateCost, formatCost } from "../../ops/cost";
import { LAB_TOPOLOGY } from "../../topology/lab";
import { EXIT, UsageError } from "../exit-codes";
import { withoutLabOptions, type CommandHost } from "../common";

/** Beyond these an estimate means nothing (and their product would overflow to $Infinity). */
export const MAX_PARTICIPANTS = 1000;
export const MAX_HOURS = 24 * 366;

export function registerCost(program: Command, host: CommandHost): void {
  withoutLabOptions(program.command("cost").description("itemized hourly estimate per participant and for the class"), "the estimate is per participant and for the class (--participants N); it reads no lab")
    .option("--participants <n>", "participants (default: the config's)")
    .option("--hours <h>", "hours the labs stay up", "3")
    .action(
      host.action(async (ctx, opts: { participants?: string; hours: string }) => {
        const participants = opts.participants === undefined ? ctx.config.participants.length : Number(opts.participants);
        const hours = Number(opts.hours);
        if (!Number.isInteger(participants) || participants < 1) throw new UsageError(`--participants must be a whole number of at least 1; got "${opts.participants}".`);
        if (participants > MAX_PARTICIPANTS) throw new UsageError(`--participants must be at most ${MAX_PARTICIPANTS} (one AWS account each); got "${opts.participants}".`);
        if (!(hours > 0) || hours > MAX_HOURS) throw new UsageError(`--hours must be a number of hours above 0 and at most ${MAX_HOURS} (a year); got "${opts.hours}".`);
        const e = estimateCost({ region: ctx.config.region, participants, hours, topology: LAB_TOPOLOGY, variants: ctx.config.variants });
        ctx.io.out(ctx.options.json ? JSON.stringify(e, null, 2) : formatCost(e));
        return EXIT.OK;
      }),
    );
}
