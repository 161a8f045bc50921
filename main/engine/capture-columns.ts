// The capture ring's per-entry fields as parallel typed arrays (a power-of-two circular buffer), and how an
// entry is read back out of them into the object the rest of the engine uses.
import { performance } from 'node:perf_hooks'
import type { CapturedEntry } from './capture-entry'

/** `offsets` value of an entry whose frames are kept as their own Buffers (in the ring's `large` map). */
export const LARGE = 0xffffffff
/** Record peer-length values that are not lengths: no peer, or the peer is the first frame (ROUTER). */
export const NO_PEER = 0xffffffff
export const PEER_IS_FIRST = 0xfffffffe
/** `frameCounts` value of a single-frame message without a peer, stored as its bytes alone (no header). */
export const SINGLE = 0xffffffff

export interface Large {
  frames: Buffer[]
  peer: Buffer | undefined
}

export class CaptureColumns {
  readonly mask: number
  readonly mono: Float64Array
  readonly sizes: Float64Array
  readonly sockets: Uint32Array
  readonly dirs: Uint8Array
  readonly frameCounts: Uint32Array
  /** Serial number of the chunk holding the record (0: none yet) and the record's offset in it. */
  readonly chunkOf: Uint32Array
  readonly offsets: Uint32Array

  constructor(readonly capacity: number) {
    this.mask = capacity - 1
    this.mono = new Float64Array(capacity)
    this.sizes = new Float64Array(capacity)
    this.sockets = new Uint32Array(capacity)
    this.dirs = new Uint8Array(capacity)
    this.frameCounts = new Uint32Array(capacity)
    this.chunkOf = new Uint32Array(capacity)
    this.offsets = new Uint32Array(capacity)
  }

  /** Twice the capacity, entries moved so the oldest is at slot 0. */
  grown(head: number, count: number): CaptureColumns {
    return this.copy(head, count, this.capacity * 2)
  }

  /** Exactly `count` entries (rounded up to a power of two), oldest at slot 0. */
  unwrapped(head: number, count: number): CaptureColumns {
    let capacity = 1
    while (capacity < count) capacity *= 2
    return this.copy(head, count, capacity)
  }

  read(
    slot: number,
    id: number,
    chunks: ReadonlyMap<number, Buffer>,
    large: ReadonlyMap<number, Large>,
    socketIds: readonly string[],
  ): CapturedEntry {
    const mono = this.mono[slot]!
    const entry: CapturedEntry = {
      id,
      socketId: socketIds[this.sockets[slot]!]!,
      dir: this.dirs[slot] === 0 ? 'in' : 'out',
      mono,
      wall: performance.timeOrigin + mono,
      frames: [],
      size: this.sizes[slot]!,
    }
    const offset = this.offsets[slot]!
    if (offset === LARGE) {
      const kept = large.get(id)!
      entry.frames = kept.frames
      if (kept.peer) entry.peer = kept.peer
      return entry
    }
    const chunk = chunks.get(this.chunkOf[slot]!)!
    const frameCount = this.frameCounts[slot]!
    if (frameCount === SINGLE) {
      entry.frames.push(chunk.subarray(offset, offset + entry.size))
      return entry
    }
    const peerLength = chunk.readUInt32LE(offset)
    let at = offset + 4 + 4 * frameCount
    if (peerLength !== NO_PEER && peerLength !== PEER_IS_FIRST) {
      entry.peer = chunk.subarray(at, at + peerLength)
      at += peerLength
    }
    for (let i = 0; i < frameCount; i++) {
      const length = chunk.readUInt32LE(offset + 4 + 4 * i)
      entry.frames.push(chunk.subarray(at, at + length))
      at += length
    }
    if (peerLength === PEER_IS_FIRST) entry.peer = entry.frames[0]!
    return entry
  }

  private copy(head: number, count: number, capacity: number): CaptureColumns {
    const next = new CaptureColumns(capacity)
    const firstPart = Math.min(count, this.capacity - head)
    for (const key of ['mono', 'sizes', 'sockets', 'dirs', 'frameCounts', 'chunkOf', 'offsets'] as const) {
      const from = this[key]
      const to = next[key]
      to.set(from.subarray(head, head + firstPart), 0)
      to.set(from.subarray(0, count - firstPart), firstPart)
    }
    return next
  }
}

/** The ring's entries at one moment, readable while capture (and eviction) goes on, until released. */
export class CaptureSnapshot implements Iterable<CapturedEntry> {
  constructor(
    private readonly columns: CaptureColumns,
    private readonly firstId: number,
    private readonly count: number,
    private readonly chunks: ReadonlyMap<number, Buffer>,
    private readonly large: ReadonlyMap<number, Large>,
    private readonly socketIds: readonly string[],
    /** Only this socket's entries (its index), or all. */
    private readonly socketIndex: number | undefined,
    /** Lets the ring reuse chunks again; call when done reading. */
    readonly release: () => void,
  ) {}

  /** Entries in the snapshot (all sockets'): an upper bound of what iterating yields. */
  get size(): number {
    return this.count
  }

  *[Symbol.iterator](): Iterator<CapturedEntry> {
    for (let slot = 0; slot < this.count; slot++) {
      if (this.socketIndex !== undefined && this.columns.sockets[slot] !== this.socketIndex) continue
      yield this.columns.read(slot, this.firstId + slot, this.chunks, this.large, this.socketIds)
    }
  }
}
