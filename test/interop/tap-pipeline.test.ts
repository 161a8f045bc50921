// A pipeline tap (PULL side to the producers, PUSH side to the consumers) between two Debian pyzmq peers: a PUSH
// producer the tap connects to and a PULL consumer that connects to the tap, as a ventilator and its worker.
import assert from 'node:assert/strict'
import { beforeEach, describe, it } from 'node:test'
import type { TapSummary } from '../../contract/taps'
import type { Engine } from '../../main/engine/engine'
import type { Probe } from '../helpers/probe'
import { enginePerTest } from '../helpers/engine-per-test'
import type { PythonPeer } from '../helpers/python-peer'
import { digest, fullFrames, hexFrames, messages, pushed, tallyOf, tapMessage } from '../helpers/tap-peers'

/** A hung wait fails its own test by name, well inside the file's timeout. */
const PER_TEST = { timeout: 15_000 }

const suite = enginePerTest()
const peer = suite.peer
let engine: Engine
let probe: Probe
beforeEach(() => ({ engine, probe } = suite.current()))

interface Rig {
  tap: TapSummary
  producer: PythonPeer
  producerPort: number
  consumer: PythonPeer
  /** The tap's PULL (entries: every task it received) and PUSH (receives nothing). */
  pull: string
  push: string
}

async function rig(printFirst = 0): Promise<Rig> {
  const producer = peer('tap_send.py', ['--type', 'push', '--tag', 'task'])
  const producerPort = await producer.port()
  const tap = await engine.taps.create({
    family: 'pipeline',
    producers: { mode: 'connect', endpoint: `tcp://127.0.0.1:${producerPort}` },
    consumers: { mode: 'bind', endpoint: 'tcp://127.0.0.1:*' },
  })
  assert.equal(tap.upstream.socketType, 'pull')
  assert.equal(tap.downstream.socketType, 'push')
  assert.match(tap.downstream.address, /^tcp:\/\/127\.0\.0\.1:\d+$/, 'the wildcard port is resolved')
  const consumer = peer('tap_recv.py', [
    '--type',
    'pull',
    '--connect',
    tap.downstream.address,
    '--print',
    String(printFirst),
  ])
  await consumer.line(/^ready$/)
  return { tap, producer, producerPort, consumer, pull: tap.upstream.socketId, push: tap.downstream.socketId }
}

function summary(tapId: string): TapSummary {
  const found = engine.taps.list().find((t) => t.id === tapId)
  assert.ok(found, `tap ${tapId} is listed`)
  return found
}

const bytesOf = (list: Buffer[][]) => list.flat().reduce((n, f) => n + f.length, 0)

describe('pipeline tap between pyzmq peers', () => {
  it(
    '1,000 multi-frame tasks: counts exact end to end, every byte the same at the consumer and in the capture',
    PER_TEST,
    async () => {
      const { tap, producer, consumer, pull, push } = await rig(8)
      producer.write('send 1000\n')
      await producer.line(/^sent 1000$/)
      const got = await tallyOf(consumer, 1000)
      const sent = messages('task', 0, 1000)
      assert.deepEqual(got, { count: 1000, digest: digest(sent), runs: '0-999', stray: 0 })

      const captured = await probe.receivedAtLeast(pull, 1000)
      assert.equal(captured.length, 1000, 'one entry per forwarded task')
      assert.equal(probe.received(push).length, 0, 'nothing comes back up a pipeline')
      const capturedFrames = captured.map((e) => fullFrames(engine, e))
      assert.equal(digest(capturedFrames), digest(sent), 'the capture holds every byte, in order')
      for (let k = 1; k <= 8; k++) {
        const [, hex] = await consumer.line(new RegExp(`^msg ${k} (\\S*)$`))
        assert.equal(hex, hexFrames(tapMessage('task', k - 1)), `task ${k - 1} at the consumer`)
        assert.equal(hex, hexFrames(capturedFrames[k - 1]!), `task ${k - 1} in the capture`)
      }

      const after = summary(tap.id)
      assert.deepEqual(after.forwarded, {
        down: { messages: 1000, bytes: bytesOf(sent) },
        up: { messages: 0, bytes: 0 },
      })
      assert.equal(after.captureDrops, 0)
      const counters = engine.list().find((s) => s.id === push)!.counters
      assert.equal(counters.sendErrors, 0)
      assert.equal(engine.list().find((s) => s.id === pull)!.counters.msgsIn, 1000)
    },
  )

  it(
    'pause holds tasks while the consumer gets nothing new, step forwards one, resume delivers all in order',
    PER_TEST,
    async () => {
      const { tap, producer, consumer, pull } = await rig()
      producer.write('send 10\n')
      assert.equal((await tallyOf(consumer, 10)).runs, '0-9')

      const paused = engine.taps.pause(tap.id)
      assert.deepEqual(paused.flow, { kind: 'paused', held: { down: 0, up: 0 }, heldBytes: 0, full: false })
      producer.write('send 40\n')
      await probe.until(() => {
        const flow = pushed(probe, tap.id)?.flow
        return flow?.kind === 'paused' && flow.held.down === 40
      })
      const flow = summary(tap.id).flow
      assert.deepEqual(flow, {
        kind: 'paused',
        held: { down: 40, up: 0 },
        heldBytes: bytesOf(messages('task', 10, 50)),
        full: false,
      })
      assert.equal(summary(tap.id).forwarded.down.messages, 10)
      // Held tasks are captured as they arrive: the log shows the queue building.
      assert.equal((await probe.receivedAtLeast(pull, 50)).length, 50)
      assert.equal((await tallyOf(consumer, 0)).count, 10, 'the consumer got nothing while paused')

      const stepped = engine.taps.step(tap.id)
      assert.equal(stepped.flow.kind, 'paused', 'step stays paused')
      assert.equal((await tallyOf(consumer, 11)).runs, '0-10', 'step forwarded the oldest held task')
      await probe.until(() => {
        const f = pushed(probe, tap.id)?.flow
        return f?.kind === 'paused' && f.held.down === 39
      })
      assert.equal(summary(tap.id).forwarded.down.messages, 11, 'exactly one task went on')

      const resumed = engine.taps.resume(tap.id)
      assert.equal(resumed.flow.kind, 'forwarding')
      const got = await tallyOf(consumer, 50)
      assert.deepEqual(got, { count: 50, digest: digest(messages('task', 0, 50)), runs: '0-49', stray: 0 })
      await probe.until(() => pushed(probe, tap.id)?.forwarded.down.messages === 50)
      assert.equal(probe.received(pull).length, 50, 'releasing held tasks does not capture them again')
    },
  )

  it(
    'the consumer SIGKILLed mid-stream: the tap shows it gone, holds on, and the restarted consumer gets every later task',
    PER_TEST,
    async () => {
      const { tap, producer, consumer, pull, push } = await rig()
      producer.write('send 100\n')
      assert.equal((await tallyOf(consumer, 100)).runs, '0-99')
      await consumer.stop()
      await probe.timelineAtLeast(push, 'disconnect')
      // Nobody to take them: the tap's PUSH blocks (back-pressure, shown) rather than dropping anything.
      producer.write('send 50\n')
      await producer.line(/^sent 150$/)
      await probe.until(() => {
        const flow = pushed(probe, tap.id)?.downstream.flow
        return flow?.kind === 'blocked' && flow.reason === 'no-peer'
      })

      const restarted = peer('tap_recv.py', ['--type', 'pull', '--connect', tap.downstream.address])
      await probe.timelineAtLeast(push, 'accept', 2)
      assert.deepEqual(probe.kindsOf(push, ['accept', 'disconnect']), ['accept', 'disconnect', 'accept'])
      assert.equal((await tallyOf(restarted, 50)).runs, '100-149', 'the tasks sent while it was down')
      producer.write('send 50\n')
      const got = await tallyOf(restarted, 100)
      assert.deepEqual(got, { count: 100, digest: digest(messages('task', 100, 200)), runs: '100-199', stray: 0 })

      const captured = await probe.receivedAtLeast(pull, 200)
      assert.equal(captured.length, 200)
      assert.equal(digest(captured.map((e) => fullFrames(engine, e))), digest(messages('task', 0, 200)))
      await probe.until(() => pushed(probe, tap.id)?.forwarded.down.messages === 200)
      assert.equal(summary(tap.id).captureDrops, 0)
      assert.equal(engine.list().find((s) => s.id === push)!.counters.sendErrors, 0)
      const status = engine.list().find((s) => s.id === push)!.endpoints[0]!.status
      assert.deepEqual(status, { kind: 'connected', peers: 1 })
    },
  )

  it(
    'the producer SIGKILLed and restarted on its port: the tap reconnects and forwards its new tasks',
    PER_TEST,
    async () => {
      const { tap, producer, producerPort, consumer, pull } = await rig()
      producer.write('send 100\n')
      assert.equal((await tallyOf(consumer, 100)).runs, '0-99')
      await producer.stop()
      await probe.timelineAtLeast(pull, 'disconnect')
      const restarted = peer('tap_send.py', [
        '--type',
        'push',
        '--tag',
        'task',
        '--port',
        String(producerPort),
        '--start',
        '100',
      ])
      await restarted.port()
      await probe.timelineAtLeast(pull, 'connect', 2)
      assert.deepEqual(probe.kindsOf(pull, ['connect', 'disconnect']), ['connect', 'disconnect', 'connect'])
      restarted.write('send 100\n')
      const got = await tallyOf(consumer, 200)
      assert.deepEqual(got, { count: 200, digest: digest(messages('task', 0, 200)), runs: '0-199', stray: 0 })
      assert.equal((await probe.receivedAtLeast(pull, 200)).length, 200)
      await probe.until(() => pushed(probe, tap.id)?.forwarded.down.messages === 200)
    },
  )
})
