/*
 * The code a pool thread runs (evaluated, so that it needs no file of its own in the build). It
 * requires a task's module once, finds the exported task by name, runs it and posts the output,
 * or the error's name, message and HTTP status so that the event loop can answer as if it had
 * run the task itself.
 *
 * A task module that is TypeScript source (development and tests) needs the same transform the
 * backend runs with; a thread inherits `--require` from the process (`backstage-cli package
 * start`), but not Jest's, so the host passes the transform's path for the thread to register
 * when `.ts` files are not yet loadable.
 */
export const WORKER_THREAD_SOURCE = `
const { parentPort, workerData } = require('worker_threads');
const tasks = new Map();
function taskOf(module, name) {
  const key = module + '#' + name;
  let task = tasks.get(key);
  if (!task) {
    if (module.endsWith('.ts') && !require.extensions['.ts'] && workerData.transform)
      require(workerData.transform);
    const exported = require(module);
    task = Object.values(exported).find(
      value => value && value.module === module && value.name === name && typeof value.run === 'function',
    );
    if (!task) throw new Error('No worker task ' + name + ' is exported by ' + module);
    tasks.set(key, task);
  }
  return task;
}
parentPort.on('message', ({ id, module, name, input }) => {
  Promise.resolve()
    .then(() => taskOf(module, name).run(input))
    .then(
      output => parentPort.postMessage({ id, output }),
      error =>
        parentPort.postMessage({
          id,
          error: {
            name: String((error && error.name) || 'Error'),
            message: String((error && error.message) || error),
            statusCode: error && typeof error.statusCode === 'number' ? error.statusCode : undefined,
            retryAfterSeconds:
              error && typeof error.retryAfterSeconds === 'number' ? error.retryAfterSeconds : undefined,
          },
        }),
    );
});
`;

/** An error as a pool thread reports it. */
export interface ThreadError {
  name: string;
  message: string;
  statusCode?: number;
  retryAfterSeconds?: number;
}

/** What a pool thread posts back for a task. */
export interface ThreadAnswer {
  id: number;
  output?: unknown;
  error?: ThreadError;
}
