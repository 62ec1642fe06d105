import { Option, type Command } from "commander";
import { parseDestination, reach } from "../../network/analyzer";
import type { ReachOptions } from "../../network/reach-types";
import { EXIT, UsageError } from "../exit-codes";
import { withLabOptions, type CommandHost } from "../common";
import { paint } from "../io";
import { snapshotFor } from "./lab-snapshot";

export function registerExplain(program: Command, host: CommandHost): void {
  withLabOptions(program.command("explain").description("can A reach B, and if not, which component blocks it"))
    .requiredOption("--from <instance>", "source instance: Name tag or id")
    .requiredOption("--to <target>", "internet | instance Name/id | ip[:port] | DNS name | alb")
    .option("--port <n>", "destination port (tcp/udp)")
    .addOption(new Option("--protocol <p>", "protocol").choices(["tcp", "udp", "icmp"]))
    .option("--aws-configs <dir>", "explain a saved AWS snapshot (a folder of describe outputs)")
    .action(
      host.action(async (ctx, opts: { from: string; to: string; port?: string; protocol?: "tcp" | "udp" | "icmp"; awsConfigs?: string }) => {
        const snapshot = await snapshotFor(ctx, opts.awsConfigs);
        let destination;
        try {
          destination = parseDestination(opts.to, snapshot);
        } catch (e) {
          throw new UsageError((e as Error).message);
        }
        const port = opts.port ?? (opts.to.includes(":") && !opts.to.startsWith("[") ? opts.to.split(":")[1] : undefined);
        if (port !== undefined && !/^\d{1,5}$/.test(port)) throw new UsageError(`--port must be a number from 1 to 65535; got "${port}".`);
        const options: ReachOptions = { protocol: opts.protocol ?? "tcp", ...(port !== undefined ? { port: Number(port) } : {}) };
        let result;
        try {
          result = reach(snapshot, opts.from, destination, options);
        } catch (e) {
          throw new UsageError((e as Error).message);
        }
        if (ctx.options.json) {
          ctx.io.out(
            JSON.stringify(
              {
                reachable: result.reachable,
                hops: result.hops.map((h) => ({ component: h.component, kind: h.kind })),
                blockedBy: result.blockedBy ? { component: result.blockedBy.component, reason: result.blockedBy.reason } : null,
                egressIp: result.egressIp,
              },
              null,
              2,
            ),
          );
        } else {
          ctx.io.out(`${opts.from} → ${opts.to}: ${result.reachable ? paint(ctx.io, "green", "reachable") : paint(ctx.io, "red", "NOT reachable")}`);
          for (const h of result.hops) ctx.io.out(`  ${h.kind.padEnd(17)} ${h.component}`);
          if (result.blockedBy) ctx.io.out(`  blocked at ${result.blockedBy.component}: ${result.blockedBy.reason} — ${result.blockedBy.detail}`);
          if (result.egressIp) ctx.io.out(`  egress IP: ${result.egressIp}`);
        }
        return result.reachable ? EXIT.OK : EXIT.FAILED;
      }),
    );
}
