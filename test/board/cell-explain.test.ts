import { explainCheck, explainCollateral, markedDiagram, markFor } from "../../board/cell-explain";
import { applyToSnapshot } from "../../cloud/model-apply";
import { nid, toMermaid } from "../../network/diagram";
import type { Snapshot } from "../../network/snapshot";
import { findScenario } from "../../scenarios";
import { labSnapshot } from "../helpers/lab";

let baseline: Snapshot;
beforeAll(async () => {
  baseline = await labSnapshot();
});

const broken = (scenario: string): Snapshot => {
  const s = structuredClone(baseline);
  for (const c of findScenario(scenario).inject) applyToSnapshot(s, c);
  return s;
};
const idOf = (xs: readonly { id: string; name: string }[], name: string) => xs.find((x) => x.name === name)!.id;

describe("explaining a cell on the board", () => {
  it("traces a failing probe check and marks the blocking route table on the diagram", () => {
    // GIVEN VPC02's default routes deleted
    const s = broken("tgw-default-route");
    const check = findScenario("tgw-default-route").checks[0];
    // WHEN the failing check is explained
    const e = explainCheck(s, check);
    // THEN the trace is explain's (instance → SG → route table, blocked there), and the route table's node is marked
    expect(e.trace).toMatchObject({ from: "VPC02-Private-A-10.2.20.101", to: "internet", reachable: false, blockedBy: { component: "VPC02-Private-Subnet-A-RT", reason: "NO_ROUTE" } });
    expect(e.trace!.hops.map((h) => h.kind)).toEqual(["instance", "security-group", "route-table"]);
    const rt = idOf(s.routeTables, "VPC02-Private-Subnet-A-RT");
    expect(e.marks).toEqual([{ component: "VPC02-Private-Subnet-A-RT", nodeId: nid(rt), drawnAs: "itself", markedOn: "VPC02-Private-Subnet-A-RT" }]);
    // AND that node exists in the lab's diagram
    expect(toMermaid(s)).toContain(`${nid(rt)}[/"VPC02-Private-Subnet-A-RT"/]`);
  });

  it("marks a component the diagram does not draw on the hop before it (a security group → its instance)", () => {
    // GIVEN a trace that stops at an SG
    const hops = [{ component: "VPC02-Private-A-10.2.20.101" }, { component: "VPC02-PrivateSG" }];
    // WHEN the SG is marked
    const m = markFor(baseline, "VPC02-PrivateSG", hops);
    // THEN the instance carries the mark, and the mark says so
    expect(m).toEqual({ component: "VPC02-PrivateSG", nodeId: nid(idOf(baseline.instances, "VPC02-Private-A-10.2.20.101")), drawnAs: "previous-hop", markedOn: "VPC02-Private-A-10.2.20.101" });
  });

  it("marks an undrawn component without a trace on the VPC that holds it, and a target group on its load balancer", () => {
    // GIVEN collateral damage on an SG and a target group (no trace)
    const vpc02 = baseline.vpcs.find((v) => v.name === "VPC02")!;
    const tg = baseline.targetGroups[0];
    // WHEN marked
    const e = explainCollateral(baseline, ["VPC02-PrivateSG", tg.name, "no-such-component"]);
    // THEN the SG marks VPC02, the target group its ALB, and an unknown name marks nothing
    expect(e.marks).toEqual([
      { component: "VPC02-PrivateSG", nodeId: nid(vpc02.id), drawnAs: "container", markedOn: "VPC02" },
      { component: tg.name, nodeId: nid(`lb-${baseline.loadBalancers[0].name}`), drawnAs: "container", markedOn: baseline.loadBalancers[0].name },
    ]);
    expect(e.trace).toBeNull();
  });

  it("marks what a failing state check is about (the target group of target-health, on its ALB)", () => {
    // GIVEN a web target stopped, and the target-health check
    const s = broken("alb-target-stopped");
    const spec = findScenario("alb-target-stopped").checks.find((c) => c.kind === "target-health")!;
    // WHEN explained
    const e = explainCheck(s, spec);
    // THEN no trace, and the ALB that forwards to the group is marked
    expect(e.trace).toBeNull();
    expect(e.marks.map((m) => [m.markedOn, m.drawnAs])).toEqual([["DMZVPC-alb1", "container"]]);
  });

  it("gives no trace (and no mark) when the analyzer does not know the check's instance, instead of failing the run", () => {
    // GIVEN the source instance renamed by a student
    const s = structuredClone(baseline);
    s.instances.find((i) => i.name === "VPC02-Private-A-10.2.20.101")!.name = "renamed";
    // WHEN the check is explained
    // THEN there is nothing to show, and no error
    expect(explainCheck(s, findScenario("tgw-default-route").checks[0])).toEqual({ trace: null, marks: [] });
  });

  it("adds the marks to the Mermaid text as a class, once per node", () => {
    // GIVEN two marks on one node
    const mark = { component: "x", nodeId: "n_rtb_1", drawnAs: "itself" as const, markedOn: "x" };
    // WHEN the diagram is marked
    const text = markedDiagram("flowchart LR\n  n_rtb_1[/\"x\"/]\n", [mark, { ...mark, component: "y" }]);
    // THEN the class is defined and applied once; no marks leave the text as it was
    expect(text).toBe('flowchart LR\n  n_rtb_1[/"x"/]\n  classDef blocked fill:#ffd9d9,stroke:#c00000,stroke-width:8px,color:#000000\n  class n_rtb_1 blocked\n');
    expect(markedDiagram("flowchart LR\n", [])).toBe("flowchart LR\n");
  });
});
