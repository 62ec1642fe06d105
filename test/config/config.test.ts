import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError, findParticipant, loadConfig, parseConfig } from "../../config/config";

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), "netlab-config-"));
}

describe("parseConfig", () => {
  it("gives the defaults for an empty config", () => {
    // GIVEN nothing / WHEN parsed / THEN one participant s01 in Seoul with both stacks and a local backend
    expect(parseConfig({})).toEqual({
      region: "ap-northeast-2",
      participants: [{ id: "s01" }],
      variants: ["core", "natinstance"],
      terraformBackend: { type: "local" },
      concurrency: 10,
    });
  });

  it("accepts a class with profiles, roles and an S3 backend", () => {
    const c = parseConfig({
      region: "us-east-1",
      participants: [{ id: "s01", profile: "student1" }, { id: "s02", roleArn: "arn:aws:iam::123456789012:role/NetlabInstructor", lang: "ko" }],
      terraformBackend: { type: "s3", bucket: "class-state" },
    });
    expect(c.participants[1]).toEqual({ id: "s02", roleArn: "arn:aws:iam::123456789012:role/NetlabInstructor", lang: "ko" });
    expect(c.terraformBackend).toEqual({ type: "s3", bucket: "class-state", keyPrefix: "netlab" });
  });

  it.each([
    [{ region: "eu-west-9" }, 'field "region" is "eu-west-9": must be one of "ap-northeast-2", "us-east-1".'],
    [{ participants: [] }, 'field "participants" is []: must list at least one participant.'],
    [{ participants: [{ id: "S01" }] }, 'field "participants.0.id" is "S01": must be 1–20 characters of a-z, 0-9 and -.'],
    [{ participants: [{ id: "a".repeat(21) }] }, 'field "participants.0.id" is "aaaaaaaaaaaaaaaaaaaaa"'],
    [{ participants: [{ id: "s01" }, { id: "s01" }] }, 'field "participants.1.id" is "s01": duplicate participant id "s01".'],
    [{ participants: [{ id: "s01", roleArn: "not-an-arn" }] }, 'field "participants.0.roleArn" is "not-an-arn": must be an IAM role ARN'],
    [{ participants: [{ id: "s01", profile: "p", roleArn: "arn:aws:iam::123456789012:role/R" }] }, "set either profile or roleArn, not both"],
    [{ participants: [{ id: "s01", lang: "fr" }] }, 'field "participants.0.lang" is "fr": must be one of "en", "ko".'],
    [{ variants: ["core", "peering"] }, 'field "variants.1" is "peering": must be one of "core", "natinstance".'],
    [{ terraformBackend: { type: "gcs" } }, 'field "terraformBackend.type" is "gcs"'],
    [{ terraformBackend: { type: "s3" } }, 'field "terraformBackend.bucket" is missing'],
    [{ concurrency: 0 }, 'field "concurrency" is 0'],
    [{ regoin: "us-east-1" }, 'unknown field "regoin" at (top level); valid fields are region, participants, variants, terraformBackend, concurrency'],
    [{ participants: [{ id: "s01", email: "x" }] }, 'unknown field "email" at participants.0'],
    [
      { participants: [{ id: "s01", profile: "class" }, { id: "s02" }, { id: "s03", profile: "class" }] },
      'field "participants.2.profile" is "class": participants "s01" and "s03" share this profile, but each participant needs an AWS account of its own (their ALBs, target groups, alarms and log groups would collide).',
    ],
    [
      { participants: [{ id: "a", roleArn: "arn:aws:iam::123456789012:role/R" }, { id: "b", roleArn: "arn:aws:iam::123456789012:role/R" }] },
      'field "participants.1.roleArn" is "arn:aws:iam::123456789012:role/R": participants "a" and "b" share this roleArn',
    ],
    [{ variants: ["core", "natinstance", "core"] }, 'field "variants.2" is "core": names "core" twice; list each of "core", "natinstance" at most once.'],
    [{ terraformBackend: { type: "s3", bucket: "b-1", keyPrefix: "/netlab" } }, 'field "terraformBackend.keyPrefix" is "/netlab": must not start or end with "/" (use "" for no prefix).'],
    [{ terraformBackend: { type: "s3", bucket: "b-1", keyPrefix: "class-a/" } }, 'field "terraformBackend.keyPrefix" is "class-a/": must not start or end with "/"'],
    [{ terraformBackend: { type: "s3", bucket: "b-1", region: "Seoul" } }, 'field "terraformBackend.region" is "Seoul": must be an AWS region name such as ap-northeast-2.'],
  ])("rejects %j, naming the field and the value", (input, message) => {
    // GIVEN a bad config / WHEN parsed / THEN a ConfigError names the field and the bad value
    expect(() => parseConfig(input, "netlab.config.json")).toThrow(ConfigError);
    expect(() => parseConfig(input, "netlab.config.json")).toThrow(message);
  });
});

describe("parseConfig accepts", () => {
  it.each([
    ["an empty key prefix", { terraformBackend: { type: "s3", bucket: "b-1", keyPrefix: "" } }],
    ["a key prefix with folders", { terraformBackend: { type: "s3", bucket: "b-1", keyPrefix: "2026/class-a" } }],
    ["a bucket in a region of another partition", { terraformBackend: { type: "s3", bucket: "b-1", region: "us-gov-west-1" } }],
    // The offline lab runs with the default credentials: participants without profile or role share them.
    ["several participants on the default credentials", { participants: [{ id: "s01" }, { id: "s02" }] }],
    ["different profiles and roles", { participants: [{ id: "a", profile: "p1" }, { id: "b", profile: "p2" }, { id: "c", roleArn: "arn:aws:iam::123456789012:role/R" }] }],
  ])("%s", (_what, input) => {
    expect(() => parseConfig(input)).not.toThrow();
  });
});

describe("loadConfig", () => {
  it("uses the defaults when there is no config file", () => {
    const cwd = tempDir();
    expect(loadConfig({ cwd, env: {} }).participants).toEqual([{ id: "s01" }]);
  });

  it("reads netlab.config.json from the project root", () => {
    const cwd = tempDir();
    writeFileSync(join(cwd, "netlab.config.json"), JSON.stringify({ participants: [{ id: "team-a" }] }));
    expect(loadConfig({ cwd, env: {} }).participants).toEqual([{ id: "team-a" }]);
  });

  it("prefers --config over NETLAB_CONFIG over the default file", () => {
    const cwd = tempDir();
    writeFileSync(join(cwd, "netlab.config.json"), JSON.stringify({ participants: [{ id: "default" }] }));
    writeFileSync(join(cwd, "env.json"), JSON.stringify({ participants: [{ id: "from-env" }] }));
    writeFileSync(join(cwd, "flag.json"), JSON.stringify({ participants: [{ id: "from-flag" }] }));
    expect(loadConfig({ cwd, env: { NETLAB_CONFIG: "env.json" } }).participants[0].id).toBe("from-env");
    expect(loadConfig({ cwd, env: { NETLAB_CONFIG: "env.json" }, file: "flag.json" }).participants[0].id).toBe("from-flag");
  });

  it("refuses a named config file that does not exist", () => {
    const cwd = tempDir();
    expect(() => loadConfig({ cwd, env: { NETLAB_CONFIG: "missing.json" } })).toThrow(`The config file ${join(cwd, "missing.json")} does not exist`);
  });

  it("refuses a file that is not JSON, naming it", () => {
    const cwd = tempDir();
    writeFileSync(join(cwd, "netlab.config.json"), "{ region: ");
    expect(() => loadConfig({ cwd, env: {} })).toThrow(`${join(cwd, "netlab.config.json")} is not valid JSON`);
  });
});

describe("findParticipant", () => {
  it("lists the valid ids when the lab is unknown", () => {
    const c = parseConfig({ participants: [{ id: "s01" }, { id: "s02" }] });
    expect(() => findParticipant(c, "s03")).toThrow('Unknown lab "s03"; the config lists: s01, s02.');
    expect(findParticipant(c, "s02").id).toBe("s02");
  });
});

describe("netlab.config.example.json", () => {
  it("is a valid config", () => {
    // GIVEN the example shipped in the README / WHEN parsed / THEN it is accepted as is
    const example = JSON.parse(require("node:fs").readFileSync(join(__dirname, "../../netlab.config.example.json"), "utf8"));
    expect(parseConfig(example).participants.map((p) => p.id)).toEqual(["s01", "s02"]);
  });
});
