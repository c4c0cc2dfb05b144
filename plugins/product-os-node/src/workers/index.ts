export * from './workerTask';
export { WorkerPool, WorkersUnavailableError } from './WorkerPool';
export type { WorkerPoolOptions } from './WorkerPool';
