import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseConfig } from "../../config/config";
import { loadSynthDir } from "../../network/from-terraform";
import { synthesizeLab, synthKey } from "../../network/synth";

// Tests of network/synth.ts: the in-process synth whose output loadSynthDir reads.

const tempDir = () => mkdtempSync(join(tmpdir(), "netlab-synth-test-"));

describe("synthesizeLab", () => {
  it("synthesizes every participant's stacks into .netlab/synth/<key> and reuses them", async () => {
    // GIVEN a project directory without a cache and a config with two participants
    const cwd = tempDir();
    const config = parseConfig({ participants: [{ id: "s01" }, { id: "s02" }] });
    // WHEN synthesized
    const dir = await synthesizeLab({ config, cwd });
    // THEN both participants' stacks are there, under the config's key
    expect(dir).toBe(join(cwd, ".netlab", "synth", synthKey(config)));
    expect(readdirSync(join(dir, "stacks")).sort()).toEqual(["netlab-s01-core", "netlab-s01-natinstance", "netlab-s02-core", "netlab-s02-natinstance"]);
    expect(loadSynthDir(dir, "s02", "ap-northeast-2").vpcs).toHaveLength(5);
    // WHEN synthesized again
    writeFileSync(join(dir, "sentinel"), "kept");
    const again = await synthesizeLab({ config, cwd });
    // THEN the same directory is reused, untouched, and no temporary directory is left behind
    expect(again).toBe(dir);
    expect(existsSync(join(dir, "sentinel"))).toBe(true);
    expect(readdirSync(join(cwd, ".netlab", "synth"))).toEqual([synthKey(config)]);
  });

  it("synthesizes into an outdir, only the config's variants", async () => {
    // GIVEN a new output directory and a config without the natinstance variant
    const outdir = join(tempDir(), "out");
    const config = parseConfig({ variants: ["core"] });
    // WHEN synthesized
    const dir = await synthesizeLab({ config, outdir });
    // THEN the outdir holds the core stack only, and the snapshot loads with the variants
    expect(dir).toBe(outdir);
    expect(readdirSync(join(dir, "stacks"))).toEqual(["netlab-s01-core"]);
    expect(loadSynthDir(dir, "s01", "ap-northeast-2", { variants: config.variants }).vpcs).toHaveLength(4);
  });

  it("synthesizes a natinstance-only lab that stands alone: its own log group, no core lookups", async () => {
    // GIVEN a config with the natinstance variant only / WHEN synthesized and loaded
    const config = parseConfig({ variants: ["natinstance"] });
    const s = loadSynthDir(await synthesizeLab({ config, outdir: join(tempDir(), "out") }), "s01", "ap-northeast-2", { variants: config.variants });
    // THEN it is NATInstance-VPC1 alone, with its flow log
    expect(s.vpcs.map((v) => v.name)).toEqual(["NATInstance-VPC1"]);
    expect(s.flowLogs.map((f) => [f.resourceId, f.logGroupName])).toEqual([[s.vpcs[0].id, "/aws/vpc/flowlogs"]]);
  });

  it("refuses an outdir that holds something other than a netlab synth", async () => {
    // GIVEN a non-empty directory netlab did not write
    const outdir = tempDir();
    writeFileSync(join(outdir, "notes.txt"), "mine");
    // WHEN synthesizing into it / THEN it is refused and left alone
    await expect(synthesizeLab({ config: parseConfig({}), outdir })).rejects.toThrow(`The synth output directory ${outdir} exists and is not a netlab synth directory; choose a new or empty directory.`);
    expect(readdirSync(outdir)).toEqual(["notes.txt"]);
  });
});

describe("synthKey", () => {
  const project = () => {
    const root = tempDir();
    mkdirSync(join(root, "stacks"));
    writeFileSync(join(root, "stacks", "core-stack.ts"), "export const a = 1;\n");
    writeFileSync(join(root, "package.json"), JSON.stringify({ version: "0.1.0" }));
    return root;
  };

  it("is the same for the same config and sources", () => {
    // GIVEN one project / WHEN keyed twice / THEN
    const root = project();
    expect(synthKey(parseConfig({}), root)).toBe(synthKey(parseConfig({}), root));
    expect(synthKey(parseConfig({}), root)).toMatch(/^[0-9a-f]{16}$/);
  });

  it("changes with the config, a stack source, a topology file and the package version", () => {
    // GIVEN a project and its key
    const root = project();
    const before = synthKey(parseConfig({}), root);
    // WHEN the config changes / THEN the key changes
    expect(synthKey(parseConfig({ participants: [{ id: "s02" }] }), root)).not.toBe(before);
    // WHEN a stack source changes / THEN the key changes
    writeFileSync(join(root, "stacks", "core-stack.ts"), "export const a = 2;\n");
    const afterStack = synthKey(parseConfig({}), root);
    expect(afterStack).not.toBe(before);
    // WHEN a topology file appears / THEN the key changes
    mkdirSync(join(root, "topology"));
    writeFileSync(join(root, "topology", "lab.ts"), "export {};\n");
    const afterTopology = synthKey(parseConfig({}), root);
    expect(afterTopology).not.toBe(afterStack);
    // WHEN the package version changes / THEN the key changes
    writeFileSync(join(root, "package.json"), JSON.stringify({ version: "0.2.0" }));
    expect(synthKey(parseConfig({}), root)).not.toBe(afterTopology);
  });
});
