import type * as tf from '@tensorflow/tfjs';
import type { ReplicaPool, ReplicaPoolOptions } from './pool.js';

/**
 * What training needs from the runtime to go data-parallel. `train` imports it as `#threads`, which package.json
 * maps to worker threads under Node.js and to a single-thread stand-in elsewhere, so the main entry stays free
 * of Node.js modules.
 */
export interface Threads {
  /** Cores available for replicas; 0 where there are no worker threads. */
  cores(): number;
  start(model: tf.LayersModel, options: ReplicaPoolOptions): Promise<ReplicaPool>;
}
