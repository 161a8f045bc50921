// How the engine meets its decoders: rules and .proto files, the decode of one message (live or recorded),
// field filters over the capture, and what runs as messages are captured (sequence rules, plots) — the latter
// only while one exists, so capture without them pays one check per message.
import type {
  DecodedValue,
  DecoderRuleInput,
  DecoderState,
  EntryDecode,
  MatchResult,
  PlotInput,
  PlotSummary,
  SequenceMark,
  SequenceStats,
} from '../../../contract/decoders'
import type { EngineEvent } from '../../../contract/views'
import type { CapturedEntry } from '../capture-entry'
import { EngineError } from '../errors'
import { sequenceOf } from './decode-frame'
import { evaluate, parseExpression, type FilterSubject } from './expression'
import { Plots } from './plots'
import { DecoderRules, frameIndex, ruleMatches, topicOf, type RuleSubject } from './rules'
import { SequenceTracker } from './sequence'
import { toDecoded } from './value'

/** Plot points and sequence counts reach the pages this often while they change. */
const PLOT_MS = 250
const SEQUENCE_MS = 1000
const MARKS_KEPT = 1000
/** Sequence marks put on the socket timelines per second at most: a feed that lost its order floods nothing. */
const TIMELINE_MARKS_PER_SECOND = 20

export interface DecoderWiring {
  entry(entryId: number): CapturedEntry | undefined
  tapOf(socketId: string): string | undefined
  socketName(socketId: string): string
  emit(event: EngineEvent): void
  /** A line on the socket's event timeline (where its connects and disconnects are). */
  timeline(socketId: string, event: { kind: string; error?: string }): void
}

const lenient = new TextDecoder('utf-8')

export class EngineDecoders {
  readonly rules = new DecoderRules()
  private readonly plots = new Plots()
  private readonly sequences = new Map<string, SequenceTracker>()
  private readonly unreadable = new Map<string, number>()
  private plotTimer: NodeJS.Timeout | undefined
  private sequenceTimer: NodeJS.Timeout | undefined
  private sequencesChanged = false
  private timelineSecond = 0
  private timelineMarks = 0
  /** Whether anything runs per captured message: the capture path checks this one field. */
  active = false

  constructor(private readonly wiring: DecoderWiring) {}

  state(): DecoderState {
    return this.rules.state()
  }

  add(input: DecoderRuleInput): ReturnType<DecoderRules['add']> {
    const rule = this.rules.add(input)
    if (rule.decoder.kind === 'sequence') this.sequences.set(rule.ruleId, new SequenceTracker())
    this.changed()
    return rule
  }

  remove(ruleId: string): null {
    this.rules.remove(ruleId)
    this.sequences.delete(ruleId)
    this.unreadable.delete(ruleId)
    if (this.plots.ruleRemoved(ruleId)) this.wiring.emit({ type: 'plots', plots: this.plots.list() })
    this.changed()
    return null
  }

  loadProto(name: string, text: string): ReturnType<DecoderRules['loadProto']> {
    const schema = this.rules.loadProto(name, text)
    this.changed()
    return schema
  }

  removeProto(schemaId: string): null {
    this.rules.removeProto(schemaId)
    this.changed()
    return null
  }

  decodeEntry(entryId: number, socketId: string, frames: readonly Uint8Array[]): EntryDecode {
    return { entryId, frames: this.rules.decode(this.subjectOf(socketId, frames)) }
  }

  /** Which of `ids` the expression selects; a bad expression is answered with where and why. */
  match(expression: string, ids: readonly number[]): MatchResult {
    const parsed = parseExpression(expression)
    if (!parsed.ok) throw new EngineError('INVALID_REQUEST', `the filter expression: ${parsed.error}`)
    const result: MatchResult = { ids: [], gone: [] }
    for (const id of ids) {
      const entry = this.wiring.entry(id)
      if (entry === undefined) result.gone.push(id)
      else if (evaluate(parsed.expression, this.filterSubject(entry))) result.ids.push(id)
    }
    return result
  }

  sequenceStats(): SequenceStats {
    const rules = [...this.sequences].map(([ruleId, tracker]) => ({
      ruleId,
      counts: tracker.counts(),
      untracked: tracker.untracked,
      unreadable: this.unreadable.get(ruleId) ?? 0,
    }))
    const marks = [...this.sequences.values()].flatMap((t) => t.marks()).sort((a, b) => a.entryId - b.entryId)
    const dropped = Math.max(0, marks.length - MARKS_KEPT)
    return { rules, marks: marks.slice(dropped), dropped }
  }

  resetSequences(): null {
    for (const tracker of this.sequences.values()) tracker.reset()
    this.unreadable.clear()
    this.sequencesChanged = true
    this.scheduleSequences()
    return null
  }

  addPlot(input: PlotInput): PlotSummary {
    const plot = this.plots.add(input, this.rules.get(input.ruleId))
    this.changed()
    this.wiring.emit({ type: 'plots', plots: this.plots.list() })
    return plot
  }

  removePlot(plotId: string): null {
    this.plots.remove(plotId)
    this.changed()
    this.wiring.emit({ type: 'plots', plots: this.plots.list() })
    return null
  }

  plotList(): PlotSummary[] {
    return this.plots.list()
  }

  /** On the capture path, only while `active`: sequence rules count, plots take their points. */
  captured(id: number, socketId: string, frames: readonly Uint8Array[], wall: number): void {
    const subject = this.subjectOf(socketId, frames)
    for (const [ruleId, tracker] of this.sequences) {
      const rule = this.rules.get(ruleId)
      if (rule.decoder.kind !== 'sequence' || !ruleMatches(rule, subject)) continue
      const frame = frameIndex(rule, frames.length)
      if (frame === undefined) continue
      let seq: bigint
      try {
        seq = sequenceOf(frames[frame]!, rule.decoder.format)
      } catch {
        this.unreadable.set(ruleId, (this.unreadable.get(ruleId) ?? 0) + 1)
        this.sequencesChanged = true
        continue
      }
      const topic = topicOf(frames, frame)
      const mark = tracker.observe({ socketId, topic }, id, seq)
      this.sequencesChanged = true
      if (mark !== undefined) this.onTimeline(socketId, topic, mark)
    }
    if (this.sequencesChanged) this.scheduleSequences()
    if (this.plots.active) {
      this.plots.captured(subject, wall, this.rules.schemas)
      this.plotTimer ??= setTimeout(() => {
        this.plotTimer = undefined
        const points = this.plots.take()
        if (points.length > 0) this.wiring.emit({ type: 'plot-points', points })
      }, PLOT_MS)
    }
  }

  /** Every rule, plot and .proto gone: a workspace's own replace them. */
  clear(): void {
    for (const plot of this.plots.list()) this.plots.remove(plot.plotId)
    for (const rule of this.rules.list()) this.rules.remove(rule.ruleId)
    for (const schema of this.rules.schemas.list()) this.rules.schemas.remove(schema.schemaId)
    this.sequences.clear()
    this.unreadable.clear()
    this.changed()
    this.wiring.emit({ type: 'plots', plots: [] })
  }

  close(): void {
    clearTimeout(this.plotTimer)
    clearTimeout(this.sequenceTimer)
  }

  private onTimeline(socketId: string, topic: string, mark: SequenceMark): void {
    const second = Math.floor(performance.now() / 1000)
    if (second !== this.timelineSecond) {
      this.timelineSecond = second
      this.timelineMarks = 0
    }
    if (++this.timelineMarks > TIMELINE_MARKS_PER_SECOND) return
    const where = topic === '' ? '' : ` on ${topic}`
    this.wiring.timeline(socketId, {
      kind: `sequence:${mark.kind}`,
      error: `#${mark.entryId}${where}: expected ${mark.expected}, got ${mark.got}`,
    })
  }

  private scheduleSequences(): void {
    this.sequenceTimer ??= setTimeout(() => {
      this.sequenceTimer = undefined
      if (!this.sequencesChanged) return
      this.sequencesChanged = false
      this.wiring.emit({ type: 'sequences', stats: this.sequenceStats() })
    }, SEQUENCE_MS)
  }

  private changed(): void {
    this.active = this.sequences.size > 0 || this.plots.active
    this.wiring.emit({ type: 'decoders', decoders: this.rules.state() })
  }

  private subjectOf(socketId: string, frames: readonly Uint8Array[]): RuleSubject {
    return { socketId, tapId: this.wiring.tapOf(socketId), frames }
  }

  /**
   * What a field filter reads: each frame's decode by the first rule naming it, and as the message's fields the
   * first decoded frame. A message no rule covers is read as JSON when its last frame is JSON, so that
   * `temp > 30` works on a JSON feed without a rule.
   */
  private filterSubject(entry: CapturedEntry): FilterSubject {
    const frames: (DecodedValue | undefined)[] = []
    let fields: DecodedValue | undefined
    for (const decoded of this.rules.decode(this.subjectOf(entry.socketId, entry.frames))) {
      if (decoded.kind !== 'decoded' || frames[decoded.frame] !== undefined) continue
      frames[decoded.frame] = decoded.value
      fields ??= decoded.value
    }
    if (fields === undefined && entry.frames.length > 0) {
      const last = entry.frames.length - 1
      const json = jsonOf(entry.frames[last]!)
      if (json !== undefined) frames[last] = fields = json
    }
    return {
      fields,
      frames,
      topic: entry.frames[0] ? lenient.decode(entry.frames[0]) : '',
      size: entry.size,
      socket: this.wiring.socketName(entry.socketId),
    }
  }
}

function jsonOf(frame: Uint8Array): DecodedValue | undefined {
  const first = frame[0]
  if (first !== 0x7b && first !== 0x5b) return undefined
  try {
    return toDecoded(JSON.parse(lenient.decode(frame)))
  } catch {
    return undefined
  }
}
