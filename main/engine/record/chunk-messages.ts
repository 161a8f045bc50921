// One chunk's messages kept compact: the decompressed records as one buffer, with typed arrays giving each
// message's channel, log time and where its data lies. @mcap/core's stream reader copies every message's data
// into its own ArrayBuffer and builds an object per record; with a few chunks cached and pages read across a
// 10M-message file, those small allocations were what held the reader thread's memory up (P6's RSS line).
// Rows are built from this only for the messages a page shows. The layout is MCAP's, as the spec gives it:
// Chunk = start u64, end u64, uncompressed size u64, uncompressed CRC u32, compression string, records bytes;
// Message = channel u16, sequence u32, log time u64, publish time u64, data.
import type { McapTypes } from '@mcap/core'
import type { FileHandle } from 'node:fs/promises'
import { crc32 } from 'node:zlib'

const CHUNK = 0x06
const MESSAGE = 0x05
/** Opcode u8 + record length u64. */
const RECORD_PREFIX = 9
/** channel u16 + sequence u32 + log time u64 + publish time u64. */
const MESSAGE_PREFIX = 22

export interface ChunkMessages {
  readonly records: Buffer
  readonly count: number
  channelOf(i: number): number
  logTimeOf(i: number): bigint
  /** The message's data, a view into the chunk (no copy). */
  dataOf(i: number): Buffer
}

/** Reads the chunk at `at`, checks its CRC, and indexes the messages of the channels kept, in log time order. */
export async function readChunkMessages(
  file: FileHandle,
  at: { chunkStartOffset: bigint; chunkLength: bigint },
  handlers: McapTypes.DecompressHandlers,
  keep: (channelId: number) => boolean,
): Promise<ChunkMessages> {
  const bytes = Buffer.alloc(Number(at.chunkLength))
  const { bytesRead } = await file.read(bytes, 0, bytes.length, Number(at.chunkStartOffset))
  if (bytesRead < bytes.length) throw new Error(`it runs ${bytes.length - bytesRead} bytes past the end of the file`)
  return indexRecords(unpackChunk(bytes, handlers), keep)
}

function unpackChunk(bytes: Buffer, handlers: McapTypes.DecompressHandlers): Buffer {
  const need = (n: number, at: number, what: string): void => {
    if (at + n > bytes.length) throw new Error(`its ${what} is cut short`)
  }
  need(RECORD_PREFIX, 0, 'record header')
  if (bytes[0] !== CHUNK) throw new Error(`the index points at a record of opcode ${bytes[0]}, not a chunk`)
  const length = Number(bytes.readBigUInt64LE(1))
  need(length, RECORD_PREFIX, 'record')
  let at = RECORD_PREFIX + 16
  need(12, at, 'header')
  const uncompressedSize = Number(bytes.readBigUInt64LE(at))
  const expectedCrc = bytes.readUInt32LE(at + 8)
  at += 12
  const nameLength = bytes.readUInt32LE(at)
  need(nameLength + 4, at, 'compression name')
  const compression = bytes.toString('utf8', at + 4, at + 4 + nameLength)
  at += 4 + nameLength
  need(8, at, 'records length')
  const recordsLength = Number(bytes.readBigUInt64LE(at))
  at += 8
  need(recordsLength, at, 'records')
  const stored = bytes.subarray(at, at + recordsLength)
  let records: Buffer
  if (compression === '') records = stored
  else {
    const decompress = handlers[compression]
    if (decompress === undefined)
      throw new Error(`it is compressed with "${compression}", which this build cannot read`)
    const out = decompress(stored, BigInt(uncompressedSize))
    records = Buffer.from(out.buffer, out.byteOffset, out.byteLength)
  }
  if (records.length !== uncompressedSize)
    throw new Error(`it decompresses to ${records.length} bytes, its header says ${uncompressedSize}`)
  // CRCs checked: a flipped byte in an uncompressed (or stored) block decompresses without complaint.
  if (expectedCrc !== 0 && crc32(records) !== expectedCrc) throw new Error('its CRC does not match its bytes')
  return records
}

function indexRecords(records: Buffer, keep: (channelId: number) => boolean): ChunkMessages {
  const offsets: number[] = []
  for (let at = 0; at < records.length;) {
    if (at + RECORD_PREFIX > records.length) throw new Error('its last record is cut short')
    const length = Number(records.readBigUInt64LE(at + 1))
    const end = at + RECORD_PREFIX + length
    if (end > records.length) throw new Error('its last record is cut short')
    if (records[at] === MESSAGE) {
      if (length < MESSAGE_PREFIX) throw new Error(`a message record of ${length} bytes is too short`)
      if (keep(records.readUInt16LE(at + RECORD_PREFIX))) offsets.push(at)
    }
    at = end
  }
  const count = offsets.length
  const start = new Uint32Array(count)
  const end = new Uint32Array(count)
  const times = new BigUint64Array(count)
  for (let i = 0; i < count; i++) {
    const at = offsets[i]!
    start[i] = at + RECORD_PREFIX
    end[i] = at + RECORD_PREFIX + Number(records.readBigUInt64LE(at + 1))
    times[i] = records.readBigUInt64LE(at + RECORD_PREFIX + 6)
  }
  // Log time order, as the chunk index and positions count them; a recording writes in that order already, so
  // the permutation is only built for a file that was not.
  let order: Uint32Array | undefined
  for (let i = 1; i < count; i++) {
    if (times[i]! < times[i - 1]!) {
      order = Uint32Array.from({ length: count }, (_, k) => k).sort((a, b) =>
        times[a]! < times[b]! ? -1 : times[a]! > times[b]! ? 1 : a - b,
      )
      break
    }
  }
  const slot = (i: number): number => (order === undefined ? i : order[i]!)
  return {
    records,
    count,
    channelOf: (i) => records.readUInt16LE(start[slot(i)]!),
    logTimeOf: (i) => times[slot(i)]!,
    dataOf: (i) => records.subarray(start[slot(i)]! + MESSAGE_PREFIX, end[slot(i)]!),
  }
}
