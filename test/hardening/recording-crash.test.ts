// Crash safety of a recording: the browser host (a real process) records a paced pyzmq PUSH stream and is
// SIGKILLed mid-stream. Its file must be listed as unfinished and, opened in a fresh engine, recovered: every
// message up to the last chunk flush the host reported, byte-exact and in order, and no more lost than the
// writer's flush interval (RECORDING_FLUSH_MS) allows, give or take the hand-over.
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, it } from 'node:test'
import { Channel } from '../../contract/channels'
import {
  RECORDING_FLUSH_MS,
  type OpenedRecording,
  type RecordingFolder,
  type RecordingSummary,
} from '../../contract/recordings'
import type { EngineEvent, LogEntryView, RecordingPage, SocketSummary } from '../../contract/views'
import { dispatch } from '../../main/host/dispatch'
import type { Services } from '../../main/host/services'
import { newServices } from '../helpers/probe'
import { PythonPeer } from '../helpers/python-peer'
import { HostClient, mustStart, type ServeProcess } from '../helpers/serve-process'

const RATE = 2000
/** What the kill may cost: the open chunk (one flush interval) and the hand-over, ~1.5 s of traffic. */
const MAY_LOSE = Math.round((RATE * (RECORDING_FLUSH_MS + 500)) / 1000)

const cleanups: (() => Promise<void> | void)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

async function call<T>(client: HostClient, channel: string, payload: unknown): Promise<T> {
  const result = await client.call(channel, payload)
  assert.ok(result.ok, `${channel}: ${JSON.stringify(result.error)}`)
  return result.value as T
}

async function value<T>(services: Services, channel: string, payload: unknown): Promise<T> {
  const result = await dispatch(services, channel, payload)
  assert.ok(result.ok, `${channel}: ${JSON.stringify(!result.ok && result.error)}`)
  return result.value as T
}

/** The peer's message i, as the engine shows it: three frames, the last empty. */
function expectedFrames(i: number): string[] {
  const binary = Buffer.from(Array.from({ length: 64 }, (_, k) => (i + k) % 256))
  return [Buffer.from(String(i).padStart(8, '0')).toString('base64'), binary.toString('base64'), '']
}

/** Resolves with the recording's summary once the host reports at least `written` messages on disk. */
function writtenAtLeast(client: HostClient, written: number, peer: PythonPeer, give: number) {
  return new Promise<RecordingSummary>((resolve, reject) => {
    const onMessage = (data: Buffer): void => {
      const frame = JSON.parse(data.toString()) as { event?: EngineEvent }
      if (frame.event?.type !== 'recordings') return
      const current = frame.event.recordings.find((r) => r.state.kind === 'recording')
      if (current !== undefined && current.written >= written) {
        client.ws.off('message', onMessage)
        resolve(current)
      }
    }
    client.ws.on('message', onMessage)
    // A writer that never flushes must fail the test with a reason, not wait for ever.
    void peer
      .line(new RegExp(`^sent ${give}$`))
      .then(() =>
        reject(new Error(`the host reported fewer than ${written} messages written after the peer sent ${give}`)),
      )
  })
}

describe('recording crash safety', () => {
  it(`a browser host SIGKILLed while recording a pyzmq stream: its unfinished file is recovered, every message up to the last flush byte-exact and in order, at most ${MAY_LOSE} (~1.5 s at ${RATE}/s) lost`, async () => {
    const folder = mkdtempSync(join(tmpdir(), 'zs-crash-'))
    cleanups.push(() => rmSync(folder, { recursive: true, force: true }))
    const peer = new PythonPeer('recording_push.py', ['--rate', String(RATE), '--every', '100'])
    cleanups.push(() => peer.stop())
    const host: ServeProcess = await mustStart({ ZEROSCOPE_RECORDINGS_DIR: folder })
    cleanups.push(() => host.stop())
    const client = await HostClient.open(host.origin, host.token)
    cleanups.push(() => client.close())

    const pull = await call<SocketSummary>(client, Channel.socketCreate, { type: 'pull', name: 'collector' })
    await call(client, Channel.socketConnect, { socketId: pull.id, endpoint: `tcp://127.0.0.1:${await peer.port()}` })
    await call(client, Channel.recordingStart, { scope: { kind: 'all' }, file: { kind: 'folder', name: 'crash' } })
    // Two flushes on disk, then the kill lands while the stream runs into the open chunk.
    const progress = writtenAtLeast(client, RATE, peer, 4 * RATE)
    peer.write('go\n')
    const seen = await progress
    host.child.kill('SIGKILL')
    peer.write('stop\n')
    const stopped = Number((await peer.line(/^stopped (\d+)$/))[1])
    await host.stop()
    assert.equal(host.child.signalCode, 'SIGKILL')

    const { services, engine } = newServices({ recordingsDir: folder })
    cleanups.push(() => engine.shutdown())
    const files = await value<RecordingFolder>(services, Channel.recordingFiles, {})
    const file = files.files.find((f) => f.name === 'crash.mcap')
    assert.deepEqual(file?.state, { kind: 'unfinished' }, JSON.stringify(files.files))

    const opened = await value<{ kind: 'opened'; recording: OpenedRecording }>(services, Channel.recordingOpen, {
      file: { kind: 'folder', name: 'crash.mcap' },
    })
    const recording = opened.recording
    assert.ok(recording.recovered, 'the unfinished file was recovered')
    assert.equal(recording.recovered.from, join(folder, 'crash.mcap'))
    assert.ok(
      recording.recovered.messages >= seen.written,
      `recovered ${recording.recovered.messages} messages (events included), the host had reported ${seen.written} written`,
    )
    assert.ok(recording.messages <= stopped, `${recording.messages} recovered of ${stopped} sent`)
    assert.ok(
      recording.messages >= stopped - MAY_LOSE,
      `${recording.messages} recovered of ${stopped} sent: more than ${MAY_LOSE} lost`,
    )

    const entries: LogEntryView[] = []
    for (let from = 0, done = false; !done;) {
      const page = await value<RecordingPage>(services, Channel.recordingPage, {
        sourceId: recording.sourceId,
        from,
        limit: 1000,
      })
      entries.push(...page.entries)
      from = page.next
      done = page.done
    }
    assert.equal(entries.length, recording.messages)
    entries.forEach((entry, i) => {
      assert.equal(entry.id, i + 1)
      assert.equal(entry.socketId, pull.id)
      assert.deepEqual(
        entry.frames.map((f) => f.b64),
        expectedFrames(i),
        `message #${i + 1} is the peer's message ${i}, byte-exact`,
      )
    })
  })
})
