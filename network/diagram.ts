import type { RouteTarget, Snapshot } from "./snapshot";

/** A Mermaid node id: letters, digits and underscores only. */
function nid(id: string): string {
  return `n_${id.replace(/[^A-Za-z0-9]/g, "_")}`;
}

function label(text: string): string {
  return text.replace(/"/g, "'");
}

function targetNode(s: Snapshot, target: RouteTarget): string | undefined {
  switch (target.kind) {
    case "local":
      return undefined;
    case "eni": {
      const inst = s.instances.find((i) => i.eniId === target.id || i.id === target.instanceId);
      return inst ? nid(inst.id) : nid(target.id);
    }
    default:
      return nid(target.id);
  }
}

/**
 * A Mermaid flowchart of a lab: VPCs as subgraphs holding their subnets (with instances, NAT
 * gateways and endpoints), the TGW, IGWs and ALBs as nodes, and an edge per non-local route,
 * labelled with its destination. Route tables are drawn as small nodes so edges stay readable.
 */
export function toMermaid(s: Snapshot): string {
  const lines: string[] = ["flowchart LR", `  %% netlab lab ${s.lab} (${s.region}, from ${s.source})`];
  lines.push("  internet((internet))");
  for (const vpc of s.vpcs) {
    lines.push(`  subgraph ${nid(vpc.id)}["${label(`${vpc.name} ${vpc.cidr}`)}"]`);
    for (const subnet of s.subnets.filter((x) => x.vpcId === vpc.id)) {
      lines.push(`    subgraph ${nid(subnet.id)}["${label(`${subnet.name} ${subnet.cidr}`)}"]`);
      for (const i of s.instances.filter((x) => x.subnetId === subnet.id)) {
        lines.push(`      ${nid(i.id)}["${label(`${i.name}${i.state !== "running" ? ` (${i.state})` : ""}`)}"]`);
      }
      for (const n of s.natGateways.filter((x) => x.subnetId === subnet.id)) {
        lines.push(`      ${nid(n.id)}{{"${label(`${n.name}${n.publicIp ? ` ${n.publicIp}` : ""}`)}"}}`);
      }
      lines.push("    end");
    }
    for (const t of s.routeTables.filter((x) => x.vpcId === vpc.id && (x.subnetIds.length || x.routes.some((r) => r.target.kind !== "local")))) {
      lines.push(`    ${nid(t.id)}[/"${label(t.name)}"/]`);
    }
    lines.push("  end");
  }
  for (const g of s.internetGateways) {
    lines.push(`  ${nid(g.id)}(["${label(g.name)}"])`);
    lines.push(`  ${nid(g.id)} --- internet`);
  }
  for (const t of s.transitGateways) lines.push(`  ${nid(t.id)}(("${label(t.name)}"))`);
  for (const a of s.tgwAttachments) lines.push(`  ${nid(a.vpcId)} -. attachment .- ${nid(a.tgwId)}`);
  for (const lb of s.loadBalancers) {
    lines.push(`  ${nid(lb.arn)}[["${label(lb.name)}"]]`);
    if (lb.scheme === "internet-facing") lines.push(`  internet --> ${nid(lb.arn)}`);
    for (const l of lb.listeners) {
      for (const t of s.targetGroups.find((g) => g.arn === l.targetGroupArn)?.targets ?? []) lines.push(`  ${nid(lb.arn)} -- ":${t.port}" --> ${nid(t.instanceId)}`);
    }
  }
  for (const t of s.routeTables) {
    for (const sub of t.subnetIds) lines.push(`  ${nid(sub)} -.- ${nid(t.id)}`);
    for (const r of t.routes) {
      const to = targetNode(s, r.target);
      if (to) lines.push(`  ${nid(t.id)} -- "${label(r.destination)}${r.state === "blackhole" ? " (blackhole)" : ""}" --> ${to}`);
    }
  }
  return `${lines.join("\n")}\n`;
}
