import type { Participant } from "../../config/config";
import type { AwsClients } from "../../cloud/aws/clients";
import { createAwsClients, destroyClients } from "../../cloud/aws/clients";
import { selectLabs, type Context, type LabOutcome } from "../context";
import { UsageError } from "../exit-codes";

/**
 * Runs `fn` against the AWS account of each selected lab, without needing the lab to be deployed
 * (preflight runs before deploy, leftovers after destroy). One account's failure is that lab's only.
 */
export async function forEachAccount<T>(ctx: Context, verb: string, fn: (clients: AwsClients, participant: Participant) => Promise<T>): Promise<LabOutcome<T>[]> {
  if (ctx.options.offline) throw new UsageError(`${verb} checks real AWS accounts; it has no --offline mode.`);
  return Promise.all(
    selectLabs(ctx).map(async (p) => {
      const clients = createAwsClients(p, ctx.config.region);
      try {
        return { lab: p.id, result: await fn(clients, p) };
      } catch (error) {
        return { lab: p.id, error };
      } finally {
        destroyClients(clients);
      }
    }),
  );
}
