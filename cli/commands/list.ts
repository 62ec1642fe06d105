import type { Command } from "commander";
import { SCENARIOS } from "../../scenarios";
import { EXIT } from "../exit-codes";
import { langOption, parseLang, withoutLabOptions, type CommandHost } from "../common";

export function registerList(program: Command, host: CommandHost): void {
  withoutLabOptions(program.command("list").description("list the scenarios"), "the scenarios are the same for every lab")
    .addOption(langOption())
    .action(
      host.action(async (ctx, opts: { lang?: string }) => {
        const lang = parseLang(opts.lang);
        if (ctx.options.json) {
          ctx.io.out(JSON.stringify(SCENARIOS.map((s) => ({ id: s.id, title: s.title[lang], seed: s.seed })), null, 2));
          return EXIT.OK;
        }
        const width = Math.max(...SCENARIOS.map((s) => s.id.length));
        for (const s of SCENARIOS) ctx.io.out(`${s.id.padEnd(width)}  seed ${s.seed}  ${s.title[lang]}`);
        return EXIT.OK;
      }),
    );
}
