import { writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describeChange } from "../../cloud/change";
import { SCENARIOS } from "../../scenarios";
import { STUDENT_REPAIRS, type StudentRepair } from "../../scenarios/repairs";

/** Where the generated page lives, from the project root. */
export const REPAIRS_DOC = "docs/REPAIRS.md";

const GRADE: Record<StudentRepair["expect"], string> = { pass: "**pass**", fail: "**fail**", refused: "refused" };
const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, " ");

function gradeCell(r: StudentRepair): string {
  if (r.expect === "refused") return `refused (${r.code})`;
  if (r.expect === "pass") return GRADE.pass;
  const names = (r.names ?? []).map((n) => `“${n}”`).join(", ");
  return `${GRADE.fail}${r.collateral ? " (collateral damage¹)" : ""}: names ${names}`;
}

/** docs/REPAIRS.md, from scenarios/repairs.ts. */
export function renderRepairsDoc(): string {
  const parts = [
    `# Students' repairs and their grades

Every scenario can be repaired in more than one way, and broken further in many. This page lists the
repairs instructors see most, right and wrong, with the grade netlab gives each. **A correct alternative
must pass, a wrong repair must fail, naming what is broken.**

> This file is generated from \`scenarios/repairs.ts\`: \`npx tsx test/helpers/repairs-doc.ts\` rewrites it,
> and \`test/scenarios/repairs.test.ts\` fails when it differs. That test also runs every row on the
> simulated lab — inject the scenario, make the student's changes through \`lab try\`'s own code, grade
> with \`lab check\`'s — and fails when a grade differs from this page.

## Replay a row

Each row's changes are the JSON that \`lab try\` takes. Put them in a file (or give them as the argument, quoted) and replay
the row; for example, the second row of \`tgw-default-route\`:

\`\`\`console
$ npx lab inject tgw-default-route --offline --lab s01
$ npx lab try --file changes.json --offline --lab s01      # the row's changes, as a JSON array
$ npx lab check tgw-default-route --offline --lab s01
$ npx lab reset tgw-default-route --offline --lab s01       # undoes the fault; the student's changes stay
\`\`\`

\`lab try\` makes only what the student could make on AWS: the changes the student IAM policy allows
(\`lab try --help\` lists them, derived from the policy), refused otherwise with the reason and the code AWS
would answer (exit 1); and what AWS itself refuses (a target from another VPC, a route to another VPC's NAT
gateway, a route that is already there…) is refused with AWS's error code (exit 1). Nothing is changed then.
The changes are the student's, not the fault's: they are not in the ledger, \`lab reset\` leaves them, and its
verification reports any that still break the lab.

Grades: **pass** — every check passes; **fail** — the grade names the quoted text (the broken component and
why); refused — the student cannot make the change at all.`,
  ];
  for (const s of SCENARIOS) {
    const rows = STUDENT_REPAIRS.filter((r) => r.scenario === s.id);
    parts.push(`## \`${s.id}\` — ${s.title.en}

| # | the student… | changes (\`lab try\`) | grade | why |
| --- | --- | --- | --- | --- |
${rows.map((r, i) => `| ${i + 1} | ${cell(r.title)} | ${cell(r.changes.map(describeChange).join("; "))} | ${cell(gradeCell(r))} | ${cell(r.why)} |`).join("\n")}

<details><summary>The changes of each row, as <code>lab try</code> takes them</summary>

${rows.map((r, i) => `${i + 1}. \`${JSON.stringify(r.changes)}\``).join("\n")}

</details>`);
  }
  parts.push(`---
¹ Collateral damage: the repair breaks something the scenario's own checks do not test. The comparison of the
whole lab's steady state with its baseline (every instance's reachability, web health, the SSM path, DNS,
alarm, flow logs) fails the grade and reports the damage as collateral, naming the broken component.
`);
  return `${parts.join("\n\n")}`;
}

if (require.main === module) {
  writeFileSync(join(resolve(__dirname, "../.."), REPAIRS_DOC), renderRepairsDoc());
}
