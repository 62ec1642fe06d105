import { applyEmulatorOverride, EMULATED_SERVICES, EMULATOR_CREDENTIALS } from "../../e2e/override";
import { synthLab } from "../stacks/synth-helpers";

const OVERRIDE = { endpoint: "http://127.0.0.1:4566", providerVersion: "5.100.0" };
/** The provider arguments the override sets, and the ones it removes (the participant's way into its account). */
const SET = ["access_key", "secret_key", "skip_credentials_validation", "skip_requesting_account_id", "skip_metadata_api_check", "skip_region_validation", "endpoints"];
const REMOVED = ["profile", "assume_role"];

function withoutOverriddenFields(tf: any): any {
  const copy = structuredClone(tf);
  delete copy.terraform.required_providers.aws.version;
  copy.provider.aws = copy.provider.aws.map((p: Record<string, unknown>) => Object.fromEntries(Object.entries(p).filter(([k]) => !SET.includes(k) && !REMOVED.includes(k))));
  return copy;
}

describe("the emulator override of a synthesized stack", () => {
  // GIVEN both stacks of a participant reached through a role, and one through a profile (what the override replaces)
  const app = synthLab({
    participants: [
      { id: "s01", roleArn: "arn:aws:iam::123456789012:role/NetlabInstructor" },
      { id: "s02", profile: "netlab-s02" },
    ],
  });

  it.each([...app.stacks.keys()])("changes nothing in %s but the provider's version, endpoints, credentials and skip flags", (name) => {
    const tf = app.stacks.get(name)!.tf;
    // WHEN the override is applied
    const out = applyEmulatorOverride(tf as any, OVERRIDE) as any;
    // THEN with the overridden fields taken out of both, the stack is exactly as synthesized: every resource, data source, output, backend, region and tag
    expect(withoutOverriddenFields(out)).toEqual(withoutOverriddenFields(tf));
    // AND the provider now points every service the stacks use at the emulator, with the mirror's version and no way into a real account
    expect(out.terraform.required_providers.aws.version).toBe("5.100.0");
    const provider = out.provider.aws[0];
    expect(provider.endpoints).toEqual([Object.fromEntries(EMULATED_SERVICES.map((s) => [s, OVERRIDE.endpoint]))]);
    expect(provider).toMatchObject({ ...EMULATOR_CREDENTIALS, skip_credentials_validation: true, skip_requesting_account_id: true, skip_metadata_api_check: true });
    expect(provider.profile).toBeUndefined();
    expect(provider.assume_role).toBeUndefined();
    expect(provider.region).toBe((tf.provider as any).aws[0].region);
    // AND the synthesized input is left as it was
    expect((tf.terraform as any).required_providers.aws.version).not.toBe("5.100.0");
  });

  it("covers every AWS service the stacks create resources in or read data from", () => {
    // GIVEN every resource and data source type of both stacks
    const types = [...app.stacks.values()].flatMap(({ tf }) => [...Object.keys(tf.resource), ...Object.keys(tf.data ?? {})]);
    const serviceOf = (t: string) =>
      /^aws_(vpc|subnet|route|internet|nat|eip|instance|security|ec2|flow|network|default)/.test(t) || t === "aws_availability_zones" || t === "aws_ami"
        ? "ec2"
        : /^aws_(lb|alb)/.test(t)
          ? "elbv2"
          : /^aws_iam/.test(t)
            ? "iam"
            : /^aws_route53/.test(t)
              ? "route53"
              : /^aws_cloudwatch_log/.test(t)
                ? "logs"
                : /^aws_cloudwatch/.test(t)
                  ? "cloudwatch"
                  : /^aws_sns/.test(t)
                    ? "sns"
                    : /^aws_ssm/.test(t)
                      ? "ssm"
                      : /^aws_caller_identity|^aws_partition|^aws_region/.test(t)
                        ? "sts"
                        : `unknown (${t})`;
    // WHEN each is mapped to its service
    const services = new Set(types.map(serviceOf));
    // THEN the override sends each of them to the emulator (a service left out would go to the real AWS)
    for (const s of services) expect(EMULATED_SERVICES).toContain(s);
  });

  it.each([
    ["an endpoint that is not a URL", { ...OVERRIDE, endpoint: "127.0.0.1:4566" }, /endpoint "127\.0\.0\.1:4566" is not a URL/],
    ["a provider version that is not a version", { ...OVERRIDE, providerVersion: "latest" }, /provider version "latest" is not a version/],
  ])("refuses %s, naming it", (_what, override, message) => {
    // GIVEN a synthesized stack WHEN the override has a bad value THEN it throws, naming the value
    expect(() => applyEmulatorOverride(app.stacks.values().next().value!.tf as any, override)).toThrow(message);
  });

  it("refuses a stack without an AWS provider", () => {
    // GIVEN Terraform JSON with no AWS provider WHEN overridden THEN it says so
    expect(() => applyEmulatorOverride({ terraform: { required_providers: {} }, resource: {} }, OVERRIDE)).toThrow(/no AWS provider/);
  });
});
