/**
 * A counting semaphore for class fan-out. A lab that only waits (SSM polling between calls) gives
 * its slot back while it sleeps, so the bound limits labs doing work, not labs waiting on AWS.
 */
export class Slots {
  private free: number;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly size: number) {
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

  /** Sleeps without holding a slot, then takes one back. */
  async idle(ms: number): Promise<void> {
    this.release();
    await new Promise((r) => setTimeout(r, ms));
    await this.acquire();
  }

  /** How many slots are in use (for tests). */
  get busy(): number {
    return this.size - this.free;
  }
}
