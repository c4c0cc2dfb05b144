import '@testing-library/jest-dom';
import { configure } from '@testing-library/react';

// These tests render Material UI in jsdom, which is CPU-bound (a whole entity tab takes 0.2-2 s
// of CPU), and the machine running them may be busy with other work: a 2 s test took 34 s with
// the load at 20 on 2 cores. Jest's 5 s and a `findBy`'s 1 s are wall-clock, so tests failed on
// the clock alone. A wait ends when what it waits for has rendered and a test when it is done;
// these limits only catch a hang.
configure({ asyncUtilTimeout: 60_000 });
jest.setTimeout(120_000);

// jsdom has no ResizeObserver; recharts' ResponsiveContainer needs one to mount.
class NoopResizeObserver {
  observe() {}
  unobserve() {}
  disconnect() {}
}
(globalThis as any).ResizeObserver ??= NoopResizeObserver;
