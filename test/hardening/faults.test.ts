// Faults: a real peer killed mid-stream and restarted, and a queue at its high-water mark.
import assert from 'node:assert/strict'
import { afterEach, beforeEach, describe, it } from 'node:test'
import type { Engine } from '../../main/engine/engine'
import { newEngine, text, txt, type Probe } from '../helpers/probe'
import { PythonPeer } from '../helpers/python-peer'

let engine: Engine
let probe: Probe
const peers: PythonPeer[] = []

beforeEach(() => ({ engine, probe } = newEngine({ batchMaxEntries: 100_000 })))
afterEach(async () => {
  await engine.shutdown()
  await Promise.all(peers.splice(0).map((p) => p.stop()))
})

describe('faults', () => {
  it('a pyzmq producer killed with SIGKILL and restarted: disconnect, retry, reconnect, nothing lost', async () => {
    const count = 2000
    const first = new PythonPeer('counter_push.py', ['--count', String(count), '--tag', 'first'])
    peers.push(first)
    const port = await first.port()
    const pull = engine.create('pull', 'collector', { reconnectInterval: 50 }).id
    await engine.connect(pull, `tcp://127.0.0.1:${port}`)
    await first.line(/^sent \d+$/)
    await probe.receivedAtLeast(pull, count)
    await first.stop() // SIGKILL: no clean ZMTP close, the socket just dies
    await probe.timelineAtLeast(pull, 'disconnect')
    await probe.timelineAtLeast(pull, 'connect:retry')

    const second = new PythonPeer('counter_push.py', [
      '--port',
      String(port),
      '--count',
      String(count),
      '--tag',
      'second',
    ])
    peers.push(second)
    const [, sentAgain] = await second.line(/^sent (\d+)$/)
    await probe.receivedAtLeast(pull, 2 * count)

    const kinds = probe.timeline.filter((t) => t.socketId === pull).map((t) => t.kind)
    const lost = kinds.indexOf('disconnect')
    const reconnected = kinds.indexOf('connect', lost)
    assert.ok(lost > 0 && kinds.indexOf('connect:retry', lost) > lost && reconnected > lost, kinds.join(' '))
    const received = probe.received(pull).map((e) => text(e))
    assert.equal(received.length, count + Number(sentAgain), 'every message the peers sent is in the log')
    assert.deepEqual(received.slice(0, 3), ['first 0', 'first 1', 'first 2'])
    assert.equal(received[count], 'second 0')
    assert.equal(new Set(received).size, received.length, 'no duplicates')
    assert.equal(engine.list().find((s) => s.id === pull)!.counters.msgsIn, 2 * count)
  })

  it('a queue at its high-water mark: refused sends are counted, and the reason is given', async () => {
    const push = engine.create('push', 'stuck', { sendHighWaterMark: 5, sendTimeout: 0 }).id
    await engine.connect(push, 'tcp://127.0.0.1:1') // nobody listens: messages queue until the HWM
    const outcomes: string[] = []
    for (let i = 0; i < 20; i++) {
      await engine.send(push, [txt(`m${i}`)]).then(
        () => outcomes.push('queued'),
        (error: Error & { zmqCode?: string }) => outcomes.push(error.zmqCode ?? 'other'),
      )
    }
    const counters = engine.list().find((s) => s.id === push)!.counters
    assert.ok(outcomes.includes('queued') && outcomes.includes('EAGAIN'), outcomes.join(' '))
    assert.equal(counters.sendErrors, outcomes.filter((o) => o === 'EAGAIN').length)
    assert.equal(counters.msgsOut, outcomes.filter((o) => o === 'queued').length)
    await assert.rejects(engine.send(push, [txt('one more')]), /high-water mark/)
  })
})

describe('bad ZeroMQ usage is answered clearly', () => {
  it('an unknown host is refused at connect, not retried for ever', async () => {
    const req = engine.create('req').id
    await assert.rejects(
      engine.connect(req, 'tcp://no-such-host.invalid:5555'),
      /cannot resolve host "no-such-host.invalid"/,
    )
    assert.deepEqual(engine.list().find((s) => s.id === req)!.endpoints, [], 'the socket is left as it was')
  })

  it('an ipc path in a missing directory names the problem', async () => {
    const rep = engine.create('rep').id
    await assert.rejects(engine.bind(rep, 'ipc:///no/such/dir/zs.sock'), (e: Error & { zmqCode?: string }) => {
      assert.match(e.message, /bind ipc:\/\/\/no\/such\/dir\/zs\.sock: the directory of the ipc path does not exist/)
      return true
    })
    assert.equal(engine.list().find((s) => s.id === rep)!.state.kind, 'open')
  })
})
