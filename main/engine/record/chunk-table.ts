// Where each message of an indexed MCAP file is, from the summary alone: a chunk's message count per channel
// follows from the length of its message index records (15 bytes of header, 16 per message), so positions and
// times are found without reading a single chunk. Event messages are on their own channel and left out.
import type { McapTypes } from '@mcap/core'

/** opcode (1) + record length (8) + channel id (2) + array length (4) */
const INDEX_RECORD_HEADER = 15n
const INDEX_ENTRY = 16n

export interface ChunkEntry {
  index: McapTypes.ChunkIndex
  /** Position (0-based, traffic messages only) of the chunk's first message. */
  first: number
  count: number
}

export function countsByChannel(chunk: McapTypes.ChunkIndex): Map<number, number> {
  const offsets = [...chunk.messageIndexOffsets.entries()].sort((a, b) => (a[1] < b[1] ? -1 : 1))
  const end = chunk.chunkStartOffset + chunk.chunkLength + chunk.messageIndexLength
  const counts = new Map<number, number>()
  offsets.forEach(([channelId, offset], i) => {
    const length = (offsets[i + 1]?.[1] ?? end) - offset
    counts.set(channelId, Number((length - INDEX_RECORD_HEADER) / INDEX_ENTRY))
  })
  return counts
}

export class ChunkTable {
  readonly chunks: ChunkEntry[] = []
  readonly total: number

  constructor(indexes: readonly McapTypes.ChunkIndex[], traffic: (channelId: number) => boolean) {
    let first = 0
    const sorted = [...indexes].sort((a, b) =>
      a.messageStartTime < b.messageStartTime ? -1 : a.messageStartTime > b.messageStartTime ? 1 : 0,
    )
    for (const index of sorted) {
      let count = 0
      for (const [channelId, n] of countsByChannel(index)) if (traffic(channelId)) count += n
      if (count === 0) continue
      this.chunks.push({ index, first, count })
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
    return out.map((n) => Math.round(n))
  }
}
