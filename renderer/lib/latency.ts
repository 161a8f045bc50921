// Latencies as people read them, and a histogram's buckets as bars. Pure.
import type { LatencyHistogram } from '../../contract/taps'

export function formatMicros(us: number): string {
  if (us < 1000) return `${Math.round(us)} µs`
  if (us < 1_000_000) return `${(us / 1000).toFixed(us < 10_000 ? 2 : 1)} ms`
  return `${(us / 1_000_000).toFixed(2)} s`
}

export function formatWait(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`
}

export interface HistogramBar {
  key: number
  /** "≤ 200 µs", or "> 1.00 s" for the unbounded last bucket. */
  label: string
  count: number
}

/**
 * The buckets worth drawing: from the first that has a count to the last that has one, so a dozen bars show the
 * shape instead of forty mostly empty ones. The last bucket may have no finite bound (JSON has no Infinity, and a
 * histogram may also carry one count more than bounds): either way it reads "> the bound before it".
 */
export function histogramBars(histogram: LatencyHistogram): HistogramBar[] {
  const { boundsUs, counts } = histogram
  const label = (i: number): string => {
    const bound = boundsUs[i]
    if (bound !== undefined && bound !== null && Number.isFinite(bound)) return `≤ ${formatMicros(bound)}`
    const before = boundsUs[i - 1]
    return before === undefined ? 'all' : `> ${formatMicros(before)}`
  }
  const first = counts.findIndex((c) => c > 0)
  if (first < 0) return []
  let last = counts.length - 1
  while (last > first && counts[last] === 0) last--
  const bars: HistogramBar[] = []
  for (let i = first; i <= last; i++) bars.push({ key: i, label: label(i), count: counts[i] ?? 0 })
  return bars
}
