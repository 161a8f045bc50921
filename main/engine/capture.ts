// Byte-bounded ring of captured messages, stored without a JS object per message. zeromq.js hands every frame
// over as its own Buffer with a native finalizer; keeping a million of them cost ~2 KB per message and most of
// the GC time. So per-entry fields live in parallel typed arrays and small messages are copied into shared
// chunks (one Buffer per ~1 MiB, not per frame). Big messages keep their Buffers: copying 64 KiB costs more
// than it saves. Objects (CapturedEntry) are made only for what is read: batches, queries, exports.
import type { CaptureStats, Direction } from '../../contract/views'
import { CaptureColumns, CaptureSnapshot, LARGE, NO_PEER, PEER_IS_FIRST, SINGLE, type Large } from './capture-columns'
import type { CapturedEntry } from './capture-entry'
import { CaptureSockets } from './capture-sockets'

export const DEFAULT_RING_BYTES = 128 * 1024 * 1024
/** Messages up to this size are copied into chunks; bigger ones keep their own Buffers. */
export const INLINE_MAX = 8 * 1024
/** Per-entry cost of the typed-array fields, with room for the capacity doubling. */
export const ENTRY_BYTES = 48
/** Bookkeeping of a Buffer kept for a big message's frame. */
const FRAME_OVERHEAD = 96
const MAX_CHUNK = 1024 * 1024

/** What a big message kept as its own Buffers costs; a ROUTER's peer is its first frame, counted once. */
function largeCost(size: number, frames: Buffer[], peer: Buffer | undefined): number {
  return size + frames.length * FRAME_OVERHEAD + (peer === undefined || peer === frames[0] ? 0 : peer.length)
}

/** Chunks are at most 1/32 of the budget, so eviction (a whole chunk at a time) frees little more than needed. */
function chunkSizeFor(maxBytes: number): number {
  let size = 1024
  while (size * 2 <= maxBytes / 32 && size < MAX_CHUNK) size *= 2
  return size
}

export class CaptureRing {
  private columns = new CaptureColumns(1024)
  /** Slot of the oldest entry, and how many there are; ids are consecutive from firstId. */
  private head = 0
  private count = 0
  private nextId = 1
  private readonly chunks = new Map<number, Buffer>()
  private readonly large = new Map<number, Large>()
  /** One evicted chunk kept for the next one: allocating 1 MiB buffers at full rate costs GC time. */
  private spare: Buffer | undefined
  /** Snapshots not yet released; while any exist, evicted chunks are not reused (the snapshot reads them). */
  private pins = 0
  private writeSerial = 0
  private writeChunk: Buffer | undefined
  private writeOffset = 0
  private chunkBytes: number
  /** Memory held, whole chunks included: what the budget bounds. */
  private reserved = 0
  /** What the captured messages take (chunk fills, entries, big messages): what users are shown. */
  private used = 0
  /** How full each chunk but the one being written was when it was closed. */
  private readonly chunkFill = new Map<number, number>()
  private dropped = 0
  private readonly sockets = new CaptureSockets()

  constructor(private maxBytes: number = DEFAULT_RING_BYTES) {
    this.chunkBytes = chunkSizeFor(maxBytes)
  }

  /** Stores one message; `size` is the sum of the frame lengths. Returns its id. */
  push(socketId: string, dir: Direction, mono: number, frames: Buffer[], size: number, peer?: Buffer): number {
    if (this.count === this.columns.capacity) {
      this.columns = this.columns.grown(this.head, this.count)
      this.head = 0
    }
    const c = this.columns
    const slot = (this.head + this.count) & c.mask
    const id = this.nextId++
    c.mono[slot] = mono
    c.sizes[slot] = size
    c.sockets[slot] = this.sockets.index(socketId)
    c.dirs[slot] = dir === 'in' ? 0 : 1
    if (size > INLINE_MAX) {
      this.large.set(id, { frames, peer })
      c.chunkOf[slot] = this.writeSerial
      c.offsets[slot] = LARGE
      const cost = largeCost(size, frames, peer)
      this.reserved += cost
      this.used += cost
    } else {
      this.writeRecord(slot, frames, size, peer)
    }
    this.count++
    this.reserved += ENTRY_BYTES
    this.used += ENTRY_BYTES
    if (this.reserved > this.maxBytes) this.evictOverflow()
    return id
  }

  get lastId(): number {
    return this.nextId - 1
  }

  get firstId(): number {
    return this.nextId - this.count
  }

  get size(): number {
    return this.count
  }

  get(id: number): CapturedEntry | undefined {
    if (id < this.firstId || id >= this.nextId) return undefined
    const slot = (this.head + id - this.firstId) & this.columns.mask
    return this.columns.read(slot, id, this.chunks, this.large, this.sockets.ids)
  }

  /**
   * Entries with id > afterId, at most `limit` of the newest ones. `skipped` counts every id after afterId that
   * is not returned: left out for the limit, or already evicted (a small ring under a burst), so that every id
   * is either delivered or counted.
   */
  since(afterId: number, limit: number): { entries: CapturedEntry[]; skipped: number } {
    const wanted = Math.max(0, this.nextId - (afterId + 1))
    const available = Math.min(wanted, this.count)
    const take = Math.min(available, limit)
    const entries: CapturedEntry[] = []
    for (let id = this.nextId - take; id < this.nextId; id++) entries.push(this.get(id)!)
    return { entries, skipped: wanted - take }
  }

  /** Up to `limit` entries older than `beforeId` (oldest first), optionally of one socket. */
  query(beforeId: number | undefined, limit: number, socketId?: string): CapturedEntry[] {
    const wanted = socketId === undefined ? -1 : (this.sockets.find(socketId) ?? -2)
    if (wanted === -2) return []
    const result: CapturedEntry[] = []
    const c = this.columns
    for (let id = Math.min(beforeId ?? this.nextId, this.nextId) - 1; id >= this.firstId; id--) {
      if (result.length >= limit) break
      const slot = (this.head + id - this.firstId) & c.mask
      if (wanted < 0 || c.sockets[slot] === wanted) {
        result.push(c.read(slot, id, this.chunks, this.large, this.sockets.ids))
      }
    }
    return result.reverse()
  }

  /** A frozen copy of the index, sharing the chunks (pinned against reuse until released), to read while capture goes on. */
  snapshot(socketId?: string): CaptureSnapshot {
    const wanted = socketId === undefined ? undefined : (this.sockets.find(socketId) ?? -1)
    const columns = this.columns.unwrapped(this.head, this.count)
    this.pins++
    this.spare = undefined
    let released = false
    const release = (): void => {
      if (!released) this.pins--
      released = true
    }
    return new CaptureSnapshot(
      columns,
      this.firstId,
      this.count,
      new Map(this.chunks),
      new Map(this.large),
      [...this.sockets.ids],
      wanted,
      release,
    )
  }

  resize(maxBytes: number): void {
    this.maxBytes = maxBytes
    this.chunkBytes = chunkSizeFor(maxBytes)
    this.evictOverflow()
  }

  clear(): void {
    this.head = 0
    this.count = 0
    this.chunks.clear()
    this.large.clear()
    this.writeChunk = undefined
    this.spare = undefined
    this.chunkFill.clear()
    this.reserved = 0
    this.used = 0
  }

  stats(skippedInBatches: number): CaptureStats {
    return {
      maxBytes: this.maxBytes,
      bytes: this.used,
      entries: this.count,
      dropped: this.dropped,
      skippedInBatches,
      lastId: this.lastId,
    }
  }

  /** Entries of this socket the ring has dropped (its `ringDrops` counter). */
  dropsOf(socketId: string): number {
    return this.sockets.dropsOf(socketId)
  }

  /** Sockets whose drop count moved since the last call, so that their counters are delivered again. */
  takeDropsMoved(): ReadonlySet<string> {
    return this.sockets.takeDropsMoved()
  }

  /**
   * Record layout: a single frame without a peer (the common case) is just its bytes. Otherwise a header
   * first: the peer length (or a marker), each frame's length; then the peer, then the frames.
   */
  private writeRecord(slot: number, frames: Buffer[], size: number, peer: Buffer | undefined): void {
    const single = frames.length === 1 && peer === undefined
    const peerIsFirst = peer !== undefined && peer === frames[0]
    const peerBytes = peer === undefined || peerIsFirst ? 0 : peer.length
    const need = single ? size : 4 + 4 * frames.length + peerBytes + size
    if (this.writeChunk === undefined || this.writeOffset + need > this.writeChunk.length) this.newChunk(need)
    this.used += need
    const chunk = this.writeChunk!
    let at = this.writeOffset
    const c = this.columns
    c.chunkOf[slot] = this.writeSerial
    c.offsets[slot] = at
    c.frameCounts[slot] = single ? SINGLE : frames.length
    if (single) {
      chunk.set(frames[0]!, at)
      this.writeOffset = at + size
      return
    }
    at = chunk.writeUInt32LE(peer === undefined ? NO_PEER : peerIsFirst ? PEER_IS_FIRST : peerBytes, at)
    for (const frame of frames) at = chunk.writeUInt32LE(frame.length, at)
    if (peer !== undefined && !peerIsFirst) {
      chunk.set(peer, at)
      at += peerBytes
    }
    for (const frame of frames) {
      chunk.set(frame, at)
      at += frame.length
    }
    this.writeOffset = at
  }

  private newChunk(need: number): void {
    if (this.writeChunk !== undefined) this.chunkFill.set(this.writeSerial, this.writeOffset)
    const size = Math.max(this.chunkBytes, need)
    const spare = this.spare
    this.spare = undefined
    this.writeChunk = spare !== undefined && spare.length === size ? spare : Buffer.allocUnsafeSlow(size)
    this.writeOffset = 0
    this.chunks.set(++this.writeSerial, this.writeChunk)
    this.reserved += this.writeChunk.length
  }

  private evictOverflow(): void {
    // Keep at least the newest entry even if it alone exceeds the budget: it was captured, so it is shown.
    const c = this.columns
    while (this.reserved > this.maxBytes && this.count > 1) {
      const slot = this.head
      const id = this.firstId
      const chunk = c.chunkOf[slot]!
      if (c.offsets[slot] === LARGE) {
        const large = this.large.get(id)!
        this.large.delete(id)
        const cost = largeCost(c.sizes[slot]!, large.frames, large.peer)
        this.reserved -= cost
        this.used -= cost
      }
      this.reserved -= ENTRY_BYTES
      this.used -= ENTRY_BYTES
      this.head = (this.head + 1) & c.mask
      this.count--
      this.dropped++
      const socket = c.sockets[slot]!
      this.sockets.dropped(socket)
      // Entries are in chunk order: once the oldest entry is past a chunk, nothing refers to it any more.
      if (chunk !== 0 && chunk !== this.writeSerial && c.chunkOf[this.head] !== chunk) {
        const freed = this.chunks.get(chunk)!
        this.reserved -= freed.length
        this.used -= this.chunkFill.get(chunk)!
        this.chunkFill.delete(chunk)
        this.chunks.delete(chunk)
        if (this.pins === 0) this.spare = freed
      }
    }
  }
}
