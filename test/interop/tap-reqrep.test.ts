// A request/reply tap (ROUTER side for the clients, DEALER side to the service) between Debian pyzmq peers:
// REQ or DEALER clients that connect to the tap, each with a routing id the test chose (binary, 0x00 and 0xff
// included), and a REP or ROUTER service the tap connects to, which answers each request with "re " + it.
// Peers killed and restarted: tap-reqrep-restarts.test.ts.
import assert from 'node:assert/strict'
import { beforeEach, describe, it } from 'node:test'
import type { Engine } from '../../main/engine/engine'
import type { Probe } from '../helpers/probe'
import { enveloped, IDS, reqrepRig } from '../helpers/reqrep-rig'
import { fromHexFrames, fullFrames, hexFrames, pushed, replyTo, tallyOf, tapMessage } from '../helpers/tap-peers'

/** A hung wait fails its own test by name, well inside the file's timeout. */
const PER_TEST = { timeout: 15_000 }

const rig = reqrepRig()
const { serviceAndTap, clients, done, summary, assertPairs } = rig
let engine: Engine
let probe: Probe
beforeEach(() => ({ engine, probe } = rig.current()))

const seqOf = (entry: Buffer[]) => entry[3]!.readUInt32BE()

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
})
