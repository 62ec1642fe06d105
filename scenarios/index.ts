import { albPortMismatch } from "./alb-port-mismatch";
import { albSgBlocked } from "./alb-sg-blocked";
import { albTargetStopped } from "./alb-target-stopped";
import { cpuAlarm } from "./cpu-alarm";
import { dnsPrivateZone } from "./dns-private-zone";
import { flowLogsOff } from "./flow-logs-off";
import { natInstanceMasquerade } from "./nat-instance-masquerade";
import { natInstanceRoute } from "./nat-instance-route";
import { sshOpenWorld } from "./ssh-open-world";
import { tgwDefaultRoute } from "./tgw-default-route";
import type { Scenario } from "./types";

/** The scenario catalogue, in DESIGN.md's order. */
export const SCENARIOS: readonly Scenario[] = [
  tgwDefaultRoute,
  albTargetStopped,
  albSgBlocked,
  albPortMismatch,
  natInstanceRoute,
  natInstanceMasquerade,
  dnsPrivateZone,
  sshOpenWorld,
  cpuAlarm,
  flowLogsOff,
];

/** Thrown by {@link findScenario} for an id that is not in the catalogue. */
export class UnknownScenarioError extends Error {
  constructor(readonly scenarioId: string) {
    super(`Unknown scenario "${scenarioId}"; valid scenarios: ${scenarioIds().join(", ")}.`);
    this.name = "UnknownScenarioError";
  }
}

/** The ids of the catalogue, in its order. */
export function scenarioIds(): string[] {
  return SCENARIOS.map((s) => s.id);
}

/** The scenario with this id; throws {@link UnknownScenarioError} naming the valid ids. */
export function findScenario(id: string): Scenario {
  const scenario = SCENARIOS.find((s) => s.id === id);
  if (!scenario) throw new UnknownScenarioError(id);
  return scenario;
}
