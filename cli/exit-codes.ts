import { ConfigError } from "../config/config";
import { UnknownResourceError } from "../cloud/model-lookup";
import { SimLockedError, SimStateError } from "../cloud/sim/state-store";
import { TopologyError } from "../topology/validate";
import { classifyAwsError, IncompleteDescribeError, isUnreachable } from "../cloud/aws/errors";

/** The same for every verb (DESIGN.md, "Exit codes"). */
export const EXIT = {
  /** Done; all checks pass. */
  OK: 0,
  /** A check failed, or an action was refused. */
  FAILED: 1,
  /** Bad input, configuration or credentials: nothing was changed. */
  USAGE: 2,
  /** Could not tell: a probe could not run, or AWS could not be worked with (throttled, out of reach). */
  INCONCLUSIVE: 3,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** The user's input was wrong: exit 2, and the message names the bad value and the valid choices. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** The action was refused (e.g. a scenario already injected): exit 1, nothing changed. */
export class RefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RefusedError";
  }
}

export interface Classified {
  code: ExitCode;
  /** The sentence to print, with its prefix ("error:", "failed:", "refused:"…). */
  message: string;
  /**
   * AWS could not be worked with (throttled after every retry, out of reach, a service fault, an answer
   * cut short): the action could not be done, through no fault of the input. A verb that grades reports
   * this as inconclusive (exit 3) rather than as a fail.
   */
  couldNotRun: boolean;
  /** The sentence without its prefix. */
  reason: string;
}

/** Exit code and message for an error escaping a command; says whose fault it is. */
export function classifyError(e: unknown, lab?: string): Classified {
  // Duck-typed: an error from another realm (Node's fs inside a jest sandbox) is not `instanceof Error`.
  const err = e instanceof Error || (typeof e === "object" && e !== null && typeof (e as Error).message === "string") ? (e as Error) : new Error(String(e));
  const file = fileSystemError(err);
  if (file !== undefined) return { code: EXIT.USAGE, message: `error: ${file}`, couldNotRun: false, reason: file };
  const aws = err as { $metadata?: unknown; name?: string };
  if (aws.$metadata !== undefined || isUnreachable(err) || err instanceof IncompleteDescribeError || /Credentials|ExpiredToken|AccessDenied|UnauthorizedOperation|Throttl|RequestLimitExceeded/.test(aws.name ?? "")) {
    const r = classifyAwsError(err, lab ?? "?");
    return { code: r.exitCode, message: `${r.exitCode === EXIT.USAGE ? "error" : "inconclusive"}: ${r.message}`, couldNotRun: r.exitCode === EXIT.INCONCLUSIVE, reason: r.message };
  }
  const userErrors = ["UsageError", "ConfigError", "TopologyError", "UnknownResourceError", "UnknownScenarioError", "SimStateError", "AwsConfigError", "ScopeError", "SynthError", "UnknownEndpointError", "CorruptLedgerError", "DescribeShapeError"];
  if (err instanceof UsageError || err instanceof ConfigError || err instanceof TopologyError || err instanceof UnknownResourceError || err instanceof SimStateError || userErrors.includes(err.name)) {
    return { code: EXIT.USAGE, message: `error: ${err.message}`, couldNotRun: false, reason: err.message };
  }
  if (err instanceof RefusedError || err instanceof SimLockedError || err.name === "LedgerConflictError") {
    return { code: EXIT.FAILED, message: `refused: ${err.message}`, couldNotRun: false, reason: err.message };
  }
  const reason = `netlab internal error (not your input; please report it): ${err.stack ?? err.message}`;
  return { code: EXIT.FAILED, message: reason, couldNotRun: false, reason };
}

const FILE_REASONS: Record<string, string> = {
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  ENOTDIR: "a part of the path is a file, not a folder",
  EEXIST: "a file is already there",
  EISDIR: "it is a folder, not a file",
  ENOENT: "no such file or folder",
  EROFS: "the file system is read-only",
  ENOSPC: "no space left on the device",
  EDQUOT: "the disk quota is used up",
  ENAMETOOLONG: "the name is too long",
  ELOOP: "too many symbolic links",
};

/**
 * A file the user's machine would not let netlab read or write (the lock, --out, --state-dir…): one
 * sentence naming the path and the reason, for an exit 2. Node's fs errors carry `path` and `syscall`;
 * network errors (connect, getaddrinfo) carry an address instead and are not matched.
 */
function fileSystemError(err: Error): string | undefined {
  const e = err as NodeJS.ErrnoException;
  if (typeof e.path !== "string" || typeof e.code !== "string" || typeof e.syscall !== "string") return undefined;
  const reason = FILE_REASONS[e.code] ?? e.message;
  return `Cannot use ${e.path}: ${reason} (${e.code} on ${e.syscall}). This is the file system's answer, not a netlab bug: fix the path or its permissions, or choose another path.`;
}
