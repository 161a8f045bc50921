// The guide's topologies run inside the app: each preset's sockets really talk.
import assert from 'node:assert/strict'
import { afterEach, beforeEach, describe, it } from 'node:test'
import type { Engine } from '../../main/engine/engine'
import { startPreset } from '../../main/engine/presets'
import { newEngine, text, type Probe } from '../helpers/probe'

let engine: Engine
let probe: Probe
beforeEach(() => ({ engine, probe } = newEngine()))
afterEach(() => engine.shutdown())

const byName = (sockets: { id: string; name: string }[], name: string) => sockets.find((s) => s.name === name)!.id

describe('presets', () => {
  it('hello world: the client asks, the server answers World', async () => {
    const sockets = await startPreset(engine, 'hello')
    const client = byName(sockets, 'hello client')
    const [reply] = await probe.receivedAtLeast(client, 1)
    assert.equal(text(reply!), 'World')
  })

  it('weather: the subscriber gets only 10001 updates', async () => {
    const sockets = await startPreset(engine, 'weather')
    const updates = await probe.receivedAtLeast(byName(sockets, 'weather client (10001)'), 3)
    for (const u of updates) assert.match(text(u), /^10001 -?\d+ \d+$/)
  })

  it('pipeline: ventilator -> two workers -> sink, both workers doing work', async () => {
    const sockets = await startPreset(engine, 'pipeline')
    const sink = byName(sockets, 'sink')
    await probe.until(() => {
      const results = probe.received(sink).map((e) => text(e))
      return (
        results.some((r) => r.startsWith('worker 1 done task')) &&
        results.some((r) => r.startsWith('worker 2 done task'))
      )
    })
    assert.equal(sockets.length, 6)
  })

  it('tapped hello: the request and the reply pass the tap, which pairs them', async () => {
    const sockets = await startPreset(engine, 'tapped-hello')
    const client = byName(sockets, 'hello client (through the tap)')
    const [reply] = await probe.receivedAtLeast(client, 1)
    assert.equal(text(reply!), 'World')
    const [tap] = engine.taps.list()
    assert.ok(tap)
    const request = probe.entries.find((e) => e.socketId === tap.upstream.socketId)!
    assert.equal(text(request, 2), 'Hello', 'ROUTER side: routing id, empty delimiter, body')
    const pair = engine.taps.pair(request.id)
    assert.equal(
      text(
        probe.entries.find((e) => e.id === pair.replyId)!,
        2,
      ),
      'World',
    )
    assert.equal(sockets.length, 4, 'server, client and the two sides of the tap')
  })
})
