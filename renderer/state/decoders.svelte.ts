// Decoder rules and the .proto files they name, sequence rules' counts, and the decode of the selected message:
// the engine decodes (the page's CSP forbids the code generation protobufjs uses), the page asks only for the
// message someone looks at, again when the rules change.
import { Channel } from '../../contract/channels'
import type {
  DecoderRule,
  DecoderRuleInput,
  DecoderState,
  EntryDecode,
  PlotSummary,
  ProtoSchema,
  SequenceStats,
} from '../../contract/decoders'
import { requireApi } from '../lib/api'
import { describeRule, protoFileProblem } from '../lib/decoder-rules'
import type { Selection } from './log-view.svelte'
import { jupyterDecodes } from './jupyter.svelte'
import { sockets } from './sockets.svelte'
import { taps } from './taps.svelte'

export type Outcome = { kind: 'done' } | { kind: 'failed'; message: string }

/** The selected message's decode; `entryId` is the selected row's, so a view never shows another row's decode. */
export type DecodeView =
  | { kind: 'idle' }
  | { kind: 'loading'; entryId: number }
  | { kind: 'loaded'; entryId: number; decode: EntryDecode }
  | { kind: 'failed'; entryId: number; message: string }

/** The "Load .proto…" input's last file, as shown beside it. */
export type ProtoLoader =
  | { kind: 'idle' }
  | { kind: 'loading'; name: string }
  | { kind: 'loaded'; name: string; schema: ProtoSchema }
  | { kind: 'failed'; name: string; message: string }

/** A rule or .proto the engine would not remove, shown beside it (`target` is its ruleId or schemaId). */
export type Removal = { kind: 'none' } | { kind: 'failed'; target: string; message: string }

export type PlotRun =
  | { kind: 'idle' }
  | { kind: 'adding'; ruleId: string; path: string[] }
  | { kind: 'added'; plot: PlotSummary }
  | { kind: 'failed'; ruleId: string; path: string[]; message: string }

type DecodeTarget =
  | { kind: 'live'; entryId: number }
  | { kind: 'recorded'; entryId: number; sourceId: string; position: number; socketId: string | undefined }

const SOCKET_ID = /^s[0-9]{1,9}$/

function sameTarget(a: DecodeTarget | null, b: DecodeTarget): boolean {
  if (a === null || a.kind !== b.kind || a.entryId !== b.entryId) return false
  return a.kind === 'live' || (b.kind === 'recorded' && a.sourceId === b.sourceId)
}

class DecodersState {
  rules = $state.raw<DecoderRule[]>([])
  schemas = $state.raw<ProtoSchema[]>([])
  stats = $state.raw<SequenceStats>({ rules: [], marks: [], dropped: 0 })
  /** The sequence marks by entry id, for the log's rows. */
  marks = $derived(new Map(this.stats.marks.map((m) => [m.entryId, m])))
  /** The Decoders panel is open. */
  shown = $state(false)
  loader = $state.raw<ProtoLoader>({ kind: 'idle' })
  removal = $state.raw<Removal>({ kind: 'none' })
  view = $state.raw<DecodeView>({ kind: 'idle' })
  plotRun = $state.raw<PlotRun>({ kind: 'idle' })
  private target: DecodeTarget | null = null
  private decodeSeq = 0
  /** The rules and schemas last applied, as text: a `decoders` event that changes nothing keeps the decode. */
  private applied = ''

  /** decoder:list's answer at (re)connect, and every `decoders` event. */
  replace(state: DecoderState): void {
    this.rules = state.rules
    this.schemas = state.schemas
    const text = JSON.stringify(state)
    if (text === this.applied) return
    this.applied = text
    if (this.target) void this.decode(this.target)
  }

  /** sequence:stats' answer, and every `sequences` event. */
  replaceStats(stats: SequenceStats): void {
    this.stats = stats
  }

  describe(rule: DecoderRuleInput): string {
    return describeRule(rule, {
      socket: (id) => sockets.name(id),
      tap: (id) => taps.list.find((t) => t.id === id)?.name ?? id,
    })
  }

  /** A rule of a decode in words; a rule removed meanwhile says so. */
  ruleLabel(ruleId: string): string {
    const rule = this.rules.find((r) => r.ruleId === ruleId)
    return rule ? this.describe(rule) : `rule ${ruleId} (removed)`
  }

  show(shown: boolean): void {
    this.shown = shown
    if (shown && this.rules.some((r) => r.decoder.kind === 'sequence')) void this.refreshStats()
  }

  async refreshStats(): Promise<void> {
    const result = await requireApi().call(Channel.sequenceStats, {})
    if (result.ok) this.stats = result.value
  }

  async resetSequences(): Promise<Outcome> {
    const result = await requireApi().call(Channel.sequenceReset, {})
    if (!result.ok) return { kind: 'failed', message: result.error.message }
    await this.refreshStats()
    return { kind: 'done' }
  }

  /** The engine checks the rule as a whole (a message type that is not loaded, say); the form shows its answer. */
  async addRule(input: DecoderRuleInput): Promise<Outcome> {
    const result = await requireApi().call(Channel.decoderAdd, input)
    if (!result.ok) return { kind: 'failed', message: result.error.message }
    // The `decoders` event follows; the rule is listed at once all the same.
    if (!this.rules.some((r) => r.ruleId === result.value.ruleId)) {
      this.replace({ rules: [...this.rules, result.value], schemas: this.schemas })
    }
    return { kind: 'done' }
  }

  async removeRule(ruleId: string): Promise<void> {
    this.removal = { kind: 'none' }
    const result = await requireApi().call(Channel.decoderRemove, { ruleId })
    if (!result.ok) this.removal = { kind: 'failed', target: ruleId, message: result.error.message }
  }

  /** Reads a chosen file's text and has the engine parse it; a parse error is shown beside the loader. */
  async loadProto(file: File): Promise<void> {
    const problem = protoFileProblem(file)
    if (problem !== null) {
      this.loader = { kind: 'failed', name: file.name, message: problem }
      return
    }
    this.loader = { kind: 'loading', name: file.name }
    let text: string
    try {
      text = await file.text()
    } catch (error) {
      this.loader = { kind: 'failed', name: file.name, message: `could not read ${file.name}: ${String(error)}` }
      return
    }
    const result = await requireApi().call(Channel.protoLoad, { name: file.name, text })
    if (!result.ok) {
      this.loader = { kind: 'failed', name: file.name, message: result.error.message }
      return
    }
    this.loader = { kind: 'loaded', name: file.name, schema: result.value }
    if (!this.schemas.some((s) => s.schemaId === result.value.schemaId)) {
      this.replace({ rules: this.rules, schemas: [...this.schemas, result.value] })
    }
  }

  /** Refused while rules decode with it: the engine says which. */
  async removeProto(schemaId: string): Promise<void> {
    this.removal = { kind: 'none' }
    const result = await requireApi().call(Channel.protoRemove, { schemaId })
    if (!result.ok) this.removal = { kind: 'failed', target: schemaId, message: result.error.message }
  }

  /**
   * The decode of the selected message: a live entry by id, or (with `sourceId`) row `entry.id` of an opened
   * recording. Asked once per selection (a selection whose frames arrive later is the same one), and only while
   * rules exist; `replace` asks again when they change.
   */
  decodeFor(selection: Selection, sourceId?: string): void {
    if (selection.kind !== 'selected') {
      this.target = null
      if (this.plotRun.kind !== 'adding') this.plotRun = { kind: 'idle' }
      this.decodeSeq++
      this.view = { kind: 'idle' }
      return
    }
    const entry = selection.entry
    const target: DecodeTarget =
      sourceId === undefined
        ? { kind: 'live', entryId: entry.id }
        : {
            kind: 'recorded',
            entryId: entry.id,
            sourceId,
            position: entry.id - 1,
            socketId: SOCKET_ID.test(entry.socketId) ? entry.socketId : undefined,
          }
    if (sameTarget(this.target, target)) return
    this.target = target
    // "plotting x" spoke of the message it was pressed on.
    if (this.plotRun.kind !== 'adding') this.plotRun = { kind: 'idle' }
    void this.decode(target)
  }

  private async decode(target: DecodeTarget): Promise<void> {
    const seq = ++this.decodeSeq
    // A Jupyter session's messages decode without rules.
    if (this.rules.length === 0 && !jupyterDecodes()) {
      this.view = { kind: 'idle' }
      return
    }
    // A re-decode after a rule change keeps the old tree until the new one is here.
    if (this.view.kind === 'idle' || this.view.entryId !== target.entryId) {
      this.view = { kind: 'loading', entryId: target.entryId }
    }
    const request =
      target.kind === 'live'
        ? { entryId: target.entryId }
        : {
            sourceId: target.sourceId,
            position: target.position,
            ...(target.socketId ? { socketId: target.socketId } : {}),
          }
    const result = await requireApi().call(Channel.decodeEntry, request)
    if (seq !== this.decodeSeq) return
    this.view = result.ok
      ? { kind: 'loaded', entryId: target.entryId, decode: result.value }
      : { kind: 'failed', entryId: target.entryId, message: result.error.message }
  }

  /** "Plot" on a decoded tree's number: the plot panel shows it from the `plots` event on. */
  async plot(ruleId: string, path: string[]): Promise<void> {
    this.plotRun = { kind: 'adding', ruleId, path }
    const result = await requireApi().call(Channel.plotAdd, { ruleId, path })
    this.plotRun = result.ok
      ? { kind: 'added', plot: result.value }
      : { kind: 'failed', ruleId, path, message: result.error.message }
  }
}

export const decoders = new DecodersState()
