// A request/reply tap between Debian pyzmq peers, for the tests that need one: a REP or ROUTER service the tap
// connects to (it answers each request with "re " + it) and REQ or DEALER clients with routing ids the test
// chose; an engine and the peers per test, and the checks that every request is paired with its own reply.
import assert from 'node:assert/strict'
import type { TapSummary } from '../../contract/taps'
import type { LogEntryView } from '../../contract/views'
import { enginePerTest, type EnginePerTest } from './engine-per-test'
import type { PythonPeer } from './python-peer'
import { fullFrames, replyTo } from './tap-peers'

/** Routing ids of clients c1, c2, c3 (ids starting with 0x00 are libzmq's own, so these start with "c"). */
export const IDS = ['633100ff', '6332ff00', '633300']

export const EMPTY = Buffer.alloc(0)

/** What a request entry of the ROUTER side and a reply entry of the DEALER side hold: envelope, then body. */
export const enveloped = (id: string, body: Buffer[]) => [Buffer.from(id, 'hex'), EMPTY, ...body]

export function reqrepRig() {
  const suite: EnginePerTest = enginePerTest()
  const engine = () => suite.current().engine

  async function serviceAndTap(
    serviceArgs: string[] = [],
  ): Promise<{ tap: TapSummary; service: PythonPeer; port: number }> {
    const service = suite.peer('tap_service.py', serviceArgs)
    const port = await service.port()
    const tap = await engine().taps.create({
      family: 'reqrep',
      clients: { mode: 'bind', endpoint: 'tcp://127.0.0.1:*' },
      service: { mode: 'connect', endpoint: `tcp://127.0.0.1:${port}` },
    })
    assert.equal(tap.upstream.socketType, 'router')
    assert.equal(tap.downstream.socketType, 'dealer')
    return { tap, service, port }
  }

  function clients(tap: TapSummary, ids: string[], extra: string[] = []): PythonPeer {
    return suite.peer('tap_clients.py', [
      '--connect',
      tap.upstream.address,
      ...ids.flatMap((id) => ['--id', id]),
      ...extra,
    ])
  }

  /** Awaits "done <client> <total>" and asserts every reply that client got was the one to its own request. */
  async function done(clientsPeer: PythonPeer, name: string, total: number): Promise<void> {
    const [line, ok, bad] = await clientsPeer.line(new RegExp(`^done ${name} ${total} ok=(\\d+) bad=(\\d+)$`))
    assert.deepEqual([Number(ok), Number(bad)], [total, 0], line)
  }

  function summary(tapId: string): TapSummary {
    const found = engine()
      .taps.list()
      .find((t) => t.id === tapId)
    assert.ok(found, `tap ${tapId} is listed`)
    return found
  }

  /** Every request entry's pair points at the reply entry whose bytes answer it, and back. */
  function assertPairs(requests: LogEntryView[], replies: LogEntryView[]): void {
    const replyById = new Map(replies.map((e) => [e.id, e]))
    const used = new Set<number>()
    for (const request of requests) {
      const pair = engine().taps.pair(request.id)
      assert.equal(pair.requestId, request.id)
      assert.equal(pair.client, request.peer, 'paired per client routing id')
      assert.ok(pair.replyId !== null, `request ${request.id} has its reply`)
      assert.ok(!used.has(pair.replyId), `reply ${pair.replyId} is paired once`)
      used.add(pair.replyId)
      assert.notEqual(pair.latencyUs, null, `request ${request.id} has a latency`)
      assert.equal(pair.waitingMs, null)
      const reply = replyById.get(pair.replyId)
      assert.ok(reply, `reply ${pair.replyId} is an entry of the service side`)
      const body = fullFrames(engine(), request).slice(2)
      assert.deepEqual(
        fullFrames(engine(), reply),
        enveloped(request.peer!, replyTo(body)),
        'the paired reply answers it',
      )
      assert.deepEqual(engine().taps.pair(reply.id), pair, 'selecting the reply finds the same pair')
    }
  }

  return { current: suite.current, peer: suite.peer, serviceAndTap, clients, done, summary, assertPairs }
}
