import { threadId } from 'worker_threads';
import { workerTask } from '../workerTask';

/** Tasks for the pool's own tests. */
export const sumTask = workerTask(__filename, 'sum', (numbers: number[]) =>
  numbers.reduce((sum, n) => sum + n, 0),
);

export const threadIdTask = workerTask(
  __filename,
  'threadId',
  (_input: undefined) => threadId,
);

export const failingTask = workerTask(
  __filename,
  'failing',
  (input: { name: string; message: string }): never => {
    const error = new Error(input.message);
    error.name = input.name;
    throw error;
  },
);

/** Holds its thread until the test sets the shared flag (no timer: it waits on the flag). */
export const waitTask = workerTask(__filename, 'wait', (flag: Int32Array) => {
  Atomics.wait(flag, 0, 0);
  return 'released';
});
