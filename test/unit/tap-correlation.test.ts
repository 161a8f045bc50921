// Request/reply taps through the engine on real zeromq.js sockets: a DEALER client's outstanding requests paired
// in order, CURVE on the clients side, and a request without a reply listed as unanswered.
import assert from 'node:assert/strict'
import { afterEach, beforeEach, describe, it } from 'node:test'
import type { Engine } from '../../main/engine/engine'
import type { Services } from '../../main/host/services'
import { bindAddress } from '../helpers/addresses'
import { newServices, text, type Probe } from '../helpers/probe'

let services: Services
let engine: Engine
let probe: Probe

beforeEach(() => ({ services, engine, probe } = newServices()))
afterEach(() => services.shutdown())

const bytes = (value: string): Buffer[] => [Buffer.from(value)]

describe('tap: request/reply correlation', () => {
  it("pairs a DEALER client's several outstanding requests in order, and says it did", async () => {
    const service = engine.create('router', 'service').id
    const address = (await engine.bind(service, bindAddress('tcp'))).endpoints[0]!.address
    // The service answers each request with "re: <request>", keeping the envelope.
    engine.onReceive(service, (frames) => {
      const body = frames[frames.length - 1]!
      void engine.sendBytes(service, [...frames.slice(0, -1), Buffer.from(`re: ${body.toString()}`)])
    })
    const tap = await engine.taps.create({
      family: 'reqrep',
      clients: { mode: 'bind', endpoint: bindAddress('tcp') },
      service: { mode: 'connect', endpoint: address },
    })
    const client = engine.create('dealer', 'client', { routingId: 'dealer-1' }).id
    await engine.connect(client, tap.upstream.address)
    for (const body of ['one', 'two', 'three']) await engine.sendBytes(client, bytes(body))
    const replies = await probe.receivedAtLeast(client, 3)
    assert.deepEqual(
      replies.map((e) => text(e)),
      ['re: one', 're: two', 're: three'],
    )
    const { correlation } = engine.taps.stats(tap.id)
    assert.ok(correlation)
    assert.equal(correlation.histogram.count, 3)
    assert.equal(correlation.fifoClients, 1)
    assert.deepEqual(
      correlation.clients.map((c) => [Buffer.from(c.client, 'hex').toString(), c.requests, c.replies, c.outstanding]),
      [['dealer-1', 3, 3, 0]],
    )
    const requests = probe.entries.filter((e) => e.socketId === tap.upstream.socketId)
    for (const request of requests) {
      const pair = engine.taps.pair(request.id)
      const reply = probe.entries.find((e) => e.id === pair.replyId)!
      assert.equal(reply.socketId, tap.downstream.socketId)
      assert.equal(text(reply, 1), `re: ${text(request, 1)}`)
    }
  })

  it('takes CURVE on its clients side: an encrypted client is served, a plain one never gets through', async () => {
    const service = engine.create('rep', 'service').id
    const address = (await engine.bind(service, bindAddress('tcp'))).endpoints[0]!.address
    engine.onReceive(service, () => void engine.sendBytes(service, bytes('secret reply')))
    const server = engine.curveKeypair()
    const tap = await engine.taps.create({
      family: 'reqrep',
      clients: { mode: 'bind', endpoint: bindAddress('tcp'), options: { curve: { role: 'server', ...server } } },
      service: { mode: 'connect', endpoint: address },
    })
    const plain = engine.create('req', 'plain client').id
    await engine.connect(plain, tap.upstream.address)
    await engine.sendBytes(plain, bytes('let me in'))
    const curve = engine.create('req', 'curve client', {
      curve: { role: 'client', serverKey: server.publicKey, ...engine.curveKeypair() },
    }).id
    await engine.connect(curve, tap.upstream.address)
    await engine.sendBytes(curve, bytes('hello'))
    assert.equal(text((await probe.receivedAtLeast(curve, 1))[0]!), 'secret reply')
    assert.equal(engine.describe(tap.upstream.socketId).counters.msgsIn, 1, 'only the CURVE client got through')
    assert.equal(probe.received(plain).length, 0)
  })

  it('lists a request without a reply after the timeout as unanswered', async () => {
    const service = engine.create('rep', 'silent service').id
    const address = (await engine.bind(service, bindAddress('tcp'))).endpoints[0]!.address
    const tap = await engine.taps.create({
      family: 'reqrep',
      clients: { mode: 'bind', endpoint: bindAddress('tcp') },
      service: { mode: 'connect', endpoint: address },
      replyTimeoutMs: 50,
    })
    const client = engine.create('req', 'client').id
    await engine.connect(client, tap.upstream.address)
    await engine.sendBytes(client, bytes('anyone?'))
    await probe.receivedAtLeast(service, 1)
    await probe.until(() => engine.taps.stats(tap.id).correlation!.timedOut === 1)
    const { correlation, summary } = engine.taps.stats(tap.id)
    assert.equal(summary.inFlight, 1)
    assert.equal(correlation!.unanswered.length, 1)
    assert.ok(correlation!.unanswered[0]!.waitingMs! >= 50)
  })
})
