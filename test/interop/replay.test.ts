// Replay against real processes: a pyzmq PUSH's messages are recorded by the engine, the recording is opened and
// replayed from an app PUSH into a pyzmq PULL that timestamps every arrival. The timing assertions are the
// replay's schedule (behaviour), with tolerances generous enough for a noisy two-core machine:
//   original timing: each interval within ±25 ms of the recorded one, the whole span within 10 %;
//   × 2 speed: the same against half the recorded intervals and span.
import assert from 'node:assert/strict'
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { once } from 'node:events'
import { basename } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { afterEach, beforeEach, describe, it } from 'node:test'
import { Channel } from '../../contract/channels'
import type {
  OpenedRecording,
  RecordingFilter,
  RecordingSummary,
  ReplaySummary,
  ReplayTiming,
} from '../../contract/recordings'
import type { LogEntryView, RecordingPage, SocketSummary } from '../../contract/views'
import type { Engine } from '../../main/engine/engine'
import { dispatch } from '../../main/host/dispatch'
import type { Services } from '../../main/host/services'
import { newServices, type Probe } from '../helpers/probe'
import { PYTHON, PythonPeer } from '../helpers/python-peer'

const INTERVAL_TOLERANCE_MS = 25
const SPAN_TOLERANCE = 0.1

/** The pyzmq receiver (replay_recv.py): every message with its arrival time (ns, monotonic) and frames. */
class Receiver {
  readonly messages: { at: bigint; frames: Buffer[] }[] = []
  private readonly child: ChildProcessWithoutNullStreams
  private waiters: { check: () => boolean; resolve: () => void }[] = []
  readonly port: Promise<number>

  constructor() {
    const script = fileURLToPath(new URL('../fixtures/python/replay_recv.py', import.meta.url))
    this.child = spawn(PYTHON, ['-u', script])
    this.child.stderr.on('data', (chunk: Buffer) => process.stderr.write(`[replay_recv.py] ${chunk.toString()}`))
    let gotPort: (port: number) => void
    this.port = new Promise((resolve) => (gotPort = resolve))
    createInterface({ input: this.child.stdout }).on('line', (line) => {
      const [kind, a, b, c = ''] = line.split(' ')
      if (kind === 'port') gotPort(Number(a))
      if (kind !== 'm') return
      assert.equal(Number(a), this.messages.length)
      this.messages.push({ at: BigInt(b!), frames: c.split('.').map((hex) => Buffer.from(hex, 'hex')) })
      this.waiters = this.waiters.filter((w) => (w.check() ? (w.resolve(), false) : true))
    })
  }

  until(check: () => boolean): Promise<void> {
    if (check()) return Promise.resolve()
    return new Promise((resolve) => this.waiters.push({ check, resolve }))
  }

  count(n: number): Promise<void> {
    return this.until(() => this.messages.length >= n)
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return
    const exited = once(this.child, 'exit')
    this.child.kill('SIGKILL')
    await exited
  }
}

/** replay_send.py's message i. */
function sentFrames(i: number, size: number): Buffer[] {
  return [
    Buffer.from(String(i).padStart(4, '0')),
    Buffer.from(Array.from({ length: size }, (_, k) => (i * 7 + k) % 256)),
  ]
}

let services: Services
let engine: Engine
let probe: Probe
const stops: (() => Promise<void>)[] = []
let names = 0

beforeEach(() => ({ services, engine, probe } = newServices()))
afterEach(async () => {
  await engine.shutdown()
  await Promise.all(stops.splice(0).map((stop) => stop()))
})

async function value<T>(channel: string, payload: unknown): Promise<T> {
  const result = await dispatch(services, channel, payload)
  assert.ok(result.ok, `${channel}: ${JSON.stringify(!result.ok && result.error)}`)
  return result.value as T
}

interface Recorded {
  sourceId: string
  entries: LogEntryView[]
}

/** Records what replay_send.py sends (count messages of `size` bytes, `intervalMs` apart) and opens the file. */
async function recordFromPeer(count: number, intervalMs: number, size = 32): Promise<Recorded> {
  const sender = new PythonPeer('replay_send.py', [
    '--count',
    String(count),
    '--interval-ms',
    String(intervalMs),
    '--size',
    String(size),
  ])
  stops.push(() => sender.stop())
  const pull = await value<SocketSummary>(Channel.socketCreate, { type: 'pull', name: 'source' })
  await value(Channel.socketConnect, { socketId: pull.id, endpoint: `tcp://127.0.0.1:${await sender.port()}` })
  await probe.timelineAtLeast(pull.id, 'connect')
  const started = await value<{ kind: 'started'; recording: RecordingSummary }>(Channel.recordingStart, {
    scope: { kind: 'chosen', socketIds: [pull.id], tapIds: [] },
    file: { kind: 'folder', name: `replay-${process.pid}-${++names}` },
  })
  sender.write('go\n')
  await sender.line(/^sent \d+$/)
  await probe.receivedAtLeast(pull.id, count)
  const stopped = await value<RecordingSummary>(Channel.recordingStop, { recordingId: started.recording.id })
  const opened = await value<{ kind: 'opened'; recording: OpenedRecording }>(Channel.recordingOpen, {
    file: { kind: 'folder', name: basename(stopped.path) },
  })
  assert.equal(opened.recording.messages, count)
  const entries: LogEntryView[] = []
  for (let from = 0, done = false; !done;) {
    const page = await value<RecordingPage>(Channel.recordingPage, {
      sourceId: opened.recording.sourceId,
      from,
      limit: 1000,
    })
    entries.push(...page.entries)
    from = page.next
    done = page.done
  }
  assert.equal(entries.length, count)
  return { sourceId: opened.recording.sourceId, entries }
}

/** An app PUSH connected to a fresh pyzmq receiver. */
async function replayTarget(): Promise<{ push: string; receiver: Receiver }> {
  const receiver = new Receiver()
  stops.push(() => receiver.stop())
  const push = await value<SocketSummary>(Channel.socketCreate, { type: 'push', name: 'replayer' })
  await value(Channel.socketConnect, { socketId: push.id, endpoint: `tcp://127.0.0.1:${await receiver.port}` })
  await probe.timelineAtLeast(push.id, 'connect')
  return { push: push.id, receiver }
}

async function replay(
  sourceId: string,
  socketId: string,
  timing: ReplayTiming,
  extra: { loop?: boolean; filter?: RecordingFilter } = {},
): Promise<ReplaySummary> {
  return value<ReplaySummary>(Channel.replayStart, { sourceId, socketId, timing, ...extra })
}

function replayState(id: string): Promise<ReplaySummary> {
  const find = () => probe.replays.find((r) => r.id === id)
  return probe.until(() => find() !== undefined && find()!.state.kind !== 'running').then(() => find()!)
}

/** A marker sent after everything else from the same PUSH: once it arrives, all sent before it has arrived. */
async function marker(push: string, receiver: Receiver, text: string): Promise<number> {
  const before = receiver.messages.length
  await value(Channel.socketSend, { socketId: push, frames: [{ enc: 'text', data: text }] })
  await receiver.until(() => receiver.messages.slice(before).some((m) => m.frames[0]!.toString() === text))
  return receiver.messages.findIndex((m, i) => i >= before && m.frames[0]!.toString() === text)
}

const ms = (ns: bigint): number => Number(ns) / 1e6

function checkTiming(recorded: LogEntryView[], receiver: Receiver, factor: number): void {
  const arrivals = receiver.messages.map((m) => ms(m.at))
  const walls = recorded.map((e) => e.wall)
  const off: string[] = []
  for (let i = 1; i < walls.length; i++) {
    const want = (walls[i]! - walls[i - 1]!) / factor
    const got = arrivals[i]! - arrivals[i - 1]!
    if (Math.abs(got - want) > INTERVAL_TOLERANCE_MS)
      off.push(`#${i}: ${got.toFixed(1)} ms, recorded ${want.toFixed(1)}`)
  }
  assert.deepEqual(off, [], `intervals off by more than ${INTERVAL_TOLERANCE_MS} ms`)
  const want = (walls.at(-1)! - walls[0]!) / factor
  const got = arrivals.at(-1)! - arrivals[0]!
  assert.ok(
    Math.abs(got - want) <= want * SPAN_TOLERANCE,
    `span ${got.toFixed(1)} ms, recorded ${want.toFixed(1)} ms: more than ${SPAN_TOLERANCE * 100} % off`,
  )
}

function checkFrames(receiver: Receiver, indexes: number[], size = 32): void {
  assert.equal(receiver.messages.length, indexes.length)
  indexes.forEach((index, i) =>
    assert.deepEqual(receiver.messages[i]!.frames, sentFrames(index, size), `arrival ${i} is message ${index}`),
  )
}

describe('replay into a pyzmq receiver', () => {
  it(`original timing: 30 messages recorded 40 ms apart arrive with each interval within ±${INTERVAL_TOLERANCE_MS} ms and the span within ${SPAN_TOLERANCE * 100} % of the recording's`, async () => {
    const recorded = await recordFromPeer(30, 40)
    const { push, receiver } = await replayTarget()
    const started = await replay(recorded.sourceId, push, { kind: 'original' })
    const ended = await replayState(started.id)
    assert.deepEqual(ended.state, { kind: 'done' })
    assert.equal(ended.sent, 30)
    await receiver.count(30)
    checkFrames(receiver, [...Array(30).keys()])
    checkTiming(recorded.entries, receiver, 1)
  })

  it(`× 2 speed halves the intervals and the span (same ±${INTERVAL_TOLERANCE_MS} ms, ${SPAN_TOLERANCE * 100} %)`, async () => {
    const recorded = await recordFromPeer(30, 40)
    const { push, receiver } = await replayTarget()
    const started = await replay(recorded.sourceId, push, { kind: 'speed', factor: 2 })
    assert.deepEqual((await replayState(started.id)).state, { kind: 'done' })
    await receiver.count(30)
    checkFrames(receiver, [...Array(30).keys()])
    checkTiming(recorded.entries, receiver, 2)
  })

  it('as fast as possible: 10,000 messages arrive, the count exact and every frame byte-exact, in order', async () => {
    const count = 10_000
    const recorded = await recordFromPeer(count, 0, 100)
    const { push, receiver } = await replayTarget()
    const started = await replay(recorded.sourceId, push, { kind: 'fast' })
    const ended = await replayState(started.id)
    assert.deepEqual(ended.state, { kind: 'done' })
    assert.equal(ended.sent, count)
    assert.equal(ended.total, count)
    const at = await marker(push, receiver, 'end')
    assert.equal(at, count, 'exactly the recording arrived before the marker')
    receiver.messages.pop()
    checkFrames(receiver, [...Array(count).keys()], 100)
  })

  it('loop makes passes from the start each time; stop ends it: nothing more is sent after it', async () => {
    const recorded = await recordFromPeer(30, 0)
    const { push, receiver } = await replayTarget()
    const started = await replay(recorded.sourceId, push, { kind: 'fast' }, { loop: true })
    await probe.until(() => (probe.replays.find((r) => r.id === started.id)?.passes ?? 0) >= 2)
    const stopped = await value<ReplaySummary>(Channel.replayStop, { replayId: started.id })
    assert.deepEqual(stopped.state, { kind: 'stopped' })
    const first = await marker(push, receiver, 'first')
    const second = await marker(push, receiver, 'second')
    assert.equal(second, first + 1, 'no replayed message between two markers sent after the stop')
    assert.ok(first >= 60, `${first} messages before the stop: at least two passes of 30`)
    receiver.messages.slice(0, first).forEach((m, i) => assert.deepEqual(m.frames, sentFrames(i % 30, 32)))
  })

  it('a filter replays only the messages it matches (text "001": messages 0001 and 0010–0019)', async () => {
    const recorded = await recordFromPeer(30, 0)
    const { push, receiver } = await replayTarget()
    const started = await replay(
      recorded.sourceId,
      push,
      { kind: 'fast' },
      { filter: { text: { mode: 'text', pattern: '001' } } },
    )
    const ended = await replayState(started.id)
    assert.deepEqual(ended.state, { kind: 'done' })
    assert.equal(ended.sent, 11)
    assert.equal(ended.total, 11)
    const at = await marker(push, receiver, 'end')
    assert.equal(at, 11)
    receiver.messages.pop()
    checkFrames(receiver, [1, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19])
  })

  it('into a socket that cannot deliver (a PUSH with no peer), the replay fails with a sentence', async () => {
    const recorded = await recordFromPeer(5, 0)
    const push = await value<SocketSummary>(Channel.socketCreate, { type: 'push', name: 'nowhere' })
    const started = await replay(recorded.sourceId, push.id, { kind: 'fast' })
    const ended = await replayState(started.id)
    assert.equal(ended.state.kind, 'failed')
    const message = ended.state.kind === 'failed' ? ended.state.message : ''
    assert.match(message, /^replay stopped at message #1: \S.{10,}/)
    assert.equal(ended.sent, 0)
  })
})
