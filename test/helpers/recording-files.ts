// What the recording tests share: recording through the channels, and reading a file back with @mcap/core's
// own indexed reader and an independent decoder of the documented zeroscope.multipart layout, so that what a
// test checks never leans on the engine's reader.
import { McapIndexedReader, McapStreamReader, type McapTypes } from '@mcap/core'
import { FileHandleReadable } from '@mcap/nodejs'
import { loadDecompressHandlers } from '@mcap/support'
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { open } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Channel } from '../../contract/channels'
import {
  EVENTS_TOPIC,
  type RecordingScope,
  type RecordingSummary,
  type RotationPolicy,
} from '../../contract/recordings'
import type { Result } from '../../contract/views'
import { dispatch } from '../../main/host/dispatch'
import type { Services } from '../../main/host/services'
import type { Probe } from './probe'

/** A fresh folder under the system temp dir, removed when the process exits (and by `remove`). */
export function tempFolder(prefix: string): { path: string; remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), prefix))
  const remove = (): void => rmSync(path, { recursive: true, force: true })
  process.on('exit', remove)
  return { path, remove }
}

/** The value of a channel call, or an assertion failure that shows the error. */
export async function ok<T>(services: Services, channel: string, payload: unknown): Promise<T> {
  const result = (await dispatch(services, channel as never, payload as never)) as Result<T>
  assert.ok(result.ok, `${channel}: ${JSON.stringify(!result.ok && result.error)}`)
  return result.value
}

export async function failed(services: Services, channel: string, payload: unknown) {
  const result = (await dispatch(services, channel as never, payload as never)) as Result<unknown>
  assert.ok(!result.ok, `${channel} should have failed, answered ${JSON.stringify(result).slice(0, 300)}`)
  return result.error
}

export async function startRecording(
  services: Services,
  scope: RecordingScope,
  name: string,
  rotation?: RotationPolicy,
): Promise<RecordingSummary> {
  const started = await ok<{ kind: string; recording: RecordingSummary }>(services, Channel.recordingStart, {
    scope,
    file: { kind: 'folder', name },
    ...(rotation ? { rotation } : {}),
  })
  assert.equal(started.kind, 'started')
  return started.recording
}

export const stopRecording = (services: Services, recordingId: string): Promise<RecordingSummary> =>
  ok<RecordingSummary>(services, Channel.recordingStop, { recordingId })

/** The recording as the latest 'recordings' event shows it. */
export function recordingNow(probe: Probe, id: string): RecordingSummary | undefined {
  return probe.recordings.find((r) => r.id === id)
}

export interface DecodedLayout {
  marker: number
  peer?: Buffer
  frames: Buffer[]
}

/** The README's zeroscope.multipart layout, decoded here on purpose rather than with the engine's multipart.ts. */
export function decodeLayout(data: Uint8Array): DecodedLayout {
  const b = Buffer.from(data)
  let at = 0
  const marker = b[at++]!
  let peer: Buffer | undefined
  if (marker === 2) {
    const n = b.readUInt32LE(at)
    peer = b.subarray(at + 4, at + 4 + n)
    at += 4 + n
  }
  const count = b.readUInt32LE(at)
  at += 4
  const frames: Buffer[] = []
  for (let i = 0; i < count; i++) {
    const n = b.readUInt32LE(at)
    frames.push(b.subarray(at + 4, at + 4 + n))
    at += 4 + n
  }
  assert.equal(at, b.length, 'the layout accounts for every byte of the message')
  assert.ok(marker <= 2, `peer marker ${marker}`)
  if (marker === 1) peer = frames[0]
  return peer === undefined ? { marker, frames } : { marker, peer, frames }
}

export interface ReadBack {
  header: McapTypes.Header
  channels: McapTypes.Channel[]
  messages: McapTypes.Message[]
  metadata: McapTypes.Metadata[]
  statistics: McapTypes.Statistics | undefined
  chunks: number
}

/** The whole file through @mcap/core's McapIndexedReader (which needs its summary: a file that is whole). */
export async function readBack(path: string): Promise<ReadBack> {
  const handle = await open(path, 'r')
  try {
    const reader = await McapIndexedReader.Initialize({
      readable: new FileHandleReadable(handle),
      decompressHandlers: await loadDecompressHandlers(),
    })
    const messages: McapTypes.Message[] = []
    for await (const m of reader.readMessages({ validateCrcs: true })) messages.push(m)
    const metadata: McapTypes.Metadata[] = []
    for await (const m of reader.readMetadata()) metadata.push(m)
    return {
      header: reader.header,
      channels: [...reader.channelsById.values()],
      messages,
      metadata,
      statistics: reader.statistics,
      chunks: reader.chunkIndexes.length,
    }
  } finally {
    await handle.close()
  }
}

export const hex = (frames: readonly Uint8Array[]): string[] => frames.map((f) => Buffer.from(f).toString('hex'))

/** Traffic messages in the whole chunks of `bytes` (events left out), as @mcap/core's stream reader finds them. */
export function wholeChunkMessages(handlers: McapTypes.DecompressHandlers, bytes: Uint8Array): number {
  const stream = new McapStreamReader({ decompressHandlers: handlers })
  stream.append(bytes)
  const channels = new Map<number, string>()
  let count = 0
  for (let record; (record = stream.nextRecord());) {
    if (record.type === 'Channel') channels.set(record.id, record.topic)
    if (record.type === 'Message' && channels.get(record.channelId) !== EVENTS_TOPIC) count++
  }
  return count
}
