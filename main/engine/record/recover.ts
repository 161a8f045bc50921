// An unfinished recording (the recorder was killed, the machine lost power) has its chunks but no summary:
// read it as a stream up to the last whole chunk and write those records into a new, indexed file beside it.
// The original is left as it was. Where no copy can be written (a full disk, a read-only folder) the reader
// indexes the file in place instead (unfinished-index.ts).
import { McapStreamReader, type McapTypes } from '@mcap/core'
import { loadDecompressHandlers } from '@mcap/support'
import { createReadStream } from 'node:fs'
import { open, unlink } from 'node:fs/promises'
import { basename, dirname, extname, join } from 'node:path'
import { EVENTS_TOPIC, RECORDING_PROFILE } from '../../../contract/recordings'
import { BadFile } from './bad-file'
import { FlushableMcapWriter } from './mcap-writer'
import { zstdCompressor } from './zstd'

export interface Recovered {
  path: string
  /** Traffic messages, as positions count them (events not included). */
  messages: number
  /** Why reading stopped where it did: the end of what was written, or a damaged record. */
  stoppedAt: 'end' | 'damage'
}

export function recoveredPathOf(path: string): string {
  const ext = extname(path)
  return join(dirname(path), `${basename(path, ext)}.recovered${ext}`)
}

/** The file's MCAP header, or BadFile saying why it has none; refuses an MCAP file of another program. */
export async function headerOf(path: string): Promise<McapTypes.Header> {
  const name = basename(path)
  const handle = await open(path, 'r')
  let start: Buffer
  try {
    start = Buffer.alloc(64 * 1024)
    start = start.subarray(0, (await handle.read(start, 0, start.length, 0)).bytesRead)
  } finally {
    await handle.close()
  }
  if (start.length === 0) throw new BadFile(`${name} is empty: not an MCAP file`)
  const reader = new McapStreamReader({ validateCrcs: true })
  let header: McapTypes.TypedMcapRecord | undefined
  try {
    reader.append(start)
    header = reader.nextRecord()
  } catch {
    header = undefined
  }
  if (header?.type !== 'Header') {
    throw new BadFile(`${name} is not an MCAP file (no MCAP magic and header at its start)`)
  }
  if (header.profile !== RECORDING_PROFILE) {
    throw new BadFile(
      `${name} is an unfinished MCAP file written by ${header.library || 'another program'}` +
        `${header.profile ? ` (profile "${header.profile}")` : ''}, not by ZeroScope`,
    )
  }
  return header
}

/** The records of the file, up to the end of what was written or the first damaged record. */
async function* recordsOf(
  path: string,
  stopped: { at: Recovered['stoppedAt'] },
): AsyncGenerator<McapTypes.TypedMcapRecord> {
  const reader = new McapStreamReader({ decompressHandlers: await loadDecompressHandlers(), validateCrcs: true })
  for await (const data of createReadStream(path, { highWaterMark: 1024 * 1024 })) {
    const records: McapTypes.TypedMcapRecord[] = []
    try {
      reader.append(data as Buffer)
      for (let record; (record = reader.nextRecord());) records.push(record)
    } catch {
      // A damaged record (a chunk cut short by the kill is simply never complete): keep what came before.
      yield* records
      stopped.at = 'damage'
      return
    }
    yield* records
  }
}

export async function recover(path: string): Promise<Recovered> {
  const header = await headerOf(path)
  const target = recoveredPathOf(path)
  await unlink(target).catch(() => undefined)
  const handle = await open(target, 'wx')
  const writer = new FlushableMcapWriter(handle, { chunkBytes: 1024 * 1024, compress: await zstdCompressor() })
  const channels = new Set<number>()
  const stopped: { at: Recovered['stoppedAt'] } = { at: 'end' }
  let events: number | undefined
  let messages = 0
  let sequence = 0
  try {
    await writer.start({ profile: header.profile, library: header.library })
    for await (const record of recordsOf(path, stopped)) {
      if (record.type === 'Metadata') {
        await writer.addMetadata({ name: record.name, metadata: record.metadata })
      } else if (record.type === 'Channel' && !channels.has(record.id)) {
        channels.add(record.id)
        if (record.topic === EVENTS_TOPIC) events = record.id
        writer.addChannel({
          id: record.id,
          schemaId: 0,
          topic: record.topic,
          messageEncoding: record.messageEncoding,
          metadata: record.metadata,
        })
      } else if (record.type === 'Message' && channels.has(record.channelId)) {
        await writer.addMessage({ ...record, sequence: ++sequence })
        if (record.channelId !== events) messages++
      }
    }
    await writer.end()
  } catch (error) {
    await handle.close()
    await unlink(target).catch(() => undefined)
    throw error
  }
  await handle.close()
  return { path: target, messages, stoppedAt: stopped.at }
}
