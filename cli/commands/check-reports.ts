import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Lang } from "../../checks/types";
import type { Grade } from "../../lifecycle/grade";
import { classSummary, jsonReport, junitReport, markdownReport } from "../../ops/report";
import type { Scenario } from "../../scenarios/types";
import type { Context } from "../context";

/** Writes the requested reports under DIR: per participant (md, json), JUnit for the class, and a summary. */
export async function writeReports(ctx: Context, scenario: Scenario, grades: readonly { grade: Grade; lang: Lang }[], formats: readonly ("md" | "json" | "junit")[], out: string, errors: readonly { lab: string; message: string }[] = []): Promise<string[]> {
  const dir = resolve(ctx.io.cwd, out);
  mkdirSync(dir, { recursive: true });
  const written: string[] = [];
  const write = (name: string, text: string) => {
    const file = join(dir, name);
    writeFileSync(file, text);
    written.push(file);
  };
  for (const { grade, lang } of grades) {
    if (formats.includes("md")) write(`${grade.lab}-${scenario.id}.md`, markdownReport(grade, lang));
    if (formats.includes("json")) write(`${grade.lab}-${scenario.id}.json`, jsonReport(grade, lang));
  }
  if (formats.includes("junit")) write(`${scenario.id}.junit.xml`, junitReport(grades.map((g) => g.grade), errors.map((e) => ({ ...e, scenario: scenario.id }))));
  write(`${scenario.id}-summary.md`, classSummary(grades.map((g) => g.grade), errors));
  return written;
}
