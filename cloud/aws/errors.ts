/** Configuration or credentials the tool cannot use: exit 2, nothing changed. */
export class AwsConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "AwsConfigError";
  }
}

/** A mutation of a resource that is not the lab's own: always refused. */
export class ScopeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ScopeError";
  }
}

/** AWS answered only part of a list and offered no way to read the rest: the lab cannot be read whole. */
export class IncompleteDescribeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "IncompleteDescribeError";
  }
}

const CREDENTIALS = ["CredentialsProviderError", "CredentialsError"];
const EXPIRED = ["ExpiredToken", "ExpiredTokenException", "RequestExpired", "InvalidClientTokenId", "UnrecognizedClientException"];
const DENIED = ["AccessDenied", "AccessDeniedException", "UnauthorizedOperation", "UnauthorizedAccess"];
const THROTTLED = ["Throttling", "ThrottlingException", "RequestLimitExceeded", "TooManyRequestsException", "ThrottledException"];
/** Node's network errors (by `code`) and the SDK's timeouts (by name): AWS was out of reach for a while. */
const UNREACHABLE_CODES = ["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH", "ENETDOWN"];
const UNREACHABLE_NAMES = ["TimeoutError", "RequestTimeout", "RequestTimeoutException", "NetworkingError"];

/** The error says AWS could not be reached (a network fault or timeout), not that the request was wrong. */
export function isUnreachable(err: unknown): boolean {
  const e = err as { name?: string; code?: string } | undefined;
  return UNREACHABLE_CODES.includes(e?.code ?? "") || UNREACHABLE_NAMES.includes(e?.name ?? "");
}

/**
 * One sentence saying what to do, and the exit code: 2 for the user's setup (credentials, access,
 * region), 3 otherwise: AWS could not be worked with (throttled, out of reach, a fault, an answer cut
 * short), so netlab cannot tell what it was asked (a grade, what is left, whether a change went in).
 * The same rule for every verb (README, "Exit codes").
 */
export function classifyAwsError(err: unknown, lab: string): { exitCode: 2 | 3; message: string } {
  const e = err as { name?: string; message?: string; Code?: string; code?: string };
  const name = e?.name ?? e?.Code ?? e?.code ?? "";
  const detail = e?.message ?? String(err);
  if (CREDENTIALS.includes(name) || /Could not load credentials|credential/i.test(detail) && name !== "AccessDenied") {
    return { exitCode: 2, message: `No AWS credentials for lab ${lab}: set "profile" or "roleArn" for it in netlab.config.json, or log in (aws sso login / aws configure). (${detail})` };
  }
  if (EXPIRED.includes(name)) return { exitCode: 2, message: `The AWS credentials for lab ${lab} have expired or are not valid: refresh them (aws sso login, or new keys) and run the command again. (${name})` };
  if (DENIED.includes(name)) return { exitCode: 2, message: `Access denied in lab ${lab}'s account: the identity used needs the netlab instructor permissions (${detail}).` };
  if (THROTTLED.includes(name)) return { exitCode: 3, message: `AWS kept throttling lab ${lab} after every retry; run the command again for this lab (--lab ${lab}), or lower "concurrency" in netlab.config.json.` };
  if (isUnreachable(err)) return { exitCode: 3, message: `AWS could not be reached for lab ${lab} (${e?.code ?? name}) after every retry: run the command again for this lab (--lab ${lab}) once the network is back.` };
  if (err instanceof IncompleteDescribeError) return { exitCode: 3, message: err.message };
  if (name === "UnknownEndpoint" || /getaddrinfo|ENOTFOUND/.test(detail)) return { exitCode: 2, message: `AWS could not be reached for lab ${lab}: check the region in netlab.config.json and the network. (${detail})` };
  if (err instanceof AwsConfigError || err instanceof ScopeError) return { exitCode: 2, message: (err as Error).message };
  return { exitCode: 3, message: `AWS error in lab ${lab}: ${name ? `${name}: ` : ""}${detail}` };
}
