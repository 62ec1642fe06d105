import type { RouteTarget, Snapshot } from "./snapshot";

/** A Mermaid node id: letters, digits and underscores only. */
export function nid(id: string): string {
  return `n_${id.replace(/[^A-Za-z0-9]/g, "_")}`;
}

/** Text inside a quoted Mermaid label: no double quotes (they would end it), no line breaks. */
function label(text: string): string {
  return text.replace(/"/g, "'").replace(/[\r\n]+/g, " ");
}

const BLACKHOLE = "n_blackhole";

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
 * A Mermaid flowchart of a lab: VPCs as subgraphs holding their subnets (with instances, NAT gateways and
 * interface endpoints), gateway endpoints and route tables; each transit gateway as a subgraph holding its
 * route tables; IGWs and load balancers as nodes. Edges: each non-local VPC route (labelled with its
 * destination), each TGW attachment to the table it looks up in, and each TGW route (static and propagated)
 * to the VPC of its attachment. Route tables are small nodes so that edges stay readable.
 */
export function toMermaid(s: Snapshot): string {
  const lines: string[] = ["flowchart LR", `  %% netlab lab ${label(s.lab)} (${label(s.region)}, from ${s.source})`];
  const declared = new Set<string>(["internet"]);
  const node = (indent: string, id: string, shape: [string, string], text: string) => {
    declared.add(id);
    lines.push(`${indent}${id}${shape[0]}"${label(text)}"${shape[1]}`);
  };
  const edges: string[] = [];
  lines.push("  internet((internet))");
  for (const vpc of s.vpcs) {
    lines.push(`  subgraph ${nid(vpc.id)}["${label(`${vpc.name} ${vpc.cidr}`)}"]`);
    declared.add(nid(vpc.id));
    for (const subnet of s.subnets.filter((x) => x.vpcId === vpc.id)) {
      lines.push(`    subgraph ${nid(subnet.id)}["${label(`${subnet.name} ${subnet.cidr}`)}"]`);
      declared.add(nid(subnet.id));
      for (const i of s.instances.filter((x) => x.subnetId === subnet.id)) node("      ", nid(i.id), ["[", "]"], `${i.name}${i.state !== "running" ? ` (${i.state})` : ""}`);
      for (const n of s.natGateways.filter((x) => x.subnetId === subnet.id)) node("      ", nid(n.id), ["{{", "}}"], `${n.name}${n.publicIp ? ` ${n.publicIp}` : ""}`);
      // An interface endpoint is drawn in its first subnet (the lab's have one each).
      for (const e of s.vpcEndpoints.filter((x) => x.type === "Interface" && x.subnetIds[0] === subnet.id)) node("      ", nid(e.id), [">", "]"], `${e.name} (${e.serviceName.split(".").pop()})`);
      lines.push("    end");
    }
    for (const e of s.vpcEndpoints.filter((x) => x.vpcId === vpc.id && !(x.type === "Interface" && s.subnets.some((sub) => sub.id === x.subnetIds[0])))) {
      node("    ", nid(e.id), [">", "]"], `${e.name} (${e.type} ${e.serviceName.split(".").pop()})`);
    }
    for (const t of s.routeTables.filter((x) => x.vpcId === vpc.id && (x.subnetIds.length || x.routes.some((r) => r.target.kind !== "local")))) node("    ", nid(t.id), ["[/", "/]"], t.name);
    lines.push("  end");
  }
  for (const g of s.internetGateways) {
    node("  ", nid(g.id), ["([", "])"], g.name);
    edges.push(`  ${nid(g.id)} --- internet`);
  }
  for (const tgw of s.transitGateways) {
    lines.push(`  subgraph ${nid(tgw.id)}["${label(`${tgw.name} (transit gateway)`)}"]`);
    declared.add(nid(tgw.id));
    for (const t of s.tgwRouteTables.filter((x) => x.tgwId === tgw.id)) node("    ", nid(t.id), ["[/", "/]"], t.name);
    lines.push("  end");
  }
  const vpcOfAttachment = new Map(s.tgwAttachments.map((a) => [a.id, a.vpcId]));
  for (const a of s.tgwAttachments) {
    const table = s.tgwRouteTables.find((t) => t.associations.includes(a.id));
    const to = table ? nid(table.id) : nid(a.tgwId);
    if (declared.has(nid(a.vpcId)) && declared.has(to)) edges.push(`  ${nid(a.vpcId)} -.->|"${label(a.name)}"| ${to}`);
  }
  let blackhole = false;
  for (const t of s.tgwRouteTables.filter((x) => declared.has(nid(x.id)))) {
    for (const r of t.routes) {
      const vpcId = r.attachmentId ? vpcOfAttachment.get(r.attachmentId) : undefined;
      const drop = r.state === "blackhole" || !vpcId || !declared.has(nid(vpcId));
      if (drop) blackhole = true;
      edges.push(`  ${nid(t.id)} -- "${label(r.destination)}${r.state === "blackhole" ? " (blackhole)" : ""}" --> ${drop ? BLACKHOLE : nid(vpcId)}`);
    }
    for (const a of t.propagations) {
      const vpc = s.vpcs.find((v) => v.id === vpcOfAttachment.get(a));
      if (vpc && declared.has(nid(vpc.id)) && !t.routes.some((r) => r.destination === vpc.cidr)) edges.push(`  ${nid(t.id)} -- "${label(`${vpc.cidr} (propagated)`)}" --> ${nid(vpc.id)}`);
    }
  }
  for (const lb of s.loadBalancers) {
    const lbId = nid(`lb-${lb.name}`);
    node("  ", lbId, ["[[", "]]"], lb.name);
    if (lb.scheme === "internet-facing") edges.push(`  internet --> ${lbId}`);
    for (const l of lb.listeners) {
      for (const t of s.targetGroups.find((g) => g.arn === l.targetGroupArn)?.targets ?? []) {
        if (declared.has(nid(t.instanceId))) edges.push(`  ${lbId} -- ":${t.port}" --> ${nid(t.instanceId)}`);
      }
    }
  }
  for (const t of s.routeTables.filter((x) => declared.has(nid(x.id)))) {
    for (const sub of t.subnetIds) if (declared.has(nid(sub))) edges.push(`  ${nid(sub)} -.- ${nid(t.id)}`);
    for (const r of t.routes) {
      let to = targetNode(s, r.target);
      if (!to) continue;
      if (r.state === "blackhole" || !declared.has(to)) {
        // A target that is gone (or not in the snapshot) is drawn as the blackhole it is.
        blackhole = true;
        to = BLACKHOLE;
      }
      edges.push(`  ${nid(t.id)} -- "${label(r.destination)}${r.state === "blackhole" ? " (blackhole)" : ""}" --> ${to}`);
    }
  }
  if (blackhole) lines.push(`  ${BLACKHOLE}(("blackhole"))`);
  return `${[...lines, ...edges].join("\n")}\n`;
}
