import { destinationOf } from "../checks/explain";
import type { CheckSpec } from "../checks/types";
import { reach } from "../network/analyzer";
import { nid } from "../network/diagram";
import type { Destination, ReachOptions, ReachResult } from "../network/reach-types";
import type { Snapshot } from "../network/snapshot";
import type { Mark, Trace } from "./schema";

/** What the page shows under a cell that did not pass: explain's trace and the marks on the lab diagram. */
export interface CellExplain {
  trace: Trace | null;
  marks: Mark[];
}

type Named = { id: string; name?: string };
const find = <T extends Named>(xs: readonly T[], ref: string) => xs.find((x) => x.id === ref || x.name === ref);

/**
 * The Mermaid node that draws a component (by Name tag or id), as network/diagram.ts draws it; undefined
 * for what the diagram does not draw (security groups, NACLs, target groups, TGW attachments, DNS).
 */
function drawnNode(s: Snapshot, ref: string): string | undefined {
  if (ref === "internet") return "internet";
  for (const xs of [s.instances, s.natGateways, s.internetGateways, s.tgwRouteTables, s.vpcEndpoints, s.transitGateways, s.subnets, s.vpcs] as readonly Named[][]) {
    const x = find(xs, ref);
    if (x) return nid(x.id);
  }
  const rt = find(s.routeTables, ref);
  // The diagram leaves out route tables with neither a subnet nor a non-local route.
  if (rt && (rt.subnetIds.length || rt.routes.some((r) => r.target.kind !== "local"))) return nid(rt.id);
  const lb = s.loadBalancers.find((l) => l.name === ref || l.arn === ref);
  return lb ? nid(`lb-${lb.name}`) : undefined;
}

/** The VPC that holds a component the diagram does not draw (an SG, a NACL, a hidden route table). */
function containerOf(s: Snapshot, ref: string): { nodeId: string; label: string } | undefined {
  const holders: { id: string; name?: string; vpcId?: string }[] = [...s.securityGroups, ...s.networkAcls, ...s.routeTables, ...s.tgwAttachments];
  const x = find(holders, ref);
  const vpc = x?.vpcId ? s.vpcs.find((v) => v.id === x.vpcId) : undefined;
  if (vpc) return { nodeId: nid(vpc.id), label: vpc.name };
  const tg = s.targetGroups.find((g) => g.name === ref || g.arn === ref);
  const lb = tg && s.loadBalancers.find((l) => l.listeners.some((li) => li.targetGroupArn === tg.arn));
  return lb ? { nodeId: nid(`lb-${lb.name}`), label: lb.name } : undefined;
}

/**
 * Where to put the mark for a component: on itself when drawn; else on the last drawn hop before it on the
 * trace (the SG of an instance → the instance); else on the VPC (or load balancer) that holds it.
 */
export function markFor(s: Snapshot, component: string, hops: readonly { component: string }[] = []): Mark | undefined {
  const own = drawnNode(s, component);
  if (own) return { component, nodeId: own, drawnAs: "itself", markedOn: component };
  const at = hops.findIndex((h) => h.component === component);
  for (let i = (at < 0 ? hops.length : at) - 1; i >= 0; i--) {
    const node = drawnNode(s, hops[i].component);
    if (node) return { component, nodeId: node, drawnAs: "previous-hop", markedOn: hops[i].component };
  }
  const c = containerOf(s, component);
  return c ? { component, nodeId: c.nodeId, drawnAs: "container", markedOn: c.label } : undefined;
}

function traceOf(r: ReachResult, from: string, to: string): Trace {
  return {
    from,
    to,
    reachable: r.reachable,
    hops: r.hops.map((h) => ({ component: h.component, kind: h.kind })),
    blockedBy: r.blockedBy ? { component: r.blockedBy.component, reason: r.blockedBy.reason, detail: r.blockedBy.detail } : null,
    egressIp: r.egressIp,
  };
}

function pathOf(check: CheckSpec): { from: string; to: string; dest: [Destination, ReachOptions] } | undefined {
  if (check.kind === "dns") return { from: check.from, to: check.name, dest: [{ kind: "dns", name: check.name }, { protocol: "tcp", port: 80 }] };
  const dest = destinationOf(check);
  if (!dest || !("from" in check)) return undefined;
  const to = check.kind === "http" ? check.probe.to : check.kind === "tcp" ? `${check.host}:${check.port}` : check.kind === "icmp" ? check.host : "?";
  return { from: check.from, to, dest };
}

/** The components a state check is about, marked on the diagram when it fails. */
function focusOf(check: CheckSpec): string[] {
  switch (check.kind) {
    case "route-present":
      return [check.routeTable];
    case "target-health":
    case "target-registered":
      return [check.targetGroup];
    case "source-dest-check":
    case "os-state":
      return [check.instance];
    case "ssm-reachable":
      return check.instances;
    case "zone-associated":
      return check.vpcs;
    case "flow-log-active":
      return check.vpcs === "all" ? [] : check.vpcs;
    case "alarm":
      return [check.instance];
    case "sg-rule":
      if (check.securityGroups === "all") return [];
      // The effective rules of instances: mark the instances whose groups were read.
      return Array.isArray(check.securityGroups) ? check.securityGroups : check.securityGroups.carriedBy;
    default:
      return [];
  }
}

const unique = (marks: (Mark | undefined)[]): Mark[] => {
  const seen = new Set<string>();
  return marks.filter((m): m is Mark => m !== undefined && !seen.has(`${m.component} ${m.nodeId}`) && Boolean(seen.add(`${m.component} ${m.nodeId}`)));
};

/** explain's trace for a check that did not pass (probe checks), and the components to mark on the diagram. */
export function explainCheck(s: Snapshot, check: CheckSpec): CellExplain {
  const path = pathOf(check);
  if (path) {
    try {
      const r = reach(s, path.from, path.dest[0], path.dest[1]);
      const trace = traceOf(r, path.from, path.to);
      return { trace, marks: unique([r.blockedBy ? markFor(s, r.blockedBy.component, r.hops) : undefined]) };
    } catch {
      // An endpoint the analyzer does not know (a renamed instance): no trace, the evidence still says what failed.
      return { trace: null, marks: [] };
    }
  }
  return { trace: null, marks: unique(focusOf(check).map((c) => markFor(s, c))) };
}

/** The marks for the components a repair broke elsewhere. */
export function explainCollateral(s: Snapshot, components: readonly string[]): CellExplain {
  return { trace: null, marks: unique(components.map((c) => markFor(s, c))) };
}

/** The lab's Mermaid diagram with the marked nodes drawn in the `blocked` class (thick red). */
export function markedDiagram(mermaid: string, marks: readonly Mark[]): string {
  if (!marks.length) return mermaid;
  const ids = [...new Set(marks.map((m) => m.nodeId))];
  const lines = ["  classDef blocked fill:#ffd9d9,stroke:#c00000,stroke-width:8px,color:#000000", ...ids.map((id) => `  class ${id} blocked`)];
  return `${mermaid.replace(/\n$/, "")}\n${lines.join("\n")}\n`;
}

