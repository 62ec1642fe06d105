/** Terraform logical ids from plan names: stable, readable, unique within a stack. */
export function logicalId(...parts: string[]): string {
  return parts
    .join("_")
    .replace(/[^A-Za-z0-9_]/g, "_")
    .replace(/_+/g, "_");
}

export const nameTag = (name: string): Record<string, string> => ({ Name: name });
