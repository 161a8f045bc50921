// An opened recording as a read-only source in the log area: which file, whether it is shown or the live log is,
// its filter (applied by the engine), its rows (recording-rows), the timeline's density, jumps to a time, and the
// selected message with its full frames and the previous one of its topic for the diff.
import { Channel } from '../../contract/channels'
import type { FileChoice, OpenedRecording, RecordingDensity } from '../../contract/recordings'
import type { LogEntryView } from '../../contract/views'
import { requireApi } from '../lib/api'
import { base64ToBytes, frameText } from '../lib/decode'
import { describeFilter, engineFilterOf, sameFilter, type EngineFilter } from '../lib/recording-filter'
import { parseJumpTime } from '../lib/recording-time'
import type { LogFilter, Selection } from './log-view.svelte'
import { PAGE_ROWS, RecordingRows } from './recording-rows.svelte'

export type Source =
  | { kind: 'closed' }
  | { kind: 'opening'; name: string }
  | { kind: 'open'; recording: OpenedRecording }
  | { kind: 'failed'; name: string; message: string }

export type Outcome = { kind: 'done' } | { kind: 'cancelled' } | { kind: 'failed'; message: string }

/** Typing in the filter restarts the engine's scan once the typing pauses, not on every key. */
const FILTER_SETTLE_MS = 250
/** How far back the diff looks for the previous message of a topic: one page before the selected row. */
const PREVIOUS_REACH = PAGE_ROWS

const NO_FILTER: LogFilter = { text: '', mode: 'text', socketId: '', dir: 'any', minSize: 0 }

class RecordingViewState {
  source = $state.raw<Source>({ kind: 'closed' })
  /** The opened recording is in the log area (true) or the live log is, the recording kept open (false). */
  shown = $state(false)
  filter = $state<LogFilter>({ ...NO_FILTER })
  compiled = $derived<EngineFilter>(engineFilterOf(this.filter))
  rows = new RecordingRows()
  density = $state.raw<RecordingDensity | null>(null)
  selection = $state.raw<Selection>({ kind: 'none' })
  previous = $state.raw<LogEntryView | undefined>(undefined)
  /** The recording's sockets, for the filter bar and the rows' names. */
  sockets = $derived.by(() => {
    const source = this.source
    if (source.kind !== 'open') return []
    const byId = new Map(source.recording.channels.map((c) => [c.socketId, { id: c.socketId, name: c.name }]))
    return [...byId.values()]
  })
  cursorWall = $derived(this.rows.at(this.rows.first)?.wall ?? null)
  /** The filter in words (for "only what the filter shows"), null when it shows everything. */
  filterLabel = $derived(
    this.compiled.kind === 'filter' ? describeFilter(this.compiled.filter, (id) => this.socketName(id)) : null,
  )
  /** The replay dialog, open over the recording. */
  replaying = $state(false)
  /** What the rows were last started with: a filter bar edit that changes nothing keeps the scan. */
  private applied: EngineFilter = { kind: 'none' }
  private settle: ReturnType<typeof setTimeout> | undefined
  private densityAsked = 0
  private seekSeq = 0

  get open(): OpenedRecording | null {
    return this.source.kind === 'open' ? this.source.recording : null
  }

  socketName(socketId: string): string {
    return this.sockets.find((s) => s.id === socketId)?.name ?? socketId
  }

  /** Opens a file (one recording at a time: the one open before is closed) and shows it. */
  async openFile(file: FileChoice, name: string): Promise<Outcome> {
    const before = this.open
    this.source = { kind: 'opening', name }
    const result = await requireApi().call(Channel.recordingOpen, { file })
    if (!result.ok) {
      this.source = { kind: 'failed', name, message: result.error.message }
      if (before) void requireApi().call(Channel.recordingClose, { sourceId: before.sourceId })
      return { kind: 'failed', message: result.error.message }
    }
    if (result.value.kind === 'cancelled') {
      this.source = before ? { kind: 'open', recording: before } : { kind: 'closed' }
      return { kind: 'cancelled' }
    }
    if (before) void requireApi().call(Channel.recordingClose, { sourceId: before.sourceId })
    this.begin(result.value.recording)
    return { kind: 'done' }
  }

  /**
   * After a (re)connect, the recordings the host has open: the one shown stays if the host still has it; a page
   * without one takes the newest (a reload, or a file the host opened at start from its command line).
   */
  adopt(list: OpenedRecording[]): void {
    const open = this.open
    if (open && list.some((r) => r.sourceId === open.sourceId)) return
    if (this.source.kind === 'opening') return
    if (open) this.forget()
    const newest = list.at(-1)
    if (newest) this.begin(newest)
  }

  private begin(recording: OpenedRecording): void {
    clearTimeout(this.settle)
    this.replaying = false
    this.source = { kind: 'open', recording }
    this.shown = true
    this.selection = { kind: 'none' }
    this.previous = undefined
    this.density = null
    this.densityAsked = 0
    this.filter = { ...NO_FILTER }
    this.applied = { kind: 'none' }
    this.rows.showAll(recording.sourceId, recording.messages)
  }

  async close(): Promise<void> {
    const open = this.open
    this.forget()
    if (open) await requireApi().call(Channel.recordingClose, { sourceId: open.sourceId })
  }

  /** The host restarted (its sources are gone) or the recording was closed: nothing of it is kept. */
  forget(): void {
    clearTimeout(this.settle)
    this.replaying = false
    this.source = { kind: 'closed' }
    this.shown = false
    this.rows.close()
    this.density = null
    this.selection = { kind: 'none' }
    this.previous = undefined
  }

  show(shown: boolean): void {
    this.shown = shown && this.open !== null
  }

  setFilter(patch: Partial<LogFilter>): void {
    this.filter = { ...this.filter, ...patch }
    clearTimeout(this.settle)
    this.settle = setTimeout(() => this.applyFilter(), FILTER_SETTLE_MS)
  }

  private applyFilter(origin = 0): void {
    const open = this.open
    const compiled = this.compiled
    if (!open || compiled.kind === 'invalid') return
    if (origin === 0 && sameFilter(compiled, this.applied)) return
    this.applied = compiled
    if (compiled.kind === 'filter') this.rows.showFiltered(open.sourceId, open.messages, compiled.filter, origin)
    else this.rows.showAll(open.sourceId, open.messages, origin)
  }

  /** Goes to the first message at or after `wall`: there in the list, or the filter's matches from there on. */
  async seek(wall: number): Promise<void> {
    const open = this.open
    if (!open) return
    const seq = ++this.seekSeq
    const result = await requireApi().call(Channel.recordingSeek, { sourceId: open.sourceId, wall })
    if (seq !== this.seekSeq || this.open !== open || !result.ok) return
    const position = result.value.position
    if (this.rows.mode.kind === 'all') this.rows.bringToTop(position)
    else this.applyFilter(position)
  }

  /** The "jump to time" input; answers the problem with what was typed, or null once it jumped. */
  jumpTo(text: string): string | null {
    const open = this.open
    if (!open) return null
    const parsed = parseJumpTime(text, open.startWall, open.endWall)
    if (parsed.kind === 'invalid') return parsed.message
    void this.seek(parsed.wall)
    return null
  }

  /** The filtered matches from the start again, after a jump started them later. */
  fromStart(): void {
    this.applied = { kind: 'none' }
    this.applyFilter()
  }

  /** The timeline's message density in `bins` slices (asked again when the timeline's width changes). */
  async loadDensity(bins: number): Promise<void> {
    const open = this.open
    if (!open || bins === this.densityAsked) return
    this.densityAsked = bins
    const result = await requireApi().call(Channel.recordingDensity, { sourceId: open.sourceId, bins })
    if (this.open !== open || this.densityAsked !== bins || !result.ok) return
    this.density = result.value
  }

  async select(entry: LogEntryView): Promise<void> {
    const open = this.open
    if (!open) return
    this.selection = { kind: 'selected', entry, frames: { kind: 'loading' } }
    this.previous = undefined
    const [frames] = await Promise.all([
      requireApi().call(Channel.recordingFrames, { sourceId: open.sourceId, position: entry.id - 1 }),
      this.findPrevious(open, entry),
    ])
    if (this.selection.kind !== 'selected' || this.selection.entry !== entry) return
    this.selection = {
      kind: 'selected',
      entry,
      frames: frames.ok
        ? { kind: 'loaded', frames: frames.value.frames.map(base64ToBytes) }
        : { kind: 'unavailable', message: frames.error.message },
    }
  }

  clearSelection(): void {
    this.selection = { kind: 'none' }
    this.previous = undefined
  }

  /**
   * The previous message of the same socket, direction and topic, as the live diff uses: from the pages here,
   * else from the page before the entry, fetched once.
   */
  private async findPrevious(open: OpenedRecording, entry: LogEntryView): Promise<void> {
    const position = entry.id - 1
    const low = Math.max(0, position - PREVIOUS_REACH)
    const matches = (row: LogEntryView | undefined): boolean =>
      row !== undefined &&
      row.socketId === entry.socketId &&
      row.dir === entry.dir &&
      frameText(row).split(' ')[0] === frameText(entry).split(' ')[0]
    let rows: (LogEntryView | undefined)[] = []
    for (let p = low; p < position; p++) rows.push(this.rows.cached(p))
    if (rows.some((row) => row === undefined) && position > 0) {
      const page = await requireApi().call(Channel.recordingPage, {
        sourceId: open.sourceId,
        from: low,
        limit: position - low,
      })
      if (page.ok) rows = page.value.entries
    }
    const found = rows.findLast(matches)
    if (this.selection.kind === 'selected' && this.selection.entry === entry) this.previous = found
  }
}

export const recordingView = new RecordingViewState()
