// An MCAP writer whose open chunk can be written out on a timer. @mcap/core 2.2.2's McapWriter closes a chunk
// only when it is full, so a recorder killed at 10 msg/s would lose minutes; crash safety needs "at most ~1 s".
// The records around the messages (header, channels, chunks, indexes, summary) are the library's own builder's;
// message records and their index entries are ours, because they are the per-message cost of a recording on a
// two-core machine: staged messages arrive already laid out as MCAP message records (writer-protocol.ts), so a
// message costs a few number writes in place and one bulk copy per batch, with no BigInt and no object per
// message. Callers await each call before the next, as with McapWriter.
import { McapRecordBuilder, Opcode, type McapTypes } from '@mcap/core'
import type { FileHandle } from 'node:fs/promises'
import { crc32 } from 'node:zlib'
import { STAGED_HEADER } from './writer-protocol'

export type Compressor = (data: Uint8Array) => { compression: string; data: Uint8Array }
export const NO_COMPRESSION: Compressor = (data) => ({ compression: '', data })

export interface WriterOptions {
  /** A chunk is written once its records pass this many bytes (or on flush). */
  chunkBytes: number
  compress: Compressor
  /** Epoch ns that staged messages' receive times (ms) count from; addMessage's first log time otherwise. */
  originNs?: bigint
}

type Channel = McapTypes.Channel

const TWO_32 = 4294967296
/** opcode (1) + record length (8) + channel id (2) + records byte length (4) */
const INDEX_HEADER = 15

/** A channel's message index in the open chunk: [log time - base (ns), offset in the chunk] pairs. */
interface ChannelState {
  channel: Channel
  count: number
  inChunk: boolean
  index: Float64Array
  indexed: number
}

export class FlushableMcapWriter {
  private readonly records = new McapRecordBuilder()
  /** Channel records for the open chunk. */
  private readonly chunkRecords = new McapRecordBuilder()
  private offset = 0
  private readonly channels = new Map<number, ChannelState>()
  private last: ChannelState | undefined
  private readonly chunkIndexes: McapTypes.ChunkIndex[] = []
  private readonly metadataIndexes: McapTypes.MetadataIndex[] = []
  private metadataCount = 0
  /** Log times are kept as ns after `base` (exact as numbers for 104 days) and written as u64 lo/hi words. */
  private base: bigint | undefined
  private baseLo = 0
  private baseHi = 0
  private chunk: Buffer
  private chunkLength = 0
  private chunkMessages = 0
  private chunkStart = 0
  private chunkEnd = 0
  private messageCount = 0
  private fileStart = 0
  private fileEnd = 0
  private sequence = 0

  constructor(
    private readonly file: FileHandle,
    private readonly options: WriterOptions,
  ) {
    this.chunk = Buffer.allocUnsafe(options.chunkBytes + 64 * 1024)
    if (options.originNs !== undefined) this.setBase(options.originNs)
  }

  /** Bytes in the file so far (the open chunk not included). */
  get bytesWritten(): number {
    return this.offset
  }

  get messages(): number {
    return this.messageCount
  }

  get pendingMessages(): number {
    return this.chunkMessages
  }

  async start(header: McapTypes.Header): Promise<void> {
    this.records.writeMagic()
    this.records.writeHeader(header)
    await this.writeRecords()
  }

  async addMetadata(metadata: McapTypes.Metadata): Promise<void> {
    const offset = BigInt(this.offset)
    const length = this.records.writeMetadata(metadata)
    this.metadataIndexes.push({ offset, length, name: metadata.name })
    this.metadataCount++
    await this.writeRecords()
  }

  addChannel(channel: Channel): void {
    if (!this.channels.has(channel.id))
      this.channels.set(channel.id, { channel, count: 0, inChunk: false, index: new Float64Array(2048), indexed: 0 })
  }

  /** Queues a message in the open chunk (its own sequence kept); writes the chunk when it is full. */
  async addMessage(message: McapTypes.Message): Promise<void> {
    if (this.base === undefined) this.setBase(message.logTime)
    const size = STAGED_HEADER + message.data.length
    const record = Buffer.allocUnsafe(size)
    record[0] = Opcode.MESSAGE
    record.writeUInt32LE(size - 9, 1)
    record.writeUInt32LE(0, 5)
    record.writeUInt16LE(message.channelId, 9)
    record.set(message.data, STAGED_HEADER)
    const state = this.channelState(message.channelId)
    if (!state.inChunk) this.enterChunk(state)
    this.place(record, 0, state, Number(message.logTime - this.base!), message.sequence, this.chunkLength)
    record.writeBigUInt64LE(message.publishTime, 23)
    this.append(record, 0, size)
    if (this.chunkLength >= this.options.chunkBytes) await this.flush()
  }

  /**
   * Staged message records (writer-protocol.ts) from `start` on: numbered, timed and appended to the open chunk,
   * which is written whenever it is full. Stops early, after a chunk is written, once the file holds `fileLimit`
   * bytes (its next messages belong in the next file). Returns where it stopped and how many messages it took.
   */
  async addStaged(
    bytes: Buffer,
    length: number,
    start = 0,
    fileLimit = Infinity,
  ): Promise<{ at: number; messages: number }> {
    let at = start
    let from = start
    let messages = 0
    while (at + STAGED_HEADER <= length) {
      const size = bytes.readUInt32LE(at + 1) + 9
      const channelId = bytes.readUInt16LE(at + 9)
      let state = this.last
      if (state === undefined || state.channel.id !== channelId) state = this.channelState(channelId)
      if (!state.inChunk) {
        // The staged records before this one go first: the channel record precedes its first message.
        this.append(bytes, from, at)
        from = at
        this.enterChunk(state)
      }
      const rel = Math.round(bytes.readDoubleLE(at + 15) * 1e6)
      this.place(bytes, at, state, rel, ++this.sequence, this.chunkLength + (at - from))
      at += size
      messages++
      if (this.chunkLength + (at - from) >= this.options.chunkBytes) {
        this.append(bytes, from, at)
        from = at
        await this.flush()
        if (this.offset >= fileLimit) return { at, messages }
      }
    }
    this.append(bytes, from, at)
    return { at, messages }
  }

  /** Writes the open chunk and its message indexes: everything added so far is then in the file. */
  async flush(): Promise<void> {
    if (this.chunkMessages === 0) return
    const uncompressed = this.chunk.subarray(0, this.chunkLength)
    const { compression, data } = this.options.compress(uncompressed)
    const chunkStartOffset = BigInt(this.offset)
    const messageStartTime = this.time(this.chunkStart)
    const messageEndTime = this.time(this.chunkEnd)
    const chunkLength = this.records.writeChunk({
      messageStartTime,
      messageEndTime,
      uncompressedSize: BigInt(uncompressed.length),
      uncompressedCrc: crc32(uncompressed),
      compression,
      records: data,
    })
    const indexes = this.messageIndexes(Number(chunkStartOffset + chunkLength))
    this.chunkIndexes.push({
      messageStartTime,
      messageEndTime,
      chunkStartOffset,
      chunkLength,
      messageIndexOffsets: indexes.offsets,
      messageIndexLength: BigInt(indexes.bytes.length),
      compression,
      compressedSize: BigInt(data.length),
      uncompressedSize: BigInt(uncompressed.length),
    })
    this.chunkLength = 0
    this.chunkMessages = 0
    for (const state of this.channels.values()) state.inChunk = false
    await this.writeRecords(indexes.bytes)
  }

  /** The open chunk, then the summary (channels, statistics, indexes) and the footer: the file is whole. */
  async end(): Promise<void> {
    await this.flush()
    this.records.writeDataEnd({ dataSectionCrc: 0 })
    await this.writeRecords()
    const summaryStart = BigInt(this.offset)
    const groups: McapTypes.SummaryOffset[] = []
    const group = (groupOpcode: number, write: () => bigint): void => {
      const groupStart = BigInt(this.offset + this.records.length)
      const groupLength = write()
      if (groupLength > 0n) groups.push({ groupOpcode, groupStart, groupLength })
    }
    const channels = [...this.channels.values()]
    group(Opcode.CHANNEL, () => channels.reduce((n, s) => n + this.records.writeChannel(s.channel), 0n))
    group(Opcode.STATISTICS, () =>
      this.records.writeStatistics({
        messageCount: BigInt(this.messageCount),
        schemaCount: 0,
        channelCount: this.channels.size,
        attachmentCount: 0,
        metadataCount: this.metadataCount,
        chunkCount: this.chunkIndexes.length,
        messageStartTime: this.messageCount === 0 ? 0n : this.time(this.fileStart),
        messageEndTime: this.messageCount === 0 ? 0n : this.time(this.fileEnd),
        channelMessageCounts: new Map(channels.map((s) => [s.channel.id, BigInt(s.count)])),
      }),
    )
    group(Opcode.METADATA_INDEX, () =>
      this.metadataIndexes.reduce((n, m) => n + this.records.writeMetadataIndex(m), 0n),
    )
    group(Opcode.CHUNK_INDEX, () => this.chunkIndexes.reduce((n, c) => n + this.records.writeChunkIndex(c), 0n))
    const summaryOffsetStart = BigInt(this.offset + this.records.length)
    for (const g of groups) this.records.writeSummaryOffset(g)
    // A summary CRC of 0 means "not computed" in MCAP; readers then skip the check.
    this.records.writeFooter({ summaryStart, summaryOffsetStart, summaryCrc: 0 })
    this.records.writeMagic()
    await this.writeRecords()
  }

  private setBase(ns: bigint): void {
    this.base = ns
    this.baseLo = Number(ns & 0xffffffffn)
    this.baseHi = Number(ns >> 32n)
  }

  private time(rel: number): bigint {
    return this.base! + BigInt(rel)
  }

  private channelState(channelId: number): ChannelState {
    const state = this.channels.get(channelId)
    if (state === undefined) throw new Error(`no channel ${channelId} was added`)
    this.last = state
    return state
  }

  /** The channel's record goes into the chunk before its first message there, as readers of a stream need. */
  private enterChunk(state: ChannelState): void {
    this.chunkRecords.writeChannel(state.channel)
    const record = this.chunkRecords.buffer
    this.append(record, 0, record.length)
    this.chunkRecords.reset()
    state.inChunk = true
  }

  /** Sets a record's sequence and times and indexes it; `offset` is where it will sit in the chunk. */
  private place(bytes: Buffer, at: number, state: ChannelState, rel: number, sequence: number, offset: number): void {
    const high = Math.floor(rel / TWO_32)
    let lo = this.baseLo + (rel - high * TWO_32)
    let hi = this.baseHi + high
    if (lo >= TWO_32) {
      lo -= TWO_32
      hi++
    }
    bytes.writeUInt32LE(sequence >>> 0, at + 11)
    bytes.writeUInt32LE(lo, at + 15)
    bytes.writeUInt32LE(hi, at + 19)
    bytes.writeUInt32LE(lo, at + 23)
    bytes.writeUInt32LE(hi, at + 27)
    if (state.indexed + 2 > state.index.length) {
      const grown = new Float64Array(state.index.length * 2)
      grown.set(state.index)
      state.index = grown
    }
    state.index[state.indexed++] = rel
    state.index[state.indexed++] = offset
    state.count++
    if (this.chunkMessages === 0 || rel < this.chunkStart) this.chunkStart = rel
    if (this.chunkMessages === 0 || rel > this.chunkEnd) this.chunkEnd = rel
    if (this.messageCount === 0 || rel < this.fileStart) this.fileStart = rel
    if (this.messageCount === 0 || rel > this.fileEnd) this.fileEnd = rel
    this.chunkMessages++
    this.messageCount++
  }

  private append(bytes: Uint8Array, from: number, to: number): void {
    const length = to - from
    if (length <= 0) return
    if (this.chunkLength + length > this.chunk.length) {
      const grown = Buffer.allocUnsafe(Math.max(this.chunk.length * 2, this.chunkLength + length))
      this.chunk.copy(grown, 0, 0, this.chunkLength)
      this.chunk = grown
    }
    this.chunk.set(bytes.subarray(from, to), this.chunkLength)
    this.chunkLength += length
  }

  /** The open chunk's message index records, written by hand (16 bytes an entry), starting at `start`. */
  private messageIndexes(start: number): { bytes: Buffer; offsets: Map<number, bigint> } {
    let size = 0
    for (const state of this.channels.values()) if (state.indexed > 0) size += INDEX_HEADER + state.indexed * 8
    const bytes = Buffer.allocUnsafe(size)
    const offsets = new Map<number, bigint>()
    let at = 0
    for (const state of this.channels.values()) {
      if (state.indexed === 0) continue
      offsets.set(state.channel.id, BigInt(start + at))
      const entries = state.indexed * 8
      bytes[at] = Opcode.MESSAGE_INDEX
      bytes.writeUInt32LE(entries + 6, at + 1)
      bytes.writeUInt32LE(0, at + 5)
      bytes.writeUInt16LE(state.channel.id, at + 9)
      bytes.writeUInt32LE(entries, at + 11)
      at += INDEX_HEADER
      for (let i = 0; i < state.indexed; i += 2) {
        const rel = state.index[i]!
        const high = Math.floor(rel / TWO_32)
        let lo = this.baseLo + (rel - high * TWO_32)
        let hi = this.baseHi + high
        if (lo >= TWO_32) {
          lo -= TWO_32
          hi++
        }
        bytes.writeUInt32LE(lo, at)
        bytes.writeUInt32LE(hi, at + 4)
        bytes.writeUInt32LE(state.index[i + 1]!, at + 8)
        bytes.writeUInt32LE(0, at + 12)
        at += 16
      }
      state.indexed = 0
    }
    return { bytes, offsets }
  }

  private async writeRecords(after?: Buffer): Promise<void> {
    const buffers = [this.records.buffer, ...(after ? [after] : [])]
    for (const buffer of buffers) {
      let done = 0
      while (done < buffer.length) {
        const { bytesWritten } = await this.file.write(buffer, done, buffer.length - done, this.offset + done)
        done += bytesWritten
      }
      this.offset += buffer.length
    }
    this.records.reset()
  }
}
