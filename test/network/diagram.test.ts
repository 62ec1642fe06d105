import { toMermaid } from "../../network/diagram";
import type { Snapshot } from "../../network/snapshot";
import { labSnapshot } from "../helpers/lab";
import { Net, to, twoTier } from "./builder";

/**
 * What can be checked of Mermaid flowchart syntax without the mermaid package: every line is a header, a
 * comment, a subgraph opening or `end`, a node declaration with a quoted label and a known shape, or an edge
 * of a known kind; ids are plain; subgraph/end balance; every edge's ends are declared nodes or subgraphs.
 * Returns the problems found (none for a valid diagram).
 */
function mermaidProblems(text: string): string[] {
  const problems: string[] = [];
  const lines = text.split("\n");
  if (lines[0] !== "flowchart LR") problems.push(`line 1 is "${lines[0]}", not "flowchart LR"`);
  if (!text.endsWith("\n")) problems.push("the text does not end with a newline");
  const declared = new Set<string>();
  const edges: [number, string, string][] = [];
  let depth = 0;
  const ID = "[A-Za-z_][A-Za-z0-9_]*";
  const LABEL = '"[^"\\n]*"';
  const SHAPES = ["\\[\\/", "\\[\\[", "\\(\\[", "\\(\\(", "\\{\\{", ">", "\\["];
  const node = new RegExp(`^\\s*(${ID})(?:${SHAPES.join("|")})${LABEL}(?:\\/\\]|\\]\\]|\\]\\)|\\)\\)|\\}\\}|\\])$`);
  const subgraph = new RegExp(`^\\s*subgraph (${ID})\\[${LABEL}\\]$`);
  const edge = new RegExp(`^\\s*(${ID}) (?:-- ${LABEL} -->|-\\.->\\|${LABEL}\\||-->|---|-\\.-) (${ID})$`);
  lines.slice(1).forEach((line, i) => {
    const n = i + 2;
    if (line === "" && n === lines.length) return;
    if (/^\s*%%/.test(line)) return;
    if (/^\s*end$/.test(line)) {
      depth--;
      if (depth < 0) problems.push(`line ${n}: "end" without a subgraph`);
      return;
    }
    if (line === "  internet((internet))") return void declared.add("internet");
    let m = subgraph.exec(line);
    if (m) {
      depth++;
      if (declared.has(m[1])) problems.push(`line ${n}: ${m[1]} declared twice`);
      return void declared.add(m[1]);
    }
    m = node.exec(line);
    if (m) {
      if (declared.has(m[1])) problems.push(`line ${n}: ${m[1]} declared twice`);
      return void declared.add(m[1]);
    }
    m = edge.exec(line);
    if (m) return void edges.push([n, m[1], m[2]]);
    problems.push(`line ${n} is neither a node, a subgraph, an end, a comment nor an edge: ${line}`);
  });
  if (depth !== 0) problems.push(`${depth} subgraph(s) left open`);
  for (const [n, a, b] of edges) for (const x of [a, b]) if (!declared.has(x)) problems.push(`line ${n}: edge end ${x} is not declared`);
  return problems;
}

describe("toMermaid", () => {
  let lab: Snapshot;
  beforeAll(async () => {
    lab = await labSnapshot();
  });

  it("draws the synthesized lab as valid flowchart syntax", () => {
    // GIVEN the lab / WHEN drawn / THEN the structural checks find nothing wrong
    expect(mermaidProblems(toMermaid(lab))).toEqual([]);
  });

  it("draws the TGW route tables with their routes, so the spoke default route to the DMZ is visible", () => {
    const text = toMermaid(lab);
    const id = (x: string) => `n_${x.replace(/[^A-Za-z0-9]/g, "_")}`;
    const spoke = lab.tgwRouteTables.find((t) => t.name === "netlab-tgw-spoke-rt")!;
    const dmz = lab.vpcs.find((v) => v.name === "DMZVPC")!;
    const vpc02 = lab.vpcs.find((v) => v.name === "VPC02")!;
    const tgw = lab.transitGateways[0];
    // THEN the TGW is a subgraph holding its tables, each attachment points at the table it looks up in…
    expect(text).toContain(`subgraph ${id(tgw.id)}["netlab-tgw (transit gateway)"]`);
    expect(text).toContain(`${id(spoke.id)}[/"netlab-tgw-spoke-rt"/]`);
    expect(text).toContain(`${id(vpc02.id)} -.->|"netlab-tgw-VPC02-attachment"| ${id(spoke.id)}`);
    // …and the spoke table's static 0.0.0.0/0 goes to the DMZ VPC, its propagated routes to each spoke
    expect(text).toContain(`${id(spoke.id)} -- "0.0.0.0/0" --> ${id(dmz.id)}`);
    expect(text).toContain(`${id(spoke.id)} -- "10.2.0.0/16 (propagated)" --> ${id(vpc02.id)}`);
  });

  it("draws the interface endpoints in their subnets and the gateway endpoints in their VPCs", () => {
    const text = toMermaid(lab);
    expect(text).toMatch(/\n {6}n_vpce_\w+>"VPC02-ssm-endpoint \(ssm\)"\]\n/);
    expect(text).toMatch(/\n {4}n_vpce_\w+>"VPC02-s3-endpoint \(Gateway s3\)"\]\n/);
    expect(text.match(/>"[^"]*-endpoint \(/g)).toHaveLength(lab.vpcEndpoints.length);
  });

  it("stays valid with awkward names, blackhole routes and routes to targets that are not in the snapshot", () => {
    // GIVEN names with quotes, brackets, the word end and a line break; a blackhole route; a route to a gone NAT gateway
    const n = twoTier();
    n.get("instances", "app").name = 'app "primary" [end]\nsecond line';
    n.s.vpcs[0].name = "end";
    n.get("routeTables", "a-priv-rt").routes.push({ destination: "172.16.0.0/12", target: to.nat("gone"), state: "active" });
    n.get("routeTables", "a-pub-rt").routes[1].state = "blackhole";
    n.get("tgwRouteTables", "hub-rt").routes.push({ destination: "192.168.0.0/16", type: "static", state: "blackhole" });
    const text = toMermaid(n.s);
    // THEN the syntax holds, quotes became apostrophes, and the drops go to one blackhole node
    expect(mermaidProblems(text)).toEqual([]);
    expect(text).toContain(`["app 'primary' [end] second line"]`);
    expect(text).toContain('-- "192.168.0.0/16 (blackhole)" --> n_blackhole');
    expect(text).toContain('-- "172.16.0.0/12" --> n_blackhole');
    expect(text.match(/n_blackhole\(\("blackhole"\)\)/g)).toHaveLength(1);
  });

  it("the checker itself catches what it is meant to catch", () => {
    expect(mermaidProblems('flowchart LR\n  a["x"]\n  a --> b\n')).toEqual(["line 3: edge end b is not declared"]);
    expect(mermaidProblems('flowchart LR\n  subgraph s["x"]\n')).toEqual(["1 subgraph(s) left open"]);
    expect(mermaidProblems('flowchart LR\n  a["say "hi""]\n')).toHaveLength(1);
    expect(mermaidProblems("graph TD\n")).toEqual(['line 1 is "graph TD", not "flowchart LR"']);
    expect(mermaidProblems(toMermaid(new Net().s))).toEqual([]);
  });
});
