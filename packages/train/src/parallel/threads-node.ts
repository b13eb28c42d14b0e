import { availableParallelism } from 'node:os';
import type { Threads } from './threads.js';
import { startReplicaPool } from './pool.js';

/** Worker threads, where Node.js has them. */
export const threads: Threads = {
  cores: () => availableParallelism(),
  start: startReplicaPool,
};
