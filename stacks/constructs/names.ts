/** Terraform logical ids from plan names: stable, readable, unique within a stack. */
export function logicalId(...parts: string[]): string {
  return parts
    .join("_")
    .replace(/[^A-Za-z0-9_]/g, "_")
    .replace(/_+/g, "_");
}

export const nameTag = (name: string): Record<string, string> => ({ Name: name });

/** The tag that marks a resource as one lab's (provider default tag; faults and students' rights follow it). */
export const LAB_TAG = "netlab:lab";
/** The tag that marks a resource as made by netlab. */
export const MANAGED_TAG = "netlab:managed";
