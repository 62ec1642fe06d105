import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import type { Command } from "commander";
import { toMermaid } from "../../network/diagram";
import { EXIT } from "../exit-codes";
import { withLabOptions, type CommandHost } from "../common";
import { snapshotFor } from "./lab-snapshot";

export function registerDiagram(program: Command, host: CommandHost): void {
  withLabOptions(program.command("diagram").description("write a Mermaid diagram of the lab"))
    .option("--out <file>", "output file (- for stdout); default netlab-<lab>.mmd")
    .option("--aws-configs <dir>", "draw a saved AWS snapshot")
    .action(
      host.action(async (ctx, opts: { out?: string; awsConfigs?: string }) => {
        const snapshot = await snapshotFor(ctx, opts.awsConfigs);
        const text = toMermaid(snapshot);
        if (opts.out === "-") {
          ctx.io.out(text);
          return EXIT.OK;
        }
        const file = resolve(ctx.io.cwd, opts.out ?? `netlab-${snapshot.lab}.mmd`);
        writeFileSync(file, text.endsWith("\n") ? text : `${text}\n`);
        ctx.io.out(ctx.options.json ? JSON.stringify({ file }) : `wrote ${file} (Mermaid; view it at mermaid.live or in any Markdown viewer that renders mermaid blocks)`);
        return EXIT.OK;
      }),
    );
}
