import { resolve } from "node:path";
import type { Command } from "commander";
import { writeAwsConfigs } from "../../network/aws-configs";
import { snapshotToDescribe } from "../../network/to-aws-describe";
import { forEachLab, type Context } from "../context";
import { EXIT, type ExitCode } from "../exit-codes";
import { reportLabErrors, withLabOptions, type CommandHost } from "../common";
import { prepareOutDir } from "../out-path";
import { VERSION } from "../version";
import type { LabCloud } from "../../cloud/port";

/** Saves one lab's network in the Batfish layout: live describe outputs, or the sim's equivalent. */
export async function saveSnapshot(cloud: LabCloud, dir: string, region: string, now = new Date()): Promise<string[]> {
  const outputs =
    cloud.backend === "aws"
      ? await (require("../../cloud/aws/describe") as typeof import("../../cloud/aws/describe")).describeLab((cloud as import("../../cloud/aws/aws-cloud").AwsLabCloud).clients, cloud.lab)
      : snapshotToDescribe(await cloud.snapshot());
  return writeAwsConfigs(dir, outputs, { lab: cloud.lab, region, time: now.toISOString(), toolVersion: VERSION, source: cloud.backend });
}

export function registerSnapshot(program: Command, host: CommandHost): void {
  const snapshot = program.command("snapshot").description("save a lab's network state");
  withLabOptions(snapshot.command("save").description("write the lab's describe outputs (Batfish layout) for later `lab explain --aws-configs`"))
    .requiredOption("--out <dir>", "output folder (with --all: one sub-folder per lab)")
    .action(
      host.action(async (ctx: Context, opts: { out: string }) => {
        const base = prepareOutDir(ctx.io.cwd, opts.out);
        const outcomes = await forEachLab(ctx, (cloud) => saveSnapshot(cloud, ctx.options.all ? resolve(base, cloud.lab) : base, ctx.config.region));
        const code: ExitCode = reportLabErrors(ctx.io, outcomes);
        for (const o of outcomes) if (o.result) ctx.io.out(ctx.options.json ? JSON.stringify({ lab: o.lab, files: o.result }) : `lab ${o.lab}: wrote ${o.result.length} files to ${resolve(o.result[0], "..")}`);
        return code === EXIT.OK ? EXIT.OK : code;
      }),
    );
}
