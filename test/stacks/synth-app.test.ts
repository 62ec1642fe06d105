import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App } from "cdktf";
import { parseConfig } from "../../config/config";
import { buildApp } from "../../stacks/app";
import { synthApp, withoutSourceMappedTraces } from "../../stacks/synth-app";

/** Every stack's cdk.tf.json under an app's outdir, by stack name. */
function stacksIn(outdir: string): Record<string, unknown> {
  const dir = join(outdir, "stacks");
  return Object.fromEntries(readdirSync(dir).map((s) => [s, JSON.parse(readFileSync(join(dir, s, "cdk.tf.json"), "utf8"))]));
}

describe("synthApp", () => {
  const initially = process.sourceMapsEnabled;
  afterEach(() => process.setSourceMapsEnabled(initially));

  it("writes exactly the stacks buildApp + app.synth() write", () => {
    // GIVEN the default lab (one participant, both stacks)
    const config = parseConfig({});
    const plain = new App({ outdir: mkdtempSync(join(tmpdir(), "netlab-plain-")), skipValidation: true });
    const fast = new App({ outdir: mkdtempSync(join(tmpdir(), "netlab-fast-")), skipValidation: true });
    // WHEN synthesized both ways
    buildApp(plain, config);
    plain.synth();
    synthApp(fast, config);
    // THEN the Terraform JSON is the same, stack for stack
    expect(Object.keys(stacksIn(fast.outdir))).toEqual(["netlab-s01-core", "netlab-s01-natinstance"]);
    expect(stacksIn(fast.outdir)).toEqual(stacksIn(plain.outdir));
  });

  it.each([true, false])("turns source-mapped traces off while it runs, and puts the setting back (%s) after", (was) => {
    // GIVEN source maps on or off for stack traces
    process.setSourceMapsEnabled(was);
    // WHEN a function runs without source-mapped traces
    const during = withoutSourceMappedTraces(() => process.sourceMapsEnabled);
    // THEN they were off during it, and are as they were after it
    expect(during).toBe(false);
    expect(process.sourceMapsEnabled).toBe(was);
  });

  it("puts the setting back when the function throws, and lets the error through", () => {
    // GIVEN source maps on
    process.setSourceMapsEnabled(true);
    // WHEN the function throws
    const fail = () =>
      withoutSourceMappedTraces(() => {
        throw new Error("The topology is invalid.");
      });
    // THEN the caller gets the error, and source maps are on again
    expect(fail).toThrow("The topology is invalid.");
    expect(process.sourceMapsEnabled).toBe(true);
  });
});

describe("synthApp and Node's deprecations", () => {
  afterEach(() => jest.restoreAllMocks());

  it("never calls util.isArray, which Node 22 reports on stderr at every synth ([DEP0044])", () => {
    // GIVEN Node's util.isArray watched (Node 20 deprecates it silently, Node 22 with a warning on stderr)
    const util = require("node:util") as { isArray: (v: unknown) => boolean };
    const isArray = jest.spyOn(util, "isArray");
    // WHEN both stacks of the default lab are synthesized, outputs with lists and maps included
    const app = new App({ outdir: mkdtempSync(join(tmpdir(), "netlab-dep-")), skipValidation: true });
    synthApp(app, parseConfig({}));
    // THEN the stacks were written, and util.isArray was never called
    expect(Object.keys(stacksIn(app.outdir))).toEqual(["netlab-s01-core", "netlab-s01-natinstance"]);
    expect(isArray).not.toHaveBeenCalled();
  });
});
