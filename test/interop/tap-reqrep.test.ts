// A request/reply tap (ROUTER side for the clients, DEALER side to the service) between Debian pyzmq peers:
// REQ or DEALER clients that connect to the tap, each with a routing id the test chose (binary, 0x00 and 0xff
// included), and a REP or ROUTER service the tap connects to, which answers each request with "re " + it.
import assert from 'node:assert/strict'
import { beforeEach, describe, it } from 'node:test'
import type { TapSummary } from '../../contract/taps'
import type { LogEntryView } from '../../contract/views'
import type { Engine } from '../../main/engine/engine'
import type { Probe } from '../helpers/probe'
import { enginePerTest } from '../helpers/engine-per-test'
import type { PythonPeer } from '../helpers/python-peer'
import { fromHexFrames, fullFrames, hexFrames, pushed, replyTo, tallyOf, tapMessage } from '../helpers/tap-peers'

/** A hung wait fails its own test by name, well inside the file's timeout. */
const PER_TEST = { timeout: 15_000 }

const suite = enginePerTest()
const peer = suite.peer
let engine: Engine
let probe: Probe
beforeEach(() => ({ engine, probe } = suite.current()))

/** Routing ids of clients c1, c2, c3 (ids starting with 0x00 are libzmq's own, so these start with "c"). */
const IDS = ['633100ff', '6332ff00', '633300']
const EMPTY = Buffer.alloc(0)

async function serviceAndTap(
  serviceArgs: string[] = [],
): Promise<{ tap: TapSummary; service: PythonPeer; port: number }> {
  const service = peer('tap_service.py', serviceArgs)
  const port = await service.port()
  const tap = await engine.taps.create({
    family: 'reqrep',
    clients: { mode: 'bind', endpoint: 'tcp://127.0.0.1:*' },
    service: { mode: 'connect', endpoint: `tcp://127.0.0.1:${port}` },
  })
  assert.equal(tap.upstream.socketType, 'router')
  assert.equal(tap.downstream.socketType, 'dealer')
  return { tap, service, port }
}

function clients(tap: TapSummary, ids: string[], extra: string[] = []): PythonPeer {
  return peer('tap_clients.py', ['--connect', tap.upstream.address, ...ids.flatMap((id) => ['--id', id]), ...extra])
}

/** Awaits "done <client> <total>" and asserts every reply that client got was the one to its own request. */
async function done(clientsPeer: PythonPeer, name: string, total: number): Promise<void> {
  const [line, ok, bad] = await clientsPeer.line(new RegExp(`^done ${name} ${total} ok=(\\d+) bad=(\\d+)$`))
  assert.deepEqual([Number(ok), Number(bad)], [total, 0], line)
}

/** What a request entry of the ROUTER side and a reply entry of the DEALER side hold: envelope, then body. */
const enveloped = (id: string, body: Buffer[]) => [Buffer.from(id, 'hex'), EMPTY, ...body]
const seqOf = (entry: Buffer[]) => entry[3]!.readUInt32BE()

function summary(tapId: string): TapSummary {
  const found = engine.taps.list().find((t) => t.id === tapId)
  assert.ok(found, `tap ${tapId} is listed`)
  return found
}

/** Every request entry's pair points at the reply entry whose bytes answer it, and back. */
function assertPairs(requests: LogEntryView[], replies: LogEntryView[]): void {
  const replyById = new Map(replies.map((e) => [e.id, e]))
  const used = new Set<number>()
  for (const request of requests) {
    const pair = engine.taps.pair(request.id)
    assert.equal(pair.requestId, request.id)
    assert.equal(pair.client, request.peer, 'paired per client routing id')
    assert.ok(pair.replyId !== null, `request ${request.id} has its reply`)
    assert.ok(!used.has(pair.replyId), `reply ${pair.replyId} is paired once`)
    used.add(pair.replyId)
    assert.notEqual(pair.latencyUs, null, `request ${request.id} has a latency`)
    assert.equal(pair.waitingMs, null)
    const reply = replyById.get(pair.replyId)
    assert.ok(reply, `reply ${pair.replyId} is an entry of the service side`)
    const body = fullFrames(engine, request).slice(2)
    assert.deepEqual(fullFrames(engine, reply), enveloped(request.peer!, replyTo(body)), 'the paired reply answers it')
    assert.deepEqual(engine.taps.pair(reply.id), pair, 'selecting the reply finds the same pair')
  }
}

describe('request/reply tap between pyzmq peers', () => {
  it(
    'three concurrent REQ clients each get their own replies, and the correlation pairs every request with its reply',
    PER_TEST,
    async () => {
      const { tap, service } = await serviceAndTap()
      const router = tap.upstream.socketId
      const dealer = tap.downstream.socketId
      const three = clients(tap, IDS)
      await three.line(/^ready$/)
      three.write('send 40\n')
      for (const name of ['c1', 'c2', 'c3']) await done(three, name, 40)
      assert.equal((await tallyOf(service, 120)).count, 120)

      const requests = await probe.receivedAtLeast(router, 120)
      const replies = await probe.receivedAtLeast(dealer, 120)
      assert.equal(requests.length, 120, 'one entry per request')
      assert.equal(replies.length, 120, 'one entry per reply')
      for (const [k, id] of IDS.entries()) {
        const mine = requests.filter((e) => e.peer === id)
        assert.equal(mine.length, 40, `client ${id}'s requests carry its routing id`)
        // Envelope and body byte-exact, in the client's order.
        assert.deepEqual(
          mine.map((e) => fullFrames(engine, e)),
          Array.from({ length: 40 }, (_, seq) => enveloped(id, tapMessage(`c${k + 1}`, seq))),
        )
        assert.equal(replies.filter((e) => e.peer === id).length, 40)
      }
      assertPairs(requests, replies)
      // A reply cannot come back before its request went out: a latency of 0 means the request was timed late.
      const zero = requests.map((e) => engine.taps.pair(e.id)).filter((p) => !(p.latencyUs! > 0))
      assert.deepEqual(zero, [], `${zero.length} of 120 requests paired with a latency of 0 µs`)

      const { correlation, summary: after } = engine.taps.stats(tap.id)
      assert.ok(correlation, 'a request/reply tap has a correlation')
      assert.deepEqual(
        correlation.clients.map((c) => [c.client, c.requests, c.replies, c.outstanding, c.timedOut]).sort(),
        IDS.map((id) => [id, 40, 40, 0, 0]).sort(),
      )
      for (const c of correlation.clients)
        assert.ok(c.meanLatencyUs !== null && c.meanLatencyUs > 0, `mean latency of ${c.client}`)
      const h = correlation.histogram
      assert.equal(h.count, 120)
      assert.equal(
        h.counts.reduce((a, b) => a + b, 0),
        120,
      )
      assert.ok(h.p50Us !== null && h.p95Us !== null && h.p99Us !== null && h.maxUs !== null, JSON.stringify(h))
      assert.ok(h.p50Us <= h.p95Us && h.p95Us <= h.p99Us && h.p99Us <= h.maxUs, JSON.stringify(h))
      assert.equal(correlation.slowest[0]?.latencyUs, h.maxUs, 'the slowest request is the histogram’s max')
      assert.deepEqual(correlation.unanswered, [])
      assert.equal(correlation.timedOut, 0)
      assert.equal(correlation.fifoClients, 0, 'REQ clients never have two requests outstanding')
      assert.equal(correlation.unmatchedReplies, 0)
      assert.equal(after.inFlight, 0)
      assert.equal(after.forwarded.down.messages, 120)
      assert.equal(after.forwarded.up.messages, 120)
      assert.equal(after.captureDrops, 0)
    },
  )

  it('envelopes are byte-exact both ways: what the service, the client and the capture see', PER_TEST, async () => {
    const { tap, service } = await serviceAndTap(['--type', 'router', '--print'])
    const one = clients(tap, [IDS[0]!], ['--print'])
    one.write('send 4\n')
    await done(one, 'c1', 4)
    const requests = await probe.receivedAtLeast(tap.upstream.socketId, 4)
    const replies = await probe.receivedAtLeast(tap.downstream.socketId, 4)
    for (let seq = 0; seq < 4; seq++) {
      const body = tapMessage('c1', seq)
      // The service's ROUTER sees the tap's DEALER id, then the client's envelope as the client's REQ made it.
      const [, atService] = await service.line(new RegExp(`^req ${seq + 1} (\\S*)$`))
      const [dealerId, ...rest] = fromHexFrames(atService!)
      assert.ok(dealerId!.length > 0, 'the service sees the tap’s routing id first')
      assert.equal(hexFrames(rest), hexFrames(enveloped(IDS[0]!, body)), `request ${seq} at the service`)
      assert.equal(
        hexFrames(fullFrames(engine, requests[seq]!)),
        hexFrames(enveloped(IDS[0]!, body)),
        `request ${seq} captured`,
      )
      const [, atClient] = await one.line(new RegExp(`^rep c1 ${seq} (\\S*)$`))
      assert.equal(atClient, hexFrames(replyTo(body)), `reply ${seq} at the client`)
      assert.equal(
        hexFrames(fullFrames(engine, replies[seq]!)),
        hexFrames(enveloped(IDS[0]!, replyTo(body))),
        `reply ${seq} captured`,
      )
    }
  })

  it('a DEALER client with several requests outstanding is paired in order and counted as FIFO', PER_TEST, async () => {
    // The service collects four requests before answering any: all four are outstanding at once.
    const { tap } = await serviceAndTap(['--type', 'router', '--batch', '4'])
    const dealerClient = clients(tap, ['6431'], ['--type', 'dealer'])
    dealerClient.write('send 4\n')
    await done(dealerClient, 'c1', 4)
    const requests = await probe.receivedAtLeast(tap.upstream.socketId, 4)
    const replies = await probe.receivedAtLeast(tap.downstream.socketId, 4)
    assert.deepEqual(
      requests.map((e) => seqOf(fullFrames(engine, e))),
      [0, 1, 2, 3],
    )
    assertPairs(requests, replies)
    const { correlation } = engine.taps.stats(tap.id)
    assert.ok(correlation, 'a request/reply tap has a correlation')
    assert.equal(correlation.fifoClients, 1)
    assert.deepEqual(
      correlation.clients.map((c) => [c.client, c.requests, c.replies, c.outstanding]),
      [['6431', 4, 4, 0]],
    )
    assert.equal(correlation.histogram.count, 4)
  })

  it(
    'pause holds requests while the service gets nothing, resume delivers them and every client gets its reply',
    PER_TEST,
    async () => {
      const { tap, service } = await serviceAndTap()
      const three = clients(tap, IDS)
      three.write('send 1\n')
      for (const name of ['c1', 'c2', 'c3']) await done(three, name, 1)
      engine.taps.pause(tap.id)
      three.write('send 1\n')
      await probe.until(() => {
        const flow = pushed(probe, tap.id)?.flow
        return flow?.kind === 'paused' && flow.held.down === 3
      })
      assert.equal((await tallyOf(service, 0)).count, 3, 'the service got nothing while paused')
      assert.equal(summary(tap.id).inFlight, 0, 'held requests are not in flight yet')
      engine.taps.resume(tap.id)
      for (const name of ['c1', 'c2', 'c3']) await done(three, name, 2)
      assert.equal((await tallyOf(service, 6)).count, 6)
      const { correlation } = engine.taps.stats(tap.id)
      assert.deepEqual(
        correlation!.clients.map((c) => [c.requests, c.replies]),
        [
          [2, 2],
          [2, 2],
          [2, 2],
        ],
      )
    },
  )

  it(
    'the service SIGKILLed and restarted on its port: requests sent meanwhile wait in the tap and are answered',
    PER_TEST,
    async () => {
      const { tap, service, port } = await serviceAndTap()
      const dealer = tap.downstream.socketId
      const router = tap.upstream.socketId
      const two = clients(tap, IDS.slice(0, 2))
      two.write('send 20\n')
      for (const name of ['c1', 'c2']) await done(two, name, 20)
      await service.stop()
      await probe.timelineAtLeast(dealer, 'disconnect')

      // Mid-outage: each client sends one more request, which the tap receives and captures.
      two.write('send 1\n')
      await probe.receivedAtLeast(router, 42)
      await probe.until(() => pushed(probe, tap.id)?.inFlight === 2)
      const restarted = peer('tap_service.py', ['--port', String(port)])
      await restarted.port()
      await probe.timelineAtLeast(dealer, 'connect', 2)
      assert.deepEqual(probe.kindsOf(dealer, ['connect', 'disconnect']), ['connect', 'disconnect', 'connect'])
      for (const name of ['c1', 'c2']) await done(two, name, 21)
      two.write('send 9\n')
      for (const name of ['c1', 'c2']) await done(two, name, 30)
      assert.equal((await tallyOf(restarted, 20)).count, 20)

      const requests = await probe.receivedAtLeast(router, 60)
      const replies = await probe.receivedAtLeast(dealer, 60)
      assert.equal(requests.length, 60, 'every request the tap received is in the capture')
      assert.equal(replies.length, 60)
      assertPairs(requests, replies)
      const after = summary(tap.id)
      assert.equal(after.forwarded.down.messages, 60)
      assert.equal(after.forwarded.up.messages, 60)
      assert.equal(after.inFlight, 0)
      assert.equal(after.captureDrops, 0)
      assert.deepEqual(engine.list().find((s) => s.id === dealer)!.endpoints[0]!.status, {
        kind: 'connected',
        peers: 1,
      })
    },
  )

  it(
    'a client SIGKILLed and restarted with its routing id: the tap sees it leave and return, and serves it again',
    PER_TEST,
    async () => {
      const { tap } = await serviceAndTap()
      const router = tap.upstream.socketId
      const first = clients(tap, [IDS[0]!])
      first.write('send 10\n')
      await done(first, 'c1', 10)
      await first.stop()
      await probe.timelineAtLeast(router, 'disconnect')
      const again = clients(tap, [IDS[0]!])
      await probe.timelineAtLeast(router, 'accept', 2)
      again.write('send 10\n')
      await done(again, 'c1', 10)
      const requests = await probe.receivedAtLeast(router, 20)
      const replies = await probe.receivedAtLeast(tap.downstream.socketId, 20)
      assert.equal(requests.length, 20)
      assertPairs(requests, replies)
      const { correlation } = engine.taps.stats(tap.id)
      assert.deepEqual(
        correlation!.clients.map((c) => [c.client, c.requests, c.replies, c.outstanding]),
        [[IDS[0], 20, 20, 0]],
      )
    },
  )

  it(
    'a request the killed service took with it is counted lost, and the next reply pairs with the next request',
    PER_TEST,
    async () => {
      // The ROUTER service holds requests in batches of two, so request 0 is with it when it dies.
      const { tap, service, port } = await serviceAndTap(['--type', 'router', '--batch', '2', '--print'])
      const client = engine.create('dealer', 'client', { routingId: 'd1' }).id
      await engine.connect(client, tap.upstream.address)
      const request = (body: string) => [EMPTY, Buffer.from(body), Buffer.alloc(4)]
      await engine.sendBytes(client, request('request 0'))
      await service.line(/^req 1 /)
      await service.stop()
      await probe.timelineAtLeast(tap.downstream.socketId, 'disconnect')
      const restarted = peer('tap_service.py', ['--port', String(port)])
      await restarted.port()
      await probe.timelineAtLeast(tap.downstream.socketId, 'connect', 2)
      await engine.sendBytes(client, request('request 1'))
      await restarted.line(/^served 1$/)
      const [reply] = await probe.receivedAtLeast(tap.downstream.socketId, 1)
      const [lost, answered] = probe.received(tap.upstream.socketId)
      assert.equal(engine.taps.pair(lost!.id).replyId, null, 'request 0 has no reply')
      assert.equal(engine.taps.pair(lost!.id).lost, true, 'request 0 is marked lost')
      assert.equal(engine.taps.pair(answered!.id).replyId, reply!.id, 'the reply is request 1’s')
      const { correlation, summary: after } = engine.taps.stats(tap.id)
      assert.equal(correlation!.lostWithService, 1, 'one request lost with the service')
      assert.equal(after.inFlight, 0, 'nothing is left waiting')
      assert.equal(correlation!.unanswered.length, 0, 'a lost request is not listed as waiting')
    },
  )
})
