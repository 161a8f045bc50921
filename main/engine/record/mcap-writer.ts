// An MCAP writer whose open chunk can be written out on a timer. @mcap/core 2.2.2's McapWriter closes a chunk
// only when it is full, so a recorder killed at 10 msg/s would lose minutes; crash safety needs "at most ~1 s".
// Built on the library's own record and chunk builders (its serialisation, indexes and CRC); what is ours is
// the order of the records and the flush. Callers await each call before the next, as with McapWriter.
import { crc32 } from '@foxglove/crc'
import { McapChunkBuilder, McapRecordBuilder, Opcode, type McapTypes } from '@mcap/core'
import type { FileHandle } from 'node:fs/promises'

export type Compressor = (data: Uint8Array) => { compression: string; data: Uint8Array }
export const NO_COMPRESSION: Compressor = (data) => ({ compression: '', data })

export interface WriterOptions {
  /** A chunk is written once its records pass this many bytes (or on flush). */
  chunkBytes: number
  compress: Compressor
}

type Channel = McapTypes.Channel

export class FlushableMcapWriter {
  private readonly records = new McapRecordBuilder()
  private readonly chunk = new McapChunkBuilder({ useMessageIndex: true })
  private offset = 0n
  private readonly channels = new Map<number, Channel>()
  private readonly channelsInChunks = new Set<number>()
  private readonly chunkIndexes: McapTypes.ChunkIndex[] = []
  private readonly metadataIndexes: McapTypes.MetadataIndex[] = []
  private readonly stats: McapTypes.Statistics = {
    messageCount: 0n,
    schemaCount: 0,
    channelCount: 0,
    attachmentCount: 0,
    metadataCount: 0,
    chunkCount: 0,
    messageStartTime: 0n,
    messageEndTime: 0n,
    channelMessageCounts: new Map(),
  }

  constructor(
    private readonly file: FileHandle,
    private readonly options: WriterOptions,
  ) {}

  /** Bytes in the file so far, and what the open chunk holds. */
  get bytesWritten(): number {
    return Number(this.offset)
  }

  get messages(): number {
    return Number(this.stats.messageCount)
  }

  get pendingMessages(): number {
    return this.chunk.numMessages
  }

  async start(header: McapTypes.Header): Promise<void> {
    this.records.writeMagic()
    this.records.writeHeader(header)
    await this.writeRecords()
  }

  async addMetadata(metadata: McapTypes.Metadata): Promise<void> {
    const offset = this.offset
    const length = this.records.writeMetadata(metadata)
    this.metadataIndexes.push({ offset, length, name: metadata.name })
    this.stats.metadataCount++
    await this.writeRecords()
  }

  addChannel(channel: Channel): void {
    this.channels.set(channel.id, channel)
    this.stats.channelCount = this.channels.size
  }

  /** Queues a message in the open chunk; writes the chunk when it is full. */
  async addMessage(message: McapTypes.Message): Promise<void> {
    const s = this.stats
    if (s.messageCount === 0n || message.logTime < s.messageStartTime) s.messageStartTime = message.logTime
    if (message.logTime > s.messageEndTime) s.messageEndTime = message.logTime
    s.messageCount++
    s.channelMessageCounts.set(message.channelId, (s.channelMessageCounts.get(message.channelId) ?? 0n) + 1n)
    // A channel's record goes before its first message (in that message's chunk), as readers of a stream need.
    if (!this.channelsInChunks.has(message.channelId)) {
      const channel = this.channels.get(message.channelId)
      if (channel === undefined) throw new Error(`no channel ${message.channelId} was added`)
      this.chunk.addChannel(channel)
      this.channelsInChunks.add(message.channelId)
    }
    this.chunk.addMessage(message)
    if (this.chunk.byteLength >= this.options.chunkBytes) await this.flush()
  }

  /** Writes the open chunk and its message indexes: everything added so far is then in the file. */
  async flush(): Promise<void> {
    if (this.chunk.numMessages === 0) return
    const uncompressed = this.chunk.buffer
    const { compression, data } = this.options.compress(uncompressed)
    const chunkStartOffset = this.offset
    const chunkLength = this.records.writeChunk({
      messageStartTime: this.chunk.messageStartTime,
      messageEndTime: this.chunk.messageEndTime,
      uncompressedSize: BigInt(uncompressed.length),
      uncompressedCrc: crc32(uncompressed),
      compression,
      records: data,
    })
    const messageIndexOffsets = new Map<number, bigint>()
    let messageIndexLength = 0n
    for (const index of this.chunk.indices) {
      messageIndexOffsets.set(index.channelId, chunkStartOffset + chunkLength + messageIndexLength)
      messageIndexLength += this.records.writeMessageIndex(index)
    }
    this.chunkIndexes.push({
      messageStartTime: this.chunk.messageStartTime,
      messageEndTime: this.chunk.messageEndTime,
      chunkStartOffset,
      chunkLength,
      messageIndexOffsets,
      messageIndexLength,
      compression,
      compressedSize: BigInt(data.length),
      uncompressedSize: BigInt(uncompressed.length),
    })
    this.stats.chunkCount++
    this.chunk.reset()
    await this.writeRecords()
  }

  /** The open chunk, then the summary (channels, statistics, indexes) and the footer: the file is whole. */
  async end(): Promise<void> {
    await this.flush()
    this.records.writeDataEnd({ dataSectionCrc: 0 })
    await this.writeRecords()
    const summaryStart = this.offset
    const groups: McapTypes.SummaryOffset[] = []
    const group = (groupOpcode: number, write: () => bigint): void => {
      const groupStart = this.offset + BigInt(this.records.length)
      const groupLength = write()
      if (groupLength > 0n) groups.push({ groupOpcode, groupStart, groupLength })
    }
    group(Opcode.CHANNEL, () => [...this.channels.values()].reduce((n, c) => n + this.records.writeChannel(c), 0n))
    group(Opcode.STATISTICS, () => this.records.writeStatistics(this.stats))
    group(Opcode.METADATA_INDEX, () =>
      this.metadataIndexes.reduce((n, m) => n + this.records.writeMetadataIndex(m), 0n),
    )
    group(Opcode.CHUNK_INDEX, () => this.chunkIndexes.reduce((n, c) => n + this.records.writeChunkIndex(c), 0n))
    const summaryOffsetStart = this.offset + BigInt(this.records.length)
    for (const g of groups) this.records.writeSummaryOffset(g)
    // A summary CRC of 0 means "not computed" in MCAP; readers then skip the check.
    this.records.writeFooter({ summaryStart, summaryOffsetStart, summaryCrc: 0 })
    this.records.writeMagic()
    await this.writeRecords()
  }

  private async writeRecords(): Promise<void> {
    const buffer = this.records.buffer
    let done = 0
    while (done < buffer.length) {
      const { bytesWritten } = await this.file.write(buffer, done, buffer.length - done, Number(this.offset) + done)
      done += bytesWritten
    }
    this.offset += BigInt(buffer.length)
    this.records.reset()
  }
}
