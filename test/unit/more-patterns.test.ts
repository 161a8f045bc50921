// The rest of the pattern matrix: plain PUB, REQ/ROUTER envelopes, DEALER pairs, unbind/disconnect, options,
// PLAIN security and draft socket types.
import assert from 'node:assert/strict'
import { afterEach, beforeEach, describe, it } from 'node:test'
import * as zmq from 'zeromq'
import type { Engine } from '../../main/engine/engine'
import { EngineError } from '../../main/engine/errors'
import { bindAddress, TRANSPORTS } from '../helpers/addresses'
import { newEngine, text, txt, type Probe } from '../helpers/probe'

let engine: Engine
let probe: Probe
beforeEach(() => ({ engine, probe } = newEngine()))
afterEach(() => engine.shutdown())

const bound = async (socketId: string, address: string) => (await engine.bind(socketId, address)).endpoints[0]!.address

for (const transport of TRANSPORTS) {
  describe(`more patterns over ${transport}`, () => {
    it('plain PUB to SUB: the subscriber gets only its prefix once it has joined', async () => {
      const pub = engine.create('pub').id
      const sub = engine.create('sub').id
      engine.subscribe(sub, txt('A'))
      await engine.connect(sub, await bound(pub, bindAddress(transport)))
      // PUB gives no sign that a subscription arrived (the slow-joiner gap), so publish the guide's way: keep
      // sending until the subscriber hears one, then check that what follows is filtered.
      const heartbeat = setInterval(() => void engine.sendBytes(pub, [Buffer.from('A sync')]), 5)
      await probe.receivedAtLeast(sub, 1)
      clearInterval(heartbeat)
      for (const topic of ['B 1', 'A 2', 'AB 3', 'b 4', 'A end']) await engine.send(pub, [txt(topic)])
      await probe.until(() => probe.received(sub).some((e) => text(e) === 'A end'))
      const after = probe
        .received(sub)
        .map((e) => text(e))
        .filter((t) => t !== 'A sync')
      assert.deepEqual(after, ['A 2', 'AB 3', 'A end'])
    })

    it('REQ to ROUTER: the envelope is routing id, empty delimiter, body', async () => {
      const router = engine.create('router').id
      const req = engine.create('req', undefined, { routingId: 'client-1' }).id
      await engine.connect(req, await bound(router, bindAddress(transport)))
      await engine.send(req, [txt('Hello')])
      const [request] = await probe.receivedAtLeast(router, 1)
      assert.deepEqual(
        request!.frames.map((f) => f.size),
        [8, 0, 5],
      )
      assert.equal(text(request!, 2), 'Hello')
      await engine.send(router, [txt('client-1'), { enc: 'hex', data: '' }, txt('World')])
      const [reply] = await probe.receivedAtLeast(req, 1)
      assert.equal(text(reply!), 'World')
    })

    it('DEALER to DEALER is asynchronous both ways', async () => {
      const a = engine.create('dealer').id
      const b = engine.create('dealer').id
      await engine.connect(b, await bound(a, bindAddress(transport)))
      await engine.send(b, [txt('one')])
      await engine.send(b, [txt('two')])
      await engine.send(a, [txt('three')])
      await probe.receivedAtLeast(a, 2)
      await probe.receivedAtLeast(b, 1)
    })
  })
}

describe('endpoints and options', () => {
  it('unbind and disconnect remove endpoints; unknown ones are refused by name', async () => {
    const rep = engine.create('rep').id
    const address = await bound(rep, 'tcp://127.0.0.1:*')
    await engine.bind(rep, bindAddress('ipc'))
    const req = engine.create('req').id
    await engine.connect(req, address)
    assert.equal(engine.disconnect(req, address).endpoints.length, 0)
    assert.equal((await engine.unbind(rep, address)).endpoints.length, 1)
    assert.throws(() => engine.disconnect(req, 'tcp://127.0.0.1:1'), /is not connected/)
    await assert.rejects(engine.unbind(rep, 'tcp://127.0.0.1:1'), /is not bound/)
  })

  it('live options apply, before-connect options are refused once connected', async () => {
    const dealer = engine.create('dealer', undefined, { sendHighWaterMark: 10, heartbeatInterval: 100 }).id
    engine.setOptions(dealer, { receiveHighWaterMark: 5, reconnectInterval: 50, reconnectMaxInterval: 500 })
    await engine.connect(dealer, 'tcp://127.0.0.1:1')
    assert.throws(
      () => engine.setOptions(dealer, { routingId: 'late' }),
      (e: EngineError) => /before bind\/connect/.test(e.message),
    )
    engine.setOptions(dealer, { linger: 100 })
  })

  it('CONFLATE keeps only the newest message', async () => {
    const pull = engine.create('pull', undefined, { conflate: true }).id
    const push = engine.create('push').id
    await engine.connect(push, await bound(pull, bindAddress('tcp')))
    await probe.timelineAtLeast(push, 'handshake')
    for (let i = 1; i <= 3; i++) await engine.send(push, [txt(`state ${i}`)])
    await probe.until(() => probe.received(pull).some((e) => text(e) === 'state 3'))
  })

  it('ROUTER mandatory answers an unknown peer with EHOSTUNREACH', async () => {
    const router = engine.create('router', undefined, { routerMandatory: true }).id
    await assert.rejects(engine.send(router, [txt('nobody'), txt('x')]), (e: EngineError) => {
      assert.equal(e.zmqCode, 'EHOSTUNREACH')
      return true
    })
  })

  it('an incompatible transport is explained (udp on a REQ)', async () => {
    const req = engine.create('req').id
    await assert.rejects(engine.connect(req, 'udp://127.0.0.1:5555'), (e: EngineError) => e.code === 'ZMQ_ERROR')
  })

  it('PLAIN: a client with credentials talks to a PLAIN server', async () => {
    const rep = engine.create('rep', undefined, { plain: { role: 'server' } }).id
    const req = engine.create('req', undefined, { plain: { role: 'client', username: 'admin', password: 'secret' } }).id
    await engine.connect(req, await bound(rep, 'tcp://127.0.0.1:*'))
    await engine.send(req, [txt('knock')])
    const [request] = await probe.receivedAtLeast(rep, 1)
    assert.equal(text(request!), 'knock')
    assert.match(probe.eventsOf(rep, 'auth:accepted')[0]!.error!, /admin/)
  })

  it('PLAIN: a server with a user list refuses wrong passwords, visibly', async () => {
    const users = [{ username: 'admin', password: 'secret' }]
    const rep = engine.create('rep', undefined, { plain: { role: 'server', users } }).id
    const req = engine.create('req', undefined, { plain: { role: 'client', username: 'admin', password: 'guess' } }).id
    await engine.connect(req, await bound(rep, 'tcp://127.0.0.1:*'))
    await probe.timelineAtLeast(rep, 'auth:refused')
    await probe.until(() => probe.timeline.some((t) => t.socketId === req && t.kind.startsWith('handshake:error')))
  })
})

describe('draft socket types', { skip: !zmq.capability.draft && 'this libzmq has no draft API' }, () => {
  it('every draft type can be created and closed', async () => {
    for (const type of ['server', 'client', 'radio', 'dish', 'gather', 'scatter', 'datagram'] as const) {
      const socket = engine.create(type)
      await engine.close(socket.id)
    }
  })

  it('CLIENT to SERVER and back, the server replying by routing id', async () => {
    const server = engine.create('server').id
    const client = engine.create('client').id
    await engine.connect(client, await bound(server, bindAddress('tcp')))
    await engine.send(client, [txt('ping')])
    const [request] = await probe.receivedAtLeast(server, 1)
    const routingId = Buffer.from(request!.peer!, 'hex').toString()
    await engine.send(server, [txt(routingId), txt('pong')])
    const [reply] = await probe.receivedAtLeast(client, 1)
    assert.equal(text(reply!), 'pong')
  })
})
