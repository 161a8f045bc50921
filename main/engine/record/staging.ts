// The engine thread's side of a recording: each captured message copied once into a batch buffer, handed to
// the writer thread whole (transferred, not copied again). This copy is all recording costs per message here.
import { encodedSize, encodeInto } from './multipart'
import { STAGED_HEADER } from './writer-protocol'

const BATCH_BYTES = 1024 * 1024

export interface StagedBatch {
  buffer: ArrayBuffer
  length: number
  messages: number
}

export class Staging {
  private buffer = Buffer.allocUnsafeSlow(BATCH_BYTES)
  private at = 0
  private count = 0

  constructor(private readonly full: (batch: StagedBatch) => void) {}

  get pending(): number {
    return this.count
  }

  message(channelId: number, mono: number, frames: readonly Uint8Array[], peer: Uint8Array | undefined): number {
    const size = encodedSize(frames, peer)
    const at = this.reserve(channelId, mono, size)
    encodeInto(this.buffer, at, frames, peer)
    return size
  }

  bytes(channelId: number, mono: number, data: Uint8Array): void {
    const at = this.reserve(channelId, mono, data.length)
    this.buffer.set(data, at)
  }

  /** The staged messages as one batch (nothing when empty); a fresh buffer takes the next ones. */
  take(): StagedBatch | undefined {
    if (this.count === 0) return undefined
    const batch = { buffer: this.buffer.buffer as ArrayBuffer, length: this.at, messages: this.count }
    this.buffer = Buffer.allocUnsafeSlow(BATCH_BYTES)
    this.at = 0
    this.count = 0
    return batch
  }

  private reserve(channelId: number, mono: number, size: number): number {
    if (this.at + STAGED_HEADER + size > this.buffer.length) {
      const batch = this.take()
      if (batch !== undefined) this.full(batch)
      if (STAGED_HEADER + size > this.buffer.length) this.buffer = Buffer.allocUnsafeSlow(STAGED_HEADER + size)
    }
    const b = this.buffer
    b.writeUInt32LE(channelId, this.at)
    b.writeUInt32LE(size, this.at + 4)
    b.writeDoubleLE(mono, this.at + 8)
    this.at += STAGED_HEADER + size
    this.count++
    return this.at - size
  }
}
