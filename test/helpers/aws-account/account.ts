import type { AwsStub } from "aws-sdk-client-mock";
import { createHash } from "node:crypto";
import type { AwsDescribeOutputs } from "../../../network/from-aws-describe";
import type { InstanceState, Snapshot } from "../../../network/snapshot";
import { snapshotToDescribe } from "../../../network/to-aws-describe";
import { awsError } from "./errors";
import type { LogGroup } from "./logs";

/** What a call does: reads the account, changes the lab (EC2, ELBv2, Route 53, SSM commands), or writes the ledger. */
export type CallKind = "read" | "change" | "ledger";

export interface RecordedCall {
  command: string;
  input: unknown;
  kind: CallKind;
  /** When the call was made, by the account's clock (ms). */
  at: number;
}

/** How the next lab-changing call fails: an API error (nothing applied), or the process dies once AWS applied it. */
export type FaultMode = "api-error" | "process-dies";

/**
 * The state of one mocked AWS account and what was done to it. `state` holds every resource in the
 * account (the labs seeded into it, and anything foreign); describe calls read it, mutations change it.
 */
export class Account {
  readonly calls = new Map<string, number>();
  readonly log: RecordedCall[] = [];
  /** The VPCs that DescribeVpcs marks `IsDefault` (the region's default VPC). */
  readonly defaultVpcIds = new Set<string>();
  /** CloudWatch Logs groups (not part of a snapshot: no describe call of the lab's network shows them). */
  readonly logGroups: LogGroup[] = [];
  private cached?: AwsDescribeOutputs;
  private fault?: { after: number; mode: FaultMode; died: () => void };
  private changedSinceArmed = 0;
  /** Instances on their way to a state: how many more describe reads show the intermediate one. */
  private readonly transitions = new Map<string, { to: InstanceState; reads: number }>();

  constructor(
    public state: Snapshot,
    readonly now: () => number,
    readonly accountId: string,
    /** Describe reads an instance spends in `stopping` / `pending` before it reaches its state. */
    readonly transitionReads: number,
  ) {}

  /** The account as AWS's describe calls show it (cached until the next change). */
  describe(): AwsDescribeOutputs {
    if (!this.cached) {
      const out = snapshotToDescribe(this.state);
      for (const v of out.Vpcs?.Vpcs ?? []) v.IsDefault = this.defaultVpcIds.has(v.VpcId ?? "");
      this.cached = out;
    }
    return this.cached;
  }

  changed(): void {
    this.cached = undefined;
  }

  record(command: string, input: unknown, kind: CallKind): void {
    this.calls.set(command, (this.calls.get(command) ?? 0) + 1);
    this.log.push({ command, input: structuredClone(input), kind, at: this.now() });
  }

  /**
   * Runs a lab-changing call: `apply` validates first (throwing the AWS error) and changes the state
   * only when it succeeds. An armed fault fails the call: `api-error` before anything changes,
   * `process-dies` after AWS applied it, with an answer that never comes.
   */
  async mutate<T>(apply: () => T, invalidate = true): Promise<T> {
    const fault = this.fault;
    if (fault && this.changedSinceArmed === fault.after) {
      this.fault = undefined;
      // The SDK retried a 5xx and gave up: what the caller sees after every retry failed.
      if (fault.mode === "api-error") throw awsError("InternalError", "An internal error has occurred (injected by the test after the armed number of changes).", 500);
      apply();
      this.changed();
      fault.died();
      return new Promise<T>(() => undefined);
    }
    const out = apply();
    this.changedSinceArmed++;
    if (invalidate) this.changed();
    return out;
  }

  /** Arms a fault on the lab-changing call that comes after `after` more successful ones. Resolves when the process "dies". */
  failAfter(after: number, mode: FaultMode): Promise<void> {
    this.changedSinceArmed = 0;
    return new Promise<void>((died) => (this.fault = { after, mode, died }));
  }

  /** Clears a fault that did not fire. */
  disarm(): void {
    this.fault = undefined;
  }

  /** Puts an instance in `via` (stopping, pending) on its way to `to`, for `transitionReads` describe reads. */
  moveInstance(id: string, via: InstanceState, to: InstanceState): void {
    const inst = this.state.instances.find((i) => i.id === id);
    if (!inst) return;
    if (this.transitionReads === 0) inst.state = to;
    else {
      inst.state = via;
      this.transitions.set(id, { to, reads: this.transitionReads });
    }
  }

  /** A describe read: instances in transition get one read closer to their state. */
  settleInstances(): void {
    for (const [id, t] of this.transitions) {
      if (t.reads > 0) {
        t.reads--;
        continue;
      }
      const inst = this.state.instances.find((i) => i.id === id);
      if (inst) inst.state = t.to;
      this.transitions.delete(id);
      this.changed();
    }
  }

  /** Calls of one kind recorded so far. */
  callsOf(kind: CallKind): RecordedCall[] {
    return this.log.filter((c) => c.kind === kind);
  }
}

/** A command class of any client. */
export type CommandClass = { name: string };

/**
 * The calls one client answers, by command class. One dispatcher on the client's `send` stub (rather
 * than a sinon matcher per command) keeps each call cheap; a call with no handler fails loudly.
 */
export class Router {
  private readonly handlers = new Map<unknown, (input: never) => Promise<unknown>>();

  constructor(readonly service: string) {}

  on<I>(command: CommandClass, handler: (input: I) => Promise<unknown>): void {
    this.handlers.set(command, handler as (input: never) => Promise<unknown>);
  }

  attach(stub: AwsStub<any, any, any>): void {
    stub.send.callsFake(async (command: { constructor: CommandClass; input: unknown }) => {
      const handler = this.handlers.get(command.constructor);
      if (!handler) throw awsError("NotImplementedInMock", `The mocked ${this.service} does not implement ${command.constructor.name}.`);
      return handler((command.input ?? {}) as never);
    });
  }
}

/** Registers a read (or, with kind `ledger`, a Parameter Store write): recorded, then answered from the account. */
export function onRead<I>(router: Router, account: Account, command: CommandClass, answer: (input: I) => object | Promise<object>, kind: CallKind = "read"): void {
  router.on<I>(command, async (input) => {
    account.record(command.name.replace(/Command$/, ""), input, kind);
    return answer(input);
  });
}

/**
 * Registers a lab-changing call: recorded, then applied through `account.mutate` (fault injection).
 * `invalidate: false` for a call that says itself when it changed the state (a probe changes nothing).
 */
export function onChange<I>(router: Router, account: Account, command: CommandClass, apply: (input: I, s: Snapshot) => object, invalidate = true): void {
  router.on<I>(command, async (input) => {
    account.record(command.name.replace(/Command$/, ""), input, "change");
    return account.mutate(() => apply(input, account.state), invalidate);
  });
}

/** Finds one item or throws the AWS error `code`. */
export function findOr<T>(items: readonly T[], match: (t: T) => boolean, code: string, what: string): T {
  const found = items.find(match);
  if (!found) throw awsError(code, `The ${what} does not exist`);
  return found;
}

/** Deterministic hex for the ids of what the account creates (rules, flow logs). */
export const hex = (seed: string, n = 17) => createHash("sha256").update(seed).digest("hex").slice(0, n);
