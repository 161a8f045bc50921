// Plot data held in the page: one bounded ring of (time, value) per series, filled from `plot-points` events, and
// uPlot's aligned table for the window on screen. Plain objects, not state: a point must not wake Svelte, the
// plots store bumps one version a frame instead.
import type { PlotPoints } from '../../contract/decoders'

/** Points kept per series: ten minutes at 33 points a second; older ones go first. */
export const SERIES_CAPACITY = 20_000
/** Points older than this (behind the plot's newest) go, whatever the capacity. */
export const SERIES_MAX_AGE_MS = 10 * 60_000
/** Rings start small and double: 64 series of a plot that never gets busy should not hold 20,000 slots each. */
const INITIAL_SLOTS = 256

export const PLOT_WINDOWS = [
  { ms: 30_000, label: 'last 30 s' },
  { ms: 120_000, label: 'last 2 min' },
  { ms: 600_000, label: 'last 10 min' },
] as const
export type PlotWindowMs = (typeof PLOT_WINDOWS)[number]['ms']
export const DEFAULT_WINDOW_MS: PlotWindowMs = 30_000

export interface SeriesRing {
  readonly key: string
  /** Wall clock ms, non-decreasing from the oldest (at `head`) on. */
  t: Float64Array
  v: Float64Array
  head: number
  size: number
}

export interface PlotSeriesSet {
  readonly capacity: number
  readonly maxAgeMs: number
  /** In the order series first appeared: the legend keeps it. A series that aged out empty stays listed. */
  readonly series: Map<string, SeriesRing>
  /** The newest point's time, -Infinity before any. */
  latest: number
  /** Points merged since the set was made (kept or since dropped). */
  received: number
}

export function createSeriesSet(capacity = SERIES_CAPACITY, maxAgeMs = SERIES_MAX_AGE_MS): PlotSeriesSet {
  return { capacity, maxAgeMs, series: new Map(), latest: -Infinity, received: 0 }
}

const at = (ring: SeriesRing, i: number): number => (ring.head + i) % ring.t.length

function grow(ring: SeriesRing, capacity: number): void {
  const slots = Math.min(capacity, ring.t.length * 2)
  const t = new Float64Array(slots)
  const v = new Float64Array(slots)
  for (let i = 0; i < ring.size; i++) {
    t[i] = ring.t[at(ring, i)]!
    v[i] = ring.v[at(ring, i)]!
  }
  ring.t = t
  ring.v = v
  ring.head = 0
}

function push(ring: SeriesRing, capacity: number, time: number, value: number): void {
  if (ring.size === ring.t.length && ring.size < capacity) grow(ring, capacity)
  // A wall clock stepped back: the point is drawn at the previous time, so the x values stay sorted for uPlot.
  const t = ring.size > 0 ? Math.max(time, ring.t[at(ring, ring.size - 1)]!) : time
  if (ring.size === ring.t.length) {
    ring.t[ring.head] = t
    ring.v[ring.head] = value
    ring.head = (ring.head + 1) % ring.t.length
    return
  }
  const i = at(ring, ring.size)
  ring.t[i] = t
  ring.v[i] = value
  ring.size++
}

/** One event's points for one series, merged; points past the age bound go from every series of the plot. */
export function mergePoints(set: PlotSeriesSet, points: Pick<PlotPoints, 'key' | 't' | 'v'>): void {
  const count = Math.min(points.t.length, points.v.length)
  if (count === 0) return
  let ring = set.series.get(points.key)
  if (!ring) {
    const slots = Math.min(set.capacity, INITIAL_SLOTS)
    ring = { key: points.key, t: new Float64Array(slots), v: new Float64Array(slots), head: 0, size: 0 }
    set.series.set(points.key, ring)
  }
  for (let i = 0; i < count; i++) {
    push(ring, set.capacity, points.t[i]!, points.v[i]!)
    set.latest = Math.max(set.latest, points.t[i]!)
  }
  set.received += count
  const oldest = set.latest - set.maxAgeMs
  for (const other of set.series.values()) {
    while (other.size > 0 && other.t[other.head]! < oldest) {
      other.head = (other.head + 1) % other.t.length
      other.size--
    }
  }
}

/** The first logical index whose time is >= `time` (size if none). */
function lowerBound(ring: SeriesRing, time: number): number {
  let lo = 0
  let hi = ring.size
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (ring.t[at(ring, mid)]! < time) lo = mid + 1
    else hi = mid
  }
  return lo
}

/** Points of each series within [from, to], as logical index ranges. */
function spans(set: PlotSeriesSet, from: number, to: number): { ring: SeriesRing; lo: number; hi: number }[] {
  return [...set.series.values()].map((ring) => ({ ring, lo: lowerBound(ring, from), hi: lowerBound(ring, to + 1e-9) }))
}

export type AlignedColumns = [number[], ...(number | null)[][]]

export interface AlignedWindow {
  keys: string[]
  /** uPlot's table: x in seconds (the union of the series' times), then one column per series, null where absent. */
  data: AlignedColumns
  /** Points of all series inside the window. */
  points: number
  /**
   * 0 when every point is drawn; else the width of the time buckets the window was cut into (more points than
   * the chart has pixels): each bucket shows each series' minimum then maximum, so peaks survive.
   */
  bucketMs: number
}

/** The aligned table for [from, to] (ms), at most `maxColumns` x values. */
export function alignedWindow(set: PlotSeriesSet, from: number, to: number, maxColumns = 4000): AlignedWindow {
  const keys = [...set.series.keys()]
  if (!Number.isFinite(from) || !Number.isFinite(to) || to < from) {
    return { keys, data: [[], ...keys.map(() => [])], points: 0, bucketMs: 0 }
  }
  const ranges = spans(set, from, to)
  const points = ranges.reduce((sum, r) => sum + (r.hi - r.lo), 0)
  // More points than columns: the union of times would be at least as long, so bucket without sorting them.
  if (points > maxColumns) return bucketed(keys, ranges, from, to, Math.max(1, Math.floor(maxColumns / 2)), points)
  const all = new Float64Array(points)
  let n = 0
  for (const { ring, lo, hi } of ranges) for (let i = lo; i < hi; i++) all[n++] = ring.t[at(ring, i)]!
  all.sort()
  let unique = 0
  for (let i = 0; i < all.length; i++) if (i === 0 || all[i] !== all[unique - 1]) all[unique++] = all[i]!
  const xs = all.subarray(0, unique)
  const columns = ranges.map(({ ring, lo, hi }) => {
    const column: (number | null)[] = new Array<number | null>(unique).fill(null)
    let j = 0
    for (let i = lo; i < hi; i++) {
      const t = ring.t[at(ring, i)]!
      while (xs[j]! < t) j++
      column[j] = ring.v[at(ring, i)]!
    }
    return column
  })
  return { keys, data: [Array.from(xs, (t) => t / 1000), ...columns], points, bucketMs: 0 }
}

function bucketed(
  keys: string[],
  ranges: { ring: SeriesRing; lo: number; hi: number }[],
  from: number,
  to: number,
  buckets: number,
  points: number,
): AlignedWindow {
  const width = Math.max(1e-9, (to - from) / buckets)
  const used = new Uint8Array(buckets)
  const extremes = ranges.map(({ ring, lo, hi }) => {
    const min = new Float64Array(buckets).fill(NaN)
    const max = new Float64Array(buckets).fill(NaN)
    // Physical slots walked in order (wrapping once): this loop sees every point of a busy ten-minute window.
    const slots = ring.t.length
    for (let i = lo, p = at(ring, lo); i < hi; i++, p = p + 1 === slots ? 0 : p + 1) {
      const b = Math.min(buckets - 1, Math.floor((ring.t[p]! - from) / width))
      const v = ring.v[p]!
      used[b] = 1
      if (!(v >= min[b]!)) min[b] = v
      if (!(v <= max[b]!)) max[b] = v
    }
    return { min, max }
  })
  const xs: number[] = []
  const columns = ranges.map((): (number | null)[] => [])
  for (let b = 0; b < buckets; b++) {
    if (!used[b]) continue
    const start = from + b * width
    xs.push(start / 1000, (start + width / 2) / 1000)
    extremes.forEach(({ min, max }, s) => {
      const lo = min[b]!
      columns[s]!.push(Number.isNaN(lo) ? null : lo, Number.isNaN(lo) ? null : max[b]!)
    })
  }
  return { keys, data: [xs, ...columns], points, bucketMs: width }
}

export interface SeriesLast {
  key: string
  /** Undefined when the series holds no point now (all aged out). */
  last: { t: number; v: number } | undefined
  held: number
}

export function lastValues(set: PlotSeriesSet): SeriesLast[] {
  return [...set.series.values()].map((ring) => ({
    key: ring.key,
    held: ring.size,
    last: ring.size > 0 ? { t: ring.t[at(ring, ring.size - 1)]!, v: ring.v[at(ring, ring.size - 1)]! } : undefined,
  }))
}

/** A value as the summary reads it: whole numbers whole, the rest to six significant digits. */
export function formatValue(value: number): string {
  return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(6)))
}

/** A series' legend name: its key, or the plot's label for the one series of a plot without keys. */
export function seriesLabel(key: string, plotLabel: string): string {
  return key === '' ? plotLabel : key
}

export type Rgb = [number, number, number]

/** `rgb(r, g, b)` / `rgba(…)` as getComputedStyle spells a colour; undefined for anything else. */
export function parseRgb(text: string): Rgb | undefined {
  const match = /^rgba?\(\s*([\d.]+)[\s,]+([\d.]+)[\s,]+([\d.]+)/.exec(text.trim())
  return match ? [Number(match[1]), Number(match[2]), Number(match[3])] : undefined
}

const mix = (a: Rgb, b: Rgb): Rgb => [0, 1, 2].map((i) => Math.round((a[i]! + b[i]!) / 2)) as Rgb
const css = (c: Rgb): string => `rgb(${c[0]}, ${c[1]}, ${c[2]})`

/**
 * Series colours from the theme's own (accent, ok, warn, bad), then their pairwise mixes: eight readable in
 * whichever theme gave the bases. Series past eight repeat them with a dash (see `seriesDash`).
 */
export function seriesPalette(bases: Rgb[]): string[] {
  if (bases.length === 0) return ['currentColor']
  const mixes: Rgb[] = []
  for (let i = 0; i < bases.length; i++) mixes.push(mix(bases[i]!, bases[(i + 1) % bases.length]!))
  return [...bases, ...(bases.length > 1 ? mixes : [])].map(css)
}

export function seriesDash(index: number, paletteSize: number): number[] | undefined {
  const round = Math.floor(index / Math.max(1, paletteSize)) % 3
  return round === 0 ? undefined : round === 1 ? [6, 3] : [2, 3]
}
