import type { Snapshot } from "../network/snapshot";
import type { Change } from "./change";

/**
 * What a probe asks an instance to do. On AWS it becomes a shell script run by SSM (curl, getent,
 * ping…) that prints one result line; on the sim the analyzer answers it.
 */
export type ProbeSpec =
  /** GET a URL: `internet` (an egress-IP echo service), `alb` (the lab's ALB), or an ip[:port]. */
  | {
      kind: "http";
      to: "internet" | "alb" | string;
      path?: string;
      timeoutSeconds?: number;
      /** Number of GETs to make (to see which targets an ALB spreads them over). @default 1 */
      requests?: number;
    }
  /** Resolve a name with the VPC's resolver. */
  | { kind: "dns"; name: string }
  /** Open a TCP connection to ip:port. */
  | { kind: "tcp"; host: string; port: number; timeoutSeconds?: number }
  /** One ping. */
  | { kind: "icmp"; host: string; timeoutSeconds?: number }
  /** Read OS state: ip_forward, MASQUERADE (live and saved), CPU load. */
  | { kind: "os-state" };

export interface ProbeRequest {
  /** Instance Name (or id). */
  from: string;
  spec: ProbeSpec;
}

/** What a probe observed. Only the fields relevant to its kind are set. */
export interface ProbeObservation {
  /** http: status code (0 when no response). */
  httpStatus?: number;
  /** http: a fragment of the body (the web tier's page shows instance id, AZ, IP). */
  body?: string;
  /** http through an ALB: the instance ids that served the requests (the web page shows its instance id). */
  servedBy?: string[];
  /** http to internet: the address the far side saw. */
  egressIp?: string;
  /** dns: addresses returned. */
  addresses?: string[];
  /** tcp / icmp: connection or reply made. */
  connected?: boolean;
  /** os-state */
  os?: { ipForward: boolean; masquerade: boolean; masqueradeSaved: boolean; cpuLoad: boolean };
  /** Free text: curl's error, the timeout, etc. */
  error?: string;
}

export type ProbeResult =
  /** The probe ran; `observation` says what it saw (which may be a failure of reachability). */
  | { request: ProbeRequest; ran: true; observation: ProbeObservation; raw?: string }
  /** The probe could not run (instance not Online in SSM, delivery timed out…): inconclusive, never a fail. */
  | { request: ProbeRequest; ran: false; reason: string; raw?: string };

/** A fault's record: the inverses of its changes, written before any change is applied. */
export interface LedgerEntry {
  scenario: string;
  lab: string;
  /** ISO time of the inject. */
  injectedAt: string;
  /** Who injected (user@host), for the class log. */
  by: string;
  /** The forward changes, in the order they are applied. */
  changes: Change[];
  /** inverses[i] undoes changes[i]; reset applies them from last to first. */
  inverses: Change[];
}

export interface Ledger {
  /** All active entries of this lab. */
  list(): Promise<LedgerEntry[]>;
  get(scenario: string): Promise<LedgerEntry | undefined>;
  /** Creates the entry; rejects with LedgerConflictError when one exists (two instructors at once). */
  create(entry: LedgerEntry): Promise<void>;
  remove(scenario: string): Promise<void>;
}

export class LedgerConflictError extends Error {
  constructor(
    readonly lab: string,
    readonly scenario: string,
  ) {
    super(`Scenario "${scenario}" is already injected in lab ${lab}: reset it first (lab reset ${scenario} --lab ${lab}).`);
    this.name = "LedgerConflictError";
  }
}

/** The port every backend implements. The same scenarios and checks run on any of them. */
export interface LabCloud {
  readonly lab: string;
  readonly backend: "sim" | "aws";
  /** A fresh model of the lab. */
  snapshot(): Promise<Snapshot>;
  /**
   * The lab as deployed (its synthesized plan, before any fault or repair): what the steady state is
   * compared with. Undefined when this backend cannot tell (the comparison is then reported as not made).
   */
  baseline?(): Promise<Snapshot>;
  /**
   * A value derived from the baseline alone (its steady state), kept with the lab so that later commands
   * need not derive it again: the sim keeps it in its state file. `key` names what and how it was derived
   * (a version), so a netlab that derives it differently uses another key. Undefined: derive it each time.
   */
  remember?<T>(key: string, derive: () => Promise<T>): Promise<T>;
  /** Applies one change. Throws on failure; never applies half a change. */
  apply(change: Change): Promise<void>;
  /** Runs a batch of probes (on AWS: one SSM command per distinct script for up to 50 instances). */
  probe(requests: readonly ProbeRequest[]): Promise<ProbeResult[]>;
  readonly ledger: Ledger;
  /** Releases locks and clients. */
  close(): Promise<void>;
}
