// The tap UI's pure parts: the form's defaults, request, checks and sentence; which way a log row went; a latency
// histogram's bars.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { Channel } from '../../contract/channels'
import { parseRequest } from '../../contract/schemas'
import { TAP_FAMILIES, type TapSummary } from '../../contract/taps'
import type { SocketSummary } from '../../contract/views'
import { formatMicros, histogramBars } from '../../renderer/lib/latency'
import { defaultSides, loopProblem, rewiringPreview, sideProblem, tapRequest } from '../../renderer/lib/tap-form'
import { tapWays } from '../../renderer/lib/tap-ways'

describe('tap form', () => {
  it("starts each family from the guide's ports, in the modes the family usually meets its processes", () => {
    assert.deepEqual(defaultSides('reqrep'), {
      upstream: { mode: 'bind', endpoint: 'tcp://127.0.0.1:5555' },
      downstream: { mode: 'connect', endpoint: 'tcp://127.0.0.1:6555' },
    })
    assert.deepEqual(defaultSides('pubsub'), {
      upstream: { mode: 'connect', endpoint: 'tcp://127.0.0.1:5556' },
      downstream: { mode: 'bind', endpoint: 'tcp://127.0.0.1:6556' },
    })
    assert.equal(
      rewiringPreview('reqrep', defaultSides('reqrep')),
      'point your clients at tcp://127.0.0.1:5555; the tap connects to your service at tcp://127.0.0.1:6555',
    )
    assert.equal(
      rewiringPreview('pipeline', defaultSides('pipeline')),
      'the tap connects to your producers at tcp://127.0.0.1:5557; point your consumers at tcp://127.0.0.1:6557',
    )
  })

  it("makes requests the contract accepts, under the family's side keys, options only when set", () => {
    for (const family of TAP_FAMILIES) {
      const request = tapRequest(family, defaultSides(family), { name: '  t  ' })
      assert.ok(parseRequest(Channel.tapCreate, request).ok, family)
      assert.equal(request.name, 't')
    }
    const sides = defaultSides('reqrep')
    sides.upstream.options = { sendHighWaterMark: 10 }
    sides.downstream.options = {}
    assert.deepEqual(tapRequest('reqrep', sides, { replyTimeoutMs: 100 }), {
      family: 'reqrep',
      clients: { mode: 'bind', endpoint: 'tcp://127.0.0.1:5555', options: { sendHighWaterMark: 10 } },
      service: { mode: 'connect', endpoint: 'tcp://127.0.0.1:6555' },
      replyTimeoutMs: 100,
    })
    assert.deepEqual(Object.keys(tapRequest('pubsub', defaultSides('pubsub'))), ['family', 'publishers', 'subscribers'])
  })

  it('says a wildcard bind reaches this machine, and a kernel-picked port is not known yet', () => {
    const sides = defaultSides('reqrep')
    sides.upstream.endpoint = 'tcp://*:*'
    assert.match(rewiringPreview('reqrep', sides), /^point your clients at tcp:\/\/127\.0\.0\.1:<the port it gets>;/)
  })

  it('checks each endpoint for its mode, and refuses sides that would meet each other', () => {
    assert.equal(sideProblem({ mode: 'bind', endpoint: 'tcp://*:5555' }), null)
    assert.match(sideProblem({ mode: 'connect', endpoint: 'tcp://*:5555' })!, /only makes sense for bind/)
    const sides = defaultSides('reqrep')
    assert.equal(loopProblem('reqrep', sides), null)
    sides.downstream.endpoint = 'tcp://localhost:5555'
    assert.equal(
      loopProblem('reqrep', sides),
      "the service side would connect to the tap's own clients side at tcp://127.0.0.1:5555: point it at your service instead",
    )
    sides.upstream.endpoint = 'tcp://*:5555'
    assert.match(loopProblem('reqrep', sides)!, /own clients side at tcp:\/\/\*:5555/)
    sides.downstream.mode = 'bind'
    assert.match(loopProblem('reqrep', sides)!, /^both sides bind tcp:\/\/\*:5555/)
    // Two user processes may share an endpoint both sides connect to; a kernel-picked port never collides.
    assert.equal(
      loopProblem('pubsub', {
        upstream: { mode: 'connect', endpoint: 'tcp://a:1' },
        downstream: { mode: 'connect', endpoint: 'tcp://a:1' },
      }),
      null,
    )
    assert.equal(
      loopProblem('pubsub', {
        upstream: { mode: 'bind', endpoint: 'tcp://127.0.0.1:*' },
        downstream: { mode: 'bind', endpoint: 'tcp://127.0.0.1:*' },
      }),
      null,
    )
    assert.match(
      loopProblem('pipeline', {
        upstream: { mode: 'bind', endpoint: 'ipc:///tmp/x' },
        downstream: { mode: 'connect', endpoint: 'ipc:///tmp/x' },
      })!,
      /consumers side would connect to the tap's own producers side/,
    )
  })
})

describe('tap log rows', () => {
  it("labels a side socket's rows with the way its messages went, in the family's words", () => {
    const socket = (id: string, tap?: SocketSummary['tap']) => ({ id, tap }) as unknown as SocketSummary
    const taps = [
      { id: 'tap1', family: 'reqrep' },
      { id: 'tap2', family: 'pubsub' },
    ] as TapSummary[]
    const ways = tapWays(
      [
        socket('s1'),
        socket('s2', { tapId: 'tap1', side: 'upstream' }),
        socket('s3', { tapId: 'tap1', side: 'downstream' }),
        socket('s4', { tapId: 'tap2', side: 'downstream' }),
        socket('s5', { tapId: 'tap9', side: 'upstream' }),
      ],
      taps,
    )
    assert.deepEqual(Object.keys(ways), ['s2', 's3', 's4'])
    assert.deepEqual(ways.s2, { tapId: 'tap1', family: 'reqrep', way: 'down', label: 'client → service' })
    assert.equal(ways.s3!.label, 'service → client')
    assert.equal(ways.s4!.label, 'subscription ↑')
  })
})

describe('latency histogram', () => {
  it('draws the buckets from the first to the last with a count, the unbounded one as "> last bound"', () => {
    const histogram = {
      boundsUs: [10, 100, 1000],
      counts: [0, 3, 0, 2],
      count: 5,
      p50Us: 50,
      p95Us: 2000,
      p99Us: 2000,
      maxUs: 2000,
    }
    assert.deepEqual(histogramBars(histogram), [
      { key: 1, label: '≤ 100 µs', count: 3 },
      { key: 2, label: '≤ 1.00 ms', count: 0 },
      { key: 3, label: '> 1.00 ms', count: 2 },
    ])
    assert.deepEqual(histogramBars({ ...histogram, counts: [0, 0, 0, 0], count: 0 }), [])
    assert.equal(formatMicros(12_345), '12.3 ms')
    assert.equal(formatMicros(2_500_000), '2.50 s')
  })
})
