/**
 * Gives the event loop a turn: resolves from a macrotask (`setImmediate`), so I/O callbacks,
 * timers and other requests run before the caller continues. A resolved promise would not do:
 * its continuation is a microtask, which runs before anything else gets the loop.
 *
 * @public
 */
export function yieldToEventLoop(): Promise<void> {
  return new Promise(resolve => setImmediate(resolve));
}

/**
 * Calls `work` on consecutive slices of `items`, giving the event loop a turn between slices, so
 * that a request carrying tens of thousands of items never holds the loop for all of them.
 *
 * @public
 */
export async function forEachSlice<T>(
  items: readonly T[],
  sliceSize: number,
  work: (slice: T[]) => void | Promise<void>,
): Promise<void> {
  const size = Math.max(1, Math.floor(sliceSize));
  for (let start = 0; start < items.length; start += size) {
    if (start > 0) await yieldToEventLoop();
    await work(items.slice(start, start + size));
  }
}
