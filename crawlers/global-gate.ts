/**
 * GlobalGate: at most `concurrency` requests in flight over all hosts. A host that finds the gate full leaves a
 * callback and is handed a place, first come first served, as soon as one is left — synchronously, no promise.
 */
export class GlobalGate {
  readonly concurrency: number;
  private inFlight = 0;
  private readonly waiting: (() => void)[] = [];
  private head = 0;

  constructor(concurrency: number) {
    this.concurrency = Math.max(1, Math.floor(concurrency));
  }

  /** Places taken (requests in flight). */
  get active(): number {
    return this.inFlight;
  }

  /** Take a place now (true), or have `onPlace` called once one is handed over (false: the place is then taken). */
  enter(onPlace: () => void): boolean {
    if (this.inFlight < this.concurrency && this.head === this.waiting.length) {
      this.inFlight++;
      return true;
    }
    this.waiting.push(onPlace);
    return false;
  }

  /** Give a place back: to the longest waiting, if any. */
  leave(): void {
    if (this.head < this.waiting.length) {
      const next = this.waiting[this.head++];
      if (this.head === this.waiting.length) this.waiting.length = this.head = 0;
      next();
      return;
    }
    this.inFlight--;
  }
}
