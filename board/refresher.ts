import type { LabOutcome } from "../cli/context";
import { classifyError } from "../cli/exit-codes";
import type { LabRun, LabState } from "./view";

export interface RefresherOptions {
  labs: readonly { id: string; lang?: "en" | "ko" }[];
  /**
   * One grading run of the whole class. `report` may be called with each lab's grading as soon as it is
   * done, so that the page shows it before slower labs (on AWS, a run waits on SSM) have finished.
   */
  gradeAll: (report: (o: LabOutcome<LabRun>) => void) => Promise<LabOutcome<LabRun>[]>;
  /** The pause between the end of one run and the start of the next. */
  intervalMs: number;
  now?: () => Date;
  /** Test seam for the timer. */
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (t: unknown) => void;
}

export interface RunRecord {
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  labs: number;
  failedLabs: number;
}

/**
 * Re-grades the class on a bounded interval, with never more than one grading run in flight: the next
 * run is scheduled only when the previous one has finished, and a refresh asked for during a run joins
 * that run instead of starting another. A lab whose grading fails keeps its last grades, marked with why.
 */
export class Refresher {
  readonly labs: LabState[];
  private inFlight?: Promise<void>;
  private timer?: unknown;
  private stopped = true;
  private nextAt?: Date;
  lastRun?: RunRecord;
  /** Runs started so far (tests count them). */
  runs = 0;

  constructor(private readonly options: RefresherOptions) {
    this.labs = options.labs.map((l) => ({ id: l.id, ...(l.lang ? { lang: l.lang } : {}) }));
  }

  get grading(): boolean {
    return this.inFlight !== undefined;
  }

  get nextRunAt(): Date | undefined {
    return this.stopped ? undefined : this.nextAt;
  }

  /** Resolves when no grading run is in flight. */
  async settled(): Promise<void> {
    await this.inFlight;
  }

  /** Grades now, then every interval after each run ends, until stop(). */
  start(): Promise<void> {
    this.stopped = false;
    return this.refresh();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== undefined) (this.options.clearTimer ?? ((t) => clearTimeout(t as NodeJS.Timeout)))(this.timer);
    this.timer = undefined;
  }

  /** Runs one grading of the class, or joins the one in flight. */
  refresh(): Promise<void> {
    this.inFlight ??= this.runOnce().finally(() => {
      this.inFlight = undefined;
      this.schedule();
    });
    return this.inFlight;
  }

  private schedule(): void {
    if (this.stopped) return;
    const now = this.now();
    this.nextAt = new Date(now.getTime() + this.options.intervalMs);
    const set = this.options.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
    const t = set(() => {
      this.timer = undefined;
      void this.refresh();
    }, this.options.intervalMs);
    // The board's server keeps the process alive; the timer alone must not.
    (t as { unref?: () => void }).unref?.();
    this.timer = t;
  }

  private now(): Date {
    return this.options.now?.() ?? new Date();
  }

  private async runOnce(): Promise<void> {
    this.runs++;
    const started = this.now();
    let outcomes: LabOutcome<LabRun>[];
    try {
      outcomes = await this.options.gradeAll((o) => this.apply(o, this.now().toISOString()));
    } catch (e) {
      // The whole run failed (the config, the synth): every lab says why, and keeps its last grades.
      const at = this.now().toISOString();
      const { reason } = classifyError(e);
      for (const l of this.labs) l.error = { message: reason, at };
      this.record(started, this.labs.length);
      return;
    }
    const at = this.now().toISOString();
    for (const o of outcomes) this.apply(o, at);
    this.record(started, outcomes.filter((o) => !o.result).length);
  }

  /** One lab's outcome: its new grading, or why it has none (its last grading stays). */
  private apply(o: LabOutcome<LabRun>, at: string): void {
    const lab = this.labs.find((l) => l.id === o.lab);
    if (!lab) return;
    if (o.result) {
      lab.run = o.result;
      delete lab.error;
    } else {
      lab.error = { message: whyNotGraded(o.error, o.lab), at };
    }
  }

  private record(started: Date, failedLabs: number): void {
    const finished = this.now();
    this.lastRun = { startedAt: started.toISOString(), finishedAt: finished.toISOString(), durationMs: finished.getTime() - started.getTime(), labs: this.labs.length, failedLabs };
  }
}

/** The sentence `lab check` prints for a lab it could not grade, without its "failed:"/"error:" prefix. */
export function whyNotGraded(error: unknown, lab: string): string {
  const c = classifyError(error, lab);
  if (c.couldNotRun) return `inconclusive, not graded: ${c.reason}`;
  // A stack trace is for the terminal, not for a projected page: the page keeps its first line.
  return c.reason.split("\n")[0];
}
