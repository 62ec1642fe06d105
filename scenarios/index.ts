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

export class UnknownScenarioError extends Error {
  constructor(id: string) {
    super(`Unknown scenario "${id}"; valid scenarios: ${scenarioIds().join(", ")}.`);
    this.name = "UnknownScenarioError";
  }
}

export function scenarioIds(): string[] {
  return SCENARIOS.map((s) => s.id);
}

export function findScenario(id: string): Scenario {
  const s = SCENARIOS.find((x) => x.id === id);
  if (!s) throw new UnknownScenarioError(id);
  return s;
}
