// Byte-bounded ring of captured messages. Frames stay as Buffers; views for the renderer are made only for
// what is actually sent out (a batch, a query), never per message on arrival.
import type { CaptureStats, LogEntryView } from '../../preload/views'

export interface CapturedEntry {
  id: number
  socketId: string
  dir: 'in' | 'out'
  mono: number
  wall: number
  frames: Buffer[]
  size: number
  peer?: Buffer
}

export type NewEntry = Omit<CapturedEntry, 'id'>

/** Rough per-entry bookkeeping cost, so a flood of tiny messages is bounded too, not just big ones. */
const ENTRY_OVERHEAD = 120
const FRAME_OVERHEAD = 80
export const DEFAULT_RING_BYTES = 128 * 1024 * 1024
export const PREVIEW_BYTES = 1024

export function entryCost(entry: NewEntry): number {
  return ENTRY_OVERHEAD + entry.size + entry.frames.length * FRAME_OVERHEAD
}

export class CaptureRing {
  private slots: (CapturedEntry | undefined)[] = []
  private start = 0
  private bytes = 0
  private dropped = 0
  private nextId = 1

  constructor(
    private maxBytes: number = DEFAULT_RING_BYTES,
    private readonly onEvict: (entry: CapturedEntry) => void = () => {},
  ) {}

  push(entry: NewEntry & { id?: number }): CapturedEntry {
    // One object per message: the caller's is completed in place rather than copied.
    const stored = entry as CapturedEntry
    stored.id = this.nextId++
    this.slots.push(stored)
    this.bytes += entryCost(stored)
    this.evictOverflow()
    return stored
  }

  get lastId(): number {
    return this.nextId - 1
  }

  get firstId(): number {
    return this.slots[this.start]?.id ?? this.nextId
  }

  get size(): number {
    return this.slots.length - this.start
  }

  get(id: number): CapturedEntry | undefined {
    const index = this.start + (id - this.firstId)
    return index >= this.start && index < this.slots.length ? this.slots[index] : undefined
  }

  /** Entries with id > afterId, at most `limit` of the newest ones; `skipped` says how many were left out. */
  since(afterId: number, limit: number): { entries: CapturedEntry[]; skipped: number } {
    const from = Math.max(afterId + 1, this.firstId)
    const available = this.nextId - from
    const take = Math.min(available, limit)
    const entries: CapturedEntry[] = []
    for (let id = this.nextId - take; id < this.nextId; id++) {
      const entry = this.get(id)
      if (entry) entries.push(entry)
    }
    return { entries, skipped: Math.max(0, available - take) }
  }

  /** Up to `limit` entries older than `beforeId` (oldest first), optionally of one socket. */
  query(beforeId: number | undefined, limit: number, socketId?: string): CapturedEntry[] {
    const result: CapturedEntry[] = []
    let index = this.start + ((beforeId ?? this.nextId) - this.firstId) - 1
    index = Math.min(index, this.slots.length - 1)
    for (; index >= this.start && result.length < limit; index--) {
      const entry = this.slots[index]
      if (entry && (socketId === undefined || entry.socketId === socketId)) result.push(entry)
    }
    return result.reverse()
  }

  resize(maxBytes: number): void {
    this.maxBytes = maxBytes
    this.evictOverflow()
  }

  clear(): void {
    this.slots = []
    this.start = 0
    this.bytes = 0
  }

  stats(skippedInBatches: number): CaptureStats {
    return {
      maxBytes: this.maxBytes,
      bytes: this.bytes,
      entries: this.size,
      dropped: this.dropped,
      skippedInBatches,
      lastId: this.lastId,
    }
  }

  private evictOverflow(): void {
    // Keep at least the newest entry even if it alone exceeds the budget: it was captured, so it is shown.
    while (this.bytes > this.maxBytes && this.size > 1) {
      const oldest = this.slots[this.start]
      this.slots[this.start] = undefined
      this.start++
      if (oldest) {
        this.bytes -= entryCost(oldest)
        this.dropped++
        this.onEvict(oldest)
      }
    }
    // Compact occasionally so the array does not grow without bound; amortised O(1) per entry.
    if (this.start > 4096 && this.start * 2 > this.slots.length) {
      this.slots = this.slots.slice(this.start)
      this.start = 0
    }
  }
}

export function toView(entry: CapturedEntry, previewBytes: number = PREVIEW_BYTES): LogEntryView {
  const view: LogEntryView = {
    id: entry.id,
    socketId: entry.socketId,
    dir: entry.dir,
    mono: entry.mono,
    wall: entry.wall,
    size: entry.size,
    frames: entry.frames.map((frame) => ({
      size: frame.length,
      b64: frame.subarray(0, previewBytes).toString('base64'),
      truncated: frame.length > previewBytes,
    })),
  }
  if (entry.peer) view.peer = entry.peer.toString('hex')
  return view
}
