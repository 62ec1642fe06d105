import { ENGINES, runE2e, type Engine, type E2eReport } from "./harness";
import { engineCli } from "./deploy";
import { PrerequisiteError } from "./prerequisites";

const USAGE = `usage: npm run e2e -- [--json] [--engine ${ENGINES.join("|")}] [--scenario ID]... [--keep]`;

/** `npm run e2e`: the whole class day on a local AWS emulator. Exit 0 when it held, 1 when something did not, 2 on bad input or a missing tool. */
export async function main(argv: readonly string[], out: (s: string) => void, err: (s: string) => void): Promise<number> {
  let json = false;
  let keep = false;
  let engine: Engine = (process.env.NETLAB_ENGINE as Engine | undefined) ?? "cdktf";
  const scenarios: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--json") json = true;
    else if (a === "--keep") keep = true;
    else if (a === "--engine" || a === "--scenario") {
      const v = argv[++i];
      if (v === undefined) return err(`error: ${a} needs a value.\n${USAGE}`), 2;
      if (a === "--scenario") scenarios.push(v);
      else engine = v as Engine;
    } else return err(`error: unknown argument "${a}".\n${USAGE}`), 2;
  }
  if (!ENGINES.includes(engine)) return err(`error: --engine (or NETLAB_ENGINE) is "${engine}"; valid engines: ${ENGINES.join(", ")}.`), 2;
  try {
    engineCli(engine);
  } catch (e) {
    return err(`error: ${(e as Error).message}`), 2;
  }
  const { SCENARIOS } = await import("../scenarios");
  const unknown = scenarios.filter((s) => !SCENARIOS.some((x) => x.id === s));
  if (unknown.length) return err(`error: unknown scenario ${unknown.map((s) => `"${s}"`).join(", ")}; valid: ${SCENARIOS.map((s) => s.id).join(", ")}.`), 2;
  let result: { report: E2eReport; findings: string[] };
  try {
    result = await runE2e({ engine, keep, log: (l) => err(l), ...(scenarios.length ? { scenarios } : {}) });
  } catch (e) {
    if (e instanceof PrerequisiteError) return err(`error: ${e.message}`), 2;
    err(`e2e: the run stopped: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
    return 1;
  }
  const { report, findings } = result;
  if (json) out(JSON.stringify(report, null, 2));
  else {
    out(`deploy: ${report.deploy.ok ? "ok" : "FAILED"}, ${report.deploy.resources} resources in ${report.deploy.seconds} s`);
    for (const s of report.scenarios) out(`  ${s.id.padEnd(24)} injected ${s.injected}  failedAsExpected ${s.failedAsExpected}  reset ${s.reset}  baselineDiff ${s.baselineDiff}`);
    out(`snapshot + explain: ${report.snapshotExplain.queries} queries, ${report.snapshotExplain.agreeWithSim ? "agree" : "DISAGREE"} with the simulator`);
    out(`destroy: ${report.destroy.ok ? "ok" : "FAILED"}; leftovers: exit ${report.leftovers.exit}, ${report.leftovers.items} items`);
    out(`emulator patches: ${report.emulatorPatches.map((p) => p.id).join(", ")}`);
  }
  for (const f of findings) err(`finding: ${f}`);
  err(findings.length ? `e2e: ${findings.length} findings` : "e2e: the class day held on the emulator");
  return findings.length ? 1 : 0;
}

if (require.main === module) {
  main(process.argv.slice(2), (s) => process.stdout.write(`${s}\n`), (s) => process.stderr.write(`${s}\n`)).then((code) => {
    process.exitCode = code;
  });
}
