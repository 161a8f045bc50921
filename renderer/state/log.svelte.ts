// The renderer's window onto the capture log: the newest rows only; the engine keeps the rest.
import { Channel } from '../../contract/channels'
import type { LogEntryView } from '../../contract/views'
import { countIds, missingRanges, pagesSpan, queryPages, type IdRange } from '../lib/log-gaps'
import { requireApi } from '../lib/api'

/** Rows held in the page; the virtual list draws only the visible ones. Older rows stay in the engine. */
export const LOG_WINDOW = 50_000

/**
 * `rows` then `entries`, the newest LOG_WINDOW of them, as a new array (state is replaced, not mutated). One
 * copy per batch: at 30 batches a second, spreading and then slicing 50,000 rows would copy them twice.
 */
function appendWindow(rows: LogEntryView[], entries: LogEntryView[]): LogEntryView[] {
  const fromEntries = Math.max(0, entries.length - LOG_WINDOW)
  const fromRows = Math.min(rows.length, Math.max(0, rows.length + entries.length - LOG_WINDOW))
  const next = rows.slice(fromRows)
  for (let i = fromEntries; i < entries.length; i++) next.push(entries[i]!)
  return next
}

/** Both lists by id, one copy each, the newest LOG_WINDOW kept. */
function mergeById(rows: LogEntryView[], entries: LogEntryView[]): LogEntryView[] {
  if (entries.length === 0) return rows
  // A local scratch map for de-duplication, not state: no reactivity wanted.
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  const byId = new Map<number, LogEntryView>()
  for (const entry of entries) byId.set(entry.id, entry)
  for (const entry of rows) byId.set(entry.id, entry)
  return [...byId.values()].sort((a, b) => a.id - b.id).slice(-LOG_WINDOW)
}

export type Follow = { kind: 'following' } | { kind: 'paused'; held: LogEntryView[] }

/** Fetching not-streamed rows from the engine's ring. */
export type GapLoad = { kind: 'idle' } | { kind: 'loading' } | { kind: 'failed'; message: string }

class LogState {
  rows = $state.raw<LogEntryView[]>([])
  follow = $state.raw<Follow>({ kind: 'following' })
  /** Ids captured by the engine but not streamed to this page (too many in one period, or the link was down). */
  skipped = $state(0)
  /** Ids the page lacks that the engine's ring no longer has either (evicted, or the log was cleared). */
  lost = $state(0)
  gapLoad = $state.raw<GapLoad>({ kind: 'idle' })

  /** Highest entry id seen; live batches and queries can overlap, ids make that harmless. */
  private lastId = 0
  /**
   * The oldest id this page follows: older ones were in the ring before the page connected (it loads only the
   * newest), or were cleared from the view. Ids from here on that the page lacks are gaps.
   */
  private floor = 1
  /** Bumped when the rows start over (another engine): a gap load in flight then drops its answers. */
  private epoch = 0

  /** A fresh start against an engine whose ids are not ours (the host restarted): nothing carries over. */
  reset(): void {
    this.rows = []
    if (this.follow.kind === 'paused') this.follow = { kind: 'paused', held: [] }
    this.lastId = 0
    this.skipped = 0
    this.lost = 0
    this.gapLoad = { kind: 'idle' }
    this.epoch++
  }

  /** Where this page starts following the engine's log, on a first sync (or after a reset). */
  begin(floor: number): void {
    if (this.lastId === 0 && this.rows.length === 0) this.floor = Math.max(1, floor)
  }

  /** Entries fetched from the engine (initial load, re-sync, gap load): merged by id with what already arrived. */
  seed(entries: LogEntryView[]): void {
    if (entries.length === 0) return
    if (this.follow.kind === 'paused') {
      // Paused rows stay still: what is newer than them belongs with the held rows shown on resume.
      const pivot = this.rows[this.rows.length - 1]?.id ?? 0
      this.rows = mergeById(
        this.rows,
        entries.filter((e) => e.id <= pivot),
      )
      this.follow = {
        kind: 'paused',
        held: mergeById(
          this.follow.held,
          entries.filter((e) => e.id > pivot),
        ),
      }
    } else {
      this.rows = mergeById(this.rows, entries)
    }
    this.lastId = Math.max(this.lastId, entries[entries.length - 1]!.id)
  }

  append(incoming: LogEntryView[], skipped: number): void {
    this.skipped += skipped
    const entries = incoming.filter((e) => e.id > this.lastId)
    if (entries.length === 0) return
    this.lastId = entries[entries.length - 1]!.id
    if (this.follow.kind === 'paused') {
      this.follow = { kind: 'paused', held: appendWindow(this.follow.held, entries) }
      return
    }
    this.rows = appendWindow(this.rows, entries)
  }

  /** Ids of the window (the newest LOG_WINDOW since the floor) that the page does not hold. */
  gaps(): IdRange[] {
    const low = Math.max(this.floor, this.lastId - LOG_WINDOW + 1)
    const held = this.follow.kind === 'paused' ? this.follow.held : []
    // Held rows are all newer than the paused ones: the concatenation is in id order.
    return missingRanges(held.length > 0 ? [...this.rows, ...held] : this.rows, low, this.lastId)
  }

  /** After a re-sync: ids streamed while the link was down that the re-sync did not bring count as not streamed. */
  recount(): void {
    this.skipped = countIds(this.gaps())
    this.lost = 0
    this.gapLoad = { kind: 'idle' }
  }

  pause(): void {
    if (this.follow.kind === 'following') this.follow = { kind: 'paused', held: [] }
  }

  resume(): void {
    if (this.follow.kind !== 'paused') return
    const held = this.follow.held
    this.follow = { kind: 'following' }
    this.rows = appendWindow(this.rows, held)
  }

  clearView(): void {
    this.rows = []
    if (this.follow.kind === 'paused') this.follow = { kind: 'paused', held: [] }
    // What was cleared is not missing: follow from the next id on.
    this.floor = this.lastId + 1
    this.skipped = 0
    this.lost = 0
  }

  /**
   * Fills the window's gaps from the engine's ring, newest first. Afterwards the not-streamed count holds only
   * what arrived meanwhile; ids the ring no longer had are counted as lost.
   */
  async loadGaps(): Promise<void> {
    if (this.gapLoad.kind === 'loading') return
    const epoch = this.epoch
    const skippedBefore = this.skipped
    const pages = queryPages(this.gaps())
    const span = pagesSpan(pages)
    this.gapLoad = { kind: 'loading' }
    for (const page of pages) {
      const result = await requireApi().call(Channel.logQuery, page)
      if (epoch !== this.epoch) return
      if (!result.ok) {
        this.gapLoad = { kind: 'failed', message: result.error.message }
        return
      }
      this.seed(result.value)
    }
    const held = this.follow.kind === 'paused' ? [...this.rows, ...this.follow.held] : this.rows
    // Still missing in what the pages covered (and the window still holds) means the ring did not have it.
    const low = Math.max(span?.from ?? 0, this.floor, this.lastId - LOG_WINDOW + 1)
    this.lost = span ? countIds(missingRanges(held, low, span.to)) : 0
    this.skipped = Math.max(0, this.skipped - skippedBefore)
    this.gapLoad = { kind: 'idle' }
  }
}

export const log = new LogState()
