import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { EngineName } from "../../stacks/engine";

const ROOT = resolve(__dirname, "../..");
type Json = Record<string, any>;

/** The stacks the cdktf.json app command synthesizes with `engine`, as `cdktf synth` runs it, by stack name. */
function synthWith(engine: EngineName): { stderr: string; status: number | null; stacks: Map<string, Json> } {
  const { app } = JSON.parse(readFileSync(join(ROOT, "cdktf.json"), "utf8")) as { app: string };
  const out = mkdtempSync(join(tmpdir(), `netlab-${engine}-`));
  const r = spawnSync(app, { shell: true, cwd: ROOT, encoding: "utf8", env: { ...process.env, NETLAB_ENGINE: engine, NETLAB_CONFIG: join(ROOT, "netlab.config.example.json"), CDKTF_OUTDIR: out } });
  const stacks = new Map<string, Json>();
  if (r.status === 0) for (const s of readdirSync(join(out, "stacks")).sort()) stacks.set(s, JSON.parse(readFileSync(join(out, "stacks", s, "cdk.tf.json"), "utf8")));
  return { stderr: r.stderr, status: r.status, stacks };
}

/** Every block of a stack by address: `resource.aws_vpc.x`, `data.aws_ami.y`, `output.z`, `provider.aws[0]`, `terraform`, `//`. */
function blocks(tf: Json): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const [kind, body] of Object.entries(tf)) {
    if (kind === "resource" || kind === "data") {
      for (const [type, byName] of Object.entries(body as Json)) for (const [name, block] of Object.entries(byName as Json)) out.set(`${kind}.${type}.${name}`, block);
    } else if (kind === "output") {
      for (const [name, block] of Object.entries(body as Json)) out.set(`output.${name}`, block);
    } else if (kind === "provider") {
      for (const [name, list] of Object.entries(body as Json)) (list as unknown[]).forEach((block, i) => out.set(`provider.${name}[${i}]`, block));
    } else {
      out.set(kind, body);
    }
  }
  return out;
}

/** The provider package each engine pins (its generated bindings name the Terraform provider version). */
function providerVersion(pkg: string): string {
  return (JSON.parse(readFileSync(join(ROOT, "node_modules", pkg, "package.json"), "utf8")) as { cdktf: { provider: { version: string } } }).cdktf.provider.version;
}

describe("the cdktf and cdktn engines", () => {
  let cdktf: ReturnType<typeof synthWith>;
  let cdktn: ReturnType<typeof synthWith>;
  beforeAll(() => {
    // GIVEN the example config (two participants, both stacks each), synthesized once with each engine
    cdktf = synthWith("cdktf");
    cdktn = synthWith("cdktn");
  }, 120_000);

  it("both synthesize the same stacks, with nothing on stderr", () => {
    // THEN both succeeded quietly, with the same four stacks
    expect({ status: cdktf.status, stderr: cdktf.stderr }).toEqual({ status: 0, stderr: "" });
    expect({ status: cdktn.status, stderr: cdktn.stderr }).toEqual({ status: 0, stderr: "" });
    expect([...cdktn.stacks.keys()]).toEqual(["netlab-s01-core", "netlab-s01-natinstance", "netlab-s02-core", "netlab-s02-natinstance"]);
    expect([...cdktf.stacks.keys()]).toEqual([...cdktn.stacks.keys()]);
  });

  it("synthesize every resource, data source, output and provider block the same, resource by resource", () => {
    for (const [stack, tfA] of cdktf.stacks) {
      // WHEN a stack's blocks are compared by address
      const a = blocks(tfA);
      const b = blocks(cdktn.stacks.get(stack) ?? {});
      // THEN both have the same addresses (a core stack has over a hundred resources: the comparison cannot pass empty)…
      expect([...b.keys()].sort()).toEqual([...a.keys()].sort());
      expect([...a.keys()].filter((k) => k.startsWith("resource.")).length).toBeGreaterThan(stack.endsWith("-core") ? 100 : 20);
      // …and every block but the engine's metadata and the Terraform settings is identical
      for (const [address, block] of a) {
        if (address === "//" || address === "terraform") continue;
        expect({ stack, address, block: b.get(address) }).toEqual({ stack, address, block });
      }
    }
  });

  it("differ only in the engine's version and in the AWS provider's source and version, as each engine pins them", () => {
    for (const [stack, tfA] of cdktf.stacks) {
      const tfB = cdktn.stacks.get(stack) as Json;
      // WHEN the Terraform settings are compared without the AWS provider's requirement / THEN they are the same (backend, required_version)
      const { required_providers: pa, ...restA } = tfA.terraform as Json;
      const { required_providers: pb, ...restB } = tfB.terraform as Json;
      expect({ stack, terraform: restB }).toEqual({ stack, terraform: restA });
      // AND the provider requirement is each engine's: hashicorp/aws either way ("aws" is its short form), at the version its bindings were generated for
      expect({ cdktf: pa, cdktn: pb }).toEqual({
        cdktf: { aws: { source: "aws", version: providerVersion("@cdktf/provider-aws") } },
        cdktn: { aws: { source: "hashicorp/aws", version: providerVersion("@cdktn/provider-aws") } },
      });
      // AND the metadata differs in the engine's version only
      expect({ ...tfB["//"], metadata: { ...tfB["//"].metadata, version: "*" } }).toEqual({ ...tfA["//"], metadata: { ...tfA["//"].metadata, version: "*" } });
      expect([tfA["//"].metadata.version, tfB["//"].metadata.version]).toEqual(["0.21.0", "0.24.0"]);
    }
  });
});
