// An opened recording as a log source, through the channels: pages across several chunks, full frames, seek,
// density and the engine-side filter, each checked against the file as @mcap/core's own reader reads it.
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { readdirSync, readFileSync } from 'node:fs'
import { basename, dirname } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { Channel } from '../../contract/channels'
import { EVENTS_TOPIC, type OpenedRecording, type RecordingFilter } from '../../contract/recordings'
import type { CaptureExport, FullFrames, RecordingPage } from '../../contract/views'
import type { Services } from '../../main/host/services'
import { bindAddress } from '../helpers/addresses'
import { newServices } from '../helpers/probe'
import {
  decodeLayout,
  failed,
  ok,
  readBack,
  startRecording,
  stopRecording,
  tempFolder,
} from '../helpers/recording-files'

/** One message as @mcap/core reads it, in the order positions count (log time, then file order). */
interface Expected {
  socketId: string
  dir: 'in' | 'out'
  logTime: bigint
  frames: Buffer[]
}

/** An NDJSON export's line, the fields this test reads. */
interface ExportLine {
  id: number
  socket: string | null
  dir: 'in' | 'out'
  frames: string[]
}

let services: Services
let folder: ReturnType<typeof tempFolder>
let name: string
let expected: Expected[]
let chunks: number

before(async () => {
  folder = tempFolder('zs-recording-source-')
  ;({ services } = newServices({ recordingsDir: folder.path, recordingMinFreeBytes: 0 }))
  const engine = services.engine
  const binaryIn = engine.create('pull', 'binary in').id
  const binaryOut = engine.create('push', 'binary out').id
  const textIn = engine.create('pull', 'text in').id
  const textOut = engine.create('push', 'text out').id
  await engine.connect(binaryOut, (await engine.bind(binaryIn, bindAddress('tcp'))).endpoints[0]!.address)
  await engine.connect(textOut, (await engine.bind(textIn, bindAddress('ipc'))).endpoints[0]!.address)
  const recording = await startRecording(services, { kind: 'all' }, 'big')
  let received = 0
  const arrived = new Promise<void>((resolve) => {
    for (const id of [binaryIn, textIn]) engine.onReceive(id, () => void (++received === 2700 && resolve()))
  })
  // 2000 × 1 KiB of random bytes, both directions recorded: over 4 MiB that does not compress, so 4+ chunks.
  for (let i = 0; i < 2000; i++) {
    const size = i % 100 === 7 ? 5000 : 1024
    await engine.sendBytes(binaryOut, [randomBytes(size), Buffer.alloc(i % 3)])
    if (i % 10 === 0) {
      const words = i % 50 === 0 ? `needle order-${i}` : `hay order-${i}`
      await engine.sendBytes(textOut, [Buffer.from(words), Buffer.from([0xff, 0x00, i & 0xff])])
    }
    if (i % 4 === 0) await engine.sendBytes(textOut, [Buffer.from(`tick ${i}`)])
  }
  await arrived
  const stopped = await stopRecording(services, recording.id)
  name = basename(stopped.path)
  const file = await readBack(stopped.path)
  chunks = file.chunks
  const topics = new Map(file.channels.map((c) => [c.id, c]))
  expected = file.messages
    .filter((m) => topics.get(m.channelId)!.topic !== EVENTS_TOPIC)
    .sort((x, y) => (x.logTime < y.logTime ? -1 : x.logTime > y.logTime ? 1 : x.sequence - y.sequence))
    .map((m) => {
      const channel = topics.get(m.channelId)!
      return {
        socketId: channel.metadata.get('socketId')!,
        dir: channel.metadata.get('dir') as 'in' | 'out',
        logTime: m.logTime,
        frames: decodeLayout(m.data).frames,
      }
    })
})
after(async () => {
  await services.shutdown()
  folder.remove()
})

const open = async (): Promise<OpenedRecording> =>
  (await ok<{ recording: OpenedRecording }>(services, Channel.recordingOpen, { file: { kind: 'folder', name } }))
    .recording
const page = (sourceId: string, from: number, limit: number, filter?: RecordingFilter) =>
  ok<RecordingPage>(services, Channel.recordingPage, { sourceId, from, limit, ...(filter ? { filter } : {}) })
const close = (sourceId: string) => ok<null>(services, Channel.recordingClose, { sourceId })

/** The positions a filter chooses, by following next until done; each page's rows checked on the way. */
async function filtered(sourceId: string, filter: RecordingFilter): Promise<number[]> {
  const positions: number[] = []
  let from = 0
  for (let pages = 0; ; pages++) {
    assert.ok(pages < 10_000, 'paging ends')
    const p = await page(sourceId, from, 100, filter)
    assert.ok(p.next > from || p.done, 'every page moves on')
    assert.ok(p.entries.length <= 100)
    for (const e of p.entries) {
      assert.ok(e.id - 1 >= from && e.id - 1 < p.next, 'rows lie between from and next')
      positions.push(e.id - 1)
    }
    if (p.done) {
      assert.equal(p.next, expected.length)
      return positions
    }
    from = p.next
  }
}

const text = (f: Buffer): string => f.toString('utf8')
const positionsWhere = (test: (m: Expected) => boolean): number[] => expected.flatMap((m, i) => (test(m) ? [i] : []))

describe('an opened recording', () => {
  it('opens with the counts, channels and span of the file', async () => {
    assert.ok(chunks >= 4, `${chunks} chunks`)
    const recording = await open()
    try {
      assert.equal(recording.format, 'mcap')
      assert.equal(recording.messages, expected.length)
      assert.equal(recording.recovered, undefined)
      assert.equal(recording.startWall, Number(expected[0]!.logTime / 1000n) / 1000)
      assert.equal(recording.endWall, Number(expected.at(-1)!.logTime / 1000n) / 1000)
      assert.equal(recording.channels.length, 4)
      assert.equal(recording.sockets.length, 4)
    } finally {
      await close(recording.sourceId)
    }
  })

  it('pages across every chunk: positions exact and contiguous, rows byte-exact up to the preview', async () => {
    const { sourceId } = await open()
    let from = 0
    let pages = 0
    while (from < expected.length) {
      const p = await page(sourceId, from, 777)
      pages++
      assert.equal(p.entries.length, Math.min(777, expected.length - from))
      assert.equal(p.next, from + p.entries.length)
      assert.equal(p.done, p.next === expected.length)
      p.entries.forEach((e, k) => {
        const m = expected[from + k]!
        assert.equal(e.id, from + k + 1)
        assert.equal(e.socketId, m.socketId)
        assert.equal(e.dir, m.dir)
        assert.equal(e.wall, Number(m.logTime / 1000n) / 1000)
        assert.equal(
          e.size,
          m.frames.reduce((n, f) => n + f.length, 0),
        )
        assert.deepEqual(
          e.frames.map((f) => [f.size, f.b64, f.truncated]),
          m.frames.map((f) => [f.length, f.subarray(0, 1024).toString('base64'), f.length > 1024]),
          `row ${e.id}`,
        )
      })
      from = p.next
    }
    assert.ok(pages > 5)
    // A page that starts anywhere, in the middle of a chunk included, starts exactly there.
    for (const start of [1, 1500, 2345, expected.length - 3]) {
      const p = await page(sourceId, start, 5)
      assert.deepEqual(
        p.entries.map((e) => e.id),
        Array.from({ length: Math.min(5, expected.length - start) }, (_, k) => start + k + 1),
      )
    }
    const past = await page(sourceId, expected.length + 10, 5)
    assert.deepEqual([past.entries.length, past.done], [0, true])
    await close(sourceId)
  })

  it('gives the full frames of any message byte-exact, and refuses a position past the end', async () => {
    const { sourceId } = await open()
    const big = positionsWhere((m) => m.frames[0]!.length === 5000)
    for (const position of [0, 1, ...big, Math.floor(expected.length / 2), expected.length - 1]) {
      const full = await ok<FullFrames>(services, Channel.recordingFrames, { sourceId, position })
      assert.equal(full.entryId, position + 1)
      assert.deepEqual(
        full.frames,
        expected[position]!.frames.map((f) => f.toString('base64')),
        `message at ${position}`,
      )
    }
    const error = await failed(services, Channel.recordingFrames, { sourceId, position: expected.length })
    assert.equal(error.code, 'INVALID_REQUEST')
    assert.match(error.message, new RegExp(`#${expected.length + 1}`))
    await close(sourceId)
  })

  it('seeks to the first message at or after a time, inside and outside the span', async () => {
    const { sourceId } = await open()
    const seek = async (wall: number) =>
      (await ok<{ position: number }>(services, Channel.recordingSeek, { sourceId, wall })).position
    for (const k of [0, 1, 999, 2600, expected.length - 1]) {
      const wall = Number(expected[k]!.logTime / 1000n) / 1000
      const ns = BigInt(Math.round(wall * 1000)) * 1000n
      assert.equal(
        await seek(wall),
        expected.findIndex((m) => m.logTime >= ns),
        `seek to message ${k}`,
      )
    }
    const middle = (Number(expected[0]!.logTime) + Number(expected.at(-1)!.logTime)) / 2e6
    const middleNs = BigInt(Math.round(middle * 1000)) * 1000n
    assert.equal(
      await seek(middle),
      expected.findIndex((m) => m.logTime >= middleNs),
    )
    assert.equal(await seek(Number(expected[0]!.logTime / 1_000_000n) - 60_000), 0, 'before the start')
    assert.equal(
      await seek(Number(expected.at(-1)!.logTime / 1_000_000n) + 60_000),
      expected.length - 1,
      'after the end',
    )
    await close(sourceId)
  })

  it('gives a density whose bins add up to the message count exactly', async () => {
    const { sourceId } = await open()
    for (const bins of [1, 7, 200]) {
      const density = await ok<{ startWall: number; endWall: number; bins: number[] }>(
        services,
        Channel.recordingDensity,
        { sourceId, bins },
      )
      assert.equal(density.bins.length, bins)
      assert.ok(density.bins.every((n) => n >= 0))
      const sum = density.bins.reduce((a, n) => a + n, 0)
      assert.equal(sum, expected.length, `${sum} of ${expected.length} in ${bins} bins`)
      assert.equal(density.startWall, Number(expected[0]!.logTime / 1000n) / 1000)
      assert.equal(density.endWall, Number(expected.at(-1)!.logTime / 1000n) / 1000)
    }
    await close(sourceId)
  })

  it('filters by text, regex, direction, socket and size, matching an independent count', async () => {
    const recording = await open()
    const { sourceId } = recording
    const textIn = recording.channels.find((c) => c.name === 'text in')!.socketId
    const cases: [RecordingFilter, (m: Expected) => boolean][] = [
      [{ text: { mode: 'text', pattern: 'needle' } }, (m) => m.frames.some((f) => text(f).includes('needle'))],
      [
        { text: { mode: 'regex', pattern: '^(hay|needle) order-1[0-9]*0$' } },
        (m) => m.frames.some((f) => /^(hay|needle) order-1[0-9]*0$/.test(text(f))),
      ],
      [{ dir: 'out' }, (m) => m.dir === 'out'],
      [{ socketId: textIn }, (m) => m.socketId === textIn],
      [{ minSize: 2000 }, (m) => m.frames.reduce((n, f) => n + f.length, 0) >= 2000],
      [
        { socketId: textIn, dir: 'in', text: { mode: 'text', pattern: 'tick 1' } },
        (m) => m.socketId === textIn && m.dir === 'in' && m.frames.some((f) => text(f).includes('tick 1')),
      ],
      [{ text: { mode: 'text', pattern: 'nowhere at all' } }, () => false],
    ]
    for (const [filter, test] of cases) {
      const want = positionsWhere(test)
      assert.ok(want.length > 0 || filter.text?.pattern === 'nowhere at all', JSON.stringify(filter))
      assert.deepEqual(await filtered(sourceId, filter), want, JSON.stringify(filter))
    }
    await close(sourceId)
  })

  it('exports what its filter shows (or all of it) from the file: NDJSON byte-exact, CSV rows, cancel leaves nothing', async () => {
    const recording = await open()
    const { sourceId } = recording
    try {
      const needle = { text: { mode: 'text', pattern: 'needle' } } as const
      const shown = await ok<CaptureExport>(services, Channel.logExport, { sourceId, filter: needle })
      const lines = readFileSync(shown.path, 'utf8')
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l) as ExportLine)
      const want = positionsWhere((m) => m.frames.some((f) => text(f).includes('needle')))
      assert.ok(want.length > 0)
      assert.equal(shown.entries, want.length)
      assert.deepEqual(
        lines.map((l) => l.id - 1),
        want,
      )
      for (const [i, line] of lines.entries()) {
        const m = expected[want[i]!]!
        assert.deepEqual(
          line.frames,
          m.frames.map((f) => f.toString('base64')),
          `message ${line.id}`,
        )
        assert.equal(line.socket, recording.channels.find((c) => c.socketId === m.socketId)!.name)
        assert.equal(line.dir, m.dir)
      }
      const csv = await ok<CaptureExport>(services, Channel.logExport, { sourceId, format: 'csv', frames: 'hex' })
      assert.equal(csv.entries, expected.length)
      assert.equal(readFileSync(csv.path, 'utf8').trimEnd().split('\n').length, expected.length + 1)

      // Cancelled while the reader thread writes: CANCELLED, and no file of it left in the exports folder.
      const before = readdirSync(dirname(csv.path)).sort()
      const exportId = 'xcancel1'
      const cancelled = failed(services, Channel.logExport, { sourceId, exportId, format: 'csv' })
      await ok<null>(services, Channel.logExportCancel, { exportId })
      const error = await cancelled
      assert.equal(error.code, 'CANCELLED')
      assert.deepEqual(readdirSync(dirname(csv.path)).sort(), before)
    } finally {
      await close(sourceId)
    }
  })

  it('after close, every read answers UNKNOWN_RECORDING and the file opens again', async () => {
    const { sourceId } = await open()
    await page(sourceId, 0, 10)
    await close(sourceId)
    for (const [channel, payload] of [
      [Channel.recordingPage, { sourceId, from: 0, limit: 10 }],
      [Channel.recordingFrames, { sourceId, position: 0 }],
      [Channel.recordingSeek, { sourceId, wall: 0 }],
      [Channel.recordingDensity, { sourceId, bins: 10 }],
      [Channel.recordingClose, { sourceId }],
    ] as const) {
      const error = await failed(services, channel, payload)
      assert.equal(error.code, 'UNKNOWN_RECORDING', channel)
      assert.match(error.message, new RegExp(sourceId))
    }
    const again = await open()
    assert.notEqual(again.sourceId, sourceId)
    assert.equal((await page(again.sourceId, 0, 3)).entries.length, 3)
    await close(again.sourceId)
  })
})
