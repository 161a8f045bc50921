// The last-value-per-topic table. Built only while it is open (topic text is decoded per message, which a feed
// at 50k msg/s should not pay for unseen); opening it starts from the rows the page already holds. The table
// itself is plain (lib/topic-values.ts); what the component shows is a snapshot taken at most once a frame as
// entries come, and once a second for the rates and the "last seen" of quiet topics.
import type { LogEntryView } from '../../contract/views'
import { formatTime } from '../lib/format'
import {
  addEntries,
  createTopicTable,
  engineNow,
  formatRate,
  rateOf,
  rowValue,
  socketsOf,
  sortedRows,
  type TopicRow,
} from '../lib/topic-values'
import { log } from './log.svelte'
import { sockets } from './sockets.svelte'

/** Rows drawn at most; the rest are counted under the table. */
export const TOPIC_ROWS_SHOWN = 500

export type TopicTableMode = { kind: 'closed' } | { kind: 'open' }

export interface TopicRowView {
  key: string
  socketName: string
  topic: string
  value: string
  count: number
  rate: string
  lastSeen: string
}

export interface TopicTableView {
  rows: TopicRowView[]
  /** Rows the socket filter lets through (shown or not). */
  matching: number
  /** Rows let go as least recently seen, past the table's bound. */
  evicted: number
  sockets: { socketId: string; name: string; topics: number }[]
}

export interface TopicTableProps {
  view: TopicTableView
  /** '' = every socket. */
  socket: string
  onSocket: (socketId: string) => void
  onClear: () => void
  onClose: () => void
}

const EMPTY: TopicTableView = { rows: [], matching: 0, evicted: 0, sockets: [] }

const nextFrame = (run: () => void): void => {
  if (typeof requestAnimationFrame === 'function') requestAnimationFrame(run)
  else setTimeout(run, 16)
}

class TopicValuesState {
  mode = $state.raw<TopicTableMode>({ kind: 'closed' })
  socket = $state('')
  view = $state.raw<TopicTableView>(EMPTY)

  private table = createTopicTable()
  private framePending = false
  private ticker: ReturnType<typeof setInterval> | undefined
  /** The sorted rows, kept while no row comes or goes and the filter stays. */
  private order: {
    keysVersion: number
    socket: string
    rows: TopicRow[]
    sockets: { socketId: string; topics: number }[]
  } | null = null

  /** Where batches arrive (and after a gap load): entries in id order. Ignored while the table is closed. */
  add(entries: readonly LogEntryView[]): void {
    if (this.mode.kind !== 'open' || entries.length === 0) return
    if (addEntries(this.table, entries, Date.now())) this.schedule()
  }

  show(open: boolean): void {
    if (open === (this.mode.kind === 'open')) return
    if (!open) {
      this.mode = { kind: 'closed' }
      clearInterval(this.ticker)
      this.ticker = undefined
      return
    }
    this.mode = { kind: 'open' }
    this.restart()
    this.ticker = setInterval(() => this.snapshot(), 1000)
  }

  toggle(): void {
    this.show(this.mode.kind !== 'open')
  }

  chooseSocket(socketId: string): void {
    this.socket = socketId
    this.snapshot()
  }

  /** "Clear": counts and rates start over from the rows the page holds now. */
  clear(): void {
    this.restart()
  }

  /** Another engine (the host restarted): its entry ids start over, so the table does too. */
  reset(): void {
    this.table = createTopicTable()
    this.order = null
    if (this.mode.kind === 'open') this.restart()
    else this.view = EMPTY
  }

  private restart(): void {
    this.table = createTopicTable()
    this.order = null
    const held = log.follow.kind === 'paused' ? log.follow.held : []
    addEntries(this.table, log.rows, Date.now())
    addEntries(this.table, held, Date.now())
    this.snapshot()
  }

  private schedule(): void {
    if (this.framePending) return
    this.framePending = true
    nextFrame(() => {
      this.framePending = false
      if (this.mode.kind === 'open') this.snapshot()
    })
  }

  private snapshot(): void {
    const table = this.table
    const socket = this.socket
    if (!this.order || this.order.keysVersion !== table.keysVersion || this.order.socket !== socket) {
      const present = socketsOf(table)
      // The chosen socket stays choosable after its last topic went.
      if (socket !== '' && !present.some((s) => s.socketId === socket)) present.push({ socketId: socket, topics: 0 })
      this.order = { keysVersion: table.keysVersion, socket, rows: sortedRows(table, socket), sockets: present }
    }
    const now = engineNow(table, Date.now())
    const rows = this.order.rows.slice(0, TOPIC_ROWS_SHOWN).map((row) => ({
      key: row.key,
      socketName: sockets.name(row.socketId),
      topic: row.topic,
      value: rowValue(row),
      count: row.count,
      rate: formatRate(rateOf(row, now)),
      lastSeen: formatTime(row.lastWall),
    }))
    this.view = {
      rows,
      matching: this.order.rows.length,
      evicted: table.evicted,
      sockets: this.order.sockets.map((s) => ({ ...s, name: sockets.name(s.socketId) })),
    }
  }
}

export const topicValues = new TopicValuesState()
