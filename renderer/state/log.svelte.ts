// The renderer's window onto the capture log: the newest rows only; the engine keeps the rest.
import { Channel } from '../../preload/channels'
import type { LogEntryView } from '../../preload/views'
import { requireApi } from './session.svelte'

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

export type Follow = { kind: 'following' } | { kind: 'paused'; held: LogEntryView[] }

class LogState {
  rows = $state.raw<LogEntryView[]>([])
  follow = $state.raw<Follow>({ kind: 'following' })
  /** Entries the engine captured but did not send in a batch (too many in one period). */
  skipped = $state(0)

  /** Highest entry id seen; live batches and the initial query can overlap, ids make that harmless. */
  private lastId = 0

  /** Older entries fetched from the engine (initial load, reload): merged by id with what already arrived. */
  seed(entries: LogEntryView[]): void {
    // A local scratch map for de-duplication, not state: no reactivity wanted.
    // eslint-disable-next-line svelte/prefer-svelte-reactivity
    const byId = new Map<number, LogEntryView>()
    for (const entry of [...entries, ...this.rows]) byId.set(entry.id, entry)
    this.rows = [...byId.values()].sort((a, b) => a.id - b.id).slice(-LOG_WINDOW)
    this.lastId = Math.max(this.lastId, this.rows[this.rows.length - 1]?.id ?? 0)
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
  }
}

export const log = new LogState()

export type ExportOutcome = { kind: 'saved'; path: string; entries: number } | { kind: 'failed'; message: string }

/** Saves the engine's whole capture (full frames, not the previews shown here) as JSON lines. */
export async function exportCapture(): Promise<ExportOutcome> {
  const result = await requireApi().call(Channel.logExport, {})
  return result.ok
    ? { kind: 'saved', path: result.value.path, entries: result.value.entries }
    : { kind: 'failed', message: result.error.message }
}
