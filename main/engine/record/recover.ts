// An unfinished recording (the recorder was killed, the machine lost power) has its chunks but no summary:
// read it as a stream up to the last whole chunk and write those records into a new, indexed file beside it.
// The original is left as it was.
import { McapStreamReader } from '@mcap/core'
import { loadDecompressHandlers } from '@mcap/support'
import { createReadStream } from 'node:fs'
import { open, unlink } from 'node:fs/promises'
import { basename, dirname, extname, join } from 'node:path'
import { RECORDING_PROFILE } from '../../../contract/recordings'
import { BadFile } from './bad-file'
import { FlushableMcapWriter } from './mcap-writer'
import { zstdCompressor } from './zstd'

export interface Recovered {
  path: string
  messages: number
  /** Why reading stopped where it did: the end of what was written, or a damaged record. */
  stoppedAt: 'end' | 'damage'
}

export function recoveredPathOf(path: string): string {
  const ext = extname(path)
  return join(dirname(path), `${basename(path, ext)}.recovered${ext}`)
}

export async function recover(path: string): Promise<Recovered> {
  const target = recoveredPathOf(path)
  const reader = new McapStreamReader({ decompressHandlers: await loadDecompressHandlers(), validateCrcs: true })
  await unlink(target).catch(() => undefined)
  const handle = await open(target, 'wx')
  const writer = new FlushableMcapWriter(handle, { chunkBytes: 1024 * 1024, compress: await zstdCompressor() })
  const channels = new Set<number>()
  let messages = 0
  let sequence = 0
  let started = false
  let stoppedAt: Recovered['stoppedAt'] = 'end'
  try {
    reading: for await (const data of createReadStream(path, { highWaterMark: 1024 * 1024 })) {
      try {
        reader.append(data as Buffer)
        for (let record; (record = reader.nextRecord());) {
          if (record.type === 'Header') {
            if (record.profile !== RECORDING_PROFILE) {
              throw new BadFile(
                `${basename(path)} is an unfinished MCAP file written by ${record.library || 'another program'}, not by ZeroScope`,
              )
            }
            await writer.start({ profile: record.profile, library: record.library })
            started = true
          } else if (!started) {
            throw new BadFile(`${basename(path)} has no MCAP header`)
          } else if (record.type === 'Metadata') {
            await writer.addMetadata({ name: record.name, metadata: record.metadata })
          } else if (record.type === 'Channel' && !channels.has(record.id)) {
            channels.add(record.id)
            writer.addChannel({
              id: record.id,
              schemaId: 0,
              topic: record.topic,
              messageEncoding: record.messageEncoding,
              metadata: record.metadata,
            })
          } else if (record.type === 'Message' && channels.has(record.channelId)) {
            await writer.addMessage({ ...record, sequence: ++sequence })
            messages++
          }
        }
      } catch (error) {
        if (error instanceof BadFile) throw error
        // A damaged record (a chunk cut short by the kill is simply never complete): keep what came before.
        stoppedAt = 'damage'
        break reading
      }
    }
    if (!started) throw new BadFile(`${basename(path)} is not an MCAP file (no MCAP magic and header at its start)`)
    await writer.end()
  } catch (error) {
    await handle.close()
    await unlink(target).catch(() => undefined)
    throw error
  }
  await handle.close()
  return { path: target, messages, stoppedAt }
}
