// What the log shows of the rows it holds: the filter, the selected message and its full frames.
import { Channel } from '../../contract/channels'
import type { LogEntryView } from '../../contract/views'
import { base64ToBytes, frameText, framesText } from '../lib/decode'
import { fieldFilter } from './field-filter.svelte'
import { log } from './log.svelte'
import { requireApi } from '../lib/api'

export interface LogFilter {
  text: string
  /** text and regex look in every frame; fields is an expression on the decoded fields, run by the engine. */
  mode: 'text' | 'regex' | 'fields'
  socketId: string
  dir: 'any' | 'in' | 'out'
  /** Only messages at least this many bytes (0 = any size). */
  minSize: number
}

export type FilterState =
  { kind: 'all' } | { kind: 'matching'; test: (entry: LogEntryView) => boolean } | { kind: 'invalid'; message: string }

export type FullFrames =
  { kind: 'loading' } | { kind: 'loaded'; frames: Uint8Array[] } | { kind: 'unavailable'; message: string }
export type Selection =
  | { kind: 'none' }
  | { kind: 'selected'; entry: LogEntryView; frames: FullFrames }
  /** Asked for by id (a tap's slowest request, a reply's request) but no longer held here nor in the ring. */
  | { kind: 'missing'; id: number; message: string }

/** Rows are in id order: a binary search finds one among 50,000 without scanning them. */
function byId(rows: LogEntryView[], id: number): LogEntryView | undefined {
  let low = 0
  let high = rows.length - 1
  while (low <= high) {
    const middle = (low + high) >> 1
    const row = rows[middle]!
    if (row.id === id) return row
    if (row.id < id) low = middle + 1
    else high = middle - 1
  }
  return undefined
}

function compile(filter: LogFilter): FilterState {
  const checks: ((e: LogEntryView) => boolean)[] = []
  if (filter.socketId) checks.push((e) => e.socketId === filter.socketId)
  if (filter.dir !== 'any') checks.push((e) => e.dir === filter.dir)
  if (filter.minSize > 0) checks.push((e) => e.size >= filter.minSize)
  if (filter.text && filter.mode === 'fields') {
    const state = fieldFilter.state
    if (state.kind === 'invalid') return { kind: 'invalid', message: state.message }
    // Read so the derivation follows the engine's answers as they arrive.
    void fieldFilter.version
    checks.push((e) => fieldFilter.matches(e.id) === true)
  } else if (filter.text) {
    if (filter.mode === 'regex') {
      let pattern: RegExp
      try {
        pattern = new RegExp(filter.text)
      } catch (error) {
        return { kind: 'invalid', message: (error as Error).message }
      }
      checks.push((e) => framesText(e).some((text) => pattern.test(text)))
    } else {
      const needle = filter.text
      checks.push((e) => framesText(e).some((text) => text.includes(needle)))
    }
  }
  return checks.length === 0 ? { kind: 'all' } : { kind: 'matching', test: (e) => checks.every((check) => check(e)) }
}

class LogViewState {
  filter = $state<LogFilter>({ text: '', mode: 'text', socketId: '', dir: 'any', minSize: 0 })
  compiled = $derived(compile(this.filter))

  constructor() {
    // The field filter asks the engine about the rows as they come; nothing runs while it is off.
    $effect.root(() => {
      $effect(() => {
        const { mode, text } = this.filter
        fieldFilter.sync(mode === 'fields' ? text : '', log.rows)
      })
    })
  }
  /** Rows that pass the filter, oldest first (the list shows them newest first). */
  shown = $derived.by(() => {
    const compiled = this.compiled
    return compiled.kind === 'matching' ? log.rows.filter(compiled.test) : log.rows
  })
  selection = $state.raw<Selection>({ kind: 'none' })

  async select(entry: LogEntryView): Promise<void> {
    this.selection = { kind: 'selected', entry, frames: { kind: 'loading' } }
    const result = await requireApi().call(Channel.logFrames, { entryId: entry.id })
    if (this.selection.kind !== 'selected' || this.selection.entry.id !== entry.id) return
    this.selection = {
      kind: 'selected',
      entry,
      frames: result.ok
        ? { kind: 'loaded', frames: result.value.frames.map(base64ToBytes) }
        : { kind: 'unavailable', message: result.error.message },
    }
  }

  /** Selects an entry named by id: from the rows held here, else from the engine's ring. */
  async selectId(id: number): Promise<void> {
    const held = log.follow.kind === 'paused' ? log.follow.held : []
    const found = byId(log.rows, id) ?? byId(held, id)
    if (found) return this.select(found)
    const result = await requireApi().call(Channel.logQuery, { beforeId: id + 1, limit: 1 })
    const entry = result.ok ? result.value.find((e) => e.id === id) : undefined
    if (entry) return this.select(entry)
    this.selection = {
      kind: 'missing',
      id,
      message: result.ok
        ? `message #${id} is no longer in the capture (the ring evicted it, or the log was cleared)`
        : result.error.message,
    }
  }

  clearSelection(): void {
    this.selection = { kind: 'none' }
  }

  /** The previous message of the same socket and topic, for the diff. */
  previousOf(entry: LogEntryView): LogEntryView | undefined {
    const topic = frameText(entry).split(' ')[0]
    for (let i = log.rows.indexOf(entry) - 1; i >= 0; i--) {
      const row = log.rows[i]!
      if (row.socketId === entry.socketId && row.dir === entry.dir && frameText(row).split(' ')[0] === topic) return row
    }
    return undefined
  }
}

export const logView = new LogViewState()
