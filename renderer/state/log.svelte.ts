// The renderer's window onto the capture log: the newest rows only; the engine keeps the rest.
import type { LogEntryView } from '../../preload/views'

export const LOG_WINDOW = 5000

export type Follow = { kind: 'following' } | { kind: 'paused'; held: LogEntryView[] }

class LogState {
  rows = $state.raw<LogEntryView[]>([])
  follow = $state.raw<Follow>({ kind: 'following' })
  /** Entries the engine captured but did not send in a batch (too many in one period). */
  skipped = $state(0)

  append(entries: LogEntryView[], skipped: number): void {
    this.skipped += skipped
    if (entries.length === 0) return
    if (this.follow.kind === 'paused') {
      this.follow = { kind: 'paused', held: [...this.follow.held, ...entries].slice(-LOG_WINDOW) }
      return
    }
    const merged = this.rows.length + entries.length > LOG_WINDOW ? [...this.rows, ...entries].slice(-LOG_WINDOW) : [...this.rows, ...entries]
    this.rows = merged
  }

  pause(): void {
    if (this.follow.kind === 'following') this.follow = { kind: 'paused', held: [] }
  }

  resume(): void {
    if (this.follow.kind !== 'paused') return
    const held = this.follow.held
    this.follow = { kind: 'following' }
    this.append(held, 0)
  }

  clearView(): void {
    this.rows = []
    if (this.follow.kind === 'paused') this.follow = { kind: 'paused', held: [] }
  }
}

export const log = new LogState()
