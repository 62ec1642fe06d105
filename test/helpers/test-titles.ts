import { format } from "node:util";

type Fn = (...args: unknown[]) => unknown;

/** Jest's printf-style title placeholders, filled from one row of an `.each` table. */
function fill(title: string, row: unknown[], index: number): string {
  let next = 0;
  return title.replace(/%([psdifjo#%])/g, (_m, c: string) => {
    if (c === "%") return "%";
    if (c === "#") return String(index);
    const value = row[next++];
    if (c === "p") return typeof value === "string" ? JSON.stringify(value) : format("%o", value);
    return format(`%${c}`, value);
  });
}

/** The rows of an `.each` table: an array (of rows, or of single values), or a tagged template of `a | b` columns. */
function rowsOf(args: unknown[]): { rows: unknown[][]; named?: Record<string, unknown>[] } {
  const [table] = args;
  if (Array.isArray(table) && "raw" in table) {
    const headings = String(table[0]).split("|").map((h) => h.trim()).filter(Boolean);
    const values = args.slice(1);
    const named: Record<string, unknown>[] = [];
    for (let i = 0; i < values.length; i += headings.length) named.push(Object.fromEntries(headings.map((h, k) => [h, values[i + k]])));
    return { rows: named.map((o) => [o]), named };
  }
  if (!Array.isArray(table)) throw new Error(`test-titles: an .each table must be an array or a tagged template; got ${typeof table}.`);
  return { rows: table.map((r) => (Array.isArray(r) ? r : [r])) };
}

/** `$name` placeholders of a tagged-template or object row. */
const interpolate = (title: string, row: unknown) =>
  row && typeof row === "object" && !Array.isArray(row) ? title.replace(/\$([A-Za-z_][\w.]*)/g, (m, key: string) => (key in (row as object) ? String((row as Record<string, unknown>)[key]) : m)) : title;

/**
 * The titles jest gives the tests of some test files, found by loading them (in one module registry of
 * their own) with `describe`, `it` and `test` replaced by recorders: describe blocks run, as when jest
 * collects tests; test bodies and hooks never do. Titles made from `.each` tables come out as jest
 * formats them, and a test in a comment is not a test. Only the tests' own titles are returned.
 */
export function testTitles(...files: string[]): string[] {
  const titles: string[] = [];
  const g = globalThis as unknown as Record<string, unknown>;
  const keys = ["describe", "fdescribe", "xdescribe", "it", "fit", "xit", "test", "xtest", "beforeAll", "afterAll", "beforeEach", "afterEach"];
  const saved = Object.fromEntries(keys.map((k) => [k, g[k]]));

  const eachTest = (...args: unknown[]) => (title: string) => {
    const { rows, named } = rowsOf(args);
    rows.forEach((row, i) => titles.push(named ? interpolate(title, named[i]) : interpolate(fill(title, row, i), row[0])));
  };
  const eachDescribe = (...args: unknown[]) => (_title: string, fn: Fn) => rowsOf(args).rows.forEach((row) => fn(...row));
  /** A callable whose every property (skip, only, concurrent, failing…) is the same callable, and `each` its table form. */
  const api = (call: Fn, each: Fn): unknown => {
    const proxy: unknown = new Proxy(call, { get: (_t, prop) => (prop === "each" ? each : proxy) });
    return proxy;
  };
  const testApi = api((title: unknown) => void titles.push(String(title)), eachTest);
  const describeApi = api((_title: unknown, fn: unknown) => void (fn as Fn)(), eachDescribe);
  const noop = () => undefined;
  Object.assign(g, { describe: describeApi, fdescribe: describeApi, xdescribe: describeApi, it: testApi, fit: testApi, xit: testApi, test: testApi, xtest: testApi, beforeAll: noop, afterAll: noop, beforeEach: noop, afterEach: noop });
  try {
    jest.isolateModules(() => {
      for (const file of files) require(file);
    });
  } finally {
    Object.assign(g, saved);
  }
  return titles;
}
