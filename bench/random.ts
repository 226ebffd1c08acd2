/**
 * A small seeded random source, so a vault generated from the same seed is the
 * same vault byte for byte on every machine and every run.
 */
export class SeededRandom {
  #state: number;

  constructor(seed: number) {
    // Spread the seed so nearby seeds (1, 2, 3…) start far apart; never zero for xorshift.
    this.#state = mix32(seed >>> 0) || 0x9e3779b9;
  }

  /** A float in [0, 1). */
  next(): number {
    // xorshift32: fast, period 2^32 - 1, plenty for text generation.
    let x = this.#state;
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    this.#state = x;
    return x / 4294967296;
  }

  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }

  /** A child source whose sequence depends only on this seed and `salt`, not on how much was drawn before. */
  fork(salt: number): SeededRandom {
    return new SeededRandom(mix32(this.#state ^ mix32(salt)));
  }
}

/** An integer hash (a few multiply-xorshift rounds) to decorrelate seeds. */
function mix32(value: number): number {
  let h = value >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d) >>> 0;
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * Draws ranks 0..n-1 with probability ∝ 1 / (rank + 1)^exponent: a long tail in
 * which rank 0 is linked from most notes, as hub notes are in real vaults.
 */
export class ZipfSampler {
  readonly #cumulative: Float64Array;

  constructor(n: number, exponent = 1) {
    this.#cumulative = new Float64Array(n);
    let total = 0;
    for (let rank = 0; rank < n; rank++) {
      total += 1 / Math.pow(rank + 1, exponent);
      this.#cumulative[rank] = total;
    }
  }

  sample(random: SeededRandom): number {
    const target = random.next() * this.#cumulative[this.#cumulative.length - 1];
    let low = 0;
    let high = this.#cumulative.length - 1;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.#cumulative[mid] < target) low = mid + 1;
      else high = mid;
    }
    return low;
  }
}
