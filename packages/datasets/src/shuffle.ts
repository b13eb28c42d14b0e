import { seededRandom } from '@graft/core';

/** The indices 0..size-1 in a seeded Fisher–Yates order. */
export function shuffledIndices(size: number, seed: number): Uint32Array {
  const order = new Uint32Array(size);
  for (let i = 0; i < size; i++) order[i] = i;
  // core's seededRandom is mulberry32: the orders (and the tests that pin them) are the same as before.
  const random = seededRandom(seed);
  for (let i = size - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const swap = order[i] as number;
    order[i] = order[j] as number;
    order[j] = swap;
  }
  return order;
}

/** A seed for a shuffle nobody seeded. */
export function randomSeed(): number {
  return Math.floor(Math.random() * 4294967296);
}
