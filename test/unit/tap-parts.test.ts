// The tap's small pure parts: latency percentiles against the exact ones, the hold queue's order, which
// endpoints reach which, the side flow judgement and the rewiring sentence.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { TapSideFlow } from '../../contract/taps'
import { nextSideFlow, TICK_MS } from '../../main/engine/tap-flow'
import { LatencyRecorder } from '../../main/engine/tap-histogram'
import { HoldQueue } from '../../main/engine/tap-hold'
import { reaches, rewiringSentence, sidePlans } from '../../main/engine/tap-wiring'
import { seededRng } from '../helpers/rng'

describe('tap latency histogram', () => {
  it('keeps p50/p95/p99 within 9% of the exact percentiles and the maximum exact', () => {
    const rng = seededRng(7).next
    const recorder = new LatencyRecorder()
    const samples: number[] = []
    for (let i = 0; i < 20_000; i++) {
      // Log-normal-ish: most around 200 µs, a long tail into tens of milliseconds.
      const us = 50 * Math.exp(rng() * 3 + (rng() < 0.02 ? 4 : 0))
      samples.push(us)
      recorder.record(us)
    }
    samples.sort((a, b) => a - b)
    const exact = (q: number): number => samples[Math.ceil(q * samples.length) - 1]!
    const view = recorder.view()
    for (const [q, got] of [
      [0.5, view.p50Us],
      [0.95, view.p95Us],
      [0.99, view.p99Us],
    ] as const) {
      const want = exact(q)
      assert.ok(got !== null && got >= want && got <= want * 1.09, `p${q * 100}: ${got} for ${want}`)
    }
    assert.equal(view.maxUs, samples[samples.length - 1])
    assert.equal(
      view.counts.reduce((a, b) => a + b, 0),
      20_000,
    )
    assert.equal(view.counts.length, view.boundsUs.length + 1)
  })

  it('says nothing rather than 0 before the first reply', () => {
    const view = new LatencyRecorder().view()
    assert.deepEqual([view.count, view.p50Us, view.maxUs], [0, null, null])
  })
})

describe('tap hold queue', () => {
  it('gives messages back in order and counts their bytes, across compactions', () => {
    const queue = new HoldQueue()
    for (let i = 0; i < 5000; i++) {
      queue.push({ way: 'down', frames: [Buffer.from(String(i))], size: String(i).length, entryId: i, peer: undefined })
    }
    const out: number[] = []
    for (let i = 0; i < 3000; i++) out.push(queue.shift()!.entryId)
    for (let i = 5000; i < 6000; i++) queue.push({ way: 'up', frames: [], size: 1, entryId: i, peer: undefined })
    while (queue.length > 0) out.push(queue.shift()!.entryId)
    assert.deepEqual(
      out,
      Array.from({ length: 6000 }, (_, i) => i),
    )
    assert.equal(queue.bytes, 0)
    assert.equal(queue.shift(), undefined)
  })
})

describe('tap wiring', () => {
  it('knows which connect reaches which bound address', () => {
    assert.ok(reaches('tcp://localhost:5555', 'tcp://0.0.0.0:5555'))
    assert.ok(reaches('tcp://127.0.0.1:5555', 'tcp://127.0.0.1:5555'))
    assert.ok(!reaches('tcp://127.0.0.1:5556', 'tcp://127.0.0.1:5555'))
    assert.ok(!reaches('tcp://build-server:5555', 'tcp://0.0.0.0:5555'), 'another machine with the same port')
    assert.ok(reaches('ipc:///tmp/a.sock', 'ipc:///tmp/a.sock'))
    assert.ok(!reaches('ipc:///tmp/a.sock', 'tcp://127.0.0.1:5555'))
  })

  it('tells the user where to point what, with a wildcard bind as an address they can connect to', () => {
    const plans = sidePlans({
      family: 'reqrep',
      clients: { mode: 'bind', endpoint: 'tcp://*:5555' },
      service: { mode: 'connect', endpoint: 'tcp://127.0.0.1:6555' },
    })
    assert.equal(
      rewiringSentence(plans, { upstream: 'tcp://0.0.0.0:5555', downstream: 'tcp://127.0.0.1:6555' }),
      'point your clients at tcp://127.0.0.1:5555; the tap connects to your service at tcp://127.0.0.1:6555',
    )
  })
})

describe('tap side flow', () => {
  const sample = { sent: 5, sentBefore: 5, sending: false, peers: 1, quietMs: 0 }
  it('is flowing while sends go out, blocked while one waits, idle once quiet', () => {
    const idle: TapSideFlow = { kind: 'idle' }
    const flowing = nextSideFlow(idle, { ...sample, sent: 6 })
    assert.deepEqual(flowing, { kind: 'flowing' })
    const blocked = nextSideFlow(flowing, { ...sample, sending: true, peers: 0 })
    assert.deepEqual(blocked, { kind: 'blocked', sinceMs: TICK_MS, reason: 'no-peer' })
    assert.deepEqual(nextSideFlow(blocked, { ...sample, sending: true }), {
      kind: 'blocked',
      sinceMs: 2 * TICK_MS,
      reason: 'high-water-mark',
    })
    assert.deepEqual(nextSideFlow(flowing, { ...sample, quietMs: 5000 }), idle)
    assert.equal(nextSideFlow(flowing, sample), flowing, 'unchanged flow is the same object: no event owed')
  })
})
