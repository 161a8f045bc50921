// How the bench summarises interleaved runs: the median decides the verdict, the range shows how noisy it was.
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2
}

export interface Spread {
  median: number
  min: number
  max: number
  runs: number[]
}

export function spread(values: number[]): Spread {
  return { median: median(values), min: Math.min(...values), max: Math.max(...values), runs: values }
}

/** `0.93 (0.87–0.99, 3 runs)` */
export function spreadText(s: Spread, digits = 2, unit = ''): string {
  const n = (value: number): string => value.toFixed(digits)
  return `${n(s.median)}${unit} (${n(s.min)}–${n(s.max)}${unit}, ${s.runs.length} run${s.runs.length === 1 ? '' : 's'})`
}

export const verdict = (ok: boolean): string => (ok ? 'ok' : 'MISSED')
