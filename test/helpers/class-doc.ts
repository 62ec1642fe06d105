import { readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { labSnapshot } from "./lab";
import { normalize, runClassWorkflow, stepOf, type ClassRun, type Stage } from "./class-transcript";

/** Where the generated guide lives, from the project root. */
export const CLASS_DOC = "docs/CLASS-ON-AWS.md";

/** A part of the guide: prose, the output of one step of the run, a file the run wrote, or commands shown but not run. */
type Part =
  | { text: string }
  /** A command's output; a command shown twice at a stage is its second run there. */
  | { stage: Stage; argv: string[]; abridge?: Abridge }
  | { file: string; lang: string }
  | { notRun: string[] };

/** Cuts the output from the first line that starts with `from` to its end, and says so with one marked line. */
interface Abridge {
  from: string;
  say: string;
}

const COST_IN_PREFLIGHT: Abridge = { from: "Estimated cost in ", say: "… (abridged: preflight then prints the cost estimate of the configured class for one hour, itemized as `lab cost` prints it above)" };

const fence = (lang: string, body: string) => `\`\`\`${lang}\n${body.replace(/\n$/, "")}\n\`\`\``;

function abridged(text: string, a: Abridge | undefined): string {
  if (!a) return text;
  const lines = text.replace(/\n$/, "").split("\n");
  const at = lines.findIndex((l) => l.startsWith(a.from));
  return at < 0 ? text : [...lines.slice(0, at), a.say].join("\n");
}

/** One command as a terminal shows it: the command, its stdout then its stderr, and its exit code. */
function commandBlock(r: ClassRun, stage: Stage, argv: string[], nth: number, a: Abridge | undefined): string {
  const step = stepOf(r, stage, argv, nth);
  const out = [abridged(normalize(step.stdout, r.cwd), a), normalize(step.stderr, r.cwd)].map((t) => t.replace(/\n$/, "")).filter(Boolean);
  return fence("console", [`$ npx lab ${argv.join(" ")}`, ...out, "$ echo $?", String(step.code)].join("\n"));
}

const GUIDE: Part[] = [
  {
    text: `# Running a class on AWS: the workflow, with example output

> **Not run on AWS.** Every example output in this guide was produced by the \`lab\` command's own code
> (\`run()\` of \`cli/run.ts\`, in process) against the **mocked AWS account of the test suite**
> (\`test/helpers/aws-lab-mock.ts\`: the SDK clients are mocked with aws-sdk-client-mock), not against
> a real AWS account: this repository cannot reach AWS.
> Account numbers, resource ids and IP addresses (203.0.113.0/24, a documentation range) are the
> mock's. The mocked instances answer the SSM probes with the network analyzer, and \`cdktf deploy\` /
> \`destroy\` are not run at all (the mock is seeded with the synthesized lab instead).
>
> This file is generated: \`npx tsx test/helpers/class-doc.ts\` rewrites it from a fresh run, and
> \`test/cli/class-workflow-aws.test.ts\` fails when it differs from one. Times are shown as \`<time>\`,
> the instructor's host as \`<host>\`, and paths relative to the instructor's working folder. Each block
> shows the command, its standard output, then its standard error, then its exit code.

The walk-through follows participant \`s01\` through one fault, \`tgw-default-route\` (VPC02 loses its
default route to the transit gateway). Every command also takes \`--all\` instead of \`--lab s01\`, to
work on every participant at once (\`"concurrency"\` labs at a time, 10 by default).`,
  },
  {
    text: `## 1. Configure the class: one AWS account per participant

\`netlab.config.json\` lists the participants and how to reach each one's account: a \`profile\` of
\`~/.aws/config\`, or a \`roleArn\` that the instructor can assume. Two participants may not share an
account: their labs would collide (see \`docs/CONFIG.md\`). \`lang\` picks the language of the
participant's report. The configuration of this run:`,
  },
  { file: "netlab.config.json", lang: "json" },
  {
    text: `## 2. Before deploy: cost and preflight

\`lab cost\` needs no AWS account: it itemizes the hourly cost of one lab from a dated price table
(check its sources before class).`,
  },
  { stage: "before-deploy", argv: ["cost", "--participants", "30", "--hours", "3"] },
  {
    text: `\`lab preflight\` reads each participant's account: who the credentials are, the region, and the
quotas the lab runs into, counting what already uses them. A lab needs 5 VPCs, and AWS's default quota
is 5 VPCs per region *including the default VPC*, so a fresh account does not fit; preflight exits 1
and prints the ways out. Here the account holds only its default VPC:`,
  },
  { stage: "before-deploy", argv: ["preflight", "--lab", "s01"], abridge: COST_IN_PREFLIGHT },
  { text: "Once the VPC quota increase is granted (Service Quotas shows 10), the same account fits:" },
  { stage: "quota-raised", argv: ["preflight", "--lab", "s01"], abridge: COST_IN_PREFLIGHT },
  {
    text: `When the credentials may not read Service Quotas (no \`servicequotas:GetServiceQuota\`), preflight
falls back to AWS's default quotas and says so on every line:`,
  },
  { stage: "quota-unreadable", argv: ["preflight", "--lab", "s01"], abridge: COST_IN_PREFLIGHT },
  {
    text: `## 3. Deploy

\`lab deploy\` runs the same preflight first and stops (exit 1, nothing created) while a lab does not fit;
then it runs the project's \`cdktf deploy\` of each selected participant's stacks, core first (not run
here: the mocked account below is seeded with the synthesized lab instead). \`--diff\` plans instead.
Right after it, \`lab check\` waits up to 300 s (\`--wait-online\`) for the instances' SSM agents to register.`,
  },
  { notRun: ["npx lab deploy --all --auto-approve   # or one participant: --lab s01; a plan: --diff"] },
  {
    text: `## 4. Inject a fault

\`--dry-run\` prints the changes and their inverses and changes nothing. The inject itself writes the
inverses to the participant's account first (SSM Parameter Store, \`/netlab/s01/ledger/tgw-default-route\`),
then applies the changes; \`lab status\` lists the active faults.`,
  },
  { stage: "deployed", argv: ["inject", "tgw-default-route", "--lab", "s01", "--dry-run"] },
  { stage: "deployed", argv: ["inject", "tgw-default-route", "--lab", "s01"] },
  { stage: "deployed", argv: ["status", "--lab", "s01"] },
  {
    text: `## 5. Grade, with reports

\`lab check\` runs the scenario's probes inside the instances (one SSM Run Command per script) and
reads the control plane. A failing check shows the evidence, the student's hint, and for the instructor
where the analyzer finds the path blocked. \`--report\` writes a Markdown and JSON report per participant
(in the participant's language), a JUnit file for CI or an LMS, and a class summary; \`--save-snapshot\`
saves the lab's describe outputs next to them.`,
  },
  { stage: "deployed", argv: ["check", "tgw-default-route", "--lab", "s01", "--report", "md,json,junit", "--out", "reports", "--save-snapshot"] },
  { text: "The participant's report, `reports/s01-tgw-default-route.md`:" },
  { file: "reports/s01-tgw-default-route.md", lang: "markdown" },
  {
    text: `With \`--all\`, every participant is graded; a lab that cannot be read is reported and the others
finish. In this run participant s02's profile reaches the same mocked account, where no s02 lab is
deployed: that is how a participant whose deploy failed (or whose profile points at the wrong account)
shows up. The exit code is the worst lab's (2 over 1 over 3).`,
  },
  { stage: "deployed", argv: ["check", "tgw-default-route", "--all", "--report", "junit", "--out", "class-reports"] },
  { text: "`class-reports/tgw-default-route-summary.md` and `class-reports/tgw-default-route.junit.xml`:" },
  { file: "class-reports/tgw-default-route-summary.md", lang: "markdown" },
  { file: "class-reports/tgw-default-route.junit.xml", lang: "xml" },
  {
    text: `## 6. Explain, live

\`lab explain\` builds the lab's network from live describe calls and traces a path through it:`,
  },
  { stage: "deployed", argv: ["explain", "--lab", "s01", "--from", "VPC02-Private-A-10.2.20.101", "--to", "internet"] },
  {
    text: `## 7. The repair

The students repair the lab from the console or the CLI; \`lab solve\` applies the reference fix (for a
demonstration, or a participant who is stuck). The check then passes, and proves the path: the egress IP
is one of the DMZ NAT gateways' Elastic IPs.`,
  },
  { stage: "deployed", argv: ["solve", "tgw-default-route", "--lab", "s01"] },
  { stage: "deployed", argv: ["check", "tgw-default-route", "--lab", "s01"] },
  {
    text: `## 8. Reset

\`lab reset\` applies the ledger's inverses, last first, keeps whatever someone else already put in
their place (here the repaired routes, so both steps are skipped), re-runs the scenario's checks, and
clears the ledger entry. Without a scenario it resets every active fault of the lab.`,
  },
  { stage: "deployed", argv: ["reset", "tgw-default-route", "--lab", "s01"] },
  { stage: "deployed", argv: ["status", "--lab", "s01"] },
  {
    text: `## 9. Rehearse a scenario on a real lab

Before a class, \`lab rehearse\` runs a scenario end to end on a deployed lab: baseline passes → inject →
a check fails → solve → all pass → reset → baseline passes (\`-v\` shows every step).`,
  },
  { stage: "deployed", argv: ["rehearse", "tgw-default-route", "--lab", "s01"] },
  {
    text: `## 10. Keep the network for later

\`lab snapshot save\` writes the lab's describe outputs (Batfish's AWS layout); \`lab explain --aws-configs\`
analyzes them later, offline.`,
  },
  { stage: "deployed", argv: ["snapshot", "save", "--lab", "s01", "--out", "saved"] },
  { stage: "deployed", argv: ["explain", "--aws-configs", "saved", "--from", "VPC02-Private-A-10.2.20.101", "--to", "internet"] },
  {
    text: `## 11. Destroy

(Not run here.)`,
  },
  { notRun: ["npx cdktf destroy 'netlab-*'"] },
  {
    text: `## 12. Leftovers

\`lab leftovers\` lists everything billable still tagged with the lab or inside its VPCs, with its
hourly cost, and exits 1 if anything is left. Here the destroy was interrupted: the NAT instance's
Elastic IP and the flow-log group remain.`,
  },
  { stage: "destroyed", argv: ["leftovers", "--lab", "s01"] },
  { text: "Once they are deleted:" },
  { stage: "clean", argv: ["leftovers", "--lab", "s01"] },
];

/** The guide, from a run of the class workflow. */
export function renderClassDoc(r: ClassRun): string {
  const shown = new Map<string, number>();
  const parts = GUIDE.map((p) => {
    if ("text" in p) return p.text;
    if ("file" in p) return fence(p.lang, normalize(readFileSync(join(r.cwd, p.file), "utf8"), r.cwd));
    if ("notRun" in p) return fence("sh", p.notRun.join("\n"));
    const key = `${p.stage} ${p.argv.join(" ")}`;
    const nth = shown.get(key) ?? 0;
    shown.set(key, nth + 1);
    return commandBlock(r, p.stage, p.argv, nth, p.abridge);
  });
  return `${parts.join("\n\n")}\n`;
}

if (require.main === module) {
  void (async () => {
    const r = await runClassWorkflow(await labSnapshot());
    try {
      const file = resolve(__dirname, "../..", CLASS_DOC);
      writeFileSync(file, renderClassDoc(r));
      process.stderr.write(`wrote ${file}\n`);
    } finally {
      r.cleanup();
    }
  })();
}
