import { BoundedConcurrency } from './bounded-concurrency';

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((done) => (resolve = done));
  return { promise, resolve };
}

describe('BoundedConcurrency', () => {
  it('runs up to the concurrency, queues up to the limit, refuses the rest without running them', async () => {
    const queue = new BoundedConcurrency(2, 1);
    const gates = [deferred(), deferred(), deferred()];
    const started: number[] = [];
    const task = (i: number) => () => {
      started.push(i);
      return gates[i].promise.then(() => i);
    };
    const results = [queue.run(task(0))!, queue.run(task(1))!, queue.run(task(2))!];
    const refused = queue.run(() => Promise.reject(new Error('must not run')));
    expect(refused).toBeNull();
    expect(started).toEqual([0, 1]);
    expect(queue.stats).toEqual({ running: 2, waiting: 1 });

    gates[0].resolve();
    await results[0];
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).toEqual([0, 1, 2]);
    gates[1].resolve();
    gates[2].resolve();
    await expect(Promise.all(results)).resolves.toEqual([0, 1, 2]);
    expect(queue.stats).toEqual({ running: 0, waiting: 0 });
  });

  it('frees the slot when a task fails', async () => {
    const queue = new BoundedConcurrency(1, 0);
    await expect(queue.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(queue.run(() => Promise.resolve('next'))).resolves.toBe('next');
  });
});
