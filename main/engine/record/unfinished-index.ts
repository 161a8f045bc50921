// The index of an unfinished recording built by walking its records in place, for when no whole copy can be
// written beside it (a full disk, a read-only folder): record headers and chunk headers are read, chunks
// skipped; the message index records after each chunk give its counts. A chunk whose indexes were cut off
// (the last one) is counted by reading it. Reading stops at the first record that runs past the end.
import { MCAP_MAGIC, McapRecordBuilder, McapStreamReader, Opcode, type McapTypes } from '@mcap/core'
import type { FileHandle } from 'node:fs/promises'
import { basename } from 'node:path'
import { EVENTS_TOPIC, TOPOLOGY_METADATA } from '../../../contract/recordings'
import { BadFile } from './bad-file'
import { readChunkRecords } from './chunk-read'
import { entriesOf, type IndexedChunk } from './chunk-table'
import type { McapIndex } from './mcap-source'

const RECORD_HEADER = 9
/** Chunk fields before its records: start, end, uncompressed size (u64), CRC (u32), compression (string), length. */
const CHUNK_FIXED = 8 + 8 + 8 + 4 + 4

interface Walking {
  index: McapTypes.ChunkIndex
  counts: Map<number, number>
  /** A record other than a message index followed it: its indexes are all there. */
  sealed: boolean
}

async function readAt(file: FileHandle, offset: number, length: number): Promise<Buffer> {
  const bytes = Buffer.alloc(length)
  const { bytesRead } = await file.read(bytes, 0, length, offset)
  return bytes.subarray(0, bytesRead)
}

/** A whole record (header and body) parsed by @mcap/core. */
function parseRecord(bytes: Uint8Array): McapTypes.TypedMcapRecord | undefined {
  const stream = new McapStreamReader({ noMagicPrefix: true, validateCrcs: true })
  stream.append(bytes)
  return stream.nextRecord()
}

function chunkIndexOf(offset: number, recordLength: number, head: Buffer): McapTypes.ChunkIndex {
  const compressionLength = head.readUInt32LE(28)
  if (compressionLength > 64) throw new Error(`a compression name of ${compressionLength} bytes`)
  const compression = head.subarray(32, 32 + compressionLength).toString('utf8')
  return {
    messageStartTime: head.readBigUInt64LE(0),
    messageEndTime: head.readBigUInt64LE(8),
    uncompressedSize: head.readBigUInt64LE(16),
    compression,
    compressedSize: head.readBigUInt64LE(32 + compressionLength),
    chunkStartOffset: BigInt(offset),
    chunkLength: BigInt(recordLength),
    messageIndexOffsets: new Map(),
    messageIndexLength: 0n,
  }
}

interface WalkState {
  header?: McapTypes.Header
  topology: ReadonlyMap<string, string>
  channels: Map<number, McapTypes.Channel>
  chunks: Walking[]
}

/** Takes what one whole record at `offset` (ending at `end`) says into `state`. */
async function take(file: FileHandle, state: WalkState, opcode: number, offset: number, end: number): Promise<void> {
  const last = state.chunks.at(-1)
  switch (opcode) {
    case Opcode.HEADER:
    case Opcode.METADATA:
    case Opcode.CHANNEL: {
      const record = parseRecord(await readAt(file, offset, end - offset))
      if (record?.type === 'Header') state.header = record
      else if (record?.type === 'Metadata' && record.name === TOPOLOGY_METADATA) state.topology = record.metadata
      else if (record?.type === 'Channel') state.channels.set(record.id, record)
      return
    }
    case Opcode.CHUNK: {
      const body = end - offset - RECORD_HEADER
      const fixed = await readAt(file, offset + RECORD_HEADER, Math.min(body, CHUNK_FIXED + 64 + 8))
      state.chunks.push({ index: chunkIndexOf(offset, end - offset, fixed), counts: new Map(), sealed: false })
      return
    }
    case Opcode.MESSAGE_INDEX: {
      if (last === undefined) return
      const channelId = (await readAt(file, offset + RECORD_HEADER, 2)).readUInt16LE(0)
      last.index.messageIndexOffsets.set(channelId, BigInt(offset))
      last.index.messageIndexLength += BigInt(end - offset)
      last.counts.set(channelId, entriesOf(BigInt(end - offset)))
      return
    }
  }
}

export async function indexInPlace(
  file: FileHandle,
  path: string,
  handlers: McapTypes.DecompressHandlers,
): Promise<McapIndex> {
  const name = basename(path)
  const size = (await file.stat()).size
  if (!(await readAt(file, 0, MCAP_MAGIC.length)).equals(Buffer.from(MCAP_MAGIC))) {
    throw new BadFile(`${name} is not an MCAP file (no MCAP magic at its start)`)
  }
  const state: WalkState = { topology: new Map(), channels: new Map(), chunks: [] }
  for (let offset = MCAP_MAGIC.length; offset + RECORD_HEADER <= size;) {
    const head = await readAt(file, offset, RECORD_HEADER)
    const opcode = head[0]!
    const length = head.readBigUInt64LE(1)
    if (BigInt(offset + RECORD_HEADER) + length > BigInt(size)) break
    const end = offset + RECORD_HEADER + Number(length)
    if (state.header === undefined && opcode !== Opcode.HEADER) throw new BadFile(`${name} has no MCAP header`)
    const last = state.chunks.at(-1)
    if (last !== undefined && opcode !== Opcode.MESSAGE_INDEX) last.sealed = true
    try {
      await take(file, state, opcode, offset, end)
    } catch {
      // A record that does not parse: the file holds what came before it.
      break
    }
    if (opcode === Opcode.DATA_END || opcode === Opcode.FOOTER) break
    offset = end
  }
  const { header, topology, channels, chunks } = state
  if (header === undefined) throw new BadFile(`${name} has no MCAP header`)
  // Channel records live in the chunk of each channel's first message; an unsealed chunk is counted whole.
  for (const chunk of [...chunks]) {
    const unknown = [...chunk.counts.keys()].some((id) => !channels.has(id))
    if (chunk.sealed && !unknown) continue
    const prelude = new McapRecordBuilder()
    for (const channel of channels.values()) prelude.writeChannel(channel)
    let records: McapTypes.TypedMcapRecord[]
    try {
      records = await readChunkRecords(file, chunk.index, handlers, prelude.buffer)
    } catch {
      // A damaged chunk and those after it are left out: the file holds what came before.
      chunks.length = chunks.indexOf(chunk)
      break
    }
    const counts = new Map<number, number>()
    for (const record of records) {
      if (record.type === 'Channel') channels.set(record.id, record)
      else if (record.type === 'Message') counts.set(record.channelId, (counts.get(record.channelId) ?? 0) + 1)
    }
    if (!chunk.sealed) chunk.counts = counts
  }
  const eventsChannel = [...channels.values()].find((c) => c.topic === EVENTS_TOPIC)
  const indexed: IndexedChunk[] = chunks.map(({ index, counts }) => ({ index, counts }))
  return {
    header,
    channels,
    chunks: indexed,
    topology,
    events: eventsChannel ? indexed.reduce((n, c) => n + (c.counts.get(eventsChannel.id) ?? 0), 0) : 0,
  }
}
