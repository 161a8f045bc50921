// An opened MCAP recording, read in place: the summary gives every chunk's position and time, chunks are
// read and decompressed when a page needs them (a few kept), so a file of any size opens in milliseconds
// and browsing costs what is on screen. Runs in the reader thread.
import { McapIndexedReader, McapRecordBuilder, McapStreamReader, type McapTypes } from '@mcap/core'
import { FileHandleReadable } from '@mcap/nodejs'
import { loadDecompressHandlers } from '@mcap/support'
import type { FileHandle } from 'node:fs/promises'
import { basename } from 'node:path'
import {
  EVENTS_TOPIC,
  RECORDING_PROFILE,
  TOPOLOGY_METADATA,
  type OpenedRecording,
  type RecordedChannel,
  type RecordedSocket,
} from '../../../contract/recordings'
import { ChunkTable } from './chunk-table'
import { decodeMultipart, type DecodedMessage } from './multipart'
import { BadFile } from './bad-file'

export interface StoredMessage {
  position: number
  channel: RecordedChannel
  logTime: bigint
  decoded: DecodedMessage
}

/** The newest recording format this build reads; a file with a higher one was made by a newer ZeroScope. */
const FORMAT_VERSION = 1
const CACHED_CHUNKS = 8

export class McapSource {
  private readonly cache = new Map<number, StoredMessage[]>()
  private readonly channels = new Map<number, RecordedChannel>()
  readonly table: ChunkTable
  readonly startNs: bigint
  readonly endNs: bigint
  /** The summary's channel records, put before each chunk read alone: a chunk names only its new channels. */
  private readonly prelude: Uint8Array

  private constructor(
    private readonly file: FileHandle,
    private readonly reader: McapIndexedReader,
    private readonly handlers: McapTypes.DecompressHandlers,
    readonly path: string,
  ) {
    for (const channel of reader.channelsById.values()) {
      if (channel.topic === EVENTS_TOPIC) continue
      const m = channel.metadata
      const dir = m.get('dir') === 'out' ? 'out' : 'in'
      const recorded: RecordedChannel = {
        channelId: channel.id,
        topic: channel.topic,
        socketId: m.get('socketId') ?? channel.topic,
        name: m.get('name') ?? channel.topic,
        type: m.get('type') ?? 'unknown',
        dir,
      }
      const tapId = m.get('tapId')
      if (tapId !== undefined) recorded.tap = { tapId, side: m.get('tapSide') ?? '' }
      this.channels.set(channel.id, recorded)
    }
    const records = new McapRecordBuilder()
    for (const channel of reader.channelsById.values()) records.writeChannel(channel)
    this.prelude = records.buffer.slice()
    this.table = new ChunkTable(reader.chunkIndexes, (id) => this.channels.has(id))
    this.startNs = reader.statistics?.messageStartTime ?? this.table.chunks[0]?.index.messageStartTime ?? 0n
    this.endNs = reader.statistics?.messageEndTime ?? this.table.chunks.at(-1)?.index.messageEndTime ?? 0n
  }

  /** Opens an indexed file; throws BadFile for a foreign or newer one, 'unfinished' for one without a summary. */
  static async open(file: FileHandle, path: string): Promise<McapSource | 'unfinished'> {
    const handlers = await loadDecompressHandlers()
    let reader: McapIndexedReader
    try {
      reader = await McapIndexedReader.Initialize({
        readable: new FileHandleReadable(file),
        decompressHandlers: handlers,
      })
    } catch {
      return 'unfinished'
    }
    if (reader.header.profile !== RECORDING_PROFILE) {
      throw new BadFile(
        `${basename(path)} is an MCAP file written by ${reader.header.library || 'another program'}` +
          `${reader.header.profile ? ` (profile "${reader.header.profile}")` : ''}, not by ZeroScope: its messages are not ZeroMQ frames`,
      )
    }
    const source = new McapSource(file, reader, handlers, path)
    const version = Number((await source.topologyEntries()).get('formatVersion') ?? '1')
    if (!(version <= FORMAT_VERSION)) {
      throw new BadFile(
        `${basename(path)} was recorded by a newer ZeroScope (recording format ${version}); this one reads format ${FORMAT_VERSION}: update ZeroScope to open it`,
      )
    }
    return source
  }

  async describe(sourceId: string): Promise<Omit<OpenedRecording, 'recovered'>> {
    const topology = await this.topologyEntries()
    let sockets: RecordedSocket[]
    try {
      sockets = JSON.parse(topology.get('sockets') ?? '[]') as RecordedSocket[]
    } catch {
      // The topology is a description, not the evidence: a damaged one leaves the messages readable.
      sockets = []
    }
    const eventsChannel = [...this.reader.channelsById.values()].find((c) => c.topic === EVENTS_TOPIC)
    const events = eventsChannel ? Number(this.reader.statistics?.channelMessageCounts.get(eventsChannel.id) ?? 0n) : 0
    const producer: OpenedRecording['producer'] = { library: this.reader.header.library }
    for (const key of ['appVersion', 'libzmqVersion', 'host'] as const) {
      const value = topology.get(key)
      if (value !== undefined) producer[key] = value
    }
    return {
      sourceId,
      path: this.path,
      name: basename(this.path),
      format: 'mcap',
      messages: this.table.total,
      events,
      startWall: nsToMs(this.startNs),
      endWall: nsToMs(this.endNs),
      channels: [...this.channels.values()],
      sockets,
      producer,
    }
  }

  /** Messages from `position` on, in order, a chunk at a time. */
  async *from(position: number): AsyncGenerator<StoredMessage> {
    if (position >= this.table.total) return
    for (let c = this.table.chunkAt(position); c < this.table.chunks.length; c++) {
      const messages = await this.chunk(c)
      const skip = Math.max(0, position - this.table.chunks[c]!.first)
      for (let i = skip; i < messages.length; i++) yield messages[i]!
    }
  }

  async at(position: number): Promise<StoredMessage | undefined> {
    if (position < 0 || position >= this.table.total) return undefined
    const c = this.table.chunkAt(position)
    return (await this.chunk(c))[position - this.table.chunks[c]!.first]
  }

  /** Position of the first message received at or after `ns` (the last message when none is). */
  async positionAt(ns: bigint): Promise<number> {
    if (this.table.total === 0) return 0
    const c = this.table.chunkAtTime(ns)
    const messages = await this.chunk(c)
    const found = messages.find((m) => m.logTime >= ns)
    return found ? found.position : this.table.total - 1
  }

  async close(): Promise<void> {
    await this.file.close()
  }

  private async topologyEntries(): Promise<Map<string, string>> {
    for await (const record of this.reader.readMetadata({ name: TOPOLOGY_METADATA })) return record.metadata
    return new Map()
  }

  private async chunk(c: number): Promise<StoredMessage[]> {
    const cached = this.cache.get(c)
    if (cached !== undefined) {
      this.cache.delete(c)
      this.cache.set(c, cached)
      return cached
    }
    const entry = this.table.chunks[c]!
    const { chunkStartOffset, chunkLength } = entry.index
    const bytes = new Uint8Array(Number(chunkLength))
    await this.file.read(bytes, 0, bytes.length, Number(chunkStartOffset))
    const stream = new McapStreamReader({ noMagicPrefix: true, decompressHandlers: this.handlers, validateCrcs: false })
    stream.append(this.prelude)
    stream.append(bytes)
    const messages: StoredMessage[] = []
    for (let record; (record = stream.nextRecord());) {
      if (record.type !== 'Message') continue
      const channel = this.channels.get(record.channelId)
      if (channel === undefined) continue
      messages.push({ position: 0, channel, logTime: record.logTime, decoded: decodeMultipart(record.data) })
    }
    // Log time order, as the chunk index and positions count them (a recording writes in that order anyway).
    messages.sort((a, b) => (a.logTime < b.logTime ? -1 : a.logTime > b.logTime ? 1 : 0))
    messages.forEach((m, i) => (m.position = entry.first + i))
    if (messages.length !== entry.count) {
      throw new BadFile(
        `${basename(this.path)}: chunk ${c} holds ${messages.length} messages, its index says ${entry.count}`,
      )
    }
    this.cache.set(c, messages)
    if (this.cache.size > CACHED_CHUNKS) this.cache.delete(this.cache.keys().next().value!)
    return messages
  }
}

export function nsToMs(ns: bigint): number {
  return Number(ns / 1000n) / 1000
}
