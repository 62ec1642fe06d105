import { sleepAtLeast } from "../cloud/sleep";

/** A lab's wait between SSM polls: never shorter than asked (see sleepAtLeast). */
const realSleep = (ms: number) => sleepAtLeast(ms);

/**
 * A counting semaphore for class fan-out: at most `size` labs hold a slot at once. A lab holds its
 * slot through a LabSlot, which gives it back while the lab only waits (SSM polling between calls),
 * so the bound limits labs doing work, not labs waiting on AWS.
 */
export class Slots {
  private free: number;
  private readonly waiting: (() => void)[] = [];

  constructor(
    readonly size: number,
    /** How a lab waits while idle (tests pass a fake clock). */
    readonly sleep: (ms: number) => Promise<void> = realSleep,
  ) {
    if (!Number.isInteger(size) || size < 1) throw new Error(`Concurrency must be a whole number of at least 1; got ${size}.`);
    this.free = size;
  }

  async acquire(): Promise<void> {
    if (this.free > 0) {
      this.free--;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.free++;
  }

  /** One lab's hold on (at most) one slot. */
  forLab(): LabSlot {
    return new LabSlot(this);
  }

  /** How many slots are in use (for tests). */
  get busy(): number {
    return this.size - this.free;
  }
}

/**
 * A lab's one slot. However many of the lab's tasks wait at once, idle() gives back only this slot (if
 * the lab holds it) and the first task to wake takes it back once; the others share that taking.
 * A lab should poll from one loop: while one of its tasks sleeps, the slot is free for another lab.
 */
export class LabSlot {
  private held = false;
  private closed = false;
  private taking?: Promise<void>;

  constructor(private readonly slots: Slots) {}

  /** Takes the lab's slot, unless it already holds it (concurrent callers share one acquisition). */
  async acquire(): Promise<void> {
    if (this.held || this.closed) return;
    this.taking ??= this.slots.acquire().then(() => {
      this.taking = undefined;
      if (this.closed) this.slots.release();
      else this.held = true;
    });
    await this.taking;
  }

  /** Gives the lab's slot back, if it holds it. */
  release(): void {
    if (!this.held) return;
    this.held = false;
    this.slots.release();
  }

  /** Waits `ms` without holding the lab's slot, then takes it back. */
  async idle(ms: number): Promise<void> {
    this.release();
    await this.slots.sleep(ms);
    await this.acquire();
  }

  /** The lab is done: the slot is given back, and a task that wakes later does not take it again. */
  close(): void {
    this.closed = true;
    this.release();
  }
}
