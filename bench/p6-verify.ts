// P6's check of a recording with @mcap/core's own readers, not ours: the indexed reader's summary (statistics,
// chunk indexes) and a full pass of the stream reader over every record, which counts the traffic channel's
// messages and checks that each carries the next of the C sender's sequence numbers (byte-exact frames, in
// order, none lost or doubled).
import { McapIndexedReader, McapStreamReader, type McapTypes } from '@mcap/core'
import { FileHandleReadable } from '@mcap/nodejs'
import { loadDecompressHandlers } from '@mcap/support'
import { createReadStream } from 'node:fs'
import { open, stat } from 'node:fs/promises'
import { EVENTS_TOPIC } from '../contract/recordings'

export interface RecordingCheck {
  bytes: number
  chunks: number
  /** The summary's statistics: all messages (events included) and the traffic channel's. */
  statisticsMessages: number
  statisticsTraffic: number
  /** Counted by reading every record. */
  counted: number
  events: number
  /** Messages whose frames were not the next sequence number's 100-byte payload. */
  mismatched: number
  readSeconds: number
}

const SIZE = 100
/** The sender's payload: the 10-digit sequence number, then 'x' up to SIZE bytes. */
function expected(sequence: number): Buffer {
  const payload = Buffer.alloc(SIZE, 'x')
  payload.write(String(sequence).padStart(10, '0'), 0, 'latin1')
  return payload
}

/** What the file's summary says, through @mcap/core's indexed reader. */
async function summaryOf(path: string, handlers: McapTypes.DecompressHandlers) {
  const handle = await open(path, 'r')
  try {
    const reader = await McapIndexedReader.Initialize({
      readable: new FileHandleReadable(handle),
      decompressHandlers: handlers,
    })
    let traffic = 0
    let eventsChannel = -1
    for (const channel of reader.channelsById.values()) {
      const count = Number(reader.statistics?.channelMessageCounts.get(channel.id) ?? 0n)
      if (channel.topic === EVENTS_TOPIC) eventsChannel = channel.id
      else traffic += count
    }
    return {
      chunks: reader.chunkIndexes.length,
      messages: Number(reader.statistics?.messageCount ?? -1),
      traffic,
      eventsChannel,
    }
  } finally {
    await handle.close()
  }
}

export async function checkRecording(path: string): Promise<RecordingCheck> {
  const started = performance.now()
  const handlers = await loadDecompressHandlers()
  const summary = await summaryOf(path, handlers)
  const eventsChannel = summary.eventsChannel
  const stream = new McapStreamReader({ decompressHandlers: handlers, validateCrcs: true })
  let counted = 0
  let events = 0
  let mismatched = 0
  const payload = expected(0)
  // zeroscope.multipart of one frame: peer marker 0, frame count 1, frame length, then the frame.
  const header = Buffer.from([0, 1, 0, 0, 0, SIZE, 0, 0, 0])
  for await (const data of createReadStream(path, { highWaterMark: 4 * 1024 * 1024 })) {
    stream.append(data as Buffer)
    for (let record; (record = stream.nextRecord());) {
      if (record.type !== 'Message') continue
      if (record.channelId === eventsChannel) {
        events++
        continue
      }
      const bytes = Buffer.from(record.data.buffer, record.data.byteOffset, record.data.byteLength)
      payload.write(String(counted).padStart(10, '0'), 0, 'latin1')
      if (bytes.length !== header.length + SIZE || !bytes.subarray(0, header.length).equals(header)) mismatched++
      else if (!bytes.subarray(header.length).equals(payload)) mismatched++
      counted++
    }
  }
  if (!stream.done()) mismatched++
  return {
    bytes: (await stat(path)).size,
    chunks: summary.chunks,
    statisticsMessages: summary.messages,
    statisticsTraffic: summary.traffic,
    counted,
    events,
    mismatched,
    readSeconds: (performance.now() - started) / 1000,
  }
}
