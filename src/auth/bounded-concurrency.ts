/**
 * At most `concurrency` tasks run at once and at most `maxWaiting` wait (first come, first
 * served); a task arriving beyond that is refused at once, without running. A few lines rather than
 * a dependency: none of the installed packages offers it.
 */
export class BoundedConcurrency {
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(
    readonly concurrency: number,
    readonly maxWaiting: number,
  ) {}

  /** The task's promise, or null when every slot and every place in the queue is taken. */
  run<T>(task: () => Promise<T>): Promise<T> | null {
    if (this.running < this.concurrency) return this.start(task);
    if (this.waiting.length >= this.maxWaiting) return null;
    return new Promise<void>((resolve) => this.waiting.push(resolve)).then(() => this.start(task));
  }

  get stats(): { running: number; waiting: number } {
    return { running: this.running, waiting: this.waiting.length };
  }

  private async start<T>(task: () => Promise<T>): Promise<T> {
    this.running++;
    try {
      return await task();
    } finally {
      this.running--;
      // The slot passes straight to the next waiter, which counts itself in start().
      this.waiting.shift()?.();
    }
  }
}
