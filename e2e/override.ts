/** What the harness changes in a synthesized stack so that Terraform deploys it into the emulator. */
export interface EmulatorOverride {
  /** The emulator's endpoint, e.g. http://127.0.0.1:4566. */
  endpoint: string;
  /** The provider version the offline mirror holds (the stacks pin a newer one that cannot be fetched here). */
  providerVersion: string;
}

/** The services the stacks create resources in, or read data sources from. */
export const EMULATED_SERVICES = ["cloudwatch", "ec2", "elbv2", "iam", "logs", "route53", "sns", "ssm", "sts"] as const;
/** Keys that no AWS account can verify: moto accepts any. Not a secret. */
export const EMULATOR_CREDENTIALS = { access_key: "emulator", secret_key: "emulator" } as const;

type Json = Record<string, unknown>;

/**
 * The stack's Terraform JSON with its AWS provider pointed at the emulator: the mirror's provider
 * version, every service endpoint at the emulator, dummy credentials, and the checks that need the real
 * AWS (credentials, account id, metadata API, region list) skipped. Nothing else changes: the participant's
 * profile or role is replaced by the dummy keys, everything else of the provider (region, default tags)
 * and every resource, data source and output is kept as synthesized. Returns a new object.
 */
export function applyEmulatorOverride(stack: Json, override: EmulatorOverride): Json {
  if (!/^https?:\/\/[^/]+$/.test(override.endpoint)) throw new Error(`The emulator endpoint "${override.endpoint}" is not a URL such as http://127.0.0.1:4566.`);
  if (!/^\d+\.\d+\.\d+$/.test(override.providerVersion)) throw new Error(`The provider version "${override.providerVersion}" is not a version such as 5.100.0.`);
  const out = structuredClone(stack) as Json & { terraform?: Json; provider?: { aws?: Json[] } };
  const providers = (out.terraform?.required_providers as Record<string, Json> | undefined) ?? {};
  if (!providers.aws || !out.provider?.aws?.length) throw new Error("The stack has no AWS provider to point at the emulator.");
  providers.aws.version = override.providerVersion;
  out.provider.aws = out.provider.aws.map((p) => {
    const { profile: _profile, assume_role: _assumeRole, ...kept } = p;
    return {
      ...kept,
      ...EMULATOR_CREDENTIALS,
      skip_credentials_validation: true,
      skip_requesting_account_id: true,
      skip_metadata_api_check: true,
      skip_region_validation: true,
      endpoints: [Object.fromEntries(EMULATED_SERVICES.map((s) => [s, override.endpoint]))],
    };
  });
  return out;
}
