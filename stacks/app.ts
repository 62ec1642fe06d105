import type { App } from "cdktf";
import type { NetlabConfig } from "../config/config";
import { LAB_TOPOLOGY } from "../topology/lab";
import type { Topology } from "../topology/types";
import { validateTopology } from "../topology/validate";
import { CoreStack } from "./core-stack";
import { NatInstanceStack } from "./natinstance-stack";

/** Adds every participant's stacks to the app: `netlab-<id>-core` and `netlab-<id>-natinstance`. */
export function buildApp(app: App, config: NetlabConfig, topology: Topology = LAB_TOPOLOGY): void {
  validateTopology(topology);
  for (const participant of config.participants) {
    const withCore = config.variants.includes("core");
    const core = withCore ? new CoreStack(app, { participant, config, topology }) : undefined;
    if (config.variants.includes("natinstance")) {
      const nat = new NatInstanceStack(app, { participant, config, topology, withCore });
      // The NAT instance stack finds the core stack's zone and log group: deploy core first.
      if (core) nat.addDependency(core);
    }
  }
}
