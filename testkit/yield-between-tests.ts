// Set up for every test file (vitest.config.ts setupFiles). Many tests run a
// search or a spawned command line synchronously; vitest's worker answers its
// runner only when the event loop turns, and the runner gives up on a worker
// silent for 60 s ("Timeout calling onTaskUpdate"), which fails the whole run.
// Letting the loop turn after each test keeps a file of long synchronous
// tests answering.

import { afterEach } from 'vitest';

afterEach(() => new Promise<void>((resolve) => setImmediate(resolve)));
