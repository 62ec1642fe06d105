import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { checkPrerequisites, mirrorVersions, PROVIDER_SOURCE, PrerequisiteError } from "../../e2e/prerequisites";

function mirrorWith(...versions: string[]): string {
  const root = mkdtempSync(join(tmpdir(), "netlab-mirror-"));
  for (const v of versions) mkdirSync(join(root, PROVIDER_SOURCE, v, "linux_amd64"), { recursive: true });
  return root;
}

/** An executable that prints what `terraform version` prints. */
function fakeTerraform(): string {
  const path = join(mkdtempSync(join(tmpdir(), "netlab-tf-")), "terraform");
  writeFileSync(path, "#!/bin/sh\necho 'Terraform v1.11.4'\n");
  chmodSync(path, 0o755);
  return path;
}

describe("the e2e prerequisites", () => {
  it("names every missing tool and how to get it, and fails rather than skips", async () => {
    // GIVEN a machine without moto's python, terraform and the mirror
    const env = { ...process.env, NETLAB_E2E_PYTHON: "/nonexistent/python3", NETLAB_E2E_TERRAFORM: "/nonexistent/terraform", NETLAB_E2E_PLUGIN_DIR: "/nonexistent/tf-plugins" };
    // WHEN the run checks what it needs
    const error = await checkPrerequisites(env).catch((e: unknown) => e);
    // THEN it throws one error that lists all three
    expect(error).toBeInstanceOf(PrerequisiteError);
    const message = (error as Error).message;
    expect(message).toContain("moto (with its server) for /nonexistent/python3");
    expect(message).toContain("pip install 'moto[server]'");
    expect(message).toContain("terraform: `/nonexistent/terraform version` failed");
    expect(message).toContain(`the offline AWS provider mirror: no ${PROVIDER_SOURCE}/<version>/ under /nonexistent/tf-plugins`);
    expect((error as PrerequisiteError).missing).toHaveLength(3);
  });

  it("names only what is missing: a python without moto", async () => {
    // GIVEN python that cannot import moto (node stands in: it is no python), terraform and a mirror that are there
    const env = { ...process.env, NETLAB_E2E_PYTHON: process.execPath, NETLAB_E2E_TERRAFORM: fakeTerraform(), NETLAB_E2E_PLUGIN_DIR: mirrorWith("5.100.0") };
    // WHEN checked THEN the one missing piece is named
    const error = (await checkPrerequisites(env).catch((e: unknown) => e)) as PrerequisiteError;
    expect(error.missing).toHaveLength(1);
    expect(error.missing[0]).toMatch(/^moto \(with its server\)/);
  });

  it("reads the provider versions a mirror holds, newest last, ignoring what is not a version", () => {
    // GIVEN a mirror with three versions and a stray folder
    const root = mirrorWith("5.9.0", "5.100.0", "5.31.2", "notes");
    // WHEN read THEN the versions sort numerically
    expect(mirrorVersions(root)).toEqual(["5.9.0", "5.31.2", "5.100.0"]);
    expect(mirrorVersions("/nonexistent")).toEqual([]);
  });
});
