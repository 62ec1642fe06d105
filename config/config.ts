import { existsSync, readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { z } from "zod";
import { DEFAULT_REGION } from "../topology/lab";

/** Regions with a dated price table and a tested AZ layout. */
export const SUPPORTED_REGIONS = ["ap-northeast-2", "us-east-1"] as const;
export const DEFAULT_CONFIG_FILE = "netlab.config.json";
export const PARTICIPANT_ID_PATTERN = /^[a-z0-9-]{1,20}$/;
export const DEFAULT_PARTICIPANT_ID = "s01";
export const STACK_VARIANTS = ["core", "natinstance"] as const;
/** An AWS region name: ap-northeast-2, us-east-1, us-gov-west-1… */
export const REGION_PATTERN = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;

/** A configuration the tool cannot use. The message names the field and the bad value. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConfigError";
  }
}

const participantSchema = z
  .object({
    id: z.string().regex(PARTICIPANT_ID_PATTERN, "must be 1–20 characters of a-z, 0-9 and -"),
    profile: z.string().min(1).optional(),
    roleArn: z
      .string()
      .regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@\/-]+$/, "must be an IAM role ARN (arn:aws:iam::123456789012:role/Name)")
      .optional(),
    /** Student's language for reports. */
    lang: z.enum(["en", "ko"]).optional(),
  })
  .strict()
  .refine((p) => !(p.profile && p.roleArn), { message: "set either profile or roleArn, not both" });

const backendSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("local") }).strict(),
  z
    .object({
      type: z.literal("s3"),
      bucket: z.string().min(3),
      /** Folder of the state objects in the bucket: `<keyPrefix>/netlab-<id>-<variant>.tfstate`; "" for none. */
      keyPrefix: z
        .string()
        .regex(/^(?!\/)(.*[^/])?$/, 'must not start or end with "/" (use "" for no prefix)')
        .default("netlab"),
      /** The bucket's region. @default the lab's region */
      region: z.string().regex(REGION_PATTERN, "must be an AWS region name such as ap-northeast-2").optional(),
    })
    .strict(),
]);

const configSchema = z
  .object({
    region: z.enum(SUPPORTED_REGIONS).default(DEFAULT_REGION),
    participants: z
      .array(participantSchema)
      .min(1, "must list at least one participant")
      .default([{ id: DEFAULT_PARTICIPANT_ID }]),
    variants: z.array(z.enum(STACK_VARIANTS)).min(1, "must name at least one variant").default([...STACK_VARIANTS]),
    terraformBackend: backendSchema.default({ type: "local" }),
    /** Maximum labs worked on at once by --all. */
    concurrency: z.number().int().min(1).max(50).default(10),
  })
  .strict()
  .superRefine((c, ctx) => {
    const seen = new Set<string>();
    c.participants.forEach((p, i) => {
      if (seen.has(p.id)) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["participants", i, "id"], message: `duplicate participant id "${p.id}"` });
      seen.add(p.id);
    });
    // One AWS account per participant: two labs in one account and region would collide on the
    // names of their ALB, target group, CPU alarm and flow-log group.
    for (const field of ["profile", "roleArn"] as const) {
      const first = new Map<string, string>();
      c.participants.forEach((p, i) => {
        const value = p[field];
        if (value === undefined) return;
        const other = first.get(value);
        if (other !== undefined) {
          ctx.addIssue({
            code: z.ZodIssueCode.custom,
            path: ["participants", i, field],
            message: `participants "${other}" and "${p.id}" share this ${field}, but each participant needs an AWS account of its own (their ALBs, target groups, alarms and log groups would collide)`,
          });
        }
        first.set(value, other ?? p.id);
      });
    }
    c.variants.forEach((v, i) => {
      if (c.variants.indexOf(v) !== i) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["variants", i], message: `names "${v}" twice; list each of ${STACK_VARIANTS.map((x) => `"${x}"`).join(", ")} at most once` });
    });
  });

export type NetlabConfig = z.infer<typeof configSchema>;
export type Participant = NetlabConfig["participants"][number];
export type TerraformBackendConfig = NetlabConfig["terraformBackend"];

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = input;
  for (const k of path) {
    if (v === null || typeof v !== "object") return undefined;
    v = (v as Record<PropertyKey, unknown>)[k];
  }
  return v;
}

function formatIssue(issue: z.ZodIssue, input: unknown, source: string): string {
  const path = issue.path.length ? issue.path.join(".") : "(top level)";
  if (issue.code === z.ZodIssueCode.unrecognized_keys) {
    return `${source}: unknown field${issue.keys.length > 1 ? "s" : ""} ${issue.keys.map((k) => `"${k}"`).join(", ")} at ${path}; valid fields are region, participants, variants, terraformBackend, concurrency (participants: id, profile, roleArn, lang).`;
  }
  const value = valueAt(input, issue.path);
  const shown = value === undefined ? "missing" : JSON.stringify(value);
  let message = issue.message;
  if (issue.code === z.ZodIssueCode.invalid_enum_value) message = `must be one of ${issue.options.map((o) => `"${String(o)}"`).join(", ")}`;
  return `${source}: field "${path}" is ${shown}: ${message}.`;
}

/** Validates a parsed config object. Throws ConfigError naming the field and the value. */
export function parseConfig(input: unknown, source = DEFAULT_CONFIG_FILE): NetlabConfig {
  const result = configSchema.safeParse(input ?? {});
  if (!result.success) throw new ConfigError(formatIssue(result.error.issues[0], input, source));
  return result.data;
}

export interface LoadConfigOptions {
  /** Explicit file (--config). */
  file?: string;
  /** Where a relative --config or NETLAB_CONFIG starts. @default process.cwd() */
  cwd?: string;
  /** The project root, which holds the default file. @default cwd */
  root?: string;
  /** @default process.env */
  env?: Readonly<Record<string, string | undefined>>;
}

/** The path in force: --config, else NETLAB_CONFIG (both relative to cwd), else netlab.config.json in the project root. */
export function configPath(options: LoadConfigOptions = {}): { path: string; explicit: boolean } {
  const cwd = options.cwd ?? process.cwd();
  const env = options.env ?? process.env;
  if (options.file) return { path: resolve(cwd, options.file), explicit: true };
  if (env.NETLAB_CONFIG) return { path: resolve(cwd, env.NETLAB_CONFIG), explicit: true };
  return { path: resolve(options.root ?? cwd, DEFAULT_CONFIG_FILE), explicit: false };
}

/** Reads and validates the config; no default file → the defaults; a named file that is missing is an error. */
export function loadConfig(options: LoadConfigOptions = {}): NetlabConfig {
  const { path, explicit } = configPath(options);
  if (!existsSync(path)) {
    if (explicit) throw new ConfigError(`The config file ${path} does not exist (named by --config or NETLAB_CONFIG).`);
    return parseConfig({});
  }
  if (statSync(path).isDirectory()) throw new ConfigError(`The config file ${path} is a folder, not a file${explicit ? " (named by --config or NETLAB_CONFIG)" : ""}; give the JSON file, such as ${join(path, DEFAULT_CONFIG_FILE)}.`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, "utf8"));
  } catch (e) {
    throw new ConfigError(`${path} is not valid JSON: ${(e as Error).message}.`);
  }
  return parseConfig(parsed, path);
}

/** The participant with this id, or a ConfigError listing the valid ids. */
export function findParticipant(config: NetlabConfig, id: string): Participant {
  const p = config.participants.find((x) => x.id === id);
  if (!p) throw new ConfigError(`Unknown lab "${id}"; the config lists: ${config.participants.map((x) => x.id).join(", ")}.`);
  return p;
}
