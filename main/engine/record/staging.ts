// The engine thread's side of a recording: each captured message copied once into a batch buffer, laid out as
// the MCAP message record it becomes (writer-protocol.ts), handed to the writer thread whole (transferred, not
// copied again) and handed back once written, so that batch buffers are filled again rather than allocated.
// This copy is all recording costs per message here.
import { encodedSize, encodeInto } from './multipart'
import { STAGED_HEADER } from './writer-protocol'

const BATCH_BYTES = 1024 * 1024
/** Buffers handed back and kept for the next batches; more in flight than this are left to the GC. */
const SPARES = 4
const MESSAGE_OPCODE = 0x05

export interface StagedBatch {
  buffer: ArrayBuffer
  length: number
  messages: number
}

export class Staging {
  private readonly spares: ArrayBuffer[] = []
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

  /** The staged messages as one batch (nothing when empty); another buffer takes the next ones. */
  take(): StagedBatch | undefined {
    if (this.count === 0) return undefined
    const batch = { buffer: this.buffer.buffer as ArrayBuffer, length: this.at, messages: this.count }
    const spare = this.spares.pop()
    this.buffer = spare !== undefined ? Buffer.from(spare) : Buffer.allocUnsafeSlow(BATCH_BYTES)
    this.at = 0
    this.count = 0
    return batch
  }

  /** A written batch's buffer, back from the writer. */
  recycle(buffer: ArrayBuffer): void {
    if (buffer.byteLength === BATCH_BYTES && this.spares.length < SPARES) this.spares.push(buffer)
  }

  private reserve(channelId: number, mono: number, size: number): number {
    if (this.at + STAGED_HEADER + size > this.buffer.length) {
      const batch = this.take()
      if (batch !== undefined) this.full(batch)
      if (STAGED_HEADER + size > this.buffer.length) this.buffer = Buffer.allocUnsafeSlow(STAGED_HEADER + size)
    }
    const b = this.buffer
    const at = this.at
    b[at] = MESSAGE_OPCODE
    b.writeUInt32LE(size + STAGED_HEADER - 9, at + 1)
    b.writeUInt32LE(0, at + 5)
    b.writeUInt16LE(channelId, at + 9)
    b.writeDoubleLE(mono, at + 15)
    this.at = at + STAGED_HEADER + size
    this.count++
    return this.at - size
  }
}
