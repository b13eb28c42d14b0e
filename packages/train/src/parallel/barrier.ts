/**
 * The replicas meet twice per step (all gradients written; all averages written). They block on a shared
 * Int32Array with Atomics rather than exchanging messages, so a step costs no round trip through the main thread.
 * A failing replica (or the main thread, when a worker dies) raises the abort flag and wakes everyone, so nobody
 * waits forever for a replica that will never arrive.
 */

const COUNT = 0;
const GENERATION = 1;
const ABORTED = 2;
const SLOTS = 3;

/** Shared state of one pool's barrier. */
export interface BarrierState {
  readonly cells: Int32Array;
  readonly parties: number;
}

/** Raised in a replica whose barrier was aborted by another. */
export class BarrierAborted extends Error {
  constructor() {
    super('another training replica failed');
  }
}

/** A fresh barrier for `parties` threads, in shared memory. */
export function createBarrier(parties: number): BarrierState {
  return { cells: new Int32Array(new SharedArrayBuffer(SLOTS * Int32Array.BYTES_PER_ELEMENT)), parties };
}

/**
 * Blocks until all `parties` threads have called it (for this generation).
 *
 * @throws BarrierAborted when the barrier is (or becomes) aborted.
 */
export function arriveAndWait(barrier: BarrierState): void {
  const { cells, parties } = barrier;
  if (Atomics.load(cells, ABORTED) !== 0) throw new BarrierAborted();
  const generation = Atomics.load(cells, GENERATION);
  if (Atomics.add(cells, COUNT, 1) === parties - 1) {
    Atomics.store(cells, COUNT, 0);
    Atomics.add(cells, GENERATION, 1);
    Atomics.notify(cells, GENERATION);
    return;
  }
  while (Atomics.load(cells, GENERATION) === generation) {
    if (Atomics.load(cells, ABORTED) !== 0) throw new BarrierAborted();
    Atomics.wait(cells, GENERATION, generation);
  }
  if (Atomics.load(cells, ABORTED) !== 0) throw new BarrierAborted();
}

/** Wakes every waiting replica with {@link BarrierAborted}; later arrivals fail at once. */
export function abortBarrier(barrier: BarrierState): void {
  Atomics.store(barrier.cells, ABORTED, 1);
  // Bumping the generation releases waiters even if they loaded it just before the flag was set.
  Atomics.add(barrier.cells, GENERATION, 1);
  Atomics.notify(barrier.cells, GENERATION);
}
