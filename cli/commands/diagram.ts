import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Command } from "commander";
import { toMermaid } from "../../network/diagram";
import { EXIT } from "../exit-codes";
import { withLabOptions, type CommandHost } from "../common";
import { projectRoot } from "../io";
import { checkOutFile } from "../out-path";
import { snapshotFor } from "./lab-snapshot";

/** Where diagrams go without --out: inside `.netlab/` (git-ignored), never loose in the project. */
export const DEFAULT_DIAGRAM_DIR = ".netlab/diagrams";

export function registerDiagram(program: Command, host: CommandHost): void {
  withLabOptions(program.command("diagram").description("write a Mermaid diagram of the lab"))
    .option("--out <file>", `output file (- for stdout); default ${DEFAULT_DIAGRAM_DIR}/netlab-<lab>.mmd in the project`)
    .option("--aws-configs <dir>", "draw a saved AWS snapshot")
    .action(
      host.action(async (ctx, opts: { out?: string; awsConfigs?: string }) => {
        // A folder that is not there is bad input: say so before opening anything.
        if (opts.out !== undefined && opts.out !== "-") checkOutFile(ctx.io.cwd, opts.out);
        const snapshot = await snapshotFor(ctx, opts.awsConfigs);
        const text = toMermaid(snapshot);
        if (opts.out === "-") {
          ctx.io.out(text);
          return EXIT.OK;
        }
        let file: string;
        if (opts.out === undefined) {
          const dir = resolve(projectRoot(ctx.io), DEFAULT_DIAGRAM_DIR);
          mkdirSync(dir, { recursive: true });
          file = join(dir, `netlab-${snapshot.lab}.mmd`);
        } else file = resolve(ctx.io.cwd, opts.out);
        // A file that cannot be written is a file-system error: exit 2 naming the path and the reason.
        writeFileSync(file, text.endsWith("\n") ? text : `${text}\n`);
        ctx.io.out(ctx.options.json ? JSON.stringify({ file }) : `wrote ${file} (Mermaid; view it at mermaid.live or in any Markdown viewer that renders mermaid blocks)`);
        return EXIT.OK;
      }),
    );
}

