import { InputError } from '@backstage/errors';
import { PayloadTooLargeError } from '../http/errors';
import { WorkerPool, WorkersUnavailableError } from './WorkerPool';
import {
  failingTask,
  sumTask,
  threadIdTask,
  waitTask,
} from './__testUtils__/tasks';
import { threadId } from 'worker_threads';

jest.setTimeout(60_000);

describe('WorkerPool', () => {
  let pool: WorkerPool;
  afterEach(async () => {
    await pool?.close();
  });

  it('runs a task on a worker thread and answers with its output', async () => {
    pool = new WorkerPool({ threads: 1 });
    await expect(pool.run(sumTask, [1, 2, 3])).resolves.toBe(6);
    const ran = await pool.run(threadIdTask, undefined);
    expect(ran).not.toBe(threadId);
  });

  it('runs a task on the event loop when its input is under the threshold', async () => {
    pool = new WorkerPool({ threads: 1, inThreadBytes: 1024 });
    await expect(
      pool.run(threadIdTask, undefined, { bytes: 1024 }),
    ).resolves.toBe(threadId);
    await expect(
      pool.run(threadIdTask, undefined, { bytes: 1025 }),
    ).resolves.not.toBe(threadId);
  });

  it('rebuilds the errors a task throws, so they are answered with the same status', async () => {
    pool = new WorkerPool({ threads: 1 });
    const input = await pool
      .run(failingTask, {
        name: 'InputError',
        message: 'Item 1 (event) is not valid JSON',
      })
      .catch(error => error);
    expect(input).toBeInstanceOf(InputError);
    expect(input.message).toBe('Item 1 (event) is not valid JSON');
    const large = await pool
      .run(failingTask, { name: 'PayloadTooLargeError', message: 'too large' })
      .catch(error => error);
    expect(large).toBeInstanceOf(PayloadTooLargeError);
    expect(large.statusCode).toBe(413);
    const other = await pool
      .run(failingTask, { name: 'TypeError', message: 'boom' })
      .catch(error => error);
    expect(other.name).toBe('TypeError');
    expect(other.message).toBe('boom');
    // The thread is still there for the next task.
    await expect(pool.run(sumTask, [4])).resolves.toBe(4);
  });

  it('queues tasks for the busy threads, and answers 503 once the queue is full', async () => {
    pool = new WorkerPool({ threads: 1, maxQueued: 1 });
    const shared = new Int32Array(new SharedArrayBuffer(4));
    const first = pool.run(waitTask, shared);
    const second = pool.run(sumTask, [2, 2]);
    const refused = await pool.run(sumTask, [1]).catch(error => error);
    expect(refused).toBeInstanceOf(WorkersUnavailableError);
    expect(refused.statusCode).toBe(503);
    expect(refused.retryAfterSeconds).toBe(1);
    expect(refused.message).toMatch(
      /busy parsing 2 large requests; retry shortly/,
    );
    // Let the first task finish: the queued one runs after it.
    Atomics.store(shared, 0, 1);
    Atomics.notify(shared, 0);
    await expect(first).resolves.toBe('released');
    await expect(second).resolves.toBe(4);
  });

  it('rejects what is still waiting when it closes, and runs nothing after', async () => {
    pool = new WorkerPool({ threads: 1, maxQueued: 4 });
    const shared = new Int32Array(new SharedArrayBuffer(4));
    const running = pool.run(waitTask, shared).catch(error => error);
    const waiting = pool.run(sumTask, [1]).catch(error => error);
    await pool.close();
    expect((await running).message).toBe('Product OS is shutting down');
    expect((await waiting).statusCode).toBe(503);
    await expect(pool.run(sumTask, [1])).rejects.toThrow(
      'Product OS is shutting down',
    );
  });
});
