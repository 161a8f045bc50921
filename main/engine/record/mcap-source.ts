// An opened MCAP recording, read in place: the index gives every chunk's position and time, chunks are read
// and decompressed when a page needs them (a few kept), so a file of any size opens in milliseconds and
// browsing costs what is on screen. The index comes from the file's summary or, for an unfinished file that
// cannot be copied whole, from a scan of its chunks (unfinished-index.ts). Runs in the reader thread.
import { McapIndexedReader, type McapTypes } from '@mcap/core'
import { FileHandleReadable } from '@mcap/nodejs'
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
import { BadFile } from './bad-file'
import { readChunkMessages, type ChunkMessages } from './chunk-messages'
import { ChunkTable, countsByChannel, type IndexedChunk } from './chunk-table'
import { decodeMultipart } from './multipart'
import type { RecordingSource, SourceMessage } from './source'

/** The newest recording format this build reads; a file with a higher one was made by a newer ZeroScope. */
const FORMAT_VERSION = 1
const CACHED_CHUNKS = 8

/** A read chunk: its messages compact, and the position of its first. */
interface CachedChunk {
  messages: ChunkMessages
  first: number
}

/** What a source needs to know of a file before reading any chunk. */
export interface McapIndex {
  header: McapTypes.Header
  channels: ReadonlyMap<number, McapTypes.Channel>
  chunks: IndexedChunk[]
  /** The zeroscope.topology metadata's entries (empty when the file has none). */
  topology: ReadonlyMap<string, string>
  events: number
}

/** The index from the file's summary, or 'unfinished' when it has none (or one that cannot be read). */
export async function summaryIndex(
  file: FileHandle,
  handlers: McapTypes.DecompressHandlers,
): Promise<McapIndex | 'unfinished'> {
  let reader: McapIndexedReader
  try {
    reader = await McapIndexedReader.Initialize({
      readable: new FileHandleReadable(file),
      decompressHandlers: handlers,
    })
  } catch {
    return 'unfinished'
  }
  let topology: ReadonlyMap<string, string> = new Map()
  if (reader.header.profile === RECORDING_PROFILE) {
    for await (const record of reader.readMetadata({ name: TOPOLOGY_METADATA })) {
      topology = record.metadata
      break
    }
  }
  const events = [...reader.channelsById.values()].find((c) => c.topic === EVENTS_TOPIC)
  return {
    header: reader.header,
    channels: reader.channelsById,
    chunks: reader.chunkIndexes.map((index) => ({ index, counts: countsByChannel(index) })),
    topology,
    events: events ? Number(reader.statistics?.channelMessageCounts.get(events.id) ?? 0n) : 0,
  }
}

/** Refuses a file ZeroScope did not write, or wrote in a newer format than this build reads. */
export function checkOurs(header: McapTypes.Header, topology: ReadonlyMap<string, string>, path: string): void {
  if (header.profile !== RECORDING_PROFILE) {
    throw new BadFile(
      `${basename(path)} is an MCAP file written by ${header.library || 'another program'}` +
        `${header.profile ? ` (profile "${header.profile}")` : ''}, not by ZeroScope: its messages are not ZeroMQ frames`,
    )
  }
  const version = topology.get('formatVersion') ?? String(FORMAT_VERSION)
  if (!/^[0-9]{1,9}$/.test(version) || Number(version) > FORMAT_VERSION) {
    throw new BadFile(
      `${basename(path)} was recorded by a newer ZeroScope (recording format ${version.slice(0, 20)}); this one ` +
        `reads format ${FORMAT_VERSION}: update ZeroScope to open it`,
    )
  }
}

export class McapSource implements RecordingSource {
  private readonly cache = new Map<number, CachedChunk>()
  private readonly channels = new Map<number, RecordedChannel>()
  readonly table: ChunkTable
  private startNs: bigint
  private endNs: bigint

  private constructor(
    private readonly file: FileHandle,
    private readonly index: McapIndex,
    private readonly handlers: McapTypes.DecompressHandlers,
    readonly path: string,
  ) {
    checkOurs(index.header, index.topology, path)
    for (const channel of index.channels.values()) {
      if (channel.topic === EVENTS_TOPIC) continue
      const m = channel.metadata
      const recorded: RecordedChannel = {
        channelId: channel.id,
        topic: channel.topic,
        socketId: m.get('socketId') ?? channel.topic,
        name: m.get('name') ?? channel.topic,
        type: m.get('type') ?? 'unknown',
        dir: m.get('dir') === 'out' ? 'out' : 'in',
      }
      const tapId = m.get('tapId')
      if (tapId !== undefined) recorded.tap = { tapId, side: m.get('tapSide') ?? '' }
      this.channels.set(channel.id, recorded)
    }
    this.table = new ChunkTable(index.chunks, (id) => this.channels.has(id))
    this.startNs = this.table.chunks[0]?.index.messageStartTime ?? 0n
    this.endNs = this.table.chunks.at(-1)?.index.messageEndTime ?? 0n
  }

  /** A source over `index`; the span is the traffic's own (a chunk's times count its events too). */
  static async create(
    file: FileHandle,
    index: McapIndex,
    handlers: McapTypes.DecompressHandlers,
    path: string,
  ): Promise<McapSource> {
    const source = new McapSource(file, index, handlers, path)
    const chunks = source.table.chunks.length
    if (chunks > 0) {
      try {
        const first = (await source.chunk(0)).messages
        const last = (await source.chunk(chunks - 1)).messages
        source.startNs = first.logTimeOf(0)
        source.endNs = last.logTimeOf(last.count - 1)
      } catch (error) {
        // A damaged first or last chunk says so when it is read; the chunks' own times do for the span.
        if (!(error instanceof BadFile)) throw error
      }
      // Offsets were counted from the provisional start: read again when asked.
      source.cache.clear()
    }
    return source
  }

  get total(): number {
    return this.table.total
  }

  get startWall(): number {
    return nsToMs(this.startNs)
  }

  get endWall(): number {
    return nsToMs(this.endNs)
  }

  async describe(sourceId: string): Promise<Omit<OpenedRecording, 'recovered'>> {
    const topology = this.index.topology
    let sockets: RecordedSocket[]
    try {
      const parsed: unknown = JSON.parse(topology.get('sockets') ?? '[]')
      sockets = Array.isArray(parsed) ? (parsed as RecordedSocket[]) : []
    } catch {
      // The topology is a description, not the evidence: a damaged one leaves the messages readable.
      sockets = []
    }
    const producer: OpenedRecording['producer'] = { library: this.index.header.library }
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
      events: this.index.events,
      startWall: this.startWall,
      endWall: this.endWall,
      channels: [...this.channels.values()],
      sockets,
      producer,
    }
  }

  async *from(position: number): AsyncGenerator<SourceMessage> {
    if (position >= this.table.total) return
    for (let c = this.table.chunkAt(position); c < this.table.chunks.length; c++) {
      const chunk = await this.chunk(c)
      const skip = Math.max(0, position - chunk.first)
      for (let i = skip; i < chunk.messages.count; i++) yield this.message(chunk, i)
    }
  }

  async at(position: number): Promise<SourceMessage | undefined> {
    if (position < 0 || position >= this.table.total) return undefined
    const chunk = await this.chunk(this.table.chunkAt(position))
    return this.message(chunk, position - chunk.first)
  }

  async positionAt(wall: number): Promise<number> {
    if (this.table.total === 0) return 0
    // Microseconds: finer than the wall clock a page sends, coarse enough to stay exact in a double.
    const ns = BigInt(Math.round(wall * 1000)) * 1000n
    const { messages, first } = await this.chunk(this.table.chunkAtTime(ns))
    for (let i = 0; i < messages.count; i++) if (messages.logTimeOf(i) >= ns) return first + i
    return this.table.total - 1
  }

  density(bins: number): number[] {
    return this.table.density(this.startNs, this.endNs, bins)
  }

  async close(): Promise<void> {
    await this.file.close()
  }

  /** The row of a chunk's i-th message, built when asked (a page, a filter, a replay batch). */
  private message({ messages, first }: CachedChunk, i: number): SourceMessage {
    const logTime = messages.logTimeOf(i)
    const channel = this.channels.get(messages.channelOf(i))!
    const decoded = decodeMultipart(messages.dataOf(i))
    const message: SourceMessage = {
      position: first + i,
      socketId: channel.socketId,
      dir: channel.dir,
      wall: nsToMs(logTime),
      offsetMs: nsToMs(logTime - this.startNs),
      frames: decoded.frames,
      size: decoded.size,
    }
    if (decoded.peer) message.peer = decoded.peer
    return message
  }

  private async chunk(c: number): Promise<CachedChunk> {
    const cached = this.cache.get(c)
    if (cached !== undefined) {
      this.cache.delete(c)
      this.cache.set(c, cached)
      return cached
    }
    const entry = this.table.chunks[c]!
    const damaged = (what: string): BadFile =>
      new BadFile(
        `${basename(this.path)}: chunk ${entry.number} of ${this.index.chunks.length} (bytes ` +
          `${entry.index.chunkStartOffset}–${entry.index.chunkStartOffset + entry.index.chunkLength}) is damaged: ` +
          `${what}; the messages of the other chunks still read`,
      )
    let messages: ChunkMessages
    try {
      // The traffic's messages only: events (and channels the file does not define) are not positions.
      messages = await readChunkMessages(this.file, entry.index, this.handlers, (id) => this.channels.has(id))
      // Every message's bytes are checked once, here, so a damaged one names its chunk before any page shows it.
      for (let i = 0; i < messages.count; i++) decodeMultipart(messages.dataOf(i))
    } catch (error) {
      throw damaged((error as Error).message)
    }
    if (messages.count !== entry.count)
      throw damaged(`it holds ${messages.count} messages, its index says ${entry.count}`)
    const chunk = { messages, first: entry.first }
    this.cache.set(c, chunk)
    if (this.cache.size > CACHED_CHUNKS) this.cache.delete(this.cache.keys().next().value!)
    return chunk
  }
}

export function nsToMs(ns: bigint): number {
  return Number(ns / 1000n) / 1000
}
