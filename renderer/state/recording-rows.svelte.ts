// The rows of an opened recording, as the log table pages through them. Without a filter every message has its
// place (position = index), and pages of a few hundred around the rows in view are fetched and cached; with a
// filter the engine scans forward and the matches are appended as the user scrolls towards the end.
import { SvelteMap } from 'svelte/reactivity'
import { Channel } from '../../contract/channels'
import type { RecordingFilter } from '../../contract/recordings'
import type { LogEntryView } from '../../contract/views'
import { requireApi } from '../lib/api'
import { indexById, pagesAround, pagesToDrop, type PagedRows } from '../lib/recording-pages'

export const PAGE_ROWS = 250
/** Pages kept: about 15,000 rows, a few screens either side of a long jump back and forth. */
const CACHED_PAGES = 60
/** Page requests at a time: the reader answers in order, so more would only queue stale ones behind it. */
const IN_FLIGHT = 2
/** Matches asked for per filtered request (the engine may return fewer: it answers within a time budget). */
const MATCHES_PER_REQUEST = 200
/** The scan goes on while the rows in view are this close to the last match. */
const MATCH_MARGIN = 60

export type RowsMode =
  | { kind: 'closed' }
  | { kind: 'all'; sourceId: string; total: number }
  | { kind: 'filtered'; sourceId: string; total: number; filter: RecordingFilter; origin: number }

/** The filtered scan, said honestly: where it is in the file and whether it is still reading. */
export type Scan =
  { kind: 'idle' } | { kind: 'scanning' } | { kind: 'waiting' } | { kind: 'done' } | { kind: 'failed'; message: string }

export class RecordingRows implements PagedRows {
  mode = $state.raw<RowsMode>({ kind: 'closed' })
  matches = $state.raw<LogEntryView[]>([])
  /** Where the filtered scan goes on: the position after the last message it read. */
  next = $state(0)
  scan = $state.raw<Scan>({ kind: 'idle' })
  /** A page the engine could not give (shown once; scrolling asks again). */
  problem = $state<string | null>(null)
  jump = $state.raw<{ index: number; seq: number } | null>(null)
  /** The first row in view: the timeline's cursor. */
  first = $state(0)
  private last = 0
  private readonly pages = new SvelteMap<number, LogEntryView[]>()
  // Bookkeeping of requests, not state anything draws: no reactivity wanted.
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  private readonly loading = new Set<number>()
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  private readonly failed = new Set<number>()
  private inFlight = 0
  private epoch = 0
  private scanningEpoch = -1

  get count(): number {
    const mode = this.mode
    return mode.kind === 'all' ? mode.total : mode.kind === 'filtered' ? this.matches.length : 0
  }

  get empty(): string {
    const mode = this.mode
    if (mode.kind !== 'filtered') return 'This recording holds no messages.'
    if (this.scan.kind === 'failed') return `The search stopped: ${this.scan.message}`
    if (this.scan.kind === 'done') return 'No message of the recording matches the filter.'
    return 'scanning…'
  }

  at(index: number): LogEntryView | undefined {
    const mode = this.mode
    if (mode.kind === 'filtered') return this.matches[index]
    if (mode.kind !== 'all') return undefined
    return this.pages.get(Math.floor(index / PAGE_ROWS))?.[index % PAGE_ROWS]
  }

  indexOf(entryId: number): number {
    const mode = this.mode
    if (mode.kind === 'all') return entryId >= 1 && entryId <= mode.total ? entryId - 1 : -1
    return mode.kind === 'filtered' ? indexById(this.matches, entryId) : -1
  }

  /** An entry of the recording by position, if a page holding it is here (for the diff's previous message). */
  cached(position: number): LogEntryView | undefined {
    const page = this.pages.get(Math.floor(position / PAGE_ROWS))
    if (page) return page[position % PAGE_ROWS]
    const mode = this.mode
    if (mode.kind !== 'filtered') return undefined
    const index = indexById(this.matches, position + 1)
    return index < 0 ? undefined : this.matches[index]
  }

  /** Every message, in time order; `top` is the position brought to the top of the list. */
  showAll(sourceId: string, total: number, top = 0): void {
    this.restart({ kind: 'all', sourceId, total })
    this.bringToTop(top)
    this.first = top
    this.last = top
    this.pump()
  }

  /** The filter's matches from `origin` on (0 = the start; a jump to a time starts there). */
  showFiltered(sourceId: string, total: number, filter: RecordingFilter, origin = 0): void {
    this.restart({ kind: 'filtered', sourceId, total, filter, origin })
    this.next = origin
    this.bringToTop(0)
    this.first = 0
    this.last = 0
    void this.more()
  }

  close(): void {
    this.restart({ kind: 'closed' })
  }

  /** Brings a row to the top of the list (a jump in the unfiltered view). */
  bringToTop(index: number): void {
    this.jump = { index, seq: (this.jump?.seq ?? 0) + 1 }
  }

  onView(first: number, last: number): void {
    this.first = first
    this.last = last
    if (this.mode.kind === 'all') {
      this.failed.clear()
      this.pump()
    } else if (this.mode.kind === 'filtered') void this.more()
  }

  /** After a failure: try the scan again from where it stopped. */
  retry(): void {
    if (this.mode.kind !== 'filtered' || this.scan.kind !== 'failed') return
    this.scan = { kind: 'idle' }
    void this.more()
  }

  private restart(mode: RowsMode): void {
    this.epoch++
    this.mode = mode
    this.pages.clear()
    this.loading.clear()
    this.failed.clear()
    this.inFlight = 0
    this.matches = []
    this.next = 0
    this.scan = { kind: 'idle' }
    this.problem = null
  }

  private pump(): void {
    const mode = this.mode
    if (mode.kind !== 'all') return
    const wanted = pagesAround(this.first, this.last, mode.total, PAGE_ROWS, PAGE_ROWS / 2).filter(
      (p) => !this.pages.has(p) && !this.loading.has(p) && !this.failed.has(p),
    )
    for (const page of wanted) {
      if (this.inFlight >= IN_FLIGHT) return
      void this.load(mode.sourceId, page)
    }
  }

  private async load(sourceId: string, page: number): Promise<void> {
    const epoch = this.epoch
    this.loading.add(page)
    this.inFlight++
    const result = await requireApi().call(Channel.recordingPage, {
      sourceId,
      from: page * PAGE_ROWS,
      limit: PAGE_ROWS,
    })
    if (epoch !== this.epoch) return
    this.inFlight--
    this.loading.delete(page)
    if (result.ok) {
      this.pages.set(page, result.value.entries)
      this.problem = null
      for (const drop of pagesToDrop(this.pages.keys(), CACHED_PAGES, Math.floor(this.first / PAGE_ROWS)))
        this.pages.delete(drop)
    } else {
      this.failed.add(page)
      this.problem = result.error.message
    }
    this.pump()
  }

  /** Scans on while the rows in view are near the last match; one scan at a time per filter. */
  private async more(): Promise<void> {
    const epoch = this.epoch
    if (this.scanningEpoch === epoch) return
    this.scanningEpoch = epoch
    try {
      for (;;) {
        const mode = this.mode
        if (mode.kind !== 'filtered' || this.scan.kind === 'done' || this.scan.kind === 'failed') return
        if (this.last < this.matches.length - MATCH_MARGIN) {
          this.scan = { kind: 'waiting' }
          return
        }
        this.scan = { kind: 'scanning' }
        const result = await requireApi().call(Channel.recordingPage, {
          sourceId: mode.sourceId,
          from: this.next,
          limit: MATCHES_PER_REQUEST,
          filter: mode.filter,
        })
        if (epoch !== this.epoch) return
        if (!result.ok) {
          this.scan = { kind: 'failed', message: result.error.message }
          return
        }
        const page = result.value
        if (page.entries.length > 0) this.matches = [...this.matches, ...page.entries]
        this.next = page.next
        if (page.done) this.scan = { kind: 'done' }
      }
    } finally {
      if (this.scanningEpoch === epoch) this.scanningEpoch = -1
    }
  }
}
