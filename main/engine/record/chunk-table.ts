// Where each message of an MCAP file is, without reading a chunk: a chunk's message count per channel follows
// from the length of its message index records (15 bytes of header, 16 per message), so positions and times
// are found from the summary alone. Event messages are on their own channel and left out.
import type { McapTypes } from '@mcap/core'

/** opcode (1) + record length (8) + channel id (2) + array length (4) */
const INDEX_RECORD_HEADER = 15n
const INDEX_ENTRY = 16n

/** A chunk as the table takes it: where it is, and how many messages of each channel it holds. */
export interface IndexedChunk {
  index: McapTypes.ChunkIndex
  counts: ReadonlyMap<number, number>
}

export interface ChunkEntry extends IndexedChunk {
  /** Position (0-based, traffic messages only) of the chunk's first message. */
  first: number
  count: number
  /** 1-based, in file order: how an error names the chunk. */
  number: number
}

/** Entries of a message index record `length` bytes long (its header included). */
export function entriesOf(length: bigint): number {
  return Number((length - INDEX_RECORD_HEADER) / INDEX_ENTRY)
}

export function countsByChannel(chunk: McapTypes.ChunkIndex): Map<number, number> {
  const offsets = [...chunk.messageIndexOffsets.entries()].sort((a, b) => (a[1] < b[1] ? -1 : 1))
  const end = chunk.chunkStartOffset + chunk.chunkLength + chunk.messageIndexLength
  const counts = new Map<number, number>()
  offsets.forEach(([channelId, offset], i) => counts.set(channelId, entriesOf((offsets[i + 1]?.[1] ?? end) - offset)))
  return counts
}

const byTime = (a: IndexedChunk, b: IndexedChunk): number =>
  a.index.messageStartTime < b.index.messageStartTime
    ? -1
    : a.index.messageStartTime > b.index.messageStartTime
      ? 1
      : a.index.chunkStartOffset < b.index.chunkStartOffset
        ? -1
        : 1

export class ChunkTable {
  readonly chunks: ChunkEntry[] = []
  readonly total: number

  constructor(chunks: readonly IndexedChunk[], traffic: (channelId: number) => boolean) {
    const inFile = [...chunks].sort((a, b) => (a.index.chunkStartOffset < b.index.chunkStartOffset ? -1 : 1))
    const numbers = new Map(inFile.map((c, i) => [c, i + 1]))
    let first = 0
    for (const chunk of [...chunks].sort(byTime)) {
      let count = 0
      for (const [channelId, n] of chunk.counts) if (traffic(channelId)) count += n
      if (count === 0) continue
      this.chunks.push({ ...chunk, first, count, number: numbers.get(chunk)! })
      first += count
    }
    this.total = first
  }

  /** The chunk holding `position`, by binary search over the chunks' first positions. */
  chunkAt(position: number): number {
    let low = 0
    let high = this.chunks.length - 1
    while (low < high) {
      const middle = (low + high + 1) >> 1
      if (this.chunks[middle]!.first <= position) low = middle
      else high = middle - 1
    }
    return low
  }

  /** The first chunk whose messages reach `ns` (or the last chunk). */
  chunkAtTime(ns: bigint): number {
    const i = this.chunks.findIndex((c) => c.index.messageEndTime >= ns)
    return i < 0 ? this.chunks.length - 1 : i
  }

  /** Messages per equal time slice, each chunk's count spread evenly over its time span. */
  density(startNs: bigint, endNs: bigint, bins: number): number[] {
    const out = new Array<number>(bins).fill(0)
    const span = Number(endNs - startNs) || 1
    const bin = (ns: bigint): number =>
      Math.min(bins - 1, Math.max(0, Math.floor((Number(ns - startNs) / span) * bins)))
    for (const c of this.chunks) {
      const from = bin(c.index.messageStartTime)
      const to = bin(c.index.messageEndTime)
      const each = c.count / (to - from + 1)
      for (let b = from; b <= to; b++) out[b]! += each
    }
    return roundKeepingSum(out)
  }
}

/** Whole numbers that add up to the rounded sum of `values`: the largest remainders take the spare units. */
export function roundKeepingSum(values: readonly number[]): number[] {
  const floors = values.map((v) => Math.floor(v))
  let spare = Math.round(values.reduce((a, v) => a + v, 0)) - floors.reduce((a, v) => a + v, 0)
  const order = values.map((v, i) => [v - floors[i]!, i] as const).sort((a, b) => b[0] - a[0])
  for (const [, i] of order) {
    if (spare-- <= 0) break
    floors[i]!++
  }
  return floors
}
