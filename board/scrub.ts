/**
 * What must never reach the board's page: AWS account ids and credentials. A participant's account id
 * (in an ARN of an error message, a target group ARN in evidence…) is not the instructor's to project,
 * and the board cannot tell the instructor's own account from a participant's without a call to STS, so
 * every account id is masked. Applied to every string of every API response, the diagram included.
 */
const RULES: readonly [RegExp, string][] = [
  // Access key ids (long-term AKIA, temporary ASIA) and the other IAM unique-id prefixes.
  [/\b(?:AKIA|ASIA|AIDA|AROA|AIPA|ANPA|ANVA|APKA|AGPA)[A-Z0-9]{16}\b/g, "<redacted-key-id>"],
  // Session tokens and other long base64 blobs.
  [/[A-Za-z0-9+/=]{100,}/g, "<redacted-token>"],
  // Secret access keys: 40 characters of base64.
  [/(?<![A-Za-z0-9+/=])[A-Za-z0-9+/]{40}(?![A-Za-z0-9+/=])/g, "<redacted-secret>"],
  // The account in an ARN: arn:partition:service:region:ACCOUNT:resource.
  [/(arn:aws[a-z-]*:[a-z0-9-]*:[a-z0-9-]*:)\d{12}(?=:)/g, "$1<account>"],
  // A bare 12-digit account id ("account 123456789012", "123456789012.dkr…").
  [/(?<![\w-])\d{12}(?![\w-])/g, "<account>"],
];

export function scrub(text: string): string {
  let out = text;
  for (const [pattern, replacement] of RULES) out = out.replace(pattern, replacement);
  return out;
}

/** JSON of a value with every string scrubbed. */
export function scrubbedJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === "string" ? scrub(v) : v));
}
