import type { Command } from "commander";
import { EXIT, UsageError } from "../exit-codes";
import { langOption, parseLang, scenarioArg, withLabOptions, type CommandHost } from "../common";

export function registerBrief(program: Command, host: CommandHost): void {
  withLabOptions(program.command("brief <scenario>").description("print the student's brief of a scenario"))
    .addOption(langOption())
    .option("--hints <n>", "also print the first n hints")
    .action(
      host.action(async (ctx, id: string, opts: { lang?: string; hints?: string }) => {
        const scenario = scenarioArg(id);
        const lang = parseLang(opts.lang);
        const hintCount = opts.hints === undefined ? 0 : Number(opts.hints);
        if (!Number.isInteger(hintCount) || hintCount < 0) {
          throw new UsageError(`--hints must be a whole number from 0 to ${scenario.hints.length}; got "${opts.hints}".`);
        }
        const hints = scenario.hints.slice(0, hintCount).map((h) => h[lang]);
        if (ctx.options.json) {
          ctx.io.out(JSON.stringify({ id: scenario.id, title: scenario.title[lang], seed: scenario.seed, brief: scenario.brief[lang], checks: scenario.checks.map((c) => ({ id: c.id, title: c.title[lang] })), hints }, null, 2));
          return EXIT.OK;
        }
        ctx.io.out(`# ${scenario.title[lang]}\n\n${scenario.brief[lang]}\n`);
        ctx.io.out(lang === "ko" ? "채점 기준:" : "What will be checked:");
        for (const c of scenario.checks) ctx.io.out(`  - ${c.title[lang]}`);
        // The steady-state comparison grades every repair too: students should know it does.
        ctx.io.out(
          lang === "ko"
            ? "  - 랩의 다른 부분은 그대로입니다: 장애 전에 동작하던 것은 모두 계속 동작해야 합니다(다른 곳을 망가뜨리면 통과하지 못합니다)"
            : "  - Nothing else in the lab breaks: everything that worked before the fault still works (damage elsewhere fails the grade)",
        );
        hints.forEach((h, i) => ctx.io.out(`\n${lang === "ko" ? "힌트" : "Hint"} ${i + 1}: ${h}`));
        return EXIT.OK;
      }),
    );
}
