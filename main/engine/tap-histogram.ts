// Request latencies of a request/reply tap: a log-bucketed histogram, O(1) per reply and bounded memory for
// any number of replies. Hand-written: it is small and on the forwarding path (hdr-histogram-js would do the
// same with a WebAssembly module and more than we show). Eight buckets per doubling keep a percentile within
// 9% of the true value; the maximum is exact.
import type { LatencyHistogram } from '../../contract/taps'

const PER_DOUBLING = 8
/** 1 µs .. 2^28 µs (~4.5 min); slower replies land in the last bucket. */
const FINE_BUCKETS = 28 * PER_DOUBLING + 1
/** What the UI draws: a 1-2-5 series from 10 µs to 10 s, then everything slower. */
const SHOWN_BOUNDS_US = [
  10, 20, 50, 100, 200, 500, 1e3, 2e3, 5e3, 1e4, 2e4, 5e4, 1e5, 2e5, 5e5, 1e6, 2e6, 5e6, 1e7,
] as const

function fineIndex(us: number): number {
  if (us <= 1) return 0
  return Math.min(FINE_BUCKETS - 1, Math.ceil(Math.log2(us) * PER_DOUBLING))
}

/** Upper bound of a fine bucket, in µs. */
function fineBound(index: number): number {
  return 2 ** (index / PER_DOUBLING)
}

export class LatencyRecorder {
  private readonly fine = new Float64Array(FINE_BUCKETS)
  private readonly shown = new Float64Array(SHOWN_BOUNDS_US.length + 1)
  private count = 0
  private max = 0

  record(us: number): void {
    this.fine[fineIndex(us)]!++
    let shown = 0
    while (shown < SHOWN_BOUNDS_US.length && us > SHOWN_BOUNDS_US[shown]!) shown++
    this.shown[shown]!++
    this.count++
    if (us > this.max) this.max = us
  }

  /** The smallest bucket bound below which `fraction` of the replies fall, clamped to the exact maximum. */
  percentile(fraction: number): number | null {
    if (this.count === 0) return null
    const rank = Math.max(1, Math.ceil(fraction * this.count))
    let seen = 0
    for (let i = 0; i < FINE_BUCKETS; i++) {
      seen += this.fine[i]!
      if (seen >= rank) return Math.min(fineBound(i), this.max)
    }
    return this.max
  }

  view(): LatencyHistogram {
    return {
      boundsUs: [...SHOWN_BOUNDS_US],
      counts: [...this.shown],
      count: this.count,
      p50Us: this.percentile(0.5),
      p95Us: this.percentile(0.95),
      p99Us: this.percentile(0.99),
      maxUs: this.count === 0 ? null : this.max,
    }
  }
}
