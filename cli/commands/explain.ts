import { Option, type Command } from "commander";
import { parseDestination, reach } from "../../network/analyzer";
import { isInconclusive, type ReachOptions } from "../../network/reach-types";
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
        // Checked before anything is opened: a refused command changes nothing.
        const port = portOption(opts);
        const snapshot = await snapshotFor(ctx, opts.awsConfigs);
        let destination;
        try {
          destination = parseDestination(opts.to, snapshot);
        } catch (e) {
          throw new UsageError((e as Error).message);
        }
        const options: ReachOptions = { protocol: opts.protocol ?? "tcp", ...(port !== undefined ? { port } : {}) };
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
                // Names repeat in real accounts (launch-wizard-1 in every VPC): each component carries its AWS id (null if it has none).
                hops: result.hops.map((h) => ({ component: h.component, id: h.id ?? null, kind: h.kind })),
                blockedBy: result.blockedBy ? { component: result.blockedBy.component, id: result.blockedBy.id ?? null, reason: result.blockedBy.reason } : null,
                egressIp: result.egressIp,
              },
              null,
              2,
            ),
          );
        } else {
          const verdict = result.reachable ? paint(ctx.io, "green", "reachable") : isInconclusive(result.blockedBy) ? paint(ctx.io, "yellow", "cannot tell") : paint(ctx.io, "red", "NOT reachable");
          ctx.io.out(`${opts.from} → ${opts.to}: ${verdict}`);
          for (const h of result.hops) ctx.io.out(`  ${h.kind.padEnd(17)} ${withId(h)}`);
          if (result.blockedBy) ctx.io.out(`  blocked at ${withId(result.blockedBy)}: ${result.blockedBy.reason} — ${result.blockedBy.detail}`);
          if (result.egressIp) ctx.io.out(`  egress IP: ${result.egressIp}`);
        }
        // A path through something the analyzer does not model is no verdict: inconclusive, not a failure.
        return result.reachable ? EXIT.OK : isInconclusive(result.blockedBy) ? EXIT.INCONCLUSIVE : EXIT.FAILED;
      }),
    );
}

/** "VPC02-PrivateSG (sg-0a1b…)": the name a student sees in the console, and the id that tells two of that name apart. */
function withId(c: { component: string; id?: string }): string {
  return c.id ? `${c.component} (${c.id})` : c.component;
}

/** The port from --port, else from `--to ip:port`: a whole number from 1 to 65535, and only for tcp and udp. */
function portOption(opts: { to: string; port?: string; protocol?: string }): number | undefined {
  const fromTo = opts.to.includes(":") && !opts.to.startsWith("[") ? opts.to.split(":")[1] : undefined;
  const text = opts.port ?? fromTo;
  if (text === undefined) return undefined;
  if (opts.protocol === "icmp") {
    throw new UsageError(`${opts.port !== undefined ? `--port ${text}` : `The port in --to "${opts.to}"`} does not go with --protocol icmp: ICMP has no ports; drop the port, or give --protocol tcp or udp.`);
  }
  const n = /^\d{1,5}$/.test(text) ? Number(text) : NaN;
  if (!(n >= 1 && n <= 65535)) {
    throw new UsageError(opts.port !== undefined ? `--port must be a number from 1 to 65535; got "${text}".` : `The port in --to "${opts.to}" must be a number from 1 to 65535; got "${text}".`);
  }
  return n;
}
