// The engine's general hooks that presets (and any in-process caller) drive it with: watching a socket's
// received messages, and tying something's lifetime to a socket's. Real sockets.
import assert from 'node:assert/strict'
import { afterEach, beforeEach, describe, it } from 'node:test'
import type { Engine } from '../../main/engine/engine'
import { bindAddress } from '../helpers/addresses'
import { newEngine, type Probe } from '../helpers/probe'

let engine: Engine
let probe: Probe
beforeEach(() => ({ engine, probe } = newEngine()))
afterEach(() => engine.shutdown())

async function pushPull(): Promise<{ push: string; pull: string }> {
  const pull = engine.create('pull').id
  const address = (await engine.bind(pull, bindAddress('inproc'))).endpoints[0]!.address
  const push = engine.create('push').id
  await engine.connect(push, address)
  return { push, pull }
}

describe('engine hooks', () => {
  it('onReceive sees every received message until unwatched; capture goes on either way', async () => {
    const { push, pull } = await pushPull()
    const seen: string[] = []
    let unwatch = (): void => {}
    const firstTwo = new Promise<void>((resolve) => {
      unwatch = engine.onReceive(pull, ([frame]) => {
        seen.push(String(frame))
        if (seen.length === 2) resolve()
      })
    })
    await engine.sendBytes(push, [Buffer.from('one')])
    await engine.sendBytes(push, [Buffer.from('two')])
    await firstTwo
    unwatch()
    await engine.sendBytes(push, [Buffer.from('three')])
    await probe.receivedAtLeast(pull, 3)
    assert.deepEqual(seen, ['one', 'two'])
    assert.equal(engine.describe(pull).counters.msgsIn, 3)
  })

  it('onClose runs once when its socket closes, and on shutdown for sockets still open', async () => {
    const { push, pull } = await pushPull()
    const closed: string[] = []
    engine.onClose(push, () => closed.push('push'))
    engine.onClose(pull, () => closed.push('pull'))
    await engine.close(push)
    assert.deepEqual(closed, ['push'])
    assert.throws(() => engine.onClose(push, () => {}), /no socket with id/)
    await engine.shutdown()
    assert.deepEqual(closed, ['push', 'pull'])
  })
})
