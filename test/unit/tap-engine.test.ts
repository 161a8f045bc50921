// Taps through the engine on real zeromq.js sockets on both sides (the interop suite puts pyzmq there): what
// pause, resume and step do to order, all-or-nothing creation, the sides' protection, exact capture accounting
// under a small ring, a bind in flight on a side, a blocked side, an undeliverable reply (correlation: tap-correlation).
import assert from 'node:assert/strict'
import { afterEach, beforeEach, describe, it } from 'node:test'
import { Channel } from '../../contract/channels'
import type { TapSummary } from '../../contract/taps'
import type { Engine } from '../../main/engine/engine'
import { dispatch } from '../../main/host/dispatch'
import type { Services } from '../../main/host/services'
import { bindAddress } from '../helpers/addresses'
import { newServices, text, type Probe } from '../helpers/probe'

let services: Services
let engine: Engine
let probe: Probe

beforeEach(() => ({ services, engine, probe } = newServices()))
afterEach(() => services.shutdown())

const bytes = (value: string): Buffer[] => [Buffer.from(value)]
const tapNow = (id: string): TapSummary | undefined => probe.taps.find((t) => t.id === id)
const heldDown = (id: string): number => {
  const flow = tapNow(id)?.flow
  return flow?.kind === 'paused' ? flow.held.down : -1
}

/** producer PUSH -> tap (PULL bind / PUSH bind) -> consumer PULL. */
async function pipelineTap(): Promise<{ tap: TapSummary; push: string; pull: string }> {
  const tap = await engine.taps.create({
    family: 'pipeline',
    producers: { mode: 'bind', endpoint: bindAddress('tcp') },
    consumers: { mode: 'bind', endpoint: bindAddress('tcp') },
  })
  const push = engine.create('push', 'producer').id
  await engine.connect(push, tap.upstream.address)
  const pull = engine.create('pull', 'consumer').id
  await engine.connect(pull, tap.downstream.address)
  return { tap, push, pull }
}

describe('tap: pause, resume, step', () => {
  it('paused, a tap holds what arrives; resume delivers all of it in order', async () => {
    const { tap, push, pull } = await pipelineTap()
    engine.taps.pause(tap.id)
    for (let i = 0; i < 200; i++) await engine.sendBytes(push, bytes(`task ${i}`))
    await probe.until(() => heldDown(tap.id) === 200)
    assert.equal(probe.received(pull).length, 0, 'nothing reaches the consumer while paused')
    engine.taps.resume(tap.id)
    const got = await probe.receivedAtLeast(pull, 200)
    assert.deepEqual(
      got.map((e) => text(e)),
      Array.from({ length: 200 }, (_, i) => `task ${i}`),
    )
    await probe.until(() => tapNow(tap.id)?.flow.kind === 'forwarding')
  })

  it('step forwards exactly the oldest held message, and with none held the next to arrive', async () => {
    const { tap, push, pull } = await pipelineTap()
    engine.taps.pause(tap.id)
    for (const task of ['a', 'b', 'c']) await engine.sendBytes(push, bytes(task))
    await probe.until(() => heldDown(tap.id) === 3)
    engine.taps.step(tap.id)
    await probe.receivedAtLeast(pull, 1)
    await probe.until(() => heldDown(tap.id) === 2)
    assert.deepEqual(
      probe.received(pull).map((e) => text(e)),
      ['a'],
    )
    engine.taps.resume(tap.id)
    await probe.receivedAtLeast(pull, 3)
    engine.taps.pause(tap.id)
    engine.taps.step(tap.id)
    await engine.sendBytes(push, bytes('d'))
    await engine.sendBytes(push, bytes('e'))
    await probe.until(() => heldDown(tap.id) === 1)
    assert.deepEqual(
      (await probe.receivedAtLeast(pull, 4)).map((e) => text(e)),
      ['a', 'b', 'c', 'd'],
    )
  })
})

describe('tap: the hold limit', () => {
  it('at its limit a paused tap stops receiving, ZeroMQ queues the rest, and resume delivers all in order', async () => {
    await services.shutdown()
    ;({ services, engine, probe } = newServices({ tapHoldLimit: { messages: 50, bytes: 1024 * 1024 } }))
    const { tap, push, pull } = await pipelineTap()
    engine.taps.pause(tap.id)
    for (let i = 0; i < 300; i++) await engine.sendBytes(push, bytes(`m${i}`))
    await probe.until(() => {
      const flow = tapNow(tap.id)?.flow
      return flow?.kind === 'paused' && flow.full
    })
    assert.equal(heldDown(tap.id), 50)
    engine.taps.resume(tap.id)
    await probe.until(() => engine.describe(pull).counters.msgsIn === 300)
    assert.deepEqual(
      engine.query(undefined, 300, pull).map((e) => text(e)),
      Array.from({ length: 300 }, (_, i) => `m${i}`),
    )
    const heldSeen = probe.events.flatMap((e) =>
      e.type === 'taps' ? e.taps.map((t) => (t.flow.kind === 'paused' ? t.flow.held.down : 0)) : [],
    )
    assert.equal(Math.max(...heldSeen), 50, 'never more held than the limit')
  })
})

describe('tap: creation and the sides', () => {
  it('is all or nothing: a side that cannot bind leaves no socket behind, and names the side', async () => {
    const { tap, push, pull } = await pipelineTap()
    const before = engine.list().map((s) => s.id)
    await assert.rejects(
      engine.taps.create({
        family: 'pipeline',
        producers: { mode: 'bind', endpoint: bindAddress('tcp') },
        consumers: { mode: 'bind', endpoint: tap.downstream.address },
      }),
      (error: Error & { code?: string; zmqCode?: string }) =>
        error.zmqCode === 'EADDRINUSE' && /^consumers side \(PUSH\): bind/.test(error.message),
    )
    assert.deepEqual(
      engine.list().map((s) => s.id),
      before,
    )
    assert.equal(engine.taps.list().length, 1)
    await engine.sendBytes(push, bytes('still works'))
    assert.equal(text((await probe.receivedAtLeast(pull, 1))[0]!), 'still works')
  })

  it('names the side whose options do not fit its socket, and leaves nothing behind', async () => {
    const result = await dispatch(services, Channel.tapCreate, {
      family: 'reqrep',
      clients: { mode: 'bind', endpoint: 'tcp://127.0.0.1:*' },
      service: { mode: 'connect', endpoint: 'tcp://127.0.0.1:6555', options: { routerMandatory: true } },
    })
    assert.ok(!result.ok && result.error.code === 'NOT_ALLOWED', JSON.stringify(result))
    assert.match(result.error.message, /^service side \(DEALER\): option routerMandatory/)
    assert.equal(engine.list().length, 0, 'the clients side made first was closed again')
  })

  it('refuses a tap whose sides would talk to each other', async () => {
    const port = 40000 + (process.pid % 20000)
    const result = await dispatch(services, Channel.tapCreate, {
      family: 'pipeline',
      producers: { mode: 'bind', endpoint: `tcp://127.0.0.1:${port}` },
      consumers: { mode: 'connect', endpoint: `tcp://localhost:${port}` },
    })
    assert.equal(result.ok, false)
    assert.ok(!result.ok && result.error.code === 'NOT_ALLOWED' && /connect to each other/.test(result.error.message))
    const both = await dispatch(services, Channel.tapCreate, {
      family: 'pubsub',
      publishers: { mode: 'connect', endpoint: 'tcp://127.0.0.1:6556' },
      subscribers: { mode: 'connect', endpoint: 'tcp://127.0.0.1:6556' },
    })
    assert.ok(!both.ok && /both connect to tcp:\/\/127.0.0.1:6556/.test(both.error.message))
    assert.equal(engine.list().length, 0, 'the refused taps left no sockets')
  })

  it("answers a family's wrong side by name, and an unknown tap with UNKNOWN_TAP", async () => {
    const result = await dispatch(services, Channel.tapCreate, {
      family: 'reqrep',
      publishers: { mode: 'bind', endpoint: 'tcp://127.0.0.1:*' },
      service: { mode: 'connect', endpoint: 'tcp://127.0.0.1:6555' },
    })
    assert.ok(!result.ok && result.error.code === 'INVALID_REQUEST')
    assert.ok(!result.ok && /clients/.test(result.error.message) && /publishers/.test(result.error.message))
    const unknown = await dispatch(services, Channel.tapPause, { tapId: 'tap99' })
    assert.ok(!unknown.ok && unknown.error.code === 'UNKNOWN_TAP')
  })

  it("a side socket is the tap's: no close, send or subscribe of its own; closing the tap closes both", async () => {
    const tap = await engine.taps.create({
      family: 'pubsub',
      publishers: { mode: 'bind', endpoint: bindAddress('tcp') },
      subscribers: { mode: 'bind', endpoint: bindAddress('tcp') },
    })
    const side = tap.upstream.socketId
    for (const [channel, payload] of [
      [Channel.socketClose, { socketId: side }],
      [Channel.socketSend, { socketId: side, frames: [{ enc: 'text', data: 'x' }] }],
      [Channel.socketSubscribe, { socketId: side, prefix: { enc: 'text', data: 'x' } }],
    ] as const) {
      const result = await dispatch(services, channel, payload)
      assert.ok(!result.ok && result.error.code === 'NOT_ALLOWED', `${channel} on a tap side`)
      assert.ok(!result.ok && result.error.message.includes(tap.id))
    }
    assert.deepEqual(engine.describe(side).tap, { tapId: tap.id, side: 'upstream' })
    await engine.taps.close(tap.id)
    assert.equal(engine.list().length, 0)
    await probe.until(() => probe.taps.length === 0)
  })
})

describe('tap: forwarding first', () => {
  it('every forwarded message is captured or counted as a capture drop, even through a small ring', async () => {
    await services.shutdown()
    ;({ services, engine, probe } = newServices({ ringBytes: 1024 * 1024 }))
    const { tap, push, pull } = await pipelineTap()
    const n = 20_000
    const payload = Buffer.alloc(100, 'x')
    for (let i = 0; i < n; i++) await engine.sendBytes(push, [payload])
    await probe.until(() => engine.describe(pull).counters.msgsIn === n)
    const summary = engine.taps.list()[0]!
    assert.equal(summary.forwarded.down.messages, n)
    const captured = engine.query(undefined, 5000, tap.upstream.socketId).length
    const inRing = engine.captureStats().entries
    assert.ok(summary.captureDrops > 0, 'the small ring had to drop')
    // The consumer's own entries share the ring; the tap's side counts only its own.
    assert.equal(
      engine.describe(tap.upstream.socketId).counters.ringDrops + countOf(tap.upstream.socketId),
      n,
      `${captured} of the last page, ${inRing} in the ring`,
    )
  })

  it('a bind on a side while messages flow loses none of them', async () => {
    const { tap, push, pull } = await pipelineTap()
    const sending = (async () => {
      for (let i = 0; i < 2000; i++) await engine.sendBytes(push, bytes(`m${i}`))
    })()
    // A second endpoint per side (the first is a tcp wildcard, which the engine will not bind twice).
    await engine.bind(tap.upstream.socketId, bindAddress('ipc'))
    await engine.bind(tap.downstream.socketId, bindAddress('ipc'))
    await sending
    // Counters, not delivered rows: a burst past the batch cap is delivered as a count of skipped rows.
    await probe.until(() => engine.describe(pull).counters.msgsIn === 2000)
    const got = engine.query(undefined, 2000, pull)
    assert.deepEqual(
      got.map((e) => text(e)),
      Array.from({ length: 2000 }, (_, i) => `m${i}`),
    )
    assert.equal(engine.describe(tap.downstream.socketId).counters.sendErrors, 0)
  })

  it('a reply the clients side cannot deliver is captured and counted as a send error, not as forwarded', async () => {
    const service = engine.create('router', 'slow service').id
    const address = (await engine.bind(service, bindAddress('tcp'))).endpoints[0]!.address
    const tap = await engine.taps.create({
      family: 'reqrep',
      clients: { mode: 'bind', endpoint: bindAddress('tcp'), options: { routerMandatory: true } },
      service: { mode: 'connect', endpoint: address },
    })
    const client = engine.create('req', 'client gone before its reply').id
    await engine.connect(client, tap.upstream.address)
    await engine.sendBytes(client, bytes('ping'))
    const [request] = await probe.receivedAtLeast(service, 1)
    await engine.close(client)
    await probe.timelineAtLeast(tap.upstream.socketId, 'disconnect')
    // The service answers the client that has left: ROUTER_MANDATORY makes the tap's send fail (EHOSTUNREACH).
    const frames = engine.frames(request!.id).frames.map((f) => Buffer.from(f, 'base64'))
    await engine.sendBytes(service, [...frames.slice(0, -1), Buffer.from('pong')])
    await probe.until(() => engine.describe(tap.upstream.socketId).counters.sendErrors === 1)
    const summary = engine.taps.list()[0]!
    assert.equal(summary.forwarded.up.messages, 0, 'not forwarded')
    assert.equal(engine.query(undefined, 10, tap.downstream.socketId).length, 1, 'the reply is in the capture')
  })

  it('shows a side with no peer as blocked, and flows once a consumer connects', async () => {
    const tap = await engine.taps.create({
      family: 'pipeline',
      producers: { mode: 'bind', endpoint: bindAddress('tcp') },
      consumers: { mode: 'bind', endpoint: bindAddress('tcp') },
    })
    const push = engine.create('push', 'producer').id
    await engine.connect(push, tap.upstream.address)
    await engine.sendBytes(push, bytes('waiting'))
    await probe.until(() => tapNow(tap.id)?.downstream.flow.kind === 'blocked')
    const flow = tapNow(tap.id)!.downstream.flow
    assert.ok(flow.kind === 'blocked' && flow.reason === 'no-peer')
    const pull = engine.create('pull', 'late consumer').id
    await engine.connect(pull, tap.downstream.address)
    assert.equal(text((await probe.receivedAtLeast(pull, 1))[0]!), 'waiting')
    await probe.until(() => tapNow(tap.id)?.downstream.flow.kind === 'flowing')
  })
})

/** Entries of a socket still in the ring, counted by paging through it. */
function countOf(socketId: string): number {
  let count = 0
  let before: number | undefined
  for (;;) {
    const page = engine.query(before, 5000, socketId)
    if (page.length === 0) return count
    count += page.length
    before = page[0]!.id
  }
}
