/** What a server process counts of the events it was sent. */
export interface ServerCounts {
  /** Events stored (or, for the bare servers, parsed). */
  events: number;
  /** Events counted in their groups. */
  counted: number;
  groups: number;
}

/**
 * Answers the benchmark's IPC questions (`cpu`, `stats`, `stop`) for a server process
 * (backend.ts, floorServer.ts, bareServer.ts), the same way for each.
 */
export function answerServerMessages(options: {
  counts: () => Promise<ServerCounts>;
  stop: () => Promise<void>;
}) {
  process.on('message', async (message: any) => {
    if (message.cmd === 'cpu') {
      // Only the CPU used so far: cheap, for measuring a stretch of reads.
      process.send!({ cmd: 'cpu', cpuMicros: cpuMicros() });
    } else if (message.cmd === 'stats') {
      const counts = await options.counts();
      process.send!({
        cmd: 'stats',
        ...counts,
        maxRssBytes: process.resourceUsage().maxRSS * 1024,
        cpuMicros: cpuMicros(),
        heapUsedBytes: heapUsedAfterGc(),
      });
    } else if (message.cmd === 'stop') {
      await options.stop();
      process.exit(0);
    }
  });
}

/** The live heap, measured after a full collection when the process runs with --expose-gc. */
function heapUsedAfterGc(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed;
}

/** CPU time this process has used, user and system, in microseconds. */
function cpuMicros(): number {
  const { user, system } = process.cpuUsage();
  return user + system;
}
