// One chunk of an MCAP file read alone: its bytes at the offset the index gives, decompressed and checked
// against its CRC, parsed by @mcap/core's stream reader. A chunk names only the channels first used in it, so
// the caller puts the channel records it knows before it.
import { McapStreamReader, type McapTypes } from '@mcap/core'
import type { FileHandle } from 'node:fs/promises'

export async function readChunkRecords(
  file: FileHandle,
  at: { chunkStartOffset: bigint; chunkLength: bigint },
  handlers: McapTypes.DecompressHandlers,
  prelude: Uint8Array,
): Promise<McapTypes.TypedMcapRecord[]> {
  const bytes = new Uint8Array(Number(at.chunkLength))
  const { bytesRead } = await file.read(bytes, 0, bytes.length, Number(at.chunkStartOffset))
  if (bytesRead < bytes.length) throw new Error(`it runs ${bytes.length - bytesRead} bytes past the end of the file`)
  // CRCs checked: a flipped byte in an uncompressed (or stored) block decompresses without complaint.
  const stream = new McapStreamReader({ noMagicPrefix: true, decompressHandlers: handlers, validateCrcs: true })
  stream.append(prelude)
  stream.append(bytes)
  const records: McapTypes.TypedMcapRecord[] = []
  for (let record; (record = stream.nextRecord());) records.push(record)
  if (stream.bytesRemaining() > 0) throw new Error('its last record is cut short')
  return records
}
