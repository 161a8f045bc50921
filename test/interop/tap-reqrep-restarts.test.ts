// A request/reply tap between Debian pyzmq peers when one of them is SIGKILLed and restarted: the tap shows the
// disconnect and reconnect, keeps everything it received in the capture, and forwards again; what the killed
// service took with it is counted lost rather than paired with the next reply.
import assert from 'node:assert/strict'
import { beforeEach, describe, it } from 'node:test'
import type { Engine } from '../../main/engine/engine'
import type { Probe } from '../helpers/probe'
import { EMPTY, IDS, reqrepRig } from '../helpers/reqrep-rig'
import { pushed, tallyOf } from '../helpers/tap-peers'

/** A hung wait fails its own test by name, well inside the file's timeout. */
const PER_TEST = { timeout: 15_000 }

const rig = reqrepRig()
const { serviceAndTap, clients, done, summary, assertPairs, peer } = rig
let engine: Engine
let probe: Probe
beforeEach(() => ({ engine, probe } = rig.current()))

describe('request/reply tap, peers killed and restarted', () => {
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
