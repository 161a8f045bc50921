// The last-value-per-topic table: one row per (socket, topic) with the newest value's text, a count and a rate,
// built from the log entries the page receives. Topic: frame 0 of a multipart message, else the first word of a
// one-frame text ("10001 23 45" is topic "10001", value "23 45"). Plain objects; the store snapshots them.
import { toHex } from '../../contract/hex'
import type { FrameView, LogEntryView } from '../../contract/views'

/** Rows kept at most; past it the least recently seen go (a tenth at a time), and are counted. */
export const MAX_TOPICS = 5_000
/** The rate is taken over this many whole seconds (fewer for a topic seen more recently than that). */
export const RATE_SECONDS = 5
const TOPIC_CHARS = 120
const VALUE_CHARS = 200
/** Base64 characters decoded per frame: 300 bytes, enough for the text shown. */
const B64_CHARS = 400

export interface TopicRow {
  readonly key: string
  readonly socketId: string
  readonly topic: string
  /** Topics that read as whole numbers (zip codes) sort as numbers. */
  readonly order: number
  /** The newest message; its value is read when the row is shown (`value` caches it for `valueOf`). */
  last: Pick<LogEntryView, 'frames'>
  value: string
  valueOf: Pick<LogEntryView, 'frames'> | null
  count: number
  /** The table's `seen` when this row last updated: the least recently seen go first. */
  seen: number
  firstWall: number
  lastWall: number
  /**
   * Messages per second, a ring by second: slot i is `seconds[2i]` (the second) and `seconds[2i + 1]` (its
   * count). One plain array: a feed of new topics makes one row a message, and typed arrays cost more to make.
   */
  readonly seconds: number[]
}

export interface TopicTable {
  readonly max: number
  readonly rows: Map<string, TopicRow>
  /** Entries taken, the clock of `TopicRow.seen`. */
  seen: number
  /** Rows let go past `max`. */
  evicted: number
  /** Bumped when a row comes or goes (not when one updates): the sorted order is rebuilt only then. */
  keysVersion: number
  /** Highest entry id taken: a batch that overlaps a seed is counted once. */
  lastId: number
  /** The newest entry's wall time and the page's clock when it came: the engine's "now" without clock skew. */
  latestWall: number
  latestLocal: number
}

export function createTopicTable(max = MAX_TOPICS): TopicTable {
  const counters = { seen: 0, evicted: 0, keysVersion: 0, lastId: 0, latestWall: -Infinity, latestLocal: 0 }
  return { max, rows: new Map(), ...counters }
}

const lenient = new TextDecoder('utf-8')
// eslint-disable-next-line no-control-regex
const BINARY = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffd]/

function clip(text: string, max: number, more: boolean): string {
  return text.length > max ? `${text.slice(0, max)}…` : more ? `${text}…` : text
}

/** A frame's preview as text, or `0x…` hex when it is not text. */
export function frameValueText(frame: FrameView, max = VALUE_CHARS): string {
  const read = readFrame(frame, B64_CHARS)
  return read.binary ? hexOf(read, max) : clip(read.text, max, read.more)
}

/** `raw`: the bytes read, a char each (atob's string); `more`: the frame goes on past them. */
type Read = { text: string; raw: string; binary: boolean; more: boolean }

const PLAIN_ASCII = /^[\u0020-\u007e\t\n\r]*$/

function readFrame(frame: FrameView, b64Chars: number): Read {
  const cut = frame.b64.length > b64Chars
  const raw = atob(cut ? frame.b64.slice(0, b64Chars) : frame.b64)
  const more = cut || frame.truncated
  // Most topics and values are plain ASCII: atob's string is then the text, without a UTF-8 decode.
  if (PLAIN_ASCII.test(raw)) return { text: raw, raw, binary: false, more }
  const bytes = new Uint8Array(raw.length)
  for (let i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i)
  let text = lenient.decode(bytes)
  // A cut through a multi-byte character leaves one replacement character at the end: not a sign of binary.
  if (cut && text.endsWith('\ufffd')) text = text.slice(0, -1)
  return { text, raw, binary: BINARY.test(text), more }
}

function hexOf(read: Read, max: number): string {
  const shown = Math.min(16, read.raw.length)
  const bytes = new Uint8Array(shown)
  for (let i = 0; i < shown; i++) bytes[i] = read.raw.charCodeAt(i)
  return clip(`0x${toHex(bytes)}`, max, read.more || read.raw.length > 16)
}

/** Base64 characters read first for a one-frame message's topic: 48 bytes hold most first words. */
const HEAD_B64 = 64
const FIRST_WORD = /^\s*(\S*)/

/**
 * The topic alone, from as few bytes as it takes: every message captured while the table is open pays for this;
 * the value is read only for the rows on screen (`rowValue`).
 */
export function topicKey(entry: Pick<LogEntryView, 'frames'>): string {
  const frames = entry.frames
  const first = frames[0]
  if (!first) return ''
  if (frames.length > 1) return frameValueText(first, TOPIC_CHARS)
  let read = readFrame(first, HEAD_B64)
  // The first word runs past the head: read the whole preview.
  if (!read.binary && read.more && !/^\s*\S*\s/.test(read.text)) read = readFrame(first, B64_CHARS)
  if (read.binary) return '(binary)'
  return clip(FIRST_WORD.exec(read.text)![1]!, TOPIC_CHARS, false)
}

/** The value shown beside the topic: the frames after frame 0, or a one-frame text after its first word. */
export function valueText(entry: Pick<LogEntryView, 'frames'>): string {
  const frames = entry.frames
  const first = frames[0]
  if (!first) return ''
  const rest = frames.slice(1)
  if (rest.length > 0) return rest.map((f) => (f.size === 0 ? '∅' : frameValueText(f))).join(' | ')
  const read = readFrame(first, B64_CHARS)
  if (read.binary) return hexOf(read, VALUE_CHARS)
  return clip(read.text.replace(/^\s*\S*\s*/, '').trimEnd(), VALUE_CHARS, read.more)
}

export function topicOf(entry: Pick<LogEntryView, 'frames'>): { topic: string; value: string } {
  return { topic: topicKey(entry), value: valueText(entry) }
}

/** A row's last value as text, read once per message that row last had. */
export function rowValue(row: TopicRow): string {
  if (row.valueOf !== row.last) {
    row.valueOf = row.last
    row.value = valueText(row.last)
  }
  return row.value
}

const orderOf = (topic: string): number => (/^\d{1,15}$/.test(topic) ? Number(topic) : NaN)

const SLOTS = RATE_SECONDS + 1

/** Entries in id order; older ids than already taken are skipped. `localNow`: the page's clock. */
export function addEntries(table: TopicTable, entries: readonly LogEntryView[], localNow: number): boolean {
  let changed = false
  for (const entry of entries) {
    if (entry.id <= table.lastId) continue
    table.lastId = entry.id
    changed = true
    const topic = topicKey(entry)
    const key = `${entry.socketId}\u0000${topic}`
    let row = table.rows.get(key)
    if (!row) {
      row = {
        key,
        socketId: entry.socketId,
        topic,
        order: orderOf(topic),
        last: entry,
        value: '',
        valueOf: null,
        count: 0,
        seen: ++table.seen,
        firstWall: entry.wall,
        lastWall: entry.wall,
        seconds: [NaN, 0, NaN, 0, NaN, 0, NaN, 0, NaN, 0, NaN, 0],
      }
      table.rows.set(key, row)
      table.keysVersion++
      if (table.rows.size > table.max) evict(table)
    } else {
      row.seen = ++table.seen
    }
    row.last = entry
    row.count++
    row.lastWall = Math.max(row.lastWall, entry.wall)
    const second = Math.floor(entry.wall / 1000)
    const slot = 2 * (((second % SLOTS) + SLOTS) % SLOTS)
    if (row.seconds[slot] !== second) row.seconds.splice(slot, 2, second, 0)
    row.seconds[slot + 1]!++
    if (entry.wall >= table.latestWall) {
      table.latestWall = entry.wall
      table.latestLocal = localNow
    }
  }
  return changed
}

/**
 * Past the bound, the least recently seen go down to nine tenths of it at once (the row just added stays): a
 * feed of ever-new topics pays for one sort every max/10 new rows, not one per message.
 */
function evict(table: TopicTable): void {
  const seen = new Float64Array(table.rows.size)
  let i = 0
  for (const row of table.rows.values()) seen[i++] = row.seen
  seen.sort()
  const drop = Math.min(seen.length - 1, table.rows.size - (table.max - Math.floor(table.max / 10)))
  if (drop < 1) return
  const cut = seen[drop - 1]!
  for (const [key, row] of table.rows) {
    if (row.seen <= cut) {
      table.rows.delete(key)
      table.evicted++
    }
  }
  table.keysVersion++
}

/** The engine's clock now, from the newest entry's time plus what the page's clock says has passed since. */
export function engineNow(table: TopicTable, localNow: number): number {
  return Number.isFinite(table.latestWall) ? table.latestWall + (localNow - table.latestLocal) : localNow
}

/**
 * Messages a second over the last RATE_SECONDS whole seconds before `now` (engine clock), or fewer seconds for
 * a topic first seen more recently; undefined before one whole second has passed since it was first seen.
 */
export function rateOf(row: TopicRow, now: number): number | undefined {
  const second = Math.floor(now / 1000)
  const span = Math.min(RATE_SECONDS, second - Math.floor(row.firstWall / 1000))
  if (span <= 0) return undefined
  let sum = 0
  for (let i = 0; i < row.seconds.length; i += 2) {
    const stamp = row.seconds[i]!
    if (stamp >= second - span && stamp < second) sum += row.seconds[i + 1]!
  }
  return sum / span
}

const text = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

export function compareRows(a: TopicRow, b: TopicRow): number {
  const an = !Number.isNaN(a.order)
  const bn = !Number.isNaN(b.order)
  if (an !== bn) return an ? -1 : 1
  return (an ? a.order - b.order : 0) || text(a.topic, b.topic) || text(a.socketId, b.socketId)
}

/** The rows of one socket ('' = every socket), sorted by topic. */
export function sortedRows(table: TopicTable, socketId: string): TopicRow[] {
  const rows: TopicRow[] = []
  for (const row of table.rows.values()) if (socketId === '' || row.socketId === socketId) rows.push(row)
  return rows.sort(compareRows)
}

/** Socket ids with rows, and how many topics each has. */
export function socketsOf(table: TopicTable): { socketId: string; topics: number }[] {
  const counts = new Map<string, number>()
  for (const row of table.rows.values()) counts.set(row.socketId, (counts.get(row.socketId) ?? 0) + 1)
  return [...counts].sort((a, b) => text(a[0], b[0])).map(([socketId, topics]) => ({ socketId, topics }))
}

export function formatRate(rate: number | undefined): string {
  if (rate === undefined) return '–'
  return rate < 10 ? rate.toFixed(1) : String(Math.round(rate))
}
