import type { TfResource } from "./terraform-refs";

/** Readers of resolved Terraform values: a non-empty string, a boolean, a list (a single value becomes one), strings. */
export const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);
export const bool = (v: unknown, fallback: boolean): boolean => (typeof v === "boolean" ? v : fallback);
export const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined || v === null ? [] : [v]);
export const strings = (v: unknown): string[] => list(v).map(String);
/** `Stack netlab-s01-core: aws_vpc.x`, for error messages. */
export const where = (r: TfResource): string => `Stack ${r.stack}: ${r.type}.${r.name}`;

/** IANA protocol numbers the EC2 API also accepts for the usual protocols. */
const PROTOCOL_NUMBERS: Record<string, string> = { "6": "tcp", "17": "udp", "1": "icmp", all: "-1" };

export function normalizeProtocol(value: unknown): string {
  const p = String(value ?? "-1").toLowerCase();
  return PROTOCOL_NUMBERS[p] ?? p;
}
