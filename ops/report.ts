import { summarizeCollateral } from "../checks/collateral";
import { count } from "./count";
import type { Lang } from "../checks/types";
import type { Grade } from "../lifecycle/grade";

const xml = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
const md = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, " ");

const WORDS = {
  en: { title: "Lab report", lab: "Lab", scenario: "Scenario", score: "Score", status: "Result", check: "Check", result: "Result", evidence: "What we found", hint: "Hint", pass: "pass", fail: "fail", inconclusive: "could not be checked", collateral: "collateral damage", was: "before the fault", now: "now" },
  ko: { title: "실습 결과", lab: "실습 환경", scenario: "시나리오", score: "점수", status: "결과", check: "점검 항목", result: "결과", evidence: "확인된 내용", hint: "힌트", pass: "통과", fail: "실패", inconclusive: "확인 불가", collateral: "부수 피해", was: "장애 전", now: "현재" },
} as const;

/** A row per collateral entry: what no longer works as before (the subject, never the cause), and its hint. */
function collateralRows(g: Grade, lang: Lang): string[] {
  const w = WORDS[lang];
  return g.collateral.map((c) => `| \`lab-steady-state\` | ${w.collateral} | ${md(`${c.subject}: ${w.was} ${c.was}, ${w.now} ${c.now}`)} | ${md(c.hint[lang])} |`);
}

/** The learner's report: their checks, evidence and hints, and any collateral damage, in their language. No instructor notes. */
export function markdownReport(g: Grade, lang: Lang): string {
  const w = WORDS[lang];
  const rows = g.checks.map((c) => `| \`${c.id}\` | ${w[c.status]} | ${md(c.evidence)} | ${c.status === "pass" ? "" : md(c.hint[lang])} |`);
  return [`# ${w.title}: ${g.scenario}`, "", `- ${w.lab}: ${g.lab}`, `- ${w.score}: ${g.score}%`, `- ${w.status}: ${w[g.status]}`, "", `| ${w.check} | ${w.result} | ${w.evidence} | ${w.hint} |`, "|---|---|---|---|", ...rows, ...collateralRows(g, lang), ""].join("\n");
}

/** The lab's JSON report: checks with the learner's hint, and collateral entries whole (instructor and hint, en and ko). */
export function jsonReport(g: Grade, lang: Lang): string {
  const checks = g.checks.map((c) => ({ id: c.id, status: c.status, evidence: c.evidence, hint: c.hint[lang], ...(c.explanation ? { explanation: c.explanation } : {}) }));
  const steady = g.steadyState.status === "not-compared" ? g.steadyState : { status: g.steadyState.status, compared: g.steadyState.compared, expected: g.steadyState.expected.length, unknown: g.steadyState.unknown };
  return `${JSON.stringify({ scenario: g.scenario, lab: g.lab, score: g.score, status: g.status, checks, collateral: g.collateral, steadyState: steady }, null, 2)}\n`;
}

/** The steady-state testcase of a lab's JUnit suite: a failure naming each broken component, skipped when unknown. */
function steadyStateCase(g: Grade): { xml: string; failed: boolean; skipped: boolean } {
  const s = g.steadyState;
  const open = `    <testcase classname="${xml(`${g.lab}.${g.scenario}`)}" name="lab-steady-state">`;
  if (s.status === "collateral") {
    const lines = summarizeCollateral(s.collateral);
    return { xml: `${open}<failure message="${xml(lines[0])}${lines.length > 1 ? ` (and ${lines.length - 1} more)` : ""}">${xml(s.collateral.map((c) => c.instructor.en).join("\n"))}</failure></testcase>`, failed: true, skipped: false };
  }
  if (s.status === "inconclusive" || s.status === "not-compared") {
    const why = s.status === "not-compared" ? s.reason : `${s.unknown.length} facts could not be known`;
    return { xml: `${open}<skipped message="${xml(why)}"/></testcase>`, failed: false, skipped: true };
  }
  return { xml: `${open}</testcase>`, failed: false, skipped: false };
}

/**
 * JUnit XML for CI and LMS imports: a testsuite per lab, a testcase per check; inconclusive is skipped.
 * A lab that could not be graded (its account could not be read) is a testsuite with one `<error>`, so
 * that CI does not count it as passed by leaving it out.
 */
export function junitReport(grades: readonly Grade[], errors: readonly { lab: string; scenario: string; message: string }[] = []): string {
  const suites = grades.map((g) => {
    const steady = steadyStateCase(g);
    const failures = g.checks.filter((c) => c.status === "fail").length + (steady.failed ? 1 : 0);
    const skipped = g.checks.filter((c) => c.status === "inconclusive").length + (steady.skipped ? 1 : 0);
    const cases = g.checks.map((c) => {
      const body = c.status === "fail" ? `<failure message="${xml(c.evidence)}">${xml(c.explanation ?? c.evidence)}</failure>` : c.status === "inconclusive" ? `<skipped message="${xml(c.evidence)}"/>` : "";
      return `    <testcase classname="${xml(`${g.lab}.${g.scenario}`)}" name="${xml(c.id)}">${body}</testcase>`;
    });
    return [`  <testsuite name="${xml(`${g.lab}/${g.scenario}`)}" tests="${g.checks.length + 1}" failures="${failures}" skipped="${skipped}" errors="0">`, ...cases, steady.xml, "  </testsuite>"].join("\n");
  });
  const broken = errors.map((e) =>
    [
      `  <testsuite name="${xml(`${e.lab}/${e.scenario}`)}" tests="1" failures="0" skipped="0" errors="1">`,
      `    <testcase classname="${xml(`${e.lab}.${e.scenario}`)}" name="graded"><error message="${xml(e.message)}"/></testcase>`,
      "  </testsuite>",
    ].join("\n"),
  );
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="netlab">\n${[...suites, ...broken].join("\n")}\n</testsuites>\n`;
}

/** The instructor's one-page view of the class. */
export function classSummary(grades: readonly Grade[], errors: readonly { lab: string; message: string }[] = []): string {
  const damaged = (g: Grade) => [...new Set(g.collateral.map((c) => c.component))];
  const rows = grades.map((g) => {
    const notPassing = g.checks.filter((c) => c.status !== "pass").map((c) => `\`${c.id}\``);
    if (g.collateral.length) notPassing.push(`collateral damage at ${damaged(g).map(md).join(", ")}`);
    return `| ${g.lab} | ${g.scenario} | ${g.score}% | ${g.status} | ${notPassing.join(", ")} |`;
  });
  const broken = errors.map((e) => `| ${e.lab} | | | error | ${md(e.message)} |`);
  const mean = grades.length ? Math.round(grades.reduce((s, g) => s + g.score, 0) / grades.length) : 0;
  return ["# Class summary", "", `${count(grades.length, "lab")} graded, mean score ${mean}%${errors.length ? `, ${errors.length} could not be graded` : ""}.`, "", "| lab | scenario | score | status | not passing |", "|---|---|---|---|---|", ...rows, ...broken, ""].join("\n");
}
