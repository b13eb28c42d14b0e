/**
 * A stream of 32-bit seeds (mulberry32) whose whole state is one number, so a checkpoint can store it and a
 * resumed run draws the same seeds as an uninterrupted one. Each epoch draws the seed of its shuffle.
 */
export class SeedStream {
  constructor(private current: number) {
    this.current = current >>> 0;
  }

  get state(): number {
    return this.current;
  }

  next(): number {
    this.current = (this.current + 0x6d2b79f5) >>> 0;
    let t = this.current;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }
}
