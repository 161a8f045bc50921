// A deterministic PRNG (mulberry32) for fuzz tests, so that a failure reproduces from the printed seed.
export interface Rng {
  /** Uniform in [0, 1). */
  next(): number
  pick<T>(items: readonly T[]): T
  int(below: number): number
  bytes(length: number): Buffer
}

export function seededRng(seed: number): Rng {
  let a = seed
  const next = (): number => {
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const int = (below: number): number => Math.floor(next() * below)
  return {
    next,
    int,
    pick: <T>(items: readonly T[]): T => items[int(items.length)]!,
    bytes: (length: number) => Buffer.from(Array.from({ length }, () => int(256))),
  }
}
