import { count } from "./count";
import type { Lang } from "../checks/types";
import type { Grade } from "../lifecycle/grade";

const xml = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
const md = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, " ");

const WORDS = {
  en: { title: "Lab report", lab: "Lab", scenario: "Scenario", score: "Score", check: "Check", result: "Result", evidence: "What we found", hint: "Hint", pass: "pass", fail: "fail", inconclusive: "could not be checked" },
  ko: { title: "실습 결과", lab: "실습 환경", scenario: "시나리오", score: "점수", check: "점검 항목", result: "결과", evidence: "확인된 내용", hint: "힌트", pass: "통과", fail: "실패", inconclusive: "확인 불가" },
} as const;

/** The learner's report: their checks, evidence and hints, in their language. No instructor notes. */
export function markdownReport(g: Grade, lang: Lang): string {
  const w = WORDS[lang];
  const rows = g.checks.map((c) => `| \`${c.id}\` | ${w[c.status]} | ${md(c.evidence)} | ${c.status === "pass" ? "" : md(c.hint[lang])} |`);
  return [`# ${w.title}: ${g.scenario}`, "", `- ${w.lab}: ${g.lab}`, `- ${w.score}: ${g.score}%`, "", `| ${w.check} | ${w.result} | ${w.evidence} | ${w.hint} |`, "|---|---|---|---|", ...rows, ""].join("\n");
}

export function jsonReport(g: Grade, lang: Lang): string {
  return `${JSON.stringify({ scenario: g.scenario, lab: g.lab, score: g.score, status: g.status, checks: g.checks.map((c) => ({ id: c.id, status: c.status, evidence: c.evidence, hint: c.hint[lang], ...(c.explanation ? { explanation: c.explanation } : {}) })) }, null, 2)}\n`;
}

/**
 * JUnit XML for CI and LMS imports: a testsuite per lab, a testcase per check; inconclusive is skipped.
 * A lab that could not be graded (its account could not be read) is a testsuite with one `<error>`, so
 * that CI does not count it as passed by leaving it out.
 */
export function junitReport(grades: readonly Grade[], errors: readonly { lab: string; scenario: string; message: string }[] = []): string {
  const suites = grades.map((g) => {
    const failures = g.checks.filter((c) => c.status === "fail").length;
    const skipped = g.checks.filter((c) => c.status === "inconclusive").length;
    const cases = g.checks.map((c) => {
      const body = c.status === "fail" ? `<failure message="${xml(c.evidence)}">${xml(c.explanation ?? c.evidence)}</failure>` : c.status === "inconclusive" ? `<skipped message="${xml(c.evidence)}"/>` : "";
      return `    <testcase classname="${xml(`${g.lab}.${g.scenario}`)}" name="${xml(c.id)}">${body}</testcase>`;
    });
    return [`  <testsuite name="${xml(`${g.lab}/${g.scenario}`)}" tests="${g.checks.length}" failures="${failures}" skipped="${skipped}" errors="0">`, ...cases, "  </testsuite>"].join("\n");
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
  const rows = grades.map((g) => `| ${g.lab} | ${g.scenario} | ${g.score}% | ${g.status} | ${g.checks.filter((c) => c.status !== "pass").map((c) => `\`${c.id}\``).join(", ")} |`);
  const broken = errors.map((e) => `| ${e.lab} | | | error | ${md(e.message)} |`);
  const mean = grades.length ? Math.round(grades.reduce((s, g) => s + g.score, 0) / grades.length) : 0;
  return ["# Class summary", "", `${count(grades.length, "lab")} graded, mean score ${mean}%${errors.length ? `, ${errors.length} could not be graded` : ""}.`, "", "| lab | scenario | score | status | not passing |", "|---|---|---|---|---|", ...rows, ...broken, ""].join("\n");
}
