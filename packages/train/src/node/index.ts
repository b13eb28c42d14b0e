// Node.js-only parts of @graft/train (file IO); the main entry imports nothing Node-only.
export { checkpointFolder } from './checkpoint-folder.js';
export { startReplicaPool, ReplicaPool } from '../parallel/pool.js';
export type { ReplicaPoolOptions, PoolStep } from '../parallel/pool.js';
