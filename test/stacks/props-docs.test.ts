import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";

const CONSTRUCTS = join(__dirname, "../../stacks/constructs");

interface Field {
  readonly where: string;
  readonly documented: boolean;
  readonly optional: boolean;
  readonly hasDefault: boolean;
}

/** Every property of every exported `…Props` interface in a source file. */
function propsFields(file: string): Field[] {
  const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true);
  const fields: Field[] = [];
  for (const stmt of source.statements) {
    if (!ts.isInterfaceDeclaration(stmt) || !stmt.name.text.endsWith("Props")) continue;
    for (const member of stmt.members) {
      if (!ts.isPropertySignature(member)) continue;
      const docs = ts.getJSDocCommentsAndTags(member).filter(ts.isJSDoc);
      const text = docs.map((d) => ts.getTextOfJSDocComment(d.comment) ?? "").join(" ").trim();
      fields.push({
        where: `${stmt.name.text}.${member.name.getText(source)}`,
        documented: text.length > 0,
        optional: member.questionToken !== undefined,
        hasDefault: docs.some((d) => (d.tags ?? []).some((t) => t.tagName.text === "default")),
      });
    }
  }
  return fields;
}

describe("construct props (stacks/constructs)", () => {
  const files = readdirSync(CONSTRUCTS).filter((f) => f.endsWith(".ts")).map((f) => join(CONSTRUCTS, f));
  const fields = files.flatMap(propsFields);

  it("finds the Props of the constructs", () => {
    // GIVEN the construct files / THEN there are Props to check (the test cannot pass on nothing)
    expect(new Set(fields.map((f) => f.where.split(".")[0])).size).toBeGreaterThanOrEqual(9);
  });

  it("documents every field, and gives every optional field its @default", () => {
    // WHEN each field's doc comment is read
    const missing = fields.filter((f) => !f.documented || (f.optional && !f.hasDefault)).map((f) => `${f.where}: ${!f.documented ? "no doc comment" : "optional without @default"}`);
    // THEN none is missing
    expect(missing).toEqual([]);
  });
});
