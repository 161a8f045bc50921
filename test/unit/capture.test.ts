// The capture ring is byte-bounded, drops the oldest first and counts every drop; delivery is batched.
import assert from 'node:assert/strict'
import { afterEach, beforeEach, describe, it } from 'node:test'
import { CaptureRing, entryCost, type NewEntry } from '../../main/engine/capture'
import type { Engine } from '../../main/engine/engine'
import { bindAddress } from '../helpers/addresses'
import { newEngine, text, txt, type Probe } from '../helpers/probe'

function entry(socketId: string, payload: string): NewEntry {
  const frames = [Buffer.from(payload)]
  return { socketId, dir: 'in', mono: 0, wall: 0, frames, size: frames[0]!.length }
}

describe('CaptureRing', () => {
  it('drops the oldest entries first and counts each drop', () => {
    const evicted: number[] = []
    const cost = entryCost(entry('s1', 'x'.repeat(100)))
    const ring = new CaptureRing(cost * 10, (e) => evicted.push(e.id))
    for (let i = 0; i < 25; i++) ring.push(entry('s1', String(i).padStart(100, '0')))
    const stats = ring.stats(0)
    assert.equal(stats.entries, 10)
    assert.equal(stats.dropped, 15)
    assert.deepEqual(
      evicted,
      Array.from({ length: 15 }, (_, i) => i + 1),
    )
    assert.equal(ring.get(15), undefined)
    assert.equal(ring.get(16)!.frames[0]!.toString(), '15'.padStart(100, '0'))
    assert.ok(stats.bytes <= cost * 10)
  })

  it('queries pages backwards by id and by socket', () => {
    const ring = new CaptureRing(1024 * 1024)
    for (let i = 1; i <= 50; i++) ring.push(entry(i % 2 ? 'odd' : 'even', `m${i}`))
    assert.deepEqual(
      ring.query(undefined, 3).map((e) => e.id),
      [48, 49, 50],
    )
    assert.deepEqual(
      ring.query(48, 3).map((e) => e.id),
      [45, 46, 47],
    )
    assert.deepEqual(
      ring.query(undefined, 3, 'odd').map((e) => e.id),
      [45, 47, 49],
    )
    assert.deepEqual(
      ring.query(2, 10).map((e) => e.id),
      [1],
    )
  })

  it('keeps ids and lookups right across compaction and resize', () => {
    const ring = new CaptureRing(entryCost(entry('s', 'abc')) * 100)
    for (let i = 1; i <= 20_000; i++) ring.push(entry('s', 'abc'))
    assert.equal(ring.size, 100)
    assert.equal(ring.firstId, 19_901)
    assert.equal(ring.get(20_000)!.id, 20_000)
    ring.resize(entryCost(entry('s', 'abc')) * 10)
    assert.equal(ring.size, 10)
    assert.equal(ring.stats(0).dropped, 19_990)
    const { entries, skipped } = ring.since(0, 4)
    assert.deepEqual([entries.map((e) => e.id), skipped], [[19_997, 19_998, 19_999, 20_000], 6])
  })

  it('clear empties the ring but ids keep increasing', () => {
    const ring = new CaptureRing(1024 * 1024)
    ring.push(entry('s', 'a'))
    ring.clear()
    assert.equal(ring.size, 0)
    assert.equal(ring.push(entry('s', 'b')).id, 2)
  })
})

describe('engine capture and batching', () => {
  let engine: Engine
  let probe: Probe
  beforeEach(() => ({ engine, probe } = newEngine({ batchIntervalMs: 20, ringBytes: 1024 * 1024 })))
  afterEach(() => engine.shutdown())

  it('delivers thousands of messages in a handful of batches, every one accounted for', async () => {
    await engine.shutdown()
    ;({ engine, probe } = newEngine({ batchIntervalMs: 20, batchMaxEntries: 100_000 }))
    const push = engine.create('push').id
    const pull = engine.create('pull').id
    const address = (await engine.bind(pull, bindAddress('tcp'))).endpoints[0]!.address
    await engine.connect(push, address)
    const total = 5000
    for (let i = 0; i < total; i++) await engine.sendBytes(push, [Buffer.from(`m${i}`)])
    await probe.receivedAtLeast(pull, total)
    const batches = probe.events.filter((e) => e.type === 'batch').length
    assert.ok(batches < total / 50, `${batches} batches for ${total * 2} entries`)
    assert.deepEqual(
      probe.received(pull).map((e) => text(e)),
      Array.from({ length: total }, (_, i) => `m${i}`),
    )
    const counters = engine.list().find((s) => s.id === pull)!.counters
    assert.equal(counters.msgsIn, total)
  })

  it('a period busier than the batch cap sends the newest entries and counts the rest as skipped', async () => {
    await engine.shutdown()
    ;({ engine, probe } = newEngine({ batchIntervalMs: 20, batchMaxEntries: 50 }))
    const pair = engine.create('pair').id
    const peer = engine.create('pair').id
    const address = (await engine.bind(pair, bindAddress('inproc'))).endpoints[0]!.address
    await engine.connect(peer, address)
    await Promise.all(Array.from({ length: 400 }, (_, i) => engine.sendBytes(peer, [Buffer.from(`m${i}`)])))
    await probe.until(() => engine.list().find((s) => s.id === pair)!.counters.msgsIn === 400)
    await probe.until(() => probe.entries.length + engine.captureStats().skippedInBatches === 800)
    const delivered = new Set(probe.entries.map((e) => e.id))
    const missing = engine.query(undefined, 5000).filter((e) => !delivered.has(e.id))
    assert.equal(missing.length, engine.captureStats().skippedInBatches, 'skipped entries are still queryable')
  })

  it('counts ring drops per socket while counters stay exact', async () => {
    const push = engine.create('push').id
    const pull = engine.create('pull').id
    const address = (await engine.bind(pull, bindAddress('ipc'))).endpoints[0]!.address
    await engine.connect(push, address)
    const payload = Buffer.alloc(10_000, 1)
    for (let i = 0; i < 300; i++) await engine.sendBytes(push, [payload])
    await probe.until(() => engine.list().find((s) => s.id === pull)!.counters.msgsIn === 300)
    const stats = engine.captureStats()
    const [pushSummary, pullSummary] = [push, pull].map((id) => engine.list().find((s) => s.id === id)!)
    assert.ok(stats.bytes <= 1024 * 1024)
    assert.equal(stats.entries + stats.dropped, 600)
    assert.equal(pushSummary!.counters.ringDrops + pullSummary!.counters.ringDrops, stats.dropped)
    assert.equal(pullSummary!.counters.bytesIn, 300 * 10_000)
  })

  it('log:frames answers an evicted entry with a clear error', async () => {
    engine.configureCapture(1024 * 1024)
    assert.throws(() => engine.frames(12345), /not in the capture ring/)
    void txt
  })
})
