/**
 * A CPU-bound step of a source module (parsing and mapping a large body) that the
 * host may run on a worker thread instead of the event loop. Input and output cross threads by
 * structured clone, so they must be plain data; the output should be small (mapped records, not
 * the parsed body), since reading it back runs on the event loop.
 *
 * @public
 */
export interface WorkerTask<I, O> {
  /**
   * The file that exports this task, which a worker thread requires to find it: the defining
   * file's own `__filename`, so that it is the source file in development and the built one in
   * production.
   */
  readonly module: string;
  /** Unique among the tasks `module` exports. */
  readonly name: string;
  readonly run: (input: I) => O | Promise<O>;
}

/**
 * Defines a {@link WorkerTask}. Export the result from the file named by `module`:
 *
 * ```ts
 * export const readEventTask = workerTask(__filename, 'readEvent', readEvent);
 * ```
 *
 * @public
 */
export function workerTask<I, O>(
  module: string,
  name: string,
  run: (input: I) => O | Promise<O>,
): WorkerTask<I, O> {
  return { module, name, run };
}

/** How a task's input is to be run. @public */
export interface WorkerRunOptions {
  /**
   * The size of what the task will parse, in bytes. Below the host's threshold the task runs on
   * the event loop at once (a thread's round trip would cost more than the work), above it on a
   * worker thread. Without it, the task always runs on a thread.
   */
  bytes?: number;
}

/**
 * The host's worker threads, shared by every source module: a small pool with a bounded queue.
 * When the queue is full, `run` rejects with a 503 that asks the sender to retry shortly.
 *
 * @public
 */
export interface ProductOsWorkers {
  run<I, O>(
    task: WorkerTask<I, O>,
    input: I,
    options?: WorkerRunOptions,
  ): Promise<O>;
}
