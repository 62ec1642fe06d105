import type { Snapshot } from "../network/snapshot";

/**
 * The lab's configuration in a canonical form: what a reset must restore. Ids that AWS reassigns on
 * re-creation (SG rule ids, flow log ids), derived state (alarm history) and list order are left out.
 */
export function canonicalLab(s: Snapshot): unknown {
  const sortBy = <T>(items: readonly T[], key: (t: T) => string): T[] => [...items].sort((a, b) => key(a).localeCompare(key(b)));
  const rule = (r: { protocol: string; fromPort: number; toPort: number; cidr?: string; peerSecurityGroupId?: string; prefixListId?: string }) =>
    `${r.protocol}|${r.fromPort}|${r.toPort}|${r.cidr ?? ""}|${r.peerSecurityGroupId ?? ""}|${r.prefixListId ?? ""}`;
  return {
    routeTables: sortBy(s.routeTables, (t) => t.id).map((t) => ({
      id: t.id,
      subnetIds: [...t.subnetIds].sort(),
      routes: sortBy(t.routes, (r) => r.destination).map((r) => ({ ...r })),
    })),
    securityGroups: sortBy(s.securityGroups, (g) => g.id).map((g) => ({
      id: g.id,
      ingress: g.ingress.map(rule).sort(),
      egress: g.egress.map(rule).sort(),
    })),
    instances: sortBy(s.instances, (i) => i.id).map((i) => ({
      id: i.id,
      state: i.state,
      sourceDestCheck: i.sourceDestCheck,
      // Whether it has one, not which: AWS assigns a new auto-assigned address at each start.
      publicIp: i.publicIp !== undefined,
      securityGroupIds: [...i.securityGroupIds].sort(),
      os: i.os,
    })),
    targetGroups: sortBy(s.targetGroups, (g) => g.arn).map((g) => ({ arn: g.arn, targets: g.targets.map((t) => `${t.instanceId}:${t.port}`).sort() })),
    hostedZones: sortBy(s.hostedZones, (z) => z.id).map((z) => ({ id: z.id, vpcIds: [...z.vpcIds].sort() })),
    flowLogs: s.flowLogs.map((f) => `${f.resourceId}|${f.logGroupName}|${f.trafficType}|${f.status}`).sort(),
    natGateways: sortBy(s.natGateways, (n) => n.id).map((n) => `${n.id}|${n.state}`),
    tgwRouteTables: sortBy(s.tgwRouteTables, (t) => t.id).map((t) => ({ id: t.id, routes: sortBy(t.routes, (r) => r.destination) })),
  };
}

/** Human-readable differences between two labs' configurations (empty when they are the same). */
export function diffLabs(before: Snapshot, after: Snapshot): string[] {
  const out: string[] = [];
  const walk = (a: unknown, b: unknown, path: string): void => {
    if (JSON.stringify(a) === JSON.stringify(b)) return;
    if (a && b && typeof a === "object" && typeof b === "object" && !Array.isArray(a) && !Array.isArray(b)) {
      for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) walk((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`);
      return;
    }
    if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
      a.forEach((x, i) => walk(x, b[i], `${path}[${i}]`));
      return;
    }
    out.push(`${path}: was ${JSON.stringify(a)}, now ${JSON.stringify(b)}`);
  };
  walk(canonicalLab(before), canonicalLab(after), "lab");
  return out;
}
