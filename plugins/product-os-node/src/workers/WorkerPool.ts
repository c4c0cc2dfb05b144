import {
  AuthenticationError,
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import { availableParallelism } from 'os';
import { Worker } from 'worker_threads';
import { PayloadTooLargeError, TooManyRequestsError } from '../http/errors';
import type {
  ProductOsWorkers,
  WorkerRunOptions,
  WorkerTask,
} from './workerTask';
import {
  ThreadAnswer,
  ThreadError,
  WORKER_THREAD_SOURCE,
} from './workerThread';

/**
 * Bytes below which a task runs on the event loop: the worst JSON for `JSON.parse` (many small
 * keys) parses at some 30 MB/s on a loaded machine, so 64 KiB holds the loop for about 2 ms,
 * less than a thread's round trip costs in latency.
 */
export const DEFAULT_IN_THREAD_BYTES = 64 * 1024;
/** Tasks that may wait for a thread; past it, requests are answered 503. */
export const DEFAULT_MAX_QUEUED = 32;

/** Options of {@link WorkerPool}. @public */
export interface WorkerPoolOptions {
  /** Threads at most, started as tasks arrive. Default: one less than the CPUs, 1 to 4. */
  threads?: number;
  /** Tasks that may wait for a thread (default 32). */
  maxQueued?: number;
  /** See {@link WorkerRunOptions.bytes} (default 64 KiB). */
  inThreadBytes?: number;
}

/**
 * Every thread is busy and the queue is full, or the backend is shutting down (503): the sender
 * should retry shortly.
 *
 * @public
 */
export class WorkersUnavailableError extends ServiceUnavailableError {
  statusCode = 503;
  readonly retryAfterSeconds = 1;
}

interface Job {
  id: number;
  task: WorkerTask<unknown, unknown>;
  input: unknown;
  resolve(output: unknown): void;
  reject(error: Error): void;
}

interface Thread {
  worker: Worker;
  job?: Job;
}

/** Errors a thread may report, rebuilt so that the host answers with the same status. */
const ERROR_CLASSES: Record<string, new (message: string) => Error> = {
  InputError,
  AuthenticationError,
  NotAllowedError,
  NotFoundError,
  ConflictError,
  PayloadTooLargeError,
  TooManyRequestsError,
};

/**
 * The host's worker threads, on which source modules parse and map large bodies so that no
 * request holds the event loop for long (see {@link ProductOsWorkers}). Threads start when the
 * first task needs one and stay until {@link WorkerPool.close}, which the host calls on shutdown;
 * they are unref'd, so a script that forgets to close does not hang once its work is done.
 *
 * @public
 */
export class WorkerPool implements ProductOsWorkers {
  private readonly maxThreads: number;
  private readonly maxQueued: number;
  private readonly inThreadBytes: number;
  private readonly threads: Thread[] = [];
  private readonly queue: Job[] = [];
  private jobs = 0;
  private closed = false;

  constructor(options: WorkerPoolOptions = {}) {
    this.maxThreads = Math.max(
      1,
      Math.floor(
        options.threads ?? Math.min(4, Math.max(1, availableParallelism() - 1)),
      ),
    );
    this.maxQueued = Math.max(0, options.maxQueued ?? DEFAULT_MAX_QUEUED);
    this.inThreadBytes = options.inThreadBytes ?? DEFAULT_IN_THREAD_BYTES;
  }

  async run<I, O>(
    task: WorkerTask<I, O>,
    input: I,
    options: WorkerRunOptions = {},
  ): Promise<O> {
    if (options.bytes !== undefined && options.bytes <= this.inThreadBytes)
      return task.run(input);
    if (this.closed)
      throw new WorkersUnavailableError('Product OS is shutting down');
    return new Promise<O>((resolve, reject) => {
      const job: Job = {
        id: ++this.jobs,
        task: task as WorkerTask<unknown, unknown>,
        input,
        resolve: resolve as (output: unknown) => void,
        reject,
      };
      const thread = this.idleThread();
      if (thread) {
        this.start(thread, job);
        return;
      }
      if (this.queue.length >= this.maxQueued) {
        reject(
          new WorkersUnavailableError(
            `Product OS is busy parsing ${
              this.threads.length + this.queue.length
            } large requests; retry shortly`,
          ),
        );
        return;
      }
      this.queue.push(job);
    });
  }

  /** Stops the threads; tasks still waiting or running are rejected with a 503. */
  async close(): Promise<void> {
    this.closed = true;
    const stopping = new WorkersUnavailableError('Product OS is shutting down');
    for (const job of this.queue.splice(0)) job.reject(stopping);
    const threads = this.threads.splice(0);
    await Promise.all(
      threads.map(async thread => {
        thread.job?.reject(stopping);
        thread.job = undefined;
        await thread.worker.terminate();
      }),
    );
  }

  private idleThread(): Thread | undefined {
    const idle = this.threads.find(thread => !thread.job);
    if (idle) return idle;
    if (this.threads.length >= this.maxThreads) return undefined;
    const thread = this.spawn();
    this.threads.push(thread);
    return thread;
  }

  private spawn(): Thread {
    const worker = new Worker(WORKER_THREAD_SOURCE, {
      eval: true,
      workerData: { transform: sourceTransform() },
    });
    worker.unref();
    const thread: Thread = { worker };
    worker.on('message', (answer: ThreadAnswer) => {
      const job = thread.job;
      if (!job || job.id !== answer.id) return;
      thread.job = undefined;
      if (answer.error) job.reject(rebuildError(answer.error));
      else job.resolve(answer.output);
      this.next(thread);
    });
    const lost = (error: Error) => {
      const index = this.threads.indexOf(thread);
      if (index < 0) return;
      this.threads.splice(index, 1);
      thread.job?.reject(error);
      thread.job = undefined;
      // The waiting tasks get a new thread.
      const next = this.queue.shift();
      if (next) {
        const replacement = this.idleThread();
        if (replacement) this.start(replacement, next);
        else this.queue.unshift(next);
      }
    };
    worker.on('error', error =>
      lost(error instanceof Error ? error : new Error(String(error))),
    );
    worker.on('exit', code =>
      lost(new Error(`A Product OS worker thread exited (code ${code})`)),
    );
    return thread;
  }

  private start(thread: Thread, job: Job) {
    thread.job = job;
    thread.worker.ref();
    thread.worker.postMessage({
      id: job.id,
      module: job.task.module,
      name: job.task.name,
      input: job.input,
    });
  }

  private next(thread: Thread) {
    const job = this.queue.shift();
    if (job) {
      this.start(thread, job);
      return;
    }
    // Idle threads do not keep the process alive.
    thread.worker.unref();
  }
}

function rebuildError(reported: ThreadError): Error {
  const ErrorClass = ERROR_CLASSES[reported.name];
  const error: Error & { statusCode?: number; retryAfterSeconds?: number } =
    ErrorClass ? new ErrorClass(reported.message) : new Error(reported.message);
  if (!ErrorClass) {
    error.name = reported.name;
    if (reported.statusCode !== undefined)
      error.statusCode = reported.statusCode;
  }
  if (reported.retryAfterSeconds !== undefined)
    error.retryAfterSeconds = reported.retryAfterSeconds;
  return error;
}

/**
 * The transform that makes TypeScript source loadable, when this package runs as source
 * (development and tests); undefined when built.
 */
function sourceTransform(): string | undefined {
  if (!__filename.endsWith('.ts')) return undefined;
  try {
    return require.resolve('@backstage/cli/config/nodeTransform.cjs');
  } catch {
    return undefined;
  }
}
