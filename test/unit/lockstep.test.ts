// REQ/REP lockstep as one state: the transitions on their own, then the subtle ones on real sockets.
import assert from 'node:assert/strict'
import { afterEach, beforeEach, describe, it } from 'node:test'
import type { Engine } from '../../main/engine/engine'
import { Lockstep } from '../../main/engine/lockstep'
import { bindAddress } from '../helpers/addresses'
import { newEngine, text, txt, type Probe } from '../helpers/probe'

const efsm = (pattern: RegExp) => (error: Error & { zmqCode?: string }) => {
  assert.equal(error.zmqCode, 'EFSM')
  assert.match(error.message, pattern)
  return true
}

/** Whether `promise` has settled once everything already queued has run (no timers involved). */
async function settled(promise: Promise<void>): Promise<boolean> {
  let done = false
  void promise.then(() => (done = true))
  await new Promise<void>((resolve) => setImmediate(resolve))
  return done
}

describe('Lockstep transitions', () => {
  it('a socket without lockstep is free: nothing is refused, held or changed', () => {
    const free = new Lockstep('none')
    assert.equal(free.turn, 'free')
    assert.equal(free.receiveReleased, true)
    free.accept()
    free.accept()
    assert.equal(free.sent(), false)
    free.failed()
    assert.equal(free.received(), false)
    assert.deepEqual(free.state, { kind: 'free' })
  })

  it('REQ: the turn passes when a send is accepted, receiving is released only once it is out', async () => {
    const req = new Lockstep('send-first')
    assert.deepEqual([req.state.kind, req.turn, req.receiveReleased], ['may-send', 'send', false])
    const turn = req.receiveTurn()
    req.accept()
    assert.deepEqual([req.state.kind, req.turn, req.receiveReleased], ['sending', 'receive', false])
    assert.throws(() => req.accept(), efsm(/REQ must receive the reply/))
    assert.equal(await settled(turn), false, 'the receive loop still waits while the request is not out')
    assert.equal(req.sent(), true)
    assert.deepEqual([req.state.kind, req.turn, req.receiveReleased], ['awaiting', 'receive', true])
    assert.equal(await settled(turn), true)
    assert.throws(() => req.accept(), efsm(/REQ must receive the reply/))
    assert.equal(req.received(), true)
    assert.deepEqual([req.state.kind, req.turn, req.receiveReleased], ['may-send', 'send', false])
  })

  it('REQ: a failed send gives the turn back and keeps receiving held', async () => {
    const req = new Lockstep('send-first')
    const turn = req.receiveTurn()
    req.accept()
    req.failed()
    assert.deepEqual([req.state.kind, req.turn, req.receiveReleased], ['may-send', 'send', false])
    assert.equal(await settled(turn), false)
    req.accept()
    req.sent()
    assert.equal(await settled(turn), true)
  })

  it('REP: waits for a request first, and a failed reply leaves it still owing one', () => {
    const rep = new Lockstep('receive-first')
    assert.deepEqual([rep.state.kind, rep.turn, rep.receiveReleased], ['awaiting', 'receive', true])
    assert.throws(() => rep.accept(), efsm(/REP can only send a reply after it has received a request/))
    rep.received()
    assert.deepEqual([rep.state.kind, rep.turn, rep.receiveReleased], ['may-send', 'send', false])
    rep.accept()
    assert.throws(() => rep.accept(), efsm(/REP can only send a reply/), 'one reply per request')
    rep.failed()
    assert.deepEqual([rep.state.kind, rep.turn, rep.receiveReleased], ['may-send', 'send', false])
    rep.accept()
    rep.sent()
    assert.deepEqual([rep.state.kind, rep.turn, rep.receiveReleased], ['awaiting', 'receive', true])
  })

  it('relaxed REQ may send again before the reply; a failed re-send leaves the earlier request awaiting', () => {
    const req = new Lockstep('send-first', 'relaxed')
    req.accept()
    req.accept()
    assert.deepEqual(req.state, { kind: 'sending' })
    req.sent()
    req.accept()
    assert.deepEqual(req.state, { kind: 'awaiting' }, 'the earlier request is out; its reply may still come')
    req.failed()
    assert.deepEqual([req.state.kind, req.receiveReleased], ['awaiting', true])
    req.setRule('strict')
    assert.throws(() => req.accept(), efsm(/REQ must receive the reply/))
  })

  it('close lets a receive loop that waits for its turn go', async () => {
    const req = new Lockstep('send-first')
    const turn = req.receiveTurn()
    assert.equal(await settled(turn), false)
    req.close()
    assert.equal(await settled(turn), true)
  })
})

describe('lockstep on real sockets', () => {
  let engine: Engine
  let probe: Probe
  beforeEach(() => ({ engine, probe } = newEngine()))
  afterEach(() => engine.shutdown())

  it('a REQ whose request fails (no peer) gets its turn back and can ask again once a REP is there', async () => {
    const req = engine.create('req', undefined, { sendTimeout: 0 }).id
    await assert.rejects(engine.send(req, [txt('lost')]), (e: Error & { zmqCode?: string }) => e.zmqCode === 'EAGAIN')
    assert.equal(engine.describe(req).turn, 'send')
    assert.equal(engine.describe(req).counters.sendErrors, 1)
    // Refused for the missing peer again, not for lockstep: the failed request never took the turn for good.
    await assert.rejects(engine.send(req, [txt('lost')]), (e: Error & { zmqCode?: string }) => e.zmqCode === 'EAGAIN')
    const rep = engine.create('rep').id
    const address = (await engine.bind(rep, bindAddress('inproc'))).endpoints[0]!.address
    await engine.connect(req, address)
    engine.setOptions(req, { sendTimeout: 2000 })
    await engine.send(req, [txt('Hello')])
    const [request] = await probe.receivedAtLeast(rep, 1)
    assert.equal(text(request!), 'Hello')
    await engine.send(rep, [txt('World')])
    const [reply] = await probe.receivedAtLeast(req, 1)
    assert.equal(text(reply!), 'World')
    assert.equal(engine.describe(req).turn, 'send')
  })
})
