// Socket options through the engine, each shown to take effect on a real socket: live options, the ones that only
// apply before bind/connect, CONFLATE and ROUTER mandatory.
import assert from 'node:assert/strict'
import { afterEach, beforeEach, describe, it } from 'node:test'
import type { Engine } from '../../main/engine/engine'
import { EngineError } from '../../main/engine/errors'
import { bindAddress } from '../helpers/addresses'
import { newEngine, text, txt, type Probe } from '../helpers/probe'

let engine: Engine
let probe: Probe
beforeEach(() => ({ engine, probe } = newEngine()))
afterEach(() => engine.shutdown())

/** Sends `count` one-frame messages, resolving with what each send came to: 'queued' or its zmq error code. */
async function sendAll(socketId: string, count: number): Promise<string[]> {
  const outcomes: string[] = []
  for (let i = 0; i < count; i++) {
    await engine.send(socketId, [txt(`m${i}`)]).then(
      () => outcomes.push('queued'),
      (error: EngineError) => outcomes.push(error.zmqCode ?? error.code),
    )
  }
  return outcomes
}

describe('socket options', () => {
  it('live options apply, before-connect options are refused once connected', async () => {
    // Created with one high-water mark and the default send timeout (2 s); changed on the live socket.
    const dealer = engine.create('dealer', undefined, { sendHighWaterMark: 10, heartbeatInterval: 100 }).id
    engine.setOptions(dealer, { sendHighWaterMark: 3, reconnectInterval: 30, reconnectMaxInterval: 500 })
    await engine.connect(dealer, 'tcp://127.0.0.1:1') // nobody listens: sends queue until the high-water mark
    // The retry interval is the one just set (the default is 100 ms); libzmq adds up to one interval of jitter.
    await probe.timelineAtLeast(dealer, 'connect:retry')
    const interval = probe.eventsOf(dealer, 'connect:retry')[0]!.intervalMs!
    assert.ok(interval >= 30 && interval < 60, `retry interval ${interval} ms`)
    // A live option changed after connect: the full queue now refuses at once instead of after 2 s.
    engine.setOptions(dealer, { sendTimeout: 0 })
    const started = performance.now()
    assert.deepEqual(await sendAll(dealer, 4), ['queued', 'queued', 'queued', 'EAGAIN'], 'the queue holds 3, not 10')
    const waited = performance.now() - started
    assert.ok(waited < 1000, `the refused send waited ${waited.toFixed(0)} ms: sendTimeout 0 was not applied`)
    assert.throws(
      () => engine.setOptions(dealer, { routingId: 'late' }),
      (e: EngineError) => e.code === 'NOT_ALLOWED' && /before bind\/connect/.test(e.message),
    )
    engine.setOptions(dealer, { linger: 100 })
  })

  it('CONFLATE keeps only the newest message', async () => {
    // Conflate on the sending side: with no peer yet the outgoing queue holds one message, so sending 3 before
    // the PULL exists leaves only the last. (A conflating receiver cannot show it here: the engine reads at once.)
    const address = bindAddress('ipc')
    const push = engine.create('push', undefined, { conflate: true, reconnectInterval: 20 }).id
    await engine.connect(push, address)
    for (let i = 1; i <= 3; i++) await engine.send(push, [txt(`state ${i}`)])
    const pull = engine.create('pull').id
    await engine.bind(pull, address)
    await probe.until(() => probe.received(pull).some((e) => text(e) === 'state 3'))
    // Messages arrive in order, so anything older that survived would have arrived before "state 3".
    assert.deepEqual(
      probe.received(pull).map((e) => text(e)),
      ['state 3'],
      'states 1 and 2 were dropped',
    )
    assert.equal(engine.list().find((s) => s.id === push)!.counters.msgsOut, 3, 'all three were sent')
  })

  it('ROUTER mandatory answers an unknown peer with EHOSTUNREACH', async () => {
    const router = engine.create('router', undefined, { routerMandatory: true }).id
    await assert.rejects(engine.send(router, [txt('nobody'), txt('x')]), (e: EngineError) => {
      assert.equal(e.zmqCode, 'EHOSTUNREACH')
      return true
    })
  })
})
