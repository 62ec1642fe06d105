import { existsSync, statSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import type { Command } from "commander";
import { toMermaid } from "../../network/diagram";
import { EXIT, UsageError } from "../exit-codes";
import { withLabOptions, type CommandHost } from "../common";
import { snapshotFor } from "./lab-snapshot";

export function registerDiagram(program: Command, host: CommandHost): void {
  withLabOptions(program.command("diagram").description("write a Mermaid diagram of the lab"))
    .option("--out <file>", "output file (- for stdout); default netlab-<lab>.mmd")
    .option("--aws-configs <dir>", "draw a saved AWS snapshot")
    .action(
      host.action(async (ctx, opts: { out?: string; awsConfigs?: string }) => {
        // A folder that is not there is bad input: say so before opening anything.
        if (opts.out !== undefined && opts.out !== "-") checkFolder(resolve(ctx.io.cwd, opts.out));
        const snapshot = await snapshotFor(ctx, opts.awsConfigs);
        const text = toMermaid(snapshot);
        if (opts.out === "-") {
          ctx.io.out(text);
          return EXIT.OK;
        }
        const file = resolve(ctx.io.cwd, opts.out ?? `netlab-${snapshot.lab}.mmd`);
        try {
          writeFileSync(file, text.endsWith("\n") ? text : `${text}\n`);
        } catch (e) {
          throw new UsageError(`Cannot write the diagram to ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}; give --out a writable file path (or - for stdout).`);
        }
        ctx.io.out(ctx.options.json ? JSON.stringify({ file }) : `wrote ${file} (Mermaid; view it at mermaid.live or in any Markdown viewer that renders mermaid blocks)`);
        return EXIT.OK;
      }),
    );
}

function checkFolder(file: string): void {
  const folder = dirname(file);
  if (!existsSync(folder) || !statSync(folder).isDirectory()) throw new UsageError(`--out ${file}: the folder ${folder} does not exist; create it first or give another path (or - for stdout).`);
  if (existsSync(file) && statSync(file).isDirectory()) throw new UsageError(`--out ${file} is a folder; give a file path such as ${resolve(file, "lab.mmd")}.`);
}
