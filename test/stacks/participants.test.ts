import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { dataOf, resourcesOf, stackOf, synthLab, type SynthApp, type TfBlock, type TfJson } from "./synth-helpers";

const ROLE_ARN = "arn:aws:iam::123456789012:role/NetlabInstructor";

function awsProvider(tf: TfJson): TfBlock {
  const providers = tf.provider?.aws ?? [];
  if (providers.length !== 1) throw new Error(`Expected one aws provider; found ${providers.length}.`);
  return providers[0];
}

/** Names of IAM resources as `type:name` (IAM names are global to an account, each type its own namespace). */
function iamNames(tf: TfJson): string[] {
  return ["aws_iam_role", "aws_iam_policy", "aws_iam_instance_profile"].flatMap((t) => resourcesOf(tf, t).map(([, r]) => `${t}:${r.name as string}`));
}

describe("two participants", () => {
  let lab: SynthApp;
  const STACKS = ["netlab-s01-core", "netlab-s01-natinstance", "netlab-s02-core", "netlab-s02-natinstance"];

  beforeAll(() => {
    // GIVEN two participants, one reached by role ARN and one by profile, and an S3 backend
    lab = synthLab({
      participants: [{ id: "s01", roleArn: ROLE_ARN }, { id: "s02", profile: "student-two" }],
      terraformBackend: { type: "s3", bucket: "netlab-class-state" },
    });
  });

  it("synthesize to four stacks, two per participant", () => {
    expect([...lab.stacks.keys()].sort()).toEqual(STACKS);
  });

  it.each([
    ["netlab-s01-core", "s01"],
    ["netlab-s01-natinstance", "s01"],
    ["netlab-s02-core", "s02"],
    ["netlab-s02-natinstance", "s02"],
  ])("%s has its own aws provider tagging every resource netlab:lab=%s, netlab:managed=true", (name, id) => {
    const { json, tf } = stackOf(lab, name);
    expect(json).toHaveProviderWithProperties(AwsProvider, { default_tags: [{ tags: { "netlab:lab": id, "netlab:managed": "true" } }] });
    expect(awsProvider(tf).region).toBe("ap-northeast-2");
  });

  it("the stacks are disjoint: no stack mentions the other participant or reads another stack's state", () => {
    for (const [name, { json, tf }] of lab.stacks) {
      const other = name.includes("-s01-") ? "s02" : "s01";
      expect({ name, mentionsOther: json.includes(`netlab-${other}`) || json.includes(`"${other}"`) }).toEqual({ name, mentionsOther: false });
      expect(dataOf(tf, "terraform_remote_state")).toHaveLength(0);
    }
  });

  it("IAM names differ between participants and between a participant's two stacks", () => {
    const names = STACKS.flatMap((s) => iamNames(stackOf(lab, s).tf));
    expect(names.length).toBeGreaterThan(0);
    expect(new Set(names).size).toBe(names.length);
  });

  it("a participant with roleArn gets a provider that assumes that role", () => {
    const provider = awsProvider(stackOf(lab, "netlab-s01-core").tf);
    expect(provider.assume_role).toEqual([expect.objectContaining({ role_arn: ROLE_ARN })]);
    expect(provider.profile).toBeUndefined();
  });

  it("a participant with a profile gets a provider with that profile and no assumed role", () => {
    const provider = awsProvider(stackOf(lab, "netlab-s02-natinstance").tf);
    expect(provider.profile).toBe("student-two");
    expect(provider.assume_role).toBeUndefined();
  });

  it.each(STACKS)("%s keeps its state in S3 under netlab/<stack>.tfstate with the native lockfile", (name) => {
    const backend = stackOf(lab, name).tf.terraform?.backend;
    expect(Object.keys(backend ?? {})).toEqual(["s3"]);
    expect(backend!.s3).toMatchObject({ bucket: "netlab-class-state", key: `netlab/${name}.tfstate`, use_lockfile: true });
  });

  it("each natinstance stack depends on its own participant's core stack", () => {
    for (const id of ["s01", "s02"]) {
      const deps = stackOf(lab, `netlab-${id}-natinstance`).stack.dependencies.map((d) => d.node.id);
      expect(deps).toEqual([`netlab-${id}-core`]);
      expect(stackOf(lab, `netlab-${id}-core`).stack.dependencies).toEqual([]);
    }
  });
});

describe("backend", () => {
  it("the default (local) config gives each stack a local backend", () => {
    // GIVEN the default config
    const lab = synthLab({ terraformBackend: { type: "local" } });
    // THEN both stacks use a local backend of their own
    for (const [name, { tf }] of lab.stacks) {
      expect(Object.keys(tf.terraform?.backend ?? {})).toEqual(["local"]);
      expect(tf.terraform!.backend!.local.path).toContain(name);
    }
  });

  it("an S3 backend with its own key prefix and region uses them", () => {
    const lab = synthLab({ terraformBackend: { type: "s3", bucket: "netlab-class-state", keyPrefix: "class-a", region: "us-east-1" } });
    expect(stackOf(lab, "netlab-s01-core").tf.terraform!.backend!.s3).toMatchObject({ key: "class-a/netlab-s01-core.tfstate", region: "us-east-1", use_lockfile: true });
  });

  it("an S3 backend with an empty key prefix keeps the state at the bucket's top level", () => {
    // GIVEN keyPrefix ""
    const lab = synthLab({ terraformBackend: { type: "s3", bucket: "netlab-class-state", keyPrefix: "" } });
    // THEN the key is the stack's file name alone (no leading "/")
    expect(stackOf(lab, "netlab-s01-core").tf.terraform!.backend!.s3.key).toBe("netlab-s01-core.tfstate");
  });

  it.each([
    ["local", { type: "local" }],
    ["s3", { type: "s3", bucket: "netlab-class-state" }],
  ])("with a %s backend every stack requires Terraform 1.10 or later (the S3 backend's native lockfile)", (_type, terraformBackend) => {
    const lab = synthLab({ terraformBackend });
    for (const [name, { tf }] of lab.stacks) expect({ name, required: tf.terraform?.required_version }).toEqual({ name, required: ">= 1.10" });
  });
});

describe("variants", () => {
  it('["core"] yields only the core stack', () => {
    // GIVEN
    const lab = synthLab({ variants: ["core"] });
    // THEN
    expect([...lab.stacks.keys()]).toEqual(["netlab-s01-core"]);
  });

  it('["natinstance"] alone yields a self-contained natinstance stack', () => {
    // GIVEN only the NAT instance variant
    const lab = synthLab({ variants: ["natinstance"] });
    // THEN there is no core stack to depend on
    expect([...lab.stacks.keys()]).toEqual(["netlab-s01-natinstance"]);
    const { stack, tf } = stackOf(lab, "netlab-s01-natinstance");
    expect(stack.dependencies).toEqual([]);
    // AND it creates the flow-log group itself and looks up no zone of a core stack
    expect(resourcesOf(tf, "aws_cloudwatch_log_group").map(([, g]) => g.name)).toEqual(["/aws/vpc/flowlogs"]);
    expect(dataOf(tf, "aws_cloudwatch_log_group")).toHaveLength(0);
    expect(dataOf(tf, "aws_route53_zone")).toHaveLength(0);
  });
});
