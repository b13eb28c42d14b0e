import { GraftError } from '@graft/core';
import type { Threads } from './threads.js';

/** No worker threads (browsers): training stays on the calling thread. */
export const threads: Threads = {
  cores: () => 0,
  start: () => Promise.reject(new GraftError('INVALID_ARGUMENT', 'Training on worker threads needs Node.js; use workers: 1 here.')),
};
