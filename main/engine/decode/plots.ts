// Values over time: each plot follows one rule's decoded field, a series per topic (or per the value of another
// field, a zip code say). Points are taken as messages are captured, only while a plot exists, and sent a few
// times a second; past a rate a chart can show, messages are sampled, not queued.
import type { DecodedValue, DecoderRule, PlotInput, PlotPoints, PlotSummary } from '../../../contract/decoders'
import { EngineError } from '../errors'
import type { ProtoSchemas } from './protobuf-schemas'
import { decodeOne, frameIndex, ruleMatches, topicOf, type RuleSubject } from './rules'
import { scalarOf, valueAt } from './value'

/** Points per plot per second at most: a chart 2,000 px wide shows no more, and decoding costs per point. */
const MAX_POINTS_PER_SECOND = 2000
export const MAX_PLOTS = 16
/** Series per plot at most: a feed with a million topics makes a legend, not a chart. */
const MAX_SERIES = 64

interface Plot {
  summary: PlotSummary
  rule: DecoderRule
  pending: Map<string, { t: number[]; v: number[] }>
  second: number
  taken: number
  /** Matching messages this second, and every how many one is taken (from the last second's count). */
  seen: number
  stride: number
  /** Series keys refused past MAX_SERIES, counted so the page can say so. */
  series: Set<string>
}

export class Plots {
  private readonly plots = new Map<string, Plot>()
  private nextId = 1

  get active(): boolean {
    return this.plots.size > 0
  }

  list(): PlotSummary[] {
    return [...this.plots.values()].map((p) => p.summary)
  }

  add(input: PlotInput, rule: DecoderRule): PlotSummary {
    if (this.plots.size >= MAX_PLOTS) throw new EngineError('LIMIT', `${MAX_PLOTS} plots are open; close one first`)
    if (rule.decoder.kind === 'sequence') {
      throw new EngineError('INVALID_REQUEST', 'a sequence rule counts gaps; plot a field of a decoded frame instead')
    }
    const summary: PlotSummary = { plotId: `plot${this.nextId++}`, label: input.path.join('.'), ...input }
    this.plots.set(summary.plotId, {
      summary,
      rule,
      pending: new Map(),
      second: 0,
      taken: 0,
      seen: 0,
      stride: 1,
      series: new Set(),
    })
    return summary
  }

  remove(plotId: string): void {
    if (!this.plots.delete(plotId)) throw new EngineError('INVALID_REQUEST', `no plot ${plotId}`)
  }

  /** A rule went: its plots go with it. */
  ruleRemoved(ruleId: string): boolean {
    let removed = false
    for (const [id, plot] of this.plots) if (plot.rule.ruleId === ruleId && this.plots.delete(id)) removed = true
    return removed
  }

  captured(subject: RuleSubject, wall: number, schemas: ProtoSchemas): void {
    const second = Math.floor(wall / 1000)
    for (const plot of this.plots.values()) {
      if (!ruleMatches(plot.rule, subject)) continue
      if (plot.second !== second) {
        // Evenly spread over the second, not its first 2,000: the stride follows the last second's rate.
        plot.stride = plot.second === second - 1 ? Math.max(1, Math.ceil(plot.seen / MAX_POINTS_PER_SECOND)) : 1
        plot.second = second
        plot.taken = 0
        plot.seen = 0
      }
      if (plot.seen++ % plot.stride !== 0 || plot.taken >= MAX_POINTS_PER_SECOND) continue
      const frame = frameIndex(plot.rule, subject.frames.length)
      if (frame === undefined) continue
      const decoded = decodeOne(plot.rule, frame, subject.frames[frame]!, schemas)
      if (decoded.kind !== 'decoded') continue
      const value = numberOf(valueAt(decoded.value, plot.summary.path))
      if (value === undefined) continue
      const key = this.keyOf(plot, decoded.value, topicOf(subject.frames, frame))
      if (key === undefined) continue
      plot.taken++
      let points = plot.pending.get(key)
      if (points === undefined) plot.pending.set(key, (points = { t: [], v: [] }))
      points.t.push(wall)
      points.v.push(value)
    }
  }

  /** The points taken since the last call, emptied. */
  take(): PlotPoints[] {
    const out: PlotPoints[] = []
    for (const plot of this.plots.values()) {
      for (const [key, points] of plot.pending) out.push({ plotId: plot.summary.plotId, key, ...points })
      plot.pending.clear()
    }
    return out
  }

  private keyOf(plot: Plot, value: DecodedValue, topic: string): string | undefined {
    const by = plot.summary.seriesBy
    const key = by === undefined ? topic : String(scalarOf(valueAt(value, by) ?? { t: 'null' }) ?? '')
    if (plot.series.has(key)) return key
    if (plot.series.size >= MAX_SERIES) return undefined
    plot.series.add(key)
    return key
  }
}

function numberOf(value: DecodedValue | undefined): number | undefined {
  if (value === undefined) return undefined
  const scalar = scalarOf(value)
  if (typeof scalar === 'number') return Number.isFinite(scalar) ? scalar : undefined
  if (typeof scalar === 'boolean') return scalar ? 1 : 0
  if (typeof scalar === 'string' && scalar.trim() !== '' && Number.isFinite(Number(scalar))) return Number(scalar)
  return undefined
}
