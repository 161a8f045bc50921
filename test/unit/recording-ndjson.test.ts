// An NDJSON capture export (log:export) opened as a read-only source: the same operations as a recording
// (pages, full frames, seek, density, filters, replay batches), checked against the export's own lines; a
// line that is not one of ours is refused naming the file and the line.
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { readFileSync, renameSync, writeFileSync } from 'node:fs'
import { basename, join } from 'node:path'
import { afterEach, beforeEach, describe, it } from 'node:test'
import { Channel } from '../../contract/channels'
import type { OpenedRecording, RecordingDensity, RecordingFilter, ReplaySummary } from '../../contract/recordings'
import type { CaptureExport, FullFrames, RecordingPage } from '../../contract/views'
import type { Engine } from '../../main/engine/engine'
import type { Services } from '../../main/host/services'
import { bindAddress } from '../helpers/addresses'
import { newServices, type Probe } from '../helpers/probe'
import { failed, ok, tempFolder } from '../helpers/recording-files'

interface Line {
  id: number
  socketId: string
  socket: string | null
  dir: 'in' | 'out'
  wall: string
  mono: number
  size: number
  peer: string | null
  frames: string[]
}

let services: Services
let engine: Engine
let probe: Probe
let folder: ReturnType<typeof tempFolder>

beforeEach(() => {
  folder = tempFolder('zs-recording-ndjson-')
  // Exports land in the recordings folder, where recording:open finds them by name.
  ;({ services, engine, probe } = newServices({ recordingsDir: folder.path, exportsDir: folder.path }))
})
afterEach(async () => {
  await services.shutdown()
  folder.remove()
})

const open = async (name: string): Promise<OpenedRecording> =>
  (await ok<{ recording: OpenedRecording }>(services, Channel.recordingOpen, { file: { kind: 'folder', name } }))
    .recording
const page = (sourceId: string, from: number, limit: number, filter?: RecordingFilter) =>
  ok<RecordingPage>(services, Channel.recordingPage, { sourceId, from, limit, ...(filter ? { filter } : {}) })

/** A real capture: PUSH -> PULL (binary, empty and large frames), DEALER -> ROUTER (routing ids), exported. */
async function exportedCapture(): Promise<{ name: string; lines: Line[]; pull: string; router: string }> {
  const pull = engine.create('pull', 'inbox').id
  const push = engine.create('push', 'outbox').id
  const router = engine.create('router', 'service').id
  const dealer = engine.create('dealer', 'client', { routingId: 'd-1' }).id
  await engine.connect(push, (await engine.bind(pull, bindAddress('tcp'))).endpoints[0]!.address)
  await engine.connect(dealer, (await engine.bind(router, bindAddress('ipc'))).endpoints[0]!.address)
  for (let i = 0; i < 1500; i++) {
    const frames = [Buffer.from(i % 100 === 0 ? `needle ${i}` : `hay ${i}`), randomBytes(i % 7 === 0 ? 3000 : 40)]
    if (i % 5 === 0) frames.push(Buffer.alloc(0))
    await engine.sendBytes(push, frames)
    if (i % 10 === 0) await engine.sendBytes(dealer, [Buffer.from(`ask ${i}`), Buffer.from([0xff, 0xfe, i & 0xff])])
  }
  await Promise.all([probe.receivedAtLeast(pull, 1500), probe.receivedAtLeast(router, 150)])
  const exported = await ok<CaptureExport>(services, Channel.logExport, {})
  assert.equal(exported.entries, 3300)
  const lines = readFileSync(exported.path, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Line)
  return { name: basename(exported.path), lines, pull, router }
}

const wallOf = (l: Line): number => Date.parse(l.wall)
const bytesOf = (l: Line): Buffer[] => l.frames.map((f) => Buffer.from(f, 'base64'))

describe('an NDJSON export opened as a source', () => {
  it('pages across blocks with positions exact, previews and full frames byte-exact', async () => {
    const { name, lines, router } = await exportedCapture()
    const opened = await open(name)
    assert.equal(opened.format, 'ndjson')
    assert.equal(opened.messages, lines.length)
    assert.equal(opened.startWall, wallOf(lines[0]!))
    assert.equal(opened.endWall, wallOf(lines.at(-1)!))
    assert.deepEqual(
      opened.channels.map((c) => `${c.socketId}/${c.dir} ${c.name}`).sort(),
      [...new Set(lines.map((l) => `${l.socketId}/${l.dir} ${l.socket}`))].sort(),
    )
    for (let from = 0; from < lines.length;) {
      const p = await page(opened.sourceId, from, 700)
      assert.equal(p.entries.length, Math.min(700, lines.length - from))
      assert.equal(p.next, from + p.entries.length)
      p.entries.forEach((e, k) => {
        const l = lines[from + k]!
        assert.equal(e.id, from + k + 1)
        assert.deepEqual([e.socketId, e.dir, e.size, e.wall], [l.socketId, l.dir, l.size, wallOf(l)])
        assert.equal(e.mono, l.mono - lines[0]!.mono)
        assert.equal(e.peer, l.peer ?? undefined)
        assert.deepEqual(
          e.frames.map((f) => [f.size, f.b64, f.truncated]),
          bytesOf(l).map((f) => [f.length, f.subarray(0, 1024).toString('base64'), f.length > 1024]),
        )
      })
      from = p.next
    }
    const routerRows = (await page(opened.sourceId, 0, 5000)).entries.filter((e) => e.socketId === router)
    assert.equal(routerRows.length, 150)
    assert.ok(routerRows.every((e) => e.peer === Buffer.from('d-1').toString('hex')))
    for (const position of [0, 7, 511, 512, 513, 2000, lines.length - 1]) {
      const full = await ok<FullFrames>(services, Channel.recordingFrames, { sourceId: opened.sourceId, position })
      assert.deepEqual(full.frames, lines[position]!.frames, `frames of line ${position + 1}`)
    }
  })

  it('seeks, gives a density that sums to the count, filters like an independent count', async () => {
    const { name, lines, pull } = await exportedCapture()
    const { sourceId } = await open(name)
    const seek = async (wall: number) =>
      (await ok<{ position: number }>(services, Channel.recordingSeek, { sourceId, wall })).position
    for (const k of [0, 100, 1234, lines.length - 1]) {
      const wall = wallOf(lines[k]!)
      assert.equal(
        await seek(wall),
        lines.findIndex((l) => wallOf(l) >= wall),
      )
    }
    assert.equal(await seek(wallOf(lines[0]!) - 60_000), 0)
    assert.equal(await seek(wallOf(lines.at(-1)!) + 60_000), lines.length - 1)
    for (const bins of [1, 13, 400]) {
      const d = await ok<RecordingDensity>(services, Channel.recordingDensity, { sourceId, bins })
      assert.equal(d.bins.length, bins)
      assert.equal(
        d.bins.reduce((a, n) => a + n, 0),
        lines.length,
      )
    }
    const text = (l: Line) => bytesOf(l).map((f) => f.toString('utf8'))
    const cases: [RecordingFilter, (l: Line) => boolean][] = [
      [{ text: { mode: 'text', pattern: 'needle' } }, (l) => text(l).some((t) => t.includes('needle'))],
      [{ text: { mode: 'regex', pattern: '^ask [0-9]+0$' } }, (l) => text(l).some((t) => /^ask [0-9]+0$/.test(t))],
      [{ dir: 'in', socketId: pull }, (l) => l.dir === 'in' && l.socketId === pull],
      [{ minSize: 1000 }, (l) => l.size >= 1000],
    ]
    for (const [filter, test] of cases) {
      const want = lines.flatMap((l, i) => (test(l) ? [i + 1] : []))
      assert.ok(want.length > 0)
      const got: number[] = []
      for (let from = 0, done = false; !done;) {
        const p = await page(sourceId, from, 50, filter)
        got.push(...p.entries.map((e) => e.id))
        ;({ next: from, done } = p)
      }
      assert.deepEqual(got, want, JSON.stringify(filter))
    }
  })

  it('replays an export as fast as possible: every chosen message, byte-exact, in order', async () => {
    const { name, lines, pull } = await exportedCapture()
    const { sourceId } = await open(name)
    const sink = engine.create('pull', 'replayed').id
    const sender = engine.create('push', 'replayer').id
    await engine.connect(sender, (await engine.bind(sink, bindAddress('tcp'))).endpoints[0]!.address)
    const replay = await ok<ReplaySummary>(services, Channel.replayStart, {
      sourceId,
      socketId: sender,
      timing: { kind: 'fast' },
      filter: { socketId: pull, dir: 'in' },
    })
    const want = lines.filter((l) => l.socketId === pull && l.dir === 'in')
    const got = await probe.receivedAtLeast(sink, want.length)
    await probe.until(() => probe.replays.find((r) => r.id === replay.id)?.state.kind === 'done')
    assert.equal(probe.replays.find((r) => r.id === replay.id)?.sent, want.length)
    assert.equal(got.length, want.length)
    for (let i = 0; i < want.length; i += 97) {
      const full = engine.frames(got[i]!.id).frames
      assert.deepEqual(full, want[i]!.frames, `replayed message ${i}`)
    }
  })

  it('refuses a line that is not one of ours, naming the file and the line; opens .ndjson and empty files', async () => {
    const { name } = await exportedCapture()
    const text = readFileSync(join(folder.path, name), 'utf8').split('\n')
    const variant = (file: string, line: number, content: string): void => {
      const copy = [...text]
      copy[line - 1] = content
      writeFileSync(join(folder.path, file), copy.join('\n'))
    }
    const good = JSON.parse(text[2]!) as Line
    variant('garbage.jsonl', 3, 'this is not json')
    variant('missing.jsonl', 1200, JSON.stringify({ ...good, frames: undefined }))
    variant('size.jsonl', 17, JSON.stringify({ ...good, size: good.size + 1 }))
    variant('dir.jsonl', 5, JSON.stringify({ ...good, dir: 'sideways' }))
    variant('b64.jsonl', 9, JSON.stringify({ ...good, frames: ['not base64!'] }))
    variant('array.jsonl', 2, '[1, 2, 3]')
    writeFileSync(join(folder.path, 'binary.jsonl'), randomBytes(3 * 1024 * 1024))
    const expect: [string, RegExp][] = [
      ['garbage.jsonl', /line 3 is not a ZeroScope export entry: not JSON/],
      ['missing.jsonl', /line 1200 .*"frames" is missing/],
      ['size.jsonl', /line 17 .*its "size" says/],
      ['dir.jsonl', /line 5 .*"dir" is not "in" or "out"/],
      ['b64.jsonl', /line 9 .*"frames" is not a list of base64 frames/],
      ['array.jsonl', /line 2 .*not a JSON object/],
      ['binary.jsonl', /line 1 is not a ZeroScope export entry/],
    ]
    for (const [file, problem] of expect) {
      const error = await failed(services, Channel.recordingOpen, { file: { kind: 'folder', name: file } })
      assert.equal(error.code, 'BAD_FILE', `${file}: ${error.message}`)
      assert.ok(error.message.startsWith(`${file}: `), error.message)
      assert.match(error.message, problem)
    }
    renameSync(join(folder.path, name), join(folder.path, 'export.ndjson'))
    assert.equal((await open('export.ndjson')).messages, 3300)
    writeFileSync(join(folder.path, 'nothing.jsonl'), '')
    const empty = await open('nothing.jsonl')
    assert.equal(empty.messages, 0)
    const p = await page(empty.sourceId, 0, 10)
    assert.deepEqual([p.entries.length, p.done], [0, true])
  })
})
