import type { Participant } from "../../config/config";
import type { AwsClients } from "../../cloud/aws/clients";
import { fanOut, selectLabs, type Context, type LabOutcome } from "../context";
import { UsageError } from "../exit-codes";

/**
 * Runs `fn` against the AWS account of each selected lab, without needing the lab to be deployed
 * (preflight runs before deploy, leftovers after destroy): the same bounded, progress-printing fan-out
 * as the other verbs. One account's failure is that lab's only.
 */
export async function forEachAccount<T>(
  ctx: Context,
  verb: string,
  fn: (clients: AwsClients, participant: Participant) => Promise<T>,
  makeClients?: (participant: Participant, region: string) => AwsClients,
): Promise<LabOutcome<T>[]> {
  if (ctx.options.offline) throw new UsageError(`${verb} checks real AWS accounts; it has no --offline mode.`);
  // Loaded lazily: the SDK clients cost about half a second to load, which offline commands must not pay.
  const { createAwsClients, destroyClients } = require("../../cloud/aws/clients") as typeof import("../../cloud/aws/clients");
  const make = makeClients ?? createAwsClients;
  return fanOut(ctx, selectLabs(ctx), async (p) => {
    const clients = make(p, ctx.config.region);
    try {
      return await fn(clients, p);
    } finally {
      destroyClients(clients);
    }
  });
}
